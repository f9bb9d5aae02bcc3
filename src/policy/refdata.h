/* refdata.h — reference data under data/ loaded into the database:
 * departments, talent categories, 金凤凰 tiers, document types, the one-stop
 * service catalogue with each service's checklist and promised time limit,
 * and the holiday calendar.  File formats: data/README.md.
 */
#ifndef TD_REFDATA_H
#define TD_REFDATA_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

#include <stdbool.h>

/* Validates every reference file in dir, then writes them in one
 * transaction (the caller must NOT hold one).  Any problem in any file —
 * TD_EPOLICY "services.tdp:42: unknown document type 'foo'" — leaves the
 * database untouched.  Loading the same content again changes nothing;
 * changed content updates rows (row_version + 1) and records a new
 * policy_versions row per file.  user_id (may be NULL) is recorded as
 * loaded_by. */
td_status td_refdata_load(td_db *db, const char *dir, const char *user_id, td_err *err);

/* Validates without writing (for `talentdesk policy check`). */
td_status td_refdata_check(const char *dir, td_err *err);

typedef struct td_service {
    char id[48];
    char name[128];
    char name_en[128];
    char area[64];
    int days;
    bool days_is_default;
    char department_id[32];
    char source[256];
} td_service;

/* Looks up a service by code (or exact Chinese name).  TD_ENOTFOUND when absent. */
td_status td_service_get(td_db *db, const char *code_or_name, td_service *out, td_err *err);

/* Calls cb for every service in catalogue order; stops early when cb returns
 * non-zero.  Returns TD_OK or a database error. */
td_status td_service_each(td_db *db, int (*cb)(const td_service *s, void *ud), void *ud,
                          td_err *err);

/* Calls cb with (doc_type_id, doc name, required) for each document a
 * service needs, in checklist order. */
td_status td_service_docs_each(td_db *db, const char *service_id,
                               int (*cb)(const char *doc_id, const char *doc_name, bool required,
                                         void *ud),
                               void *ud, td_err *err);


typedef struct td_policy_version {
    char id[40];
    char kind[32];
    char name[128];
    char sha256[65];
    char loaded_by[64];     /* username when known, else the user id, else "" */
    char created_at[32];    /* first loaded (UTC) */
    char updated_at[32];    /* last made current again (UTC) */
    bool current;           /* the version in force for its file name */
} td_policy_version;

/* Calls cb for every recorded policy file version, newest first (ordered
 * by kind, name, then updated_at descending); stops early when cb returns
 * non-zero.  TD_OK or TD_EDB. */
td_status td_policy_versions_each(td_db *db, int (*cb)(const td_policy_version *v, void *ud),
                                  void *ud, td_err *err);

/* Copies the name of department `id` (e.g. "rsj" → "重庆市人力资源和社会保障局")
 * into buf.  TD_ENOTFOUND when there is no such live department. */
td_status td_department_name(td_db *db, const char *id, char *buf, size_t len, td_err *err);

/* Name of a talent category ("graduate" → "高校毕业生") into buf; the code
 * itself when unknown (never fails; buf always filled). */
void td_category_name(td_db *db, const char *id, char *buf, size_t len);

#endif
