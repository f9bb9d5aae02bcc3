/* wf_demo.c — moving demo cases through the real engine (see
 * td_wf_demo_advance in workflow.h). */
#include "base/i18n.h"
#include "wf_docs.h"
#include "wf_internal.h"
#include "wf_signoff.h"
#include "wf_tasks.h"

#include <stdio.h>
#include <string.h>

static int verify_doc(const td_wf_doc *d, void *ud)
{
    /* Collected by the caller: marking happens outside the callback. */
    char (*ids)[48] = ud;
    for (int i = 0; i < 32; i++) {
        if (!ids[i][0]) {
            snprintf(ids[i], 48, "%s", d->doc_type_id);
            break;
        }
    }
    return 0;
}

static td_status verify_all(td_db *db, const td_actor *who, const char *case_id, td_err *err)
{
    char ids[32][48];
    memset(ids, 0, sizeof ids);
    td_status s = td_wf_docs_each(db, case_id, verify_doc, ids, err);
    for (int i = 0; !s && i < 32 && ids[i][0]; i++)
        s = td_wf_doc_mark(db, who, case_id, ids[i], "verified", NULL, 0, NULL, err);
    return s;
}

static td_status sign_all(td_db *db, const char *case_id, td_err *err)
{
    char depts[WF_MAX_DEPTS][32];
    int n = 0;
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT department_id FROM signoffs WHERE case_id = ? AND status = 'pending' AND deleted_at IS NULL",
        err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    while (n < WF_MAX_DEPTS && sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, depts[n++], sizeof depts[0]);
    sqlite3_reset(st);
    for (int i = 0; i < n; i++) {
        char user[64] = "";
        st = td_db_prepare(db,
                           "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id "
                           "AND r.role = 'signer' AND r.deleted_at IS NULL WHERE u.department_id = ? "
                           "AND u.active = 1 AND u.deleted_at IS NULL ORDER BY u.username LIMIT 1",
                           err);
        if (!st)
            return TD_EDB;
        sqlite3_bind_text(st, 1, depts[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            td_col_copy(st, 0, user, sizeof user);
        sqlite3_reset(st);
        if (!user[0])
            return td_err_set(err, TD_ENOTFOUND, _("No signer for department %s"), depts[i]);
        td_actor signer;
        td_status s = td_actor_load(db, user, &signer, err);
        if (!s)
            s = td_wf_signoff(db, &signer, case_id, NULL, true, NULL, 0, NULL, err);
        if (s)
            return s;
    }
    return TD_OK;
}

static int collect_task(const td_wf_task *t, void *ud)
{
    char (*ids)[TD_UUID_LEN] = ud;
    for (int i = 0; i < TD_MAX_SERVICES; i++) {
        if (!ids[i][0]) {
            if (!strcmp(t->status, "pending") || !strcmp(t->status, "in_progress"))
                snprintf(ids[i], TD_UUID_LEN, "%s", t->id);
            break;
        }
    }
    return 0;
}

static td_status finish_tasks(td_db *db, const td_actor *spec, const char *case_id, td_err *err)
{
    char ids[TD_MAX_SERVICES][TD_UUID_LEN];
    memset(ids, 0, sizeof ids);
    td_status s = td_wf_tasks_each(db, case_id, collect_task, ids, err);
    for (int i = 0; !s && i < TD_MAX_SERVICES && ids[i][0]; i++)
        s = td_wf_task_update(db, spec, ids[i], TD_TASK_DONE, _("demo data"), 0, err);
    return s;
}

td_status td_wf_demo_advance(td_db *db, const char *case_key, const char *target_state,
                             const td_actor *clerk, const td_actor *reviewer,
                             const td_actor *approver, const td_actor *specialist, td_err *err)
{
    const char *reason = _("demo data");
    for (int step = 0; step < 40; step++) {
        td_case c;
        td_status s = td_case_get(db, case_key, &c, err);
        if (s)
            return s;
        if (!strcmp(c.state, target_state))
            return TD_OK;
        bool service = !strcmp(c.case_type, "service");
        const char *t = target_state;
        if (service && !strcmp(t, "recognition"))
            return td_err_set(err, TD_EINVALID, _("The demo walk cannot reach %s from %s"), target_state, c.state);
        if (!strcmp(c.state, "intake")) {
            if (!strcmp(t, "withdrawn"))
                s = td_wf_act(db, clerk, c.id, "withdraw", reason, 0, NULL, err);
            else
                s = td_wf_act(db, clerk, c.id, "submit", NULL, 0, NULL, err);
        } else if (!strcmp(c.state, "doc_check")) {
            if (!strcmp(t, "awaiting_docs"))
                s = td_wf_docs_check(db, clerk, c.id, 0, NULL, err);
            else if (!strcmp(t, "suspended"))
                s = td_wf_act(db, clerk, c.id, "suspend", reason, 0, NULL, err);
            else if (!strcmp(t, "rejected"))
                s = td_wf_act(db, reviewer, c.id, "reject", reason, 0, NULL, err);
            else if (!strcmp(t, "withdrawn"))
                s = td_wf_act(db, clerk, c.id, "withdraw", reason, 0, NULL, err);
            else if (!(s = verify_all(db, reviewer, c.id, err)))
                s = td_wf_act(db, reviewer, c.id, service ? "docs_ok_service" : "docs_ok", NULL, 0, NULL, err);
        } else if (!strcmp(c.state, "awaiting_docs")) {
            s = td_wf_act(db, clerk, c.id, "supply", NULL, 0, NULL, err);
        } else if (!strcmp(c.state, "recognition")) {
            s = td_wf_act(db, reviewer, c.id, "submit_approval", NULL, 0, NULL, err);
        } else if (!strcmp(c.state, "approval")) {
            if (!(s = sign_all(db, c.id, err)))
                s = td_wf_act(db, approver, c.id, service ? "approve_service" : "approve", NULL, 0, NULL, err);
        } else if (!strcmp(c.state, "fulfilment")) {
            if (!(s = finish_tasks(db, specialist, c.id, err)))
                s = td_wf_act(db, specialist, c.id, "close", NULL, 0, NULL, err);
        } else {
            return td_err_set(err, TD_EINVALID, _("The demo walk cannot reach %s from %s"), target_state, c.state);
        }
        if (s)
            return s;
    }
    return td_err_set(err, TD_ERR, _("The demo walk cannot reach %s from %s"), target_state, case_key);
}
