/* wf_tasks.c — service tasks, their updates, 督办 and the overdue queue
 * (see wf_tasks.h). */
#include "wf_tasks.h"
#include "cases/scope.h"
#include "auth/access.h"

#include "base/audit.h"
#include "base/i18n.h"
#include "base/text.h"
#include "wf_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TASK_COLS                                                                                  \
    "SELECT r.id, r.case_id, c.case_no, coalesce(p.name, ''), r.service_id, "                      \
    "coalesce(s.name, r.service_id), r.status, coalesce(r.assignee_id, ''), "                      \
    "coalesce(u.username, ''), coalesce(r.days, s.days, 0), coalesce(r.due_date, ''), "            \
    "(SELECT count(*) FROM escalations e WHERE e.request_id = r.id AND e.deleted_at IS NULL), "    \
    "r.result, r.reason, r.updated_at, r.row_version, r.due_approx "                               \
    "FROM service_requests r JOIN cases c ON c.id = r.case_id "                                    \
    "LEFT JOIN persons p ON p.id = c.person_id LEFT JOIN services s ON s.id = r.service_id "       \
    "LEFT JOIN users u ON u.id = r.assignee_id "

static void row_to_task(sqlite3_stmt *st, const char *today, td_wf_task *t)
{
    memset(t, 0, sizeof *t);
    td_col_copy(st, 0, t->id, sizeof t->id);
    td_col_copy(st, 1, t->case_id, sizeof t->case_id);
    td_col_copy(st, 2, t->case_no, sizeof t->case_no);
    td_col_copy(st, 3, t->person_name, sizeof t->person_name);
    td_col_copy(st, 4, t->service_id, sizeof t->service_id);
    td_col_copy(st, 5, t->service_name, sizeof t->service_name);
    td_col_copy(st, 6, t->status, sizeof t->status);
    td_col_copy(st, 7, t->assignee_id, sizeof t->assignee_id);
    td_col_copy(st, 8, t->assignee, sizeof t->assignee);
    t->days = sqlite3_column_int(st, 9);
    td_col_copy(st, 10, t->due_date, sizeof t->due_date);
    t->escalations = sqlite3_column_int(st, 11);
    td_col_copy(st, 12, t->result, sizeof t->result);
    td_col_copy(st, 13, t->reason, sizeof t->reason);
    td_col_copy(st, 14, t->updated_at, sizeof t->updated_at);
    t->row_version = sqlite3_column_int64(st, 15);
    t->due_approx = sqlite3_column_int(st, 16) != 0;
    t->overdue = (!strcmp(t->status, "pending") || !strcmp(t->status, "in_progress")) &&
                 t->due_date[0] && strcmp(t->due_date, today) < 0;
}

/* Steps st collecting rows (so no statement stays open during callbacks). */
static td_status collect(td_db *db, sqlite3_stmt *st, td_wf_task **out, int *n, td_err *err)
{
    char today[TD_DATE_LEN];
    wf_today(today);
    *out = NULL;
    *n = 0;
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            td_wf_task *m = realloc(*out, sizeof *m * (size_t)cap);
            if (!m)
                abort();
            *out = m;
        }
        row_to_task(st, today, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return td_db_fail(db, _("reading service tasks"), err);
    }
    return TD_OK;
}

td_status td_wf_tasks_each(td_db *db, const char *case_key,
                           int (*cb)(const td_wf_task *t, void *ud), void *ud, td_err *err)
{
    td_case c;
    td_status s = td_case_get(db, case_key, &c, err);
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(
        db, TASK_COLS "WHERE r.case_id = ? AND r.deleted_at IS NULL ORDER BY r.created_at, r.id", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, c.id, -1, SQLITE_STATIC);
    td_wf_task *rows;
    int n;
    if ((s = collect(db, st, &rows, &n, err)))
        return s;
    for (int i = 0; i < n; i++)
        if (cb(&rows[i], ud))
            break;
    free(rows);
    return TD_OK;
}

