/* wf_engine.c — guards, effects and the transition itself (see workflow.h). */
#include "base/audit.h"
#include "recognition/talentcode.h"
#include "base/i18n.h"
#include "base/text.h"
#include "base/timeutil.h"
#include "base/uuid.h"
#include "wf_internal.h"
#include "cases/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static td_wf_effect_hook talent_code_hook;

td_status td_wf_set_effect_hook(const char *name, td_wf_effect_hook fn)
{
    if (name && !strcmp(name, "issue_talent_code")) {
        talent_code_hook = fn;
        return TD_OK;
    }
    return TD_EINVALID;
}

td_status wf_conflict(td_err *err)
{
    return td_err_set(err, TD_ECONFLICT, "%s",
                      _("This case was changed by someone else; please refresh and try again"));
}

void wf_today(char out[TD_DATE_LEN])
{
    td_date_format(td_today(), out);
}

void wf_ctx_done(wf_ctx *x)
{
    td_calendar_free(x->cal);
    x->cal = NULL;
}

td_status wf_ctx_calendar(wf_ctx *x, td_calendar **out, td_err *err)
{
    if (!x->cal) {
        td_status s = td_calendar_load(x->db, &x->cal, err);
        if (s)
            return s;
    }
    *out = x->cal;
    return TD_OK;
}

td_status wf_ctx_open(wf_ctx *x, td_db *db, const td_actor *a, const char *case_key,
                      long expected_version, td_err *err)
{
    memset(x, 0, sizeof *x);
    x->db = db;
    x->actor = a;
    td_status s = td_case_get(db, case_key, &x->c, err);
    if (s)
        return s;
    if ((s = td_case_in_scope(db, a, &x->c, err))) /* record scope (cases/scope.h); audited by the caller */
        return s;
    if (expected_version > 0 && x->c.row_version != expected_version)
        return wf_conflict(err);
    if (x->c.workflow_version[0]) {
        snprintf(x->version, sizeof x->version, "%s", x->c.workflow_version);
    } else if ((s = td_wf_current_version(db, x->version, err))) {
        return s;
    }
    return td_wf_get(db, x->version, &x->wf, err);
}

td_status wf_touch_case(td_db *db, const char *case_id, td_err *err)
{
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(
        db, "UPDATE cases SET updated_at = ?, row_version = row_version + 1 WHERE id = ?", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("updating the case"), err);
}

td_status wf_previous_state(td_db *db, const char *case_id, char out[TD_WF_STATE_LEN], td_err *err)
{
    out[0] = '\0';
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT e.from_state FROM case_events e JOIN cases c ON c.id = e.case_id "
            "WHERE e.case_id = ? AND e.to_state = c.state AND e.deleted_at IS NULL "
            "ORDER BY e.seq DESC, e.at DESC, e.id DESC LIMIT 1", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, out, TD_WF_STATE_LEN);
    sqlite3_reset(st);
    return TD_OK;
}

td_status wf_round(td_db *db, const char *case_id, char out[TD_UUID_LEN], td_err *err)
{
    out[0] = '\0';
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT e.id FROM case_events e JOIN cases c ON c.id = e.case_id "
            "WHERE e.case_id = ? AND e.to_state = c.state AND e.deleted_at IS NULL "
            "ORDER BY e.seq DESC, e.at DESC, e.id DESC LIMIT 1", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, out, TD_UUID_LEN);
    sqlite3_reset(st);
    return TD_OK;
}

/* ── small query helpers ─────────────────────────────────────────────── */

