/* wf_read.c — the checked reads of the workflow's records (docs, notices,
 * tasks, sign-offs, the audit history of a case) for a signed-in user: see
 * cases/scope.h ("checked reads") and the `_as` declarations in wf_docs.h,
 * wf_tasks.h, wf_signoff.h and wf_audit.h. */
#include "auth/access.h"
#include "cases/scope.h"
#include "wf_audit.h"
#include "wf_docs.h"
#include "wf_signoff.h"
#include "wf_tasks.h"

#include <string.h>

td_status td_wf_docs_each_as(td_db *db, const td_actor *a, const char *case_key,
                             int (*cb)(const td_wf_doc *d, void *ud), void *ud, td_err *err)
{
    td_status s = td_read_check(db, a, case_key, err);
    return s ? s : td_wf_docs_each(db, case_key, cb, ud, err);
}

td_status td_notice_get_as(td_db *db, const td_actor *a, const char *key, td_notice *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    td_status s = td_read_check(db, a, key, err);
    if (s || (s = td_notice_get(db, key, out, err)))
        return s;
    if ((s = td_read_check_case_id(db, a, out->case_id, err))) { /* a notice number names no case itself */
        td_notice_free(out);
        memset(out, 0, sizeof *out);
    }
    return s;
}

td_status td_wf_tasks_each_as(td_db *db, const td_actor *a, const char *case_key,
                              int (*cb)(const td_wf_task *t, void *ud), void *ud, td_err *err)
{
    td_status s = td_read_check(db, a, case_key, err);
    return s ? s : td_wf_tasks_each(db, case_key, cb, ud, err);
}

td_status td_wf_task_get_as(td_db *db, const td_actor *a, const char *key, td_wf_task *out, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s || (s = td_wf_task_get(db, key, out, err)))
        return s;
    if ((s = td_read_check_case_id(db, a, out->case_id, err)))
        memset(out, 0, sizeof *out);
    return s;
}

td_status td_wf_signoffs_each_as(td_db *db, const td_actor *a, const char *case_key,
                                 int (*cb)(const td_wf_signoff_row *r, void *ud), void *ud, td_err *err)
{
    td_status s = td_read_check(db, a, case_key, err);
    return s ? s : td_wf_signoffs_each(db, case_key, cb, ud, err);
}

td_status td_audit_case_each_as(td_db *db, const td_actor *a, const char *case_key, const char *after_id,
                                int limit, int (*cb)(const td_audit_row *r, void *ud), void *ud, td_err *err)
{
    td_status s = td_read_check(db, a, case_key, err);
    return s ? s : td_audit_case_each(db, case_key, after_id, limit, cb, ud, err);
}