td_status td_wf_task_get(td_db *db, const char *key, td_wf_task *out, td_err *err)
{
    size_t kl = strlen(key);
    const char *colon = strchr(key, ':');
    sqlite3_stmt *st;
    if (colon) { /* CASE-NUMBER:SERVICE-CODE, what a clerk can read off the screen */
        char case_no[64];
        snprintf(case_no, sizeof case_no, "%.*s", (int)(colon - key), key);
        st = td_db_prepare(db, TASK_COLS "WHERE c.case_no = upper(?1) AND r.service_id = ?2 "
                                         "AND r.deleted_at IS NULL LIMIT 2", err);
        if (!st)
            return TD_EDB;
        sqlite3_bind_text(st, 1, case_no, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, colon + 1, -1, SQLITE_STATIC);
    } else {
        if (kl < 8)
            return td_err_set(err, TD_ENOTFOUND, _("No service task '%s' (give at least 8 characters of its id)"), key);
        st = td_db_prepare(db, TASK_COLS "WHERE r.id >= ?1 AND r.id < ?1 || '~' AND r.deleted_at IS NULL LIMIT 2",
                           err);
        if (!st)
            return TD_EDB;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    }
    td_wf_task *rows;
    int n;
    td_status s = collect(db, st, &rows, &n, err);
    if (s)
        return s;
    if (n == 1)
        *out = rows[0];
    free(rows);
    if (n == 0)
        return td_err_set(err, TD_ENOTFOUND, _("No service task '%s'"), key);
    if (n > 1)
        return td_err_set(err, TD_EINVALID, _("'%s' matches more than one service task; give more of its id"), key);
    return TD_OK;
}

/* The case must be where tasks are worked on (a state some start_tasks
 * transition leads to) and approved. */