/* Runs a one-row integer query with the case id bound to ?1 (and s2 to ?2). */
static td_status q_int(td_db *db, const char *sql, const char *id, const char *s2, long *out,
                       td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db, sql, err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (s2)
        sqlite3_bind_text(st, 2, s2, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return td_db_fail(db, _("reading the case"), err);
    return TD_OK;
}

unsigned wf_case_type_bit(const td_case *c)
{
    return !strcmp(c->case_type, "service") ? WF_CT_SERVICE : WF_CT_RECOGNITION;
}

static const char *case_type_label(const td_case *c)
{
    return !strcmp(c->case_type, "service") ? _("a service case") : _("a recognition case");
}

/* ── guards ──────────────────────────────────────────────────────────── */

typedef td_status (*guard_fn)(wf_ctx *x, const wf_trans *t, td_err *err);

static td_status g_has_services(wf_ctx *x, const wf_trans *t, td_err *err)
{
    (void)t;
    long n;
    td_status s = q_int(x->db,
                        "SELECT count(*) FROM service_requests WHERE case_id = ? "
                        "AND deleted_at IS NULL AND status <> 'cancelled'",
                        x->c.id, NULL, &n, err);
    if (s)
        return s;
    if (n == 0)
        return td_err_set(err, TD_EDENIED, "%s", _("The case has no requested services"));
    return TD_OK;
}

static td_status g_docs_complete(wf_ctx *x, const wf_trans *t, td_err *err)
{
    (void)t;
    sqlite3_stmt *st = td_db_prepare(
        x->db, "SELECT sum(status = 'missing'), sum(status = 'invalid'), sum(status = 'received') "
               "FROM case_documents WHERE case_id = ? AND deleted_at IS NULL", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, x->c.id, -1, SQLITE_STATIC);
    long m = 0, inv = 0, rec = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        m = sqlite3_column_int64(st, 0);
        inv = sqlite3_column_int64(st, 1);
        rec = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (m || inv || rec)
        return td_err_set(err, TD_EDENIED,
                          _("The document check is not complete: %ld missing, %ld invalid, %ld not yet verified"),
                          m, inv, rec);
    return TD_OK;
}

static td_status g_notice_issued(wf_ctx *x, const wf_trans *t, td_err *err)
{
    (void)t;
    long n;
    td_status s = q_int(x->db,
                        "SELECT count(*) FROM notices WHERE case_id = ? AND created_at >= ? "
                        "AND deleted_at IS NULL",
                        x->c.id, x->c.state_since, &n, err);
    if (s)
        return s;
    if (n == 0)
        return td_err_set(err, TD_EDENIED, "%s",
                          _("No one-time notice was issued in this step; run the document check"));
    return TD_OK;
}

static td_status g_green(wf_ctx *x, const wf_trans *t, td_err *err)
{
    (void)t;
    if (!x->c.green_channel)
        return td_err_set(err, TD_EDENIED, "%s", _("The case is not in the green channel"));
    return TD_OK;
}

static td_status g_has_score(wf_ctx *x, const wf_trans *t, td_err *err)
{
    (void)t;
    long n;
    td_status s = q_int(x->db,
                        "SELECT EXISTS(SELECT 1 FROM score_snapshots WHERE case_id = ? "
                        "AND deleted_at IS NULL)",
                        x->c.id, NULL, &n, err);
    if (s)
        return s;
    if (!n)
        return td_err_set(err, TD_EDENIED, "%s",
                          _("No approval without a score: the case has no talent recognition score yet"));
    return TD_OK;
}

static td_status g_four_eyes(wf_ctx *x, const wf_trans *t, td_err *err)
{
    (void)t;
    if (!strcmp(x->actor->user_id, x->c.intake_by))
        return td_err_set(err, TD_EDENIED, "%s",
                          _("Four-eyes rule: the clerk who took in this case cannot approve it; "
                            "another approver must decide"));
    return TD_OK;
}

static td_status g_signoffs_complete(wf_ctx *x, const wf_trans *t, td_err *err)
{
    char missing[400] = "";
    size_t used = 0;
    int nmissing = 0;
    char round[TD_UUID_LEN];
    td_status rs = wf_round(x->db, x->c.id, round, err);
    if (rs)
        return rs;
    for (int d = 0; d < t->ndepts; d++) {
        sqlite3_stmt *st = td_db_prepare(
            x->db, "SELECT (SELECT name FROM departments WHERE id = ?3), "
                   "EXISTS(SELECT 1 FROM signoffs WHERE case_id = ?1 AND round = ?2 AND "
                   "transition = ?4 AND department_id = ?3 AND status = 'approved' AND deleted_at IS NULL)",
            err);
        if (!st)
            return TD_EDB;
        sqlite3_bind_text(st, 1, x->c.id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, round, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, t->depts[d], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, t->name, -1, SQLITE_STATIC);
        char name[128] = "";
        int ok = 0;
        if (sqlite3_step(st) == SQLITE_ROW) {
            td_col_copy(st, 0, name, sizeof name);
            ok = sqlite3_column_int(st, 1);
        }
        sqlite3_reset(st);
        if (!ok) {
            int w = snprintf(missing + used, sizeof missing - used, "%s%s", nmissing ? "、" : "",
                             name[0] ? name : t->depts[d]);
            if (w > 0 && (size_t)w < sizeof missing - used)
                used += (size_t)w;
            nmissing++;
        }
    }
    if (nmissing)
        return td_err_set(err, TD_EDENIED, _("Joint sign-off incomplete: waiting for %s"), missing);
    return TD_OK;
}

static td_status g_approved(wf_ctx *x, const wf_trans *t, td_err *err)
{
    (void)t;
    long n;
    td_status s = q_int(x->db,
                        "SELECT EXISTS(SELECT 1 FROM case_events WHERE case_id = ? AND approval = 1 "
                        "AND deleted_at IS NULL)",
                        x->c.id, NULL, &n, err);
    if (s)
        return s;
    if (!n)
        return td_err_set(err, TD_EDENIED, "%s",
                          _("No fulfilment before approval: the case has not been approved"));
    return TD_OK;
}

static td_status g_tasks_finished(wf_ctx *x, const wf_trans *t, td_err *err)
{
    (void)t;
    long open, noreason;
    td_status s = q_int(x->db,
                        "SELECT count(*) FROM service_requests WHERE case_id = ? AND deleted_at IS NULL "
                        "AND status IN ('pending','in_progress')",
                        x->c.id, NULL, &open, err);
    if (!s)
        s = q_int(x->db,
                  "SELECT count(*) FROM service_requests WHERE case_id = ? AND deleted_at IS NULL "
                  "AND status IN ('cancelled','failed') AND trim(reason) = ''",
                  x->c.id, NULL, &noreason, err);
    if (s)
        return s;
    if (open)
        return td_err_set(err, TD_EDENIED,
                          _("%ld service task(s) are not finished (each must be done, failed or cancelled)"),
                          open);
    if (noreason)
        return td_err_set(err, TD_EDENIED,
                          _("%ld cancelled or failed service task(s) have no reason"), noreason);
    return TD_OK;
}

static const guard_fn guards[G_COUNT] = {
    [G_HAS_SERVICES] = g_has_services,
    [G_DOCS_COMPLETE] = g_docs_complete,
    [G_NOTICE_ISSUED] = g_notice_issued,
    [G_GREEN] = g_green,
    [G_HAS_SCORE] = g_has_score,
    [G_FOUR_EYES] = g_four_eyes,
    [G_SIGNOFFS_COMPLETE] = g_signoffs_complete,
    [G_APPROVED] = g_approved,
    [G_TASKS_FINISHED] = g_tasks_finished,
};

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            return false;
    return true;
}

