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

static td_status apply(td_db *db, const td_actor *by, const char *sql_update, const char *entity,
                       const due_row *r, const char *due, bool approx, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db, sql_update, err);
    if (!st)
        return TD_EDB;
    char now[TD_TS_LEN];
    td_now_utc(now);
    td_bind_text(st, 1, due);
    sqlite3_bind_int(st, 2, approx ? 1 : 0);
    td_bind_text(st, 3, now);
    td_bind_text(st, 4, r->id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("updating a due date"), err);
    char o[32], nv[32];
    snprintf(o, sizeof o, "%s%s", r->due, r->approx ? "~" : "");
    snprintf(nv, sizeof nv, "%s%s", due, approx ? "~" : "");
    return td_audit(db, by, r->case_id, "due.recompute", entity, r->id, "due_date", o, nv, "calendar", err);
}

static td_status pass(td_db *db, const td_actor *by, const td_calendar *old_cal, const td_calendar *new_cal,
                      const char *first, const char *sql_select, const char *sql_update, const char *entity,
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
        if ((s = apply(db, by, sql_update, entity, &rows[i], due, approx, err)) == TD_OK) {
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

td_status td_due_recompute(td_db *db, const td_actor *by, const td_calendar *old_cal, const td_calendar *new_cal,
                           td_due_report *rep, td_err *err)
{
    memset(rep, 0, sizeof *rep);
    /* Days before the first difference count the same under both calendars,
     * so only dates on or after it can move: the passes read those alone
     * (by index), and nothing when the calendar did not change.  This keeps
     * the write lock short at a million cases (bench_lock). */
    char first[TD_DATE_LEN];
    if (!first_difference(old_cal, new_cal, first))
        return TD_OK;
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    /* Open cases first (while notices still carry their old deadlines):
     * counted from the day they entered their state, or — when the case's
     * due date is its latest notice's deadline — from the notice's issue. */
    s = pass(db, by, old_cal, new_cal, first,
             "SELECT c.id, c.id, CASE WHEN n.id IS NOT NULL THEN n.issued_on ELSE date(c.state_since, '+8 hours') "
             "END, c.due_date, c.due_approx FROM cases c LEFT JOIN notices n ON n.id = (SELECT m.id FROM "
             "notices m WHERE m.case_id = c.id AND m.deleted_at IS NULL ORDER BY m.created_at DESC, m.id DESC "
             "LIMIT 1) AND n.deadline = c.due_date WHERE c.closed_at IS NULL AND c.due_date >= ?1 "
             "AND c.deleted_at IS NULL",
             "UPDATE cases SET due_date = ?1, due_approx = ?2, updated_at = ?3, "
             "row_version = row_version + 1 WHERE id = ?4",
             "cases", &rep->cases, rep, err);
    /* The latest notice of each open case: counted from its issue day. */
    if (!s)
        s = pass(db, by, old_cal, new_cal, first,
                 "SELECT n.id, n.case_id, n.issued_on, n.deadline, n.deadline_approx FROM notices n "
                 "JOIN cases c ON c.id = n.case_id WHERE c.closed_at IS NULL AND c.deleted_at IS NULL "
                 "AND n.deleted_at IS NULL AND n.deadline >= ?1 AND n.id = (SELECT m.id FROM notices m WHERE m.case_id = n.case_id "
                 "AND m.deleted_at IS NULL ORDER BY m.created_at DESC, m.id DESC LIMIT 1)",
                 "UPDATE notices SET deadline = ?1, deadline_approx = ?2, updated_at = ?3, "
                 "row_version = row_version + 1 WHERE id = ?4",
                 "notices", &rep->notices, rep, err);
    /* Open tasks: counted from the day they were scheduled (task.schedule). */
    if (!s)
        s = pass(db, by, old_cal, new_cal, first,
                 "SELECT r.id, r.case_id, (SELECT date(a.at, '+8 hours') FROM audit_log a WHERE a.case_id = r.case_id "
                 "AND a.action = 'task.schedule' AND a.entity_id = r.id ORDER BY a.seq DESC LIMIT 1), "
                 "r.due_date, r.due_approx FROM service_requests r WHERE r.status IN ('pending','in_progress') "
                 "AND r.due_date >= ?1 AND r.deleted_at IS NULL",
                 "UPDATE service_requests SET due_date = ?1, due_approx = ?2, updated_at = ?3, "
                 "row_version = row_version + 1 WHERE id = ?4",
                 "service_requests", &rep->tasks, rep, err);
    if (s) {
        td_db_rollback(db);
        memset(rep, 0, sizeof *rep);
        return s;
    }
    return td_db_commit(db, err);
}