static td_status check_fulfilment(wf_ctx *x, td_err *err)
{
    int k = wf_state_index(x->wf, x->c.state);
    bool ok = false;
    for (int i = 0; i < x->wf->ntrans && !ok; i++) {
        const wf_trans *t = &x->wf->trans[i];
        for (int e = 0; e < t->neffects; e++)
            ok |= t->effects[e] == E_START_TASKS && t->to == k;
    }
    if (!ok)
        return td_err_set(err, TD_EDENIED, _("Service tasks are worked on only in fulfilment; the case is at %s"),
                          td_wf_state_label(x->wf, x->c.state));
    long n = 0;
    sqlite3_stmt *st = td_db_prepare(
        x->db, "SELECT EXISTS(SELECT 1 FROM case_events WHERE case_id = ? AND approval = 1 "
               "AND deleted_at IS NULL)", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, x->c.id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    if (!n)
        return td_err_set(err, TD_EDENIED, "%s",
                          _("No fulfilment before approval: the case has not been approved"));
    return TD_OK;
}

static const char *op_word(td_task_op op)
{
    switch (op) {
    case TD_TASK_START: return _("be started");
    case TD_TASK_DONE: return _("be completed");
    case TD_TASK_FAIL: return _("be marked failed");
    case TD_TASK_CANCEL: return _("be cancelled");
    case TD_TASK_ASSIGN: return _("be reassigned");
    }
    return "?";
}

static const char *status_name(const char *s)
{
    if (!strcmp(s, "pending")) return _("task pending");
    if (!strcmp(s, "in_progress")) return _("task in progress");
    if (!strcmp(s, "done")) return _("task done");
    if (!strcmp(s, "failed")) return _("task failed");
    if (!strcmp(s, "cancelled")) return _("task cancelled");
    return s;
}

static bool is_open(const char *status)
{
    return !strcmp(status, "pending") || !strcmp(status, "in_progress");
}

/* Resolves an active user by username into id; TD_ENOTFOUND otherwise. */
static td_status user_by_name(td_db *db, const char *username, unsigned need_roles, char id[TD_UUID_LEN],
                              td_err *err)
{
    td_actor u;
    td_status s = td_actor_load(db, username, &u, err);
    if (s)
        return s;
    if (need_roles && !td_actor_has(&u, need_roles))
        return td_err_set(err, TD_EINVALID, _("User %s is not a service specialist"), username);
    memcpy(id, u.user_id, TD_UUID_LEN);
    return TD_OK;
}

td_status td_wf_task_update(td_db *db, const td_actor *a, const char *task, td_task_op op,
                            const char *arg, long expected_version, td_err *err)
{
    char *txt = NULL;
    td_status s = wf_clean_text(arg, &txt, err);
    if (s)
        return s;
    if ((op == TD_TASK_FAIL || op == TD_TASK_CANCEL) && (!txt || !*txt)) {
        free(txt);
        return td_err_set(err, TD_EINVALID, "%s", _("A failed or cancelled task needs a written reason"));
    }
    if (op == TD_TASK_ASSIGN && (!txt || !*txt)) {
        free(txt);
        return td_err_set(err, TD_EUSAGE, "%s", _("Name the specialist to assign"));
    }
    if ((s = td_db_begin(db, err))) {
        free(txt);
        return s;
    }
    wf_ctx x;
    memset(&x, 0, sizeof x);
    td_wf_task t;
    if ((s = td_wf_task_get(db, task, &t, err)))
        goto out;
    if (expected_version > 0 && t.row_version != expected_version) {
        s = wf_conflict(err);
        goto out;
    }
    if ((s = td_access_require(db, a, op == TD_TASK_ASSIGN ? TD_ACT_TASK_ASSIGN : TD_ACT_TASK_WORK, err)) || (s = wf_ctx_open(&x, db, a, t.case_id, 0, err)) ||
        (s = check_fulfilment(&x, err)))
        goto out;
    const char *to = NULL;
    bool ok = false;
    switch (op) {
    case TD_TASK_START: to = "in_progress"; ok = !strcmp(t.status, "pending"); break;
    case TD_TASK_DONE: to = "done"; ok = is_open(t.status); break;
    case TD_TASK_FAIL: to = "failed"; ok = is_open(t.status); break;
    case TD_TASK_CANCEL: to = "cancelled"; ok = is_open(t.status); break;
    case TD_TASK_ASSIGN: to = t.status; ok = is_open(t.status); break;
    }
    if (!ok) {
        s = td_err_set(err, TD_EINVALID, _("The task is %s; it cannot be %s"), status_name(t.status),
                       op_word(op));
        goto out;
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st;
    if (op == TD_TASK_ASSIGN) {
        char uid[TD_UUID_LEN];
        if ((s = user_by_name(db, txt, TD_ROLE_SPECIALIST, uid, err)))
            goto out;
        st = td_db_prepare(db,
                           "UPDATE service_requests SET assignee_id = ?, updated_at = ?, "
                           "row_version = row_version + 1 WHERE id = ? AND row_version = ?",
                           err);
        if (!st) {
            s = TD_EDB;
            goto out;
        }
        sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, t.id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, t.row_version);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(db, _("saving the service task"), err);
            goto out;
        }
        if (sqlite3_changes(td_db_handle(db)) != 1) {
            s = wf_conflict(err);
            goto out;
        }
        s = td_audit(db, a, t.case_id, "task.assign", "service_requests", t.id, "assignee_id",
                     t.assignee_id[0] ? t.assignee_id : NULL, uid, NULL, err);
    } else {
        st = td_db_prepare(
            db, "UPDATE service_requests SET status = ?1, "
                "started_at = CASE WHEN ?1 IN ('in_progress','done') THEN coalesce(started_at, ?2) ELSE started_at END, "
                "finished_at = CASE WHEN ?1 IN ('done','failed','cancelled') THEN ?2 ELSE finished_at END, "
                "result = CASE WHEN ?1 = 'done' THEN ?3 ELSE result END, "
                "reason = CASE WHEN ?1 IN ('failed','cancelled') THEN ?3 ELSE reason END, "
                "assignee_id = CASE WHEN ?6 IS NOT NULL AND coalesce(assignee_id, '') = '' THEN ?6 "
                "ELSE assignee_id END, "
                "updated_at = ?2, row_version = row_version + 1 WHERE id = ?4 AND row_version = ?5", err);
        if (!st) {
            s = TD_EDB;
            goto out;
        }
        sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, txt ? txt : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, t.id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, t.row_version);
        /* 承办人: a specialist who works an unassigned task is its handler */
        bool self_assign = !t.assignee_id[0] && td_actor_has(a, TD_ROLE_SPECIALIST) && a->user_id[0] &&
                           op != TD_TASK_CANCEL;
        td_bind_text(st, 6, self_assign ? a->user_id : NULL);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(db, _("saving the service task"), err);
            goto out;
        }
        if (sqlite3_changes(td_db_handle(db)) != 1) {
            s = wf_conflict(err);
            goto out;
        }
        if (self_assign && (s = td_audit(db, a, t.case_id, "task.assign", "service_requests", t.id, "assignee_id",
                                         NULL, a->user_id, NULL, err)))
            goto out;
        static const char *const actions[] = { "task.start", "task.done", "task.fail", "task.cancel" };
        s = td_audit(db, a, t.case_id, actions[op], "service_requests", t.id, "status", t.status, to,
                     txt, err);
    }
    if (!s)
        s = wf_touch_case(db, t.case_id, err);
    if (!s)
        s = td_db_commit(db, err);