td_status wf_check(wf_ctx *x, const wf_trans *t, const char *reason, bool skip_roles, td_err *err)
{
    int k = wf_state_index(x->wf, x->c.state);
    if (k < 0 || !(t->from >> k & 1))
        return td_err_set(err, TD_EDENIED, _("'%s' cannot be done while the case is at %s"),
                          wf_trans_label(t), td_wf_state_label(x->wf, x->c.state));
    if (!(t->case_types & wf_case_type_bit(&x->c)))
        return td_err_set(err, TD_EDENIED, _("'%s' does not apply to %s"), wf_trans_label(t),
                          case_type_label(&x->c));
    if (!skip_roles) {
        td_status s = td_actor_require(x->actor, t->roles, err);
        if (s)
            return s;
    }
    if (t->reason_required && blank(reason))
        return td_err_set(err, TD_EINVALID, _("'%s' needs a written reason"), wf_trans_label(t));
    if (t->to < 0) {
        char prev[TD_WF_STATE_LEN];
        td_status s = wf_previous_state(x->db, x->c.id, prev, err);
        if (s)
            return s;
        if (!prev[0] || wf_state_index(x->wf, prev) < 0)
            return td_err_set(err, TD_EDENIED, "%s", _("The state to return to is not recorded"));
    }
    for (int g = 0; g < t->nguards; g++) {
        td_status s = guards[t->guards[g]](x, t, err);
        if (s)
            return s;
    }
    return TD_OK;
}

/* ── effects ─────────────────────────────────────────────────────────── */

typedef struct eff_ctx {
    wf_ctx *x;
    const wf_trans *t;
    const char *reason;
    const char *to;
    td_wf_result *res;
} eff_ctx;

static void add_note(td_wf_result *res, const char *note)
{
    size_t n = strlen(res->notes);
    snprintf(res->notes + n, sizeof res->notes - n, "%s%s", n ? "；" : "", note);
}

static td_status set_case_text(td_db *db, const char *case_id, const char *sql, const char *v,
                               td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db, sql, err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, v);
    sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("updating the case"), err);
}

