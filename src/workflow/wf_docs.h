/* wf_docs.h — the document check (材料审核) and the one-time deficiency
 * notice (一次性告知书, 行政许可法 art. 32).
 *
 * A case has one checklist row per document its requested services need
 * (case_documents, created with status 'missing' by td_case_new).  A clerk
 * marks each row received / verified / invalid (with a note).  "Check" looks
 * at EVERY row in one pass: when anything is missing or invalid it stores
 * ONE numbered notice listing all of them, with the date, the clerk and a
 * deadline N working days later (the workflow's notice_days, 5), and moves
 * the case to 待补正 (the workflow's on_docs_incomplete transition).  When a
 * document is then supplied (marked received or verified), the case returns
 * to checking (on_docs_supplied).
 */
#ifndef TD_WF_DOCS_H
#define TD_WF_DOCS_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct td_wf_doc {
    char id[TD_UUID_LEN];
    char doc_type_id[48];
    char name[128];              /* document type name */
    char status[16];             /* missing | received | verified | invalid */
    char note[512];
    char services[512];          /* names of the requested services needing it, "、"-joined */
    char checked_by[40];         /* username, "" when never checked */
    char checked_at[TD_TS_LEN];
    long row_version;
} td_wf_doc;

/* Calls cb for each checklist row of the case (id or case number) in
 * checklist order; stops when cb returns non-zero.  The row is borrowed for
 * the call.  Read only.  TD_ENOTFOUND for an unknown case.
 * Internal to the core: front ends call the checked `_as` variant
 * (cases/scope.h, "checked reads"). */
td_status td_wf_docs_each(td_db *db, const char *case_key,
                          int (*cb)(const td_wf_doc *d, void *ud), void *ud, td_err *err);

/* td_wf_docs_each for the signed-in user a: the role to read case data and
 * the record scope of the case first (TD_EDENIED, audited). */
td_status td_wf_docs_each_as(td_db *db, const td_actor *a, const char *case_key,
                             int (*cb)(const td_wf_doc *d, void *ud), void *ud, td_err *err);

/* Marks document doc (doc type code, or its name) of the case as status
 * ("received", "verified", "invalid", or "missing" to undo) with a note
 * (required for "invalid").  Roles: clerk, reviewer or station; only while
 * the case is in a state whose docs_editable is yes.  expected_version:
 * the checklist row's row_version the clerk saw, or 0.  Audited (status old
 * → new, note).  When the case waits for documents (待补正) and a document
 * is supplied, the case goes back to checking in the same transaction;
 * *returned (may be NULL) tells.  Manages its own transaction. */
td_status td_wf_doc_mark(td_db *db, const td_actor *a, const char *case_key, const char *doc,
                         const char *status, const char *note, long expected_version,
                         bool *returned, td_err *err);

/* "Mark all received": every checklist row of the case still 'missing'
 * becomes status ("received" or "verified"; anything else TD_EINVALID), in
 * ONE transaction, each row as td_wf_doc_mark would mark it (roles, state,
 * audit, the return from 待补正 to checking).  Rows already received,
 * verified or invalid are left as they are.  *marked (may be NULL) gets the
 * number of rows changed (0 when none was missing: TD_OK), *returned (may be
 * NULL) whether the case went back to checking.  On any error nothing is
 * changed and err names the first refusal. */
td_status td_wf_docs_mark_missing(td_db *db, const td_actor *a, const char *case_key, const char *status,
                                  int *marked, bool *returned, td_err *err);

#define TD_NOTICE_NO_LEN 32

typedef struct td_notice_item {
    int n;                       /* 1, 2, 3 … */
    char doc_type_id[48];
    char doc_name[128];
    char problem[16];            /* "missing" | "invalid" */
    char note[512];
    char services[512];
    bool is_new;                 /* not on the case's previous notice (or newly found invalid) */
} td_notice_item;