out:
    if (s)
        td_db_rollback(db);
    wf_ctx_done(&x);
    free(txt);
    return s;
}

td_status td_wf_escalate(td_db *db, const td_actor *a, const char *task, const char *to_username,
                         const char *reason, td_err *err)
{
    char *r = NULL;
    td_status s = wf_clean_text(reason, &r, err);
    if (s)
        return s;
    if (!r || !*r) {
        free(r);
        return td_err_set(err, TD_EINVALID, "%s", _("An escalation needs a written reason"));
    }
    s = td_access_require(db, a, TD_ACT_ESCALATE, err);
    if (s || (s = td_db_begin(db, err))) {
        free(r);
        return s;
    }
    td_wf_task t;
    char to[TD_UUID_LEN];
    if ((s = td_wf_task_get(db, task, &t, err)) || (s = user_by_name(db, to_username, 0, to, err)))
        goto out;
    if (!is_open(t.status)) {
        s = td_err_set(err, TD_EINVALID, _("The task is %s; only open tasks can be escalated"),
                       status_name(t.status));
        goto out;
    }
    if (!strcmp(to, a->user_id)) {
        s = td_err_set(err, TD_EINVALID, "%s", _("Escalate to someone else, not to yourself"));
        goto out;
    }
    char id[TD_UUID_LEN], now[TD_TS_LEN];
    td_uuid7(id);
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(
        db, "INSERT INTO escalations(id, case_id, request_id, from_user, to_user, reason, was_overdue, at, "
            "created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)", err);
    if (!st) {
        s = TD_EDB;
        goto out;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, t.case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t.id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, a->user_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, t.overdue);
    sqlite3_bind_text(st, 8, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("saving the escalation"), err);
        goto out;
    }
    st = td_db_prepare(db,
                       "UPDATE service_requests SET assignee_id = ?, updated_at = ?, "
                       "row_version = row_version + 1 WHERE id = ?",
                       err);
    if (!st) {
        s = TD_EDB;
        goto out;
    }
    sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t.id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("saving the escalation"), err);
        goto out;
    }
    if ((s = td_audit(db, a, t.case_id, "task.escalate", "escalations", id, "assignee_id",
                      t.assignee_id[0] ? t.assignee_id : NULL, to, r, err)) ||
        (s = wf_touch_case(db, t.case_id, err)))
        goto out;
    s = td_db_commit(db, err);
out:
    if (s)
        td_db_rollback(db);
    free(r);
    return s;
}