static td_status latest_notice_deadline(td_db *db, const char *case_id, char out[TD_DATE_LEN],
                                        bool *approx, td_err *err)
{
    out[0] = '\0';
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT deadline, deadline_approx FROM notices WHERE case_id = ? AND deleted_at IS NULL "
            "ORDER BY created_at DESC, id DESC LIMIT 1", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        td_col_copy(st, 0, out, TD_DATE_LEN);
        *approx = sqlite3_column_int(st, 1) != 0;
    }
    sqlite3_reset(st);
    return TD_OK;
}

static td_status set_due(eff_ctx *e, const char *due, td_err *err)
{
    const char *old = e->x->c.due_date;
    if (!strcmp(old, due ? due : ""))
        return TD_OK;
    td_status s = set_case_text(e->x->db, e->x->c.id, "UPDATE cases SET due_date = ? WHERE id = ?",
                                due && *due ? due : NULL, err);
    if (!s)
        s = td_audit(e->x->db, e->x->actor, e->x->c.id, "case.due", "cases", e->x->c.id, "due_date",
                     old[0] ? old : NULL, due && *due ? due : NULL, NULL, err);
    return s;
}

/* Marks the case's due date approximate (counted Monday to Friday into a
 * year without a calendar: src/workflow/wf_due.h recounts it later). */
