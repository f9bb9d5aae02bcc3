/* person.h — the talents served: identity, contact, category.
 *
 * Names are stored as entered after NFC normalisation (td_text_normalize);
 * identity numbers are validated (src/people/idcheck.h) and stored normalised.  A
 * person is never deleted.
 */
#ifndef TD_PERSON_H
#define TD_PERSON_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "idcheck.h"
#include "base/uuid.h"

#include <stdbool.h>

#define TD_NAME_MAX_CHARS 50   /* legal names: up to 50 characters */

typedef struct td_person {
    char id[TD_UUID_LEN];
    char station_id[TD_UUID_LEN];
    char name[256];
    char name_latin[256];
    char gender[4];          /* "M", "F" or "" (typed "男"/"女" fit and are folded) */
    char birth_date[TD_DATE_LEN];
    char nationality[4];     /* ISO 3166 alpha-3 */
    char id_type[16];        /* td_id_type_code() */
    char id_no[96];          /* as typed (full-width digits fit); stored normalised */
    char phone[64];          /* as typed (+86, spaces, full-width); stored normalised */
    char email[128];
    char category_id[32];
    char employer[256];
    char field[128];
    char notes[1024];
    /* education and study abroad (migration 006) */
    char education[64];      /* 最高学历/学位 as written ("博士研究生", "PhD") */
    char school[256];        /* 毕业院校 */
    char study_country[4];   /* 留学国家: ISO 3166 alpha-3, "" = none */
    char returned_on[TD_DATE_LEN]; /* 回国时间, "" = not given */
    char created_at[TD_TS_LEN];
    char updated_at[TD_TS_LEN];
    long row_version;
} td_person;

/* Validates p as typed by a clerk and normalises it in place: name required
 * (NFC, no control or zero-width characters, ≤ 50 characters), identity number
 * valid for its type (birth date and gender taken from a resident ID and
 * checked against any typed), nationality and study country known to
 * src/people/country.h (codes; names are resolved by the callers that read
 * them, td_country_resolve), phone and e-mail shapes, category known,
 * education and school free text, return date a date.
 * On failure returns TD_EINVALID and err names the first bad field in
 * Chinese; *field_out (may be NULL) gets the field's key ("name", "id_no", …)
 * so a form can put the cursor there.  Nothing is written. */
td_status td_person_validate(td_db *db, td_person *p, const char **field_out, td_err *err);

/* Validates and inserts a new person (clerk, station operator or admin).
 * Fills p->id, station, timestamps.  TD_ECONFLICT when a person with the same
 * identity document exists (err names the existing person).  Manages its
 * own transaction and audit row. */
td_status td_person_add(td_db *db, const td_actor *by, td_person *p, td_err *err);

/* Inserts a person already validated with td_person_validate, inside the
 * caller's write transaction (no audit row: the caller writes the one that
 * fits, "person.add" or "person.import").  Fills id, station, timestamps and
 * row_version.  TD_ECONFLICT on a duplicate identity document. */
td_status td_person_insert(td_db *db, const td_actor *by, td_person *p, td_err *err);

/* Loads by id, or by identity number (any type), or by phone.  TD_ENOTFOUND
 * otherwise. */
td_status td_person_get(td_db *db, const char *key, td_person *out, td_err *err);

/* Updates the editable fields of p (same validation), guarded by
 * p->row_version: TD_ECONFLICT "此记录已被他人修改，请刷新后重试" when the
 * stored row changed since it was read.  On success p->row_version is bumped.
 * Every changed field is audited with its old and new value. */
td_status td_person_update(td_db *db, const td_actor *by, td_person *p, td_err *err);

typedef struct td_person_query {
    const char *name_prefix;  /* exact-prefix on the name index, or NULL */
    const char *id_no;        /* exact, or NULL */
    const char *phone;        /* exact, or NULL */
    int limit;                /* 0 = 100 */
    int offset;
} td_person_query;

/* Calls cb for each matching person in name order; stops when cb returns
 * non-zero.  The td_person passed is borrowed for the call only. */
td_status td_person_list(td_db *db, const td_person_query *q,
                         int (*cb)(const td_person *p, void *ud), void *ud, td_err *err);

#endif