typedef struct td_notice {
    char id[TD_UUID_LEN];
    char notice_no[TD_NOTICE_NO_LEN];
    char case_id[TD_UUID_LEN];
    char case_no[32];
    char person_name[256];
    char issued_on[TD_DATE_LEN];
    char deadline[TD_DATE_LEN];
    bool deadline_approx;
    char clerk_name[128];
    char station_name[128];
    char received_on[TD_DATE_LEN]; /* the application was received (China date) */
    char office_due[TD_DATE_LEN];  /* §32: the office's own deadline to notify */
    bool late;                   /* issued after office_due */
    char contact[256];           /* the issuing office's contact (data/notice.tdp) */
    bool followup;               /* an earlier notice of the same case exists */
    td_notice_item *items;       /* owned; free the notice with td_notice_free */
    int nitems;
} td_notice;

void td_notice_free(td_notice *n);

typedef struct td_wf_check_result {
    bool complete;               /* every document verified (nothing to notify) */
    int missing, invalid, unverified;
    char notice_id[TD_UUID_LEN]; /* set when a notice was issued */
    char notice_no[TD_NOTICE_NO_LEN];
    char deadline[TD_DATE_LEN];
    char state[24];              /* the case's state afterwards */
} td_wf_check_result;

/* Checks every document of the case in one pass (roles clerk, reviewer,
 * station; the case must be at the workflow's document-check state — the
 * "from" of on_docs_incomplete).  Nothing missing or invalid: no notice,
 * res->complete tells whether all are verified.  Otherwise: stores one
 * notice listing every missing and invalid document (numbered in checklist
 * order), deadline = today + notice_days working days, audits it, and takes
 * the on_docs_incomplete transition — all in one transaction.
 * Rules of data/notice.tdp (行政许可法 §32, issue 13): the applicant's
 * deadline is supply_days working days, never shorter than the longest time
 * limit of a service a listed item is needed for; the office's own period
 * (office_days from receipt) is recorded and a later notice marked late; a
 * document the case produces itself, or a holder's identity document asked
 * twice, is never listed; no notice while an item is received but not
 * checked (TD_EINVALID naming it); a later notice lists what is still
 * missing or newly invalid, keeps the numbers the first notice gave and
 * marks the new items. */
td_status td_wf_docs_check(td_db *db, const td_actor *a, const char *case_key,
                           long expected_version, td_wf_check_result *res, td_err *err);

/* The document types (",talent_cert,identity,") of the case's checklist that
 * a notice would not ask for under data/notice.tdp (what the case produces,
 * the holder's identity document twice), for previews; "" when none.  Read
 * only.  TD_ENOTFOUND for an unknown case, TD_EPOLICY for a bad notice.tdp. */
td_status td_wf_notice_omits(td_db *db, const char *case_key, const char *station_code, char *out, size_t len,
                             td_err *err);

/* Loads a notice by id or notice number, or — when key is a case id or case
 * number — the case's latest notice.  *out is filled (free with
 * td_notice_free).  TD_ENOTFOUND when there is none.  Read only.
 * Internal to the core: front ends call the checked `_as` variant
 * (cases/scope.h, "checked reads"). */
td_status td_notice_get(td_db *db, const char *key, td_notice *out, td_err *err);

/* td_notice_get for the signed-in user a: refused (TD_EDENIED, audited,
 * *out left empty) when the notice's case is outside a's record scope. */
td_status td_notice_get_as(td_db *db, const td_actor *a, const char *key, td_notice *out, td_err *err);

/* Renders the notice as printable UTF-8 text (translated, one numbered line
 * per item, stored text sanitised for a printer/terminal).  Returns a newly
 * allocated string (caller frees), never NULL (aborts on OOM). */
char *td_notice_render(const td_notice *n);

/* Converts UTF-8 text to GB18030 for receipt printers with iconv (no
 * //IGNORE: a character that cannot be converted is an error naming its
 * byte offset).  *out is newly allocated (caller frees), *outlen its length.
 * TD_EINVALID on invalid input, TD_ERR when iconv is unavailable. */
td_status td_to_gb18030(const char *utf8, char **out, size_t *outlen, td_err *err);

#endif