static td_status set_due_approx(eff_ctx *e, bool approx, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(e->x->db, "UPDATE cases SET due_approx = ? WHERE id = ?", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_int(st, 1, approx ? 1 : 0);
    sqlite3_bind_text(st, 2, e->x->c.id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(e->x->db, _("updating the case"), err);
}

static td_status e_set_step_due(eff_ctx *e, td_err *err)
{
    int k = wf_state_index(e->x->wf, e->to);
    const td_wf *wf = e->x->wf;
    char due[TD_DATE_LEN] = "";
    bool approx = false;
    if (k >= 0 && wf->states[k].due_days > 0) {
        td_calendar *cal;
        td_status s = wf_ctx_calendar(e->x, &cal, err);
        if (s)
            return s;
        td_date d = td_calendar_add_workdays(cal, td_today(), wf->states[k].due_days, &approx);
        td_date_format(d, due);
        if (approx)
            add_note(e->res, _("the deadline is approximate: the holiday calendar does not cover it"));
    } else if (wf->on_docs_incomplete >= 0 && wf->trans[wf->on_docs_incomplete].to == k) {
        td_status s = latest_notice_deadline(e->x->db, e->x->c.id, due, &approx, err);
        if (s)
            return s;
    }
    td_status s = set_due(e, due, err);
    return s ? s : set_due_approx(e, approx, err);
}

static td_status e_notice_deadline(eff_ctx *e, td_err *err)
{
    char due[TD_DATE_LEN];
    bool approx = false;
    td_status s = latest_notice_deadline(e->x->db, e->x->c.id, due, &approx, err);
    if (!s)
        s = set_due(e, due, err);
    return s ? s : set_due_approx(e, approx, err);
}

/* Task rows to act on, read first so no statement stays open while others run. */
typedef struct {
    char id[TD_UUID_LEN];
    int days;
    char assignee[TD_UUID_LEN];
    char status[16];
} task_row;

static td_status read_tasks(td_db *db, const char *case_id, const char *sql, task_row **rows,
                            int *n, td_err *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = td_db_prepare(db, sql, err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            task_row *r = realloc(*rows, sizeof *r * (size_t)cap);
            if (!r)
                abort();
            *rows = r;
        }
        task_row *r = &(*rows)[(*n)++];
        td_col_copy(st, 0, r->id, sizeof r->id);
        r->days = sqlite3_column_int(st, 1);
        td_col_copy(st, 2, r->assignee, sizeof r->assignee);
        td_col_copy(st, 3, r->status, sizeof r->status);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(*rows);
        *rows = NULL;
        return td_db_fail(db, _("reading service tasks"), err);
    }
    return TD_OK;
}

static td_status e_start_tasks(eff_ctx *e, td_err *err)
{
    task_row *rows;
    int n;
    td_status s = read_tasks(e->x->db, e->x->c.id,
                             "SELECT r.id, coalesce(r.days, s.days, 1), coalesce(r.assignee_id, ''), r.status "
                             "FROM service_requests r LEFT JOIN services s ON s.id = r.service_id "
                             "WHERE r.case_id = ? AND r.deleted_at IS NULL AND r.status = 'pending' "
                             "AND r.due_date IS NULL ORDER BY r.created_at, r.id",
                             &rows, &n, err);
    if (s)
        return s;
    td_calendar *cal = NULL;
    if (n > 0 && (s = wf_ctx_calendar(e->x, &cal, err))) {
        free(rows);
        return s;
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    bool any_approx = false;
    for (int i = 0; i < n && !s; i++) {
        bool approx = false;
        char due[TD_DATE_LEN];
        td_date_format(td_calendar_add_workdays(cal, td_today(), rows[i].days, &approx), due);
        any_approx |= approx;
        const char *assignee = rows[i].assignee[0] ? rows[i].assignee
                               : e->x->c.specialist_id[0] ? e->x->c.specialist_id
                                                          : NULL;
        sqlite3_stmt *st = td_db_prepare(
            e->x->db, "UPDATE service_requests SET due_date = ?, assignee_id = ?, updated_at = ?, "
                      "row_version = row_version + 1, due_approx = ? WHERE id = ?", err);
        if (!st) {
            s = TD_EDB;
            break;
        }
        sqlite3_bind_text(st, 1, due, -1, SQLITE_STATIC);
        td_bind_text(st, 2, assignee);
        sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, approx ? 1 : 0);
        sqlite3_bind_text(st, 5, rows[i].id, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(e->x->db, _("scheduling a service task"), err);
            break;
        }
        s = td_audit(e->x->db, e->x->actor, e->x->c.id, "task.schedule", "service_requests",
                     rows[i].id, "due_date", NULL, due, NULL, err);
        e->res->tasks_started++;
    }
    if (any_approx)
        add_note(e->res, _("some task deadlines are approximate: the holiday calendar does not cover them"));
    free(rows);
    return s;
}

static td_status e_cancel_tasks(eff_ctx *e, td_err *err)
{
    task_row *rows;
    int n;
    td_status s = read_tasks(e->x->db, e->x->c.id,
                             "SELECT id, 0, '', status FROM service_requests WHERE case_id = ? "
                             "AND deleted_at IS NULL AND status IN ('pending','in_progress') "
                             "ORDER BY created_at, id",
                             &rows, &n, err);
    if (s)
        return s;
    char now[TD_TS_LEN];
    td_now_utc(now);
    char reason[600];
    snprintf(reason, sizeof reason, "%s: %s", wf_trans_label(e->t), e->reason ? e->reason : "");
    for (int i = 0; i < n && !s; i++) {
        sqlite3_stmt *st = td_db_prepare(
            e->x->db, "UPDATE service_requests SET status = 'cancelled', reason = ?, finished_at = ?, "
                      "updated_at = ?, row_version = row_version + 1 WHERE id = ?", err);
        if (!st) {
            s = TD_EDB;
            break;
        }
        sqlite3_bind_text(st, 1, reason, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, rows[i].id, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(e->x->db, _("cancelling a service task"), err);
            break;
        }
        s = td_audit(e->x->db, e->x->actor, e->x->c.id, "task.cancel", "service_requests", rows[i].id,
                     "status", rows[i].status, "cancelled", reason, err);
        e->res->tasks_cancelled++;
    }
    free(rows);
    return s;
}

/* Open tasks go back to pending without a deadline: a new approval
 * schedules them again (start_tasks). */
static td_status e_reset_tasks(eff_ctx *e, td_err *err)
{
    task_row *rows;
    int n;
    td_status s = read_tasks(e->x->db, e->x->c.id,
                             "SELECT id, 0, '', status FROM service_requests WHERE case_id = ? "
                             "AND deleted_at IS NULL AND status IN ('pending','in_progress') "
                             "ORDER BY created_at, id",
                             &rows, &n, err);
    if (s)
        return s;
    char now[TD_TS_LEN];
    td_now_utc(now);
    for (int i = 0; i < n && !s; i++) {
        sqlite3_stmt *st = td_db_prepare(
            e->x->db, "UPDATE service_requests SET status = 'pending', due_date = NULL, started_at = NULL, "
                      "updated_at = ?, row_version = row_version + 1 WHERE id = ?", err);
        if (!st) {
            s = TD_EDB;
            break;
        }
        sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, rows[i].id, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(e->x->db, _("updating a service task"), err);
            break;
        }
        s = td_audit(e->x->db, e->x->actor, e->x->c.id, "task.reset", "service_requests", rows[i].id, "status",
                     rows[i].status, "pending", e->reason, err);
    }
    free(rows);
    return s;
}

