/* wf_due.c — see wf_due.h. */
#include "wf_due.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "base/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct due_row {
    char id[TD_UUID_LEN];
    char case_id[TD_UUID_LEN];
    char from[TD_DATE_LEN];   /* the day the count started (China) */
    char due[TD_DATE_LEN];
    int approx;
} due_row;

/* Reads (id, case_id, from, due, approx) rows of sql, whose ?1 is the first
 * day on which the calendars differ. */
static td_status read_rows(td_db *db, const char *sql, const char *first, due_row **out, size_t *n, td_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = td_db_prepare(db, sql, err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, first);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            due_row *nr = realloc(*out, cap * sizeof *nr);
            if (!nr) {
                sqlite3_reset(st);
                free(*out);
                *out = NULL;
                return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
            }
            *out = nr;
        }
        due_row *r = &(*out)[(*n)++];
        memset(r, 0, sizeof *r);
        td_col_copy(st, 0, r->id, sizeof r->id);
        td_col_copy(st, 1, r->case_id, sizeof r->case_id);
        td_col_copy(st, 2, r->from, sizeof r->from);
        td_col_copy(st, 3, r->due, sizeof r->due);
        r->approx = sqlite3_column_int(st, 4);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        return td_db_fail(db, _("reading due dates"), err);
    }
    return TD_OK;
}

/* The same number of working days counted from r->from under the new
 * calendar.  False when the row cannot be recounted (dates unreadable). */
static bool recount(const td_calendar *old_cal, const td_calendar *new_cal, const due_row *r, char out[TD_DATE_LEN],
                    bool *approx)
{
    td_date from, due;
    if (!td_date_parse(r->from, &from) || !td_date_parse(r->due, &due) || td_date_cmp(due, from) <= 0)
        return false;
    int n = td_calendar_workdays_between(old_cal, from, due);
    if (n <= 0)
        return false;
    *approx = false;
    td_date_format(td_calendar_add_workdays(new_cal, from, n, approx), out);
    return true;
}

/* Records one planned move (local_due_pending, written in the planning
 * transaction): the row, the date it has and the one it gets. */
static td_status plan_row(td_db *db, const td_actor *by, const char *entity, const due_row *r, const char *due,
                          bool approx, const char *now, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "INSERT INTO local_due_pending(entity, row_id, case_id, old_due, old_approx, "
                                     "new_due, new_approx, user_id, planned_at) VALUES (?,?,?,?,?,?,?,?,?)",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, entity);
    td_bind_text(st, 2, r->id);
    td_bind_text(st, 3, r->case_id[0] ? r->case_id : NULL);
    td_bind_text(st, 4, r->due);
    sqlite3_bind_int(st, 5, r->approx ? 1 : 0);
    td_bind_text(st, 6, due);
    sqlite3_bind_int(st, 7, approx ? 1 : 0);
    td_bind_text(st, 8, by && by->user_id[0] ? by->user_id : NULL);
    td_bind_text(st, 9, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("planning the due-date recount"), err);
}

static td_status pass(td_db *db, const td_actor *by, const td_calendar *old_cal, const td_calendar *new_cal,
                      const char *first, const char *sql_select, const char *entity, const char *now,
                      long *kind_changed, td_due_report *rep, td_err *err)
{
    due_row *rows;
    size_t n;
    td_status s = read_rows(db, sql_select, first, &rows, &n, err);
    for (size_t i = 0; s == TD_OK && i < n; i++) {
        rep->examined++;
        char due[TD_DATE_LEN];
        bool approx;
        if (!recount(old_cal, new_cal, &rows[i], due, &approx))
            continue;
        if (strcmp(due, rows[i].due) == 0 && (approx ? 1 : 0) == (rows[i].approx ? 1 : 0))
            continue;
        if ((s = plan_row(db, by, entity, &rows[i], due, approx, now, err)) == TD_OK) {
            rep->changed++;
            (*kind_changed)++;
        }
    }
    free(rows);
    return s;
}