static td_status tasks_overdue(td_db *db, const td_actor *a, const char *today, const char *after_due,
                               const char *after_id, int limit,
                               int (*cb)(const td_wf_task *t, void *ud), void *ud, td_err *err)
{
    char tbuf[TD_DATE_LEN];
    if (!today) {
        wf_today(tbuf);
        today = tbuf;
    }
    if (limit <= 0)
        limit = 50;
    /* One indexed range per open status, merged by (due_date, id). */
    static const char *const statuses[2] = { "pending", "in_progress" };
    td_wf_task *rows[2] = { NULL, NULL };
    int n[2] = { 0, 0 };
    td_status s = TD_OK;
    for (int k = 0; k < 2 && !s; k++) {
        sqlite3_stmt *st = td_db_prepare(
            db, TASK_COLS "WHERE r.status = ?1 AND r.due_date < ?2 AND r.deleted_at IS NULL "
                          "AND (?3 IS NULL OR (r.due_date, r.id) > (?3, coalesce(?4, ''))) AND " TD_SCOPE_SQL(c)
                          " ORDER BY r.due_date, r.id LIMIT ?5", err);
        if (!st) {
            s = TD_EDB;
            break;
        }
        sqlite3_bind_text(st, 1, statuses[k], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
        td_bind_text(st, 3, after_due);
        td_bind_text(st, 4, after_id);
        sqlite3_bind_int(st, 5, limit);
        td_scope_bind(st, a);
        s = collect(db, st, &rows[k], &n[k], err);
    }
    int i = 0, j = 0, out = 0;
    while (!s && out < limit && (i < n[0] || j < n[1])) {
        const td_wf_task *t;
        if (j >= n[1])
            t = &rows[0][i++];
        else if (i >= n[0])
            t = &rows[1][j++];
        else {
            int c = strcmp(rows[0][i].due_date, rows[1][j].due_date);
            if (!c)
                c = strcmp(rows[0][i].id, rows[1][j].id);
            t = c <= 0 ? &rows[0][i++] : &rows[1][j++];
        }
        out++;
        if (cb(t, ud))
            break;
    }
    free(rows[0]);
    free(rows[1]);
    return s;
}

td_status td_wf_tasks_overdue(td_db *db, const char *today, const char *after_due, const char *after_id, int limit,
                              int (*cb)(const td_wf_task *t, void *ud), void *ud, td_err *err)
{
    return tasks_overdue(db, NULL, today, after_due, after_id, limit, cb, ud, err);
}

td_status td_wf_tasks_overdue_as(td_db *db, const td_actor *a, const char *today, const char *after_due,
                                 const char *after_id, int limit, int (*cb)(const td_wf_task *t, void *ud),
                                 void *ud, td_err *err)
{
    return tasks_overdue(db, a, today, after_due, after_id, limit, cb, ud, err);
}

td_status td_wf_task_may(td_db *db, const td_actor *a, const char *task, int op, td_err *err)
{
    td_status s = td_access_require(db, a,
                                    op == TD_TASK_OP_ESCALATE ? TD_ACT_ESCALATE
                                    : op == TD_TASK_ASSIGN    ? TD_ACT_TASK_ASSIGN
                                                              : TD_ACT_TASK_WORK,
                                    err);
    if (s)
        return s;
    td_wf_task t;
    if ((s = td_wf_task_get(db, task, &t, err)))
        return s;
    if (op == TD_TASK_OP_ESCALATE) {
        if (!is_open(t.status))
            return td_err_set(err, TD_EINVALID, _("The task is %s; only open tasks can be escalated"),
                              status_name(t.status));
        return TD_OK;
    }
    bool ok = op == TD_TASK_START ? !strcmp(t.status, "pending") : is_open(t.status);
    if (!ok)
        return td_err_set(err, TD_EINVALID, _("The task is %s; it cannot be %s"), status_name(t.status),
                          op_word((td_task_op)op));
    /* the workflow's state rule, exactly as the update applies it; the
     * context may stamp a workflow version on the case, so it is read in a
     * transaction that is rolled back (never held across a key) */
    if ((s = td_db_begin(db, err)))
        return s;
    wf_ctx x;
    memset(&x, 0, sizeof x);
    if (!(s = wf_ctx_open(&x, db, a, t.case_id, 0, err)))
        s = check_fulfilment(&x, err);
    td_db_rollback(db);
    wf_ctx_done(&x);
    return s;
}