static td_status e_assign_specialist(eff_ctx *e, td_err *err)
{
    const td_case *c = &e->x->c;
    if (!c->specialist_id[0] || !strcmp(c->specialist_id, c->assignee_id))
        return TD_OK;
    td_status s = set_case_text(e->x->db, c->id, "UPDATE cases SET assignee_id = ? WHERE id = ?",
                                c->specialist_id, err);
    if (!s)
        s = td_audit(e->x->db, e->x->actor, c->id, "case.assign", "cases", c->id, "assignee_id",
                     c->assignee_id[0] ? c->assignee_id : NULL, c->specialist_id, NULL, err);
    return s;
}

static td_status e_stamp_closed(eff_ctx *e, td_err *err)
{
    char now[TD_TS_LEN];
    td_now_utc(now);
    td_status s = set_case_text(e->x->db, e->x->c.id,
                                "UPDATE cases SET closed_at = ?, due_date = NULL WHERE id = ?", now, err);
    if (!s)
        s = td_audit(e->x->db, e->x->actor, e->x->c.id, "case.closed_at", "cases", e->x->c.id,
                     "closed_at", NULL, now, NULL, err);
    return s;
}

/* Issues the 人才服务码 (src/recognition/talentcode.h) unless a test replaced the
 * effect with td_wf_set_effect_hook.  A case whose latest score is not a
 * 金凤凰 tier (a work-permit class, or no score on a service-only case) is
 * approved without a code, and the result says why. */
static td_status e_issue_talent_code(eff_ctx *e, td_err *err)
{
    char code[32] = "";
    td_status s;
    if (talent_code_hook) {
        s = talent_code_hook(e->x->db, e->x->actor, e->x->c.id, code, err);
    } else {
        td_err why;
        td_err_clear(&why);
        s = td_talent_code_issue(e->x->db, e->x->actor, e->x->c.id, code, &why);
        if (s == TD_EINVALID) {
            e->res->talent_code_skipped = true;
            add_note(e->res, _("talent service code not issued"));
            add_note(e->res, why.msg);
            return TD_OK;
        }
        if (s && err)
            *err = why;
    }
    if (s)
        return s;
    code[sizeof code - 1] = '\0';
    snprintf(e->res->talent_code, sizeof e->res->talent_code, "%s", code);
    e->res->talent_code_issued = code[0] != '\0';
    if (!code[0]) {
        e->res->talent_code_skipped = true;
        add_note(e->res, _("talent service code not issued"));
    }
    return TD_OK;
}

typedef td_status (*effect_fn)(eff_ctx *e, td_err *err);
static const effect_fn effects[E_COUNT] = {
    [E_SET_STEP_DUE] = e_set_step_due,
    [E_NOTICE_DEADLINE] = e_notice_deadline,
    [E_START_TASKS] = e_start_tasks,
    [E_CANCEL_TASKS] = e_cancel_tasks,
    [E_ASSIGN_SPECIALIST] = e_assign_specialist,
    [E_STAMP_CLOSED] = e_stamp_closed,
    [E_ISSUE_TALENT_CODE] = e_issue_talent_code,
    [E_RESET_TASKS] = e_reset_tasks,
};

/* ── applying a transition ───────────────────────────────────────────── */

static td_status open_signoffs(wf_ctx *x, const char *state, const char *round, td_wf_result *res,
                               td_err *err)
{
    int k = wf_state_index(x->wf, state);
    char now[TD_TS_LEN];
    td_now_utc(now);
    for (int i = 0; i < x->wf->ntrans; i++) {
        const wf_trans *t = &x->wf->trans[i];
        if (!t->ndepts || !(t->from >> k & 1) || !(t->case_types & wf_case_type_bit(&x->c)))
            continue;
        for (int d = 0; d < t->ndepts; d++) {
            char id[TD_UUID_LEN];
            td_uuid7(id);
            sqlite3_stmt *st = td_db_prepare(
                x->db, "INSERT INTO signoffs(id, case_id, round, transition, department_id, status, "
                       "created_at, updated_at) VALUES(?, ?, ?, ?, ?, 'pending', ?, ?)", err);
            if (!st)
                return TD_EDB;
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, x->c.id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, round, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, t->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, t->depts[d], -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                return td_db_fail(x->db, _("opening joint sign-off"), err);
            res->signoffs_opened++;
        }
    }
    return TD_OK;
}