/* The first day from 1990 to 2100 that one calendar counts differently from
 * the other (a working day in one and not the other, or a year one of them
 * does not cover); false when they agree on every day. */
static bool first_difference(const td_calendar *a, const td_calendar *b, char out[TD_DATE_LEN])
{
    td_date lo = { 1990, 1, 1 }, hi = { 2100, 12, 31 };
    for (int32_t k = td_date_to_days(lo), end = td_date_to_days(hi); k <= end; k++) {
        td_date d = td_date_from_days(k);
        if (td_calendar_is_workday(a, d) != td_calendar_is_workday(b, d) ||
            td_calendar_covers(a, d.y) != td_calendar_covers(b, d.y)) {
            td_date_format(d, out);
            return true;
        }
    }
    return false;
}

td_status td_due_plan(td_db *db, const td_actor *by, const td_calendar *old_cal, const td_calendar *new_cal,
                      td_due_report *rep, td_err *err)
{
    memset(rep, 0, sizeof *rep);
    if (!td_db_in_tx(db))
        return td_err_set(err, TD_ERR, "%s", _("internal error: the due-date recount is planned inside a transaction"));
    /* Days before the first difference count the same under both calendars,
     * so only dates on or after it can move: the passes read those alone
     * (by index), and nothing when the calendar did not change.  The moves
     * are only recorded here (local_due_pending, no triggers, fast); they are
     * written by td_due_resume in short transactions. */
    char first[TD_DATE_LEN];
    if (!first_difference(old_cal, new_cal, first))
        return TD_OK;
    char now[TD_TS_LEN];
    td_now_utc(now);
    /* Open cases first (while notices still carry their old deadlines):
     * counted from the day they entered their state, or — when the case's
     * due date is its latest notice's deadline — from the notice's issue. */
    td_status s = pass(db, by, old_cal, new_cal, first,
             "SELECT c.id, c.id, CASE WHEN n.id IS NOT NULL THEN n.issued_on ELSE date(c.state_since, '+8 hours') "
             "END, c.due_date, c.due_approx FROM cases c LEFT JOIN notices n ON n.id = (SELECT m.id FROM "
             "notices m WHERE m.case_id = c.id AND m.deleted_at IS NULL ORDER BY m.created_at DESC, m.id DESC "
             "LIMIT 1) AND n.deadline = c.due_date WHERE c.closed_at IS NULL AND c.due_date >= ?1 "
             "AND c.deleted_at IS NULL",
             "cases", now, &rep->cases, rep, err);
    /* The latest notice of each open case: counted from its issue day. */
    if (!s)
        s = pass(db, by, old_cal, new_cal, first,
                 "SELECT n.id, n.case_id, n.issued_on, n.deadline, n.deadline_approx FROM notices n "
                 "JOIN cases c ON c.id = n.case_id WHERE c.closed_at IS NULL AND c.deleted_at IS NULL "
                 "AND n.deleted_at IS NULL AND n.deadline >= ?1 AND n.id = (SELECT m.id FROM notices m WHERE m.case_id = n.case_id "
                 "AND m.deleted_at IS NULL ORDER BY m.created_at DESC, m.id DESC LIMIT 1)",
                 "notices", now, &rep->notices, rep, err);
    /* Open tasks: counted from the day they were scheduled (task.schedule).
     * By the case's audit rows (INDEXED BY: statistics gathered while few
     * rows name a case would otherwise have the planner scan the whole log
     * once per task — 7 s at 10,000 tasks in bench_lock). */
    if (!s)
        s = pass(db, by, old_cal, new_cal, first,
                 "SELECT r.id, r.case_id, (SELECT date(a.at, '+8 hours') FROM audit_log a INDEXED BY audit_case "
                 "WHERE a.case_id = r.case_id AND a.action = 'task.schedule' AND a.entity_id = r.id "
                 "ORDER BY a.seq DESC LIMIT 1), "
                 "r.due_date, r.due_approx FROM service_requests r WHERE r.status IN ('pending','in_progress') "
                 "AND r.due_date >= ?1 AND r.deleted_at IS NULL",
                 "service_requests", now, &rep->tasks, rep, err);
    if (s)
        memset(rep, 0, sizeof *rep);
    return s;
}

/* ---- writing the planned moves ---- */

static int g_batch = TD_DUE_BATCH;
static void (*g_after_batch)(long batch);

void td_due_set_batch(int rows, void (*after_batch)(long batch))
{
    g_batch = rows > 0 ? rows : TD_DUE_BATCH;
    g_after_batch = after_batch;
}

typedef struct pending_row {
    long seq;
    char entity[20];
    char row_id[TD_UUID_LEN];
    char case_id[TD_UUID_LEN];
    char old_due[TD_DATE_LEN], new_due[TD_DATE_LEN];
    int old_approx, new_approx;
    char user_id[TD_UUID_LEN];
} pending_row;

/* The row of one entity as planned: ?1 id, ?2 the planned-from date, ?3 its
 * mark — a row a clerk changed since the plan (counted under the new
 * calendar already) is left as it is. */
static const char *match_sql(const char *entity)
{
    if (strcmp(entity, "cases") == 0)
        return "SELECT 1 FROM cases WHERE id = ?1 AND due_date IS ?2 AND due_approx IS ?3";
    if (strcmp(entity, "notices") == 0)
        return "SELECT 1 FROM notices WHERE id = ?1 AND deadline IS ?2 AND deadline_approx IS ?3";
    if (strcmp(entity, "service_requests") == 0)
        return "SELECT 1 FROM service_requests WHERE id = ?1 AND due_date IS ?2 AND due_approx IS ?3";
    return NULL;
}

/* The move: ?1 new date, ?2 new mark, ?3 now, ?4 id. */
static const char *update_sql(const char *entity)
{
    if (strcmp(entity, "cases") == 0)
        return "UPDATE cases SET due_date = ?1, due_approx = ?2, updated_at = ?3, row_version = row_version + 1 "
               "WHERE id = ?4";
    if (strcmp(entity, "notices") == 0)
        return "UPDATE notices SET deadline = ?1, deadline_approx = ?2, updated_at = ?3, "
               "row_version = row_version + 1 WHERE id = ?4";
    return "UPDATE service_requests SET due_date = ?1, due_approx = ?2, updated_at = ?3, "
           "row_version = row_version + 1 WHERE id = ?4";
}

static td_status write_move(td_db *db, const pending_row *r, const char *now, bool *moved, td_err *err)
{
    *moved = false;
    const char *msql = match_sql(r->entity);
    if (!msql)
        return td_err_set(err, TD_EDB, _("unknown table %s in the due-date recount"), r->entity);
    sqlite3_stmt *st = td_db_prepare(db, msql, err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, r->row_id);
    td_bind_text(st, 2, r->old_due);
    sqlite3_bind_int(st, 3, r->old_approx);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return TD_OK;
    if (rc != SQLITE_ROW)
        return td_db_fail(db, _("reading due dates"), err);
    /* The audit entry first: the row's sync operations, written next, name
     * it as their act (local_sync_tx.audit_id, 011_sync.sql). */
    char o[32], nv[32];
    snprintf(o, sizeof o, "%s%s", r->old_due, r->old_approx ? "~" : "");
    snprintf(nv, sizeof nv, "%s%s", r->new_due, r->new_approx ? "~" : "");
    td_actor by;
    memset(&by, 0, sizeof by);
    snprintf(by.user_id, sizeof by.user_id, "%s", r->user_id);
    td_status s = td_audit(db, &by, r->case_id[0] ? r->case_id : NULL, "due.recompute", r->entity, r->row_id,
                           "due_date", o, nv, "calendar", err);
    if (s)
        return s;
    if (!(st = td_db_prepare(db, update_sql(r->entity), err)))
        return TD_EDB;
    td_bind_text(st, 1, r->new_due);
    sqlite3_bind_int(st, 2, r->new_approx);
    td_bind_text(st, 3, now);
    td_bind_text(st, 4, r->row_id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("updating a due date"), err);
    *moved = true;
    return TD_OK;
}