/* Pending sign-offs of the round being left are void: a later round opens new ones. */
static td_status void_signoffs(wf_ctx *x, td_err *err)
{
    char now[TD_TS_LEN], round[TD_UUID_LEN];
    td_now_utc(now);
    td_status s = wf_round(x->db, x->c.id, round, err);
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(
        x->db, "UPDATE signoffs SET status = 'void', updated_at = ?, row_version = row_version + 1 "
               "WHERE case_id = ? AND round = ? AND status = 'pending' AND deleted_at IS NULL", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, x->c.id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, round, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(x->db, _("closing joint sign-off"), err);
}

td_status wf_apply(wf_ctx *x, const wf_trans *t, const char *reason, td_wf_result *res, td_err *err)
{
    td_wf_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    char to[TD_WF_STATE_LEN];
    td_status s;
    if (t->to < 0) {
        if ((s = wf_previous_state(x->db, x->c.id, to, err)))
            return s;
    } else {
        snprintf(to, sizeof to, "%s", x->wf->states[t->to].code);
    }
    char from[TD_WF_STATE_LEN];
    snprintf(from, sizeof from, "%s", x->c.state);
    if ((s = void_signoffs(x, err)))
        return s;

    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(
        x->db, "UPDATE cases SET state = ?, state_since = ?, updated_at = ?, row_version = row_version + 1, "
               "workflow_version = coalesce(workflow_version, ?) WHERE id = ? AND row_version = ?", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, x->version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, x->c.id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, x->c.row_version);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(x->db, _("updating the case"), err);
    if (sqlite3_changes(td_db_handle(x->db)) != 1)
        return wf_conflict(err);
    snprintf(x->c.state_since, sizeof x->c.state_since, "%s", now);

    char ev[TD_UUID_LEN];
    td_uuid7(ev);
    st = td_db_prepare(x->db,
                       "INSERT INTO case_events(id, case_id, seq, transition, from_state, to_state, "
                       "workflow_version, user_id, station_id, reason, exception, approval, at, "
                       "created_at, updated_at) VALUES(?1, ?2, (SELECT coalesce(max(seq), 0) + 1 FROM "
                       "case_events WHERE case_id = ?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                       err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, ev, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, x->c.id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, x->version, -1, SQLITE_STATIC);
    td_bind_text(st, 7, x->actor->user_id[0] ? x->actor->user_id : NULL);
    td_bind_text(st, 8, x->actor->station_id[0] ? x->actor->station_id : NULL);
    sqlite3_bind_text(st, 9, reason ? reason : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 10, t->exception);
    sqlite3_bind_int(st, 11, t->approval);
    sqlite3_bind_text(st, 12, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, now, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(x->db, _("recording the case history"), err);

    if ((s = td_audit(x->db, x->actor, x->c.id, "case.transition", "cases", x->c.id, "state", from,
                      to, reason && *reason ? reason : NULL, err)))
        return s;
    if (t->exception &&
        (s = td_audit(x->db, x->actor, x->c.id, "case.exception", "case_events", ev, "decision", NULL,
                      t->name, reason, err)))
        return s;

    eff_ctx e = { x, t, reason, to, res };
    for (int i = 0; i < t->neffects; i++)
        if ((s = effects[t->effects[i]](&e, err)))
            return s;
    if ((s = open_signoffs(x, to, ev, res, err)))
        return s;

    /* Re-read: effects and hooks may have changed the row. */
    td_case c;
    if ((s = td_case_get(x->db, x->c.id, &c, err)))
        return s;
    x->c = c;
    snprintf(res->case_id, sizeof res->case_id, "%s", c.id);
    snprintf(res->case_no, sizeof res->case_no, "%s", c.case_no);
    snprintf(res->action, sizeof res->action, "%s", t->name);
    snprintf(res->from, sizeof res->from, "%s", from);
    snprintf(res->to, sizeof res->to, "%s", to);
    snprintf(res->due_date, sizeof res->due_date, "%s", c.due_date);
    res->row_version = c.row_version;
    return TD_OK;
}

td_status wf_clean_text(const char *in, char **out, td_err *err)
{
    *out = NULL;
    if (!in || !*in)
        return TD_OK;
    char *r = td_text_normalize(in);
    if (!r)
        return td_err_set(err, TD_EINVALID, "%s", _("The text contains control characters"));
    if (td_text_length(r) > WF_TEXT_MAX) {
        free(r);
        return td_err_set(err, TD_EINVALID, _("The text is too long (at most %d characters)"), WF_TEXT_MAX);
    }
    *out = r;
    return TD_OK;
}

td_status td_wf_act(td_db *db, const td_actor *a, const char *case_key, const char *action,
                    const char *reason, long expected_version, td_wf_result *res, td_err *err)
{
    char *r;
    td_status s = wf_clean_text(reason, &r, err);
    if (s)
        return s;
    if ((s = td_db_begin(db, err))) {
        free(r);
        return s;
    }
    wf_ctx x;
    if ((s = wf_ctx_open(&x, db, a, case_key, expected_version, err)))
        goto out;
    int i = wf_trans_index(x.wf, action);
    if (i < 0) {
        s = td_err_set(err, TD_EINVALID, _("Unknown action '%s' (see 'case actions')"), action);
        goto out;
    }
    const wf_trans *t = &x.wf->trans[i];
    if (t->is_auto) {
        s = td_err_set(err, TD_EDENIED, _("'%s' is done by the system (e.g. by the document check), not by hand"),
                       wf_trans_label(t));
        goto out;
    }
    if ((s = wf_check(&x, t, r, false, err)) || (s = wf_apply(&x, t, r, res, err)))
        goto out;
    s = td_db_commit(db, err);
out:
    if (s)
        td_db_rollback(db);
    wf_ctx_done(&x);
    free(r);
    return s;
}

td_status td_wf_actions(td_db *db, const td_actor *a, const char *case_key, td_wf_action *out,
                        size_t cap, size_t *n, td_err *err)
{
    *n = 0;
    wf_ctx x;
    td_status s = wf_ctx_open(&x, db, a, case_key, 0, err);
    if (s) {
        wf_ctx_done(&x);
        return s;
    }
    int k = wf_state_index(x.wf, x.c.state);
    for (int i = 0; k >= 0 && i < x.wf->ntrans && *n < cap; i++) {
        const wf_trans *t = &x.wf->trans[i];
        if (t->is_auto || !(t->from >> k & 1) || !(t->case_types & wf_case_type_bit(&x.c)))
            continue;
        td_wf_action *o = &out[(*n)++];
        memset(o, 0, sizeof *o);
        snprintf(o->name, sizeof o->name, "%s", t->name);
        snprintf(o->label, sizeof o->label, "%s", wf_trans_label(t));
        if (t->to >= 0)
            snprintf(o->to, sizeof o->to, "%s", x.wf->states[t->to].code);
        else if ((s = wf_previous_state(db, x.c.id, o->to, err)))
            break;
        o->reason_required = t->reason_required;
        o->exception = t->exception;
        td_err why;
        td_err_clear(&why);
        /* The reason is typed when acting; list on the assumption it will be. */
        o->allowed = wf_check(&x, t, "-", false, &why) == TD_OK;
        if (!o->allowed)
            snprintf(o->why, sizeof o->why, "%s", why.msg);
    }
    wf_ctx_done(&x);
    return s;
}

td_status td_wf_green_set(td_db *db, const td_actor *a, const char *case_key, const char *reason,
                          long expected_version, td_err *err)
{
    char *r;
    td_status s = wf_clean_text(reason, &r, err);
    if (s)
        return s;
    if (blank(r)) {
        free(r);
        return td_err_set(err, TD_EINVALID, "%s", _("The green channel needs a written reason"));
    }
    if ((s = td_db_begin(db, err))) {
        free(r);
        return s;
    }
    wf_ctx x;
    if ((s = wf_ctx_open(&x, db, a, case_key, expected_version, err)))
        goto out;
    if (!x.wf->green_roles) {
        s = td_err_set(err, TD_EDENIED, "%s", _("This workflow has no green channel"));
        goto out;
    }
    if ((s = td_actor_require(a, x.wf->green_roles, err)))
        goto out;
    if (x.c.green_channel) {
        s = td_err_set(err, TD_EINVALID, "%s", _("The case is already in the green channel"));
        goto out;
    }
    if (td_wf_state_terminal(x.wf, x.c.state)) {
        s = td_err_set(err, TD_EINVALID, "%s", _("The case is finished"));
        goto out;
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(
        db, "UPDATE cases SET green_channel = 1, green_reason = ?, updated_at = ?, "
            "row_version = row_version + 1 WHERE id = ? AND row_version = ?", err);
    if (!st) {
        s = TD_EDB;
        goto out;
    }
    sqlite3_bind_text(st, 1, r, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, x.c.id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, x.c.row_version);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("updating the case"), err);
        goto out;
    }
    if (sqlite3_changes(td_db_handle(db)) != 1) {
        s = wf_conflict(err);
        goto out;
    }
    if ((s = td_audit(db, a, x.c.id, "case.green", "cases", x.c.id, "green_channel", "0", "1", r, err)))
        goto out;
    s = td_db_commit(db, err);
out:
    if (s)
        td_db_rollback(db);
    wf_ctx_done(&x);
    free(r);
    return s;
}