/* One batch: the oldest g_batch planned moves written and their rows
 * deleted, in one transaction.  *done = true when none remained. */
static td_status one_batch(td_db *db, long *applied, bool *done, td_err *err)
{
    *done = false;
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    pending_row *rows = calloc((size_t)g_batch, sizeof *rows);
    if (!rows) {
        td_db_rollback(db);
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    }
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT seq, entity, row_id, case_id, old_due, old_approx, new_due, new_approx, "
                                     "user_id FROM local_due_pending ORDER BY seq LIMIT ?1",
                                     err);
    int n = 0, rc = SQLITE_ERROR;
    if (st) {
        sqlite3_bind_int(st, 1, g_batch);
        while (n < g_batch && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            pending_row *r = &rows[n++];
            r->seq = (long)sqlite3_column_int64(st, 0);
            td_col_copy(st, 1, r->entity, sizeof r->entity);
            td_col_copy(st, 2, r->row_id, sizeof r->row_id);
            td_col_copy(st, 3, r->case_id, sizeof r->case_id);
            td_col_copy(st, 4, r->old_due, sizeof r->old_due);
            r->old_approx = sqlite3_column_int(st, 5);
            td_col_copy(st, 6, r->new_due, sizeof r->new_due);
            r->new_approx = sqlite3_column_int(st, 7);
            td_col_copy(st, 8, r->user_id, sizeof r->user_id);
        }
        sqlite3_reset(st);
        s = rc == SQLITE_ROW || rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("reading due dates"), err);
    } else {
        s = TD_EDB;
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    long moved_here = 0;
    for (int i = 0; !s && i < n; i++) {
        bool moved;
        if (!(s = write_move(db, &rows[i], now, &moved, err)) && moved)
            moved_here++;
    }
    if (!s && n > 0) {
        sqlite3_stmt *del = td_db_prepare(db, "DELETE FROM local_due_pending WHERE seq <= ?1", err);
        if (!del) {
            s = TD_EDB;
        } else {
            sqlite3_bind_int64(del, 1, rows[n - 1].seq);
            rc = sqlite3_step(del);
            sqlite3_reset(del);
            if (rc != SQLITE_DONE)
                s = td_db_fail(db, _("updating a due date"), err);
        }
    }
    free(rows);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    if ((s = td_db_commit(db, err)))
        return s;
    if (applied)
        *applied += moved_here;
    *done = n < g_batch;
    return TD_OK;
}

td_status td_due_resume(td_db *db, long *applied, td_err *err)
{
    if (applied)
        *applied = 0;
    if (td_db_readonly(db))
        return TD_OK;
    long left;
    td_status s = td_due_pending(db, &left, err);
    if (s || left == 0)
        return s;
    bool done = false;
    for (long batch = 1; !done; batch++) {
        if ((s = one_batch(db, applied, &done, err)))
            return s;
        if (g_after_batch)
            g_after_batch(batch);
    }
    return TD_OK;
}

td_status td_due_pending(td_db *db, long *n, td_err *err)
{
    *n = 0;
    /* a database before migration 020 (opened read-only, not migrated) has none */
    sqlite3_stmt *st = td_db_prepare(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'local_due_pending'", err);
    if (!st)
        return TD_EDB;
    int have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (!have)
        return TD_OK;
    st = td_db_prepare(db, "SELECT count(*) FROM local_due_pending", err);
    if (!st)
        return TD_EDB;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? TD_OK : td_db_fail(db, _("reading due dates"), err);
}
