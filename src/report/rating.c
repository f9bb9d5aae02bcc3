/* rating.c — see rating.h. */
#include "rating.h"
#include "auth/access.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "cases/case.h"
#include "cases/scope.h"
#include "policy/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void defaults(td_rating_policy *p)
{
    memset(p, 0, sizeof *p);
    p->period_days = 15;
    p->bad_at_most = 2;
    p->rectify_days = 5;
    snprintf(p->lead_role, sizeof p->lead_role, "admin");
}

static bool int_in(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

td_status td_rating_policy_parse(const td_pf *pf, td_rating_policy *out, td_err *err)
{
    static const char *const known[] = { "period_days", "bad_at_most", "rectify_days", "lead_role", "lead", NULL };
    defaults(out);
    int sections = 0;
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "ratings") != 0 || sec->id[0])
            return td_pf_error(pf, sec->line, err, "%s", _("expected one [ratings] section"));
        if (sections++)
            return td_pf_error(pf, sec->line, err, "%s", _("expected one [ratings] section"));
        td_status s = td_pf_check_keys(pf, sec, known, err);
        if (s)
            return s;
        for (size_t e = 0; e < sec->n; e++) {
            const td_pf_entry *en = &sec->entries[e];
            if (!strcmp(en->key, "period_days") && !int_in(en->value, 0, 3650, &out->period_days))
                return td_pf_error(pf, en->line, err, "%s", _("period_days must be 0..3650"));
            if (!strcmp(en->key, "bad_at_most") && !int_in(en->value, 0, 4, &out->bad_at_most))
                return td_pf_error(pf, en->line, err, "%s", _("bad_at_most must be 0..4"));
            if (!strcmp(en->key, "rectify_days") && !int_in(en->value, 1, 365, &out->rectify_days))
                return td_pf_error(pf, en->line, err, "%s", _("rectify_days must be 1..365"));
            if (!strcmp(en->key, "lead_role")) {
                if (!td_role_parse(en->value))
                    return td_pf_error(pf, en->line, err, _("unknown role '%s'"), en->value);
                snprintf(out->lead_role, sizeof out->lead_role, "%s", td_role_code(td_role_parse(en->value)));
            }
            if (!strcmp(en->key, "lead")) {
                char st[16], user[48];
                if (sscanf(en->value, "%15s %47s", st, user) != 2 || out->nleads >= TD_RATING_MAX_LEADS)
                    return td_pf_error(pf, en->line, err, "%s", _("lead = STATION-CODE USERNAME"));
                snprintf(out->leads[out->nleads].station, sizeof out->leads[0].station, "%s", st);
                snprintf(out->leads[out->nleads].username, sizeof out->leads[0].username, "%s", user);
                out->nleads++;
            }
        }
    }
    if (!sections)
        return td_pf_error(pf, 1, err, "%s", _("expected one [ratings] section"));
    return TD_OK;
}

void td_rating_policy_get(td_db *db, td_rating_policy *out)
{
    defaults(out);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT name, content FROM policy_versions WHERE kind = 'ratings' AND "
                                     "deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1",
                                     NULL);
    if (!st)
        return;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *text = (const char *)sqlite3_column_text(st, 1);
        td_pf *pf;
        td_err e;
        if (text && td_pf_parse(name ? name : "ratings.tdp", text, strlen(text), &pf, &e) == TD_OK) {
            td_rating_policy p;
            if (td_rating_policy_parse(pf, &p, &e) == TD_OK)
                *out = p;
            td_pf_free(pf);
        }
    }
    sqlite3_reset(st);
}

int td_rating_bad_threshold(td_db *db)
{
    td_rating_policy p;
    td_rating_policy_get(db, &p);
    return p.bad_at_most;
}

const char *td_rating_name(int score)
{
    static const char *const names[] = { "", N_("very dissatisfied"), N_("dissatisfied"), N_("fairly satisfied"),
                                         N_("satisfied"), N_("very satisfied") };
    return score >= 1 && score <= 5 ? _(names[score]) : "";
}

/* The station's lead: a `lead` line for its code, else the first active user
 * of the station (by username) holding lead_role. */
static void find_lead(td_db *db, const td_rating_policy *p, const char *station_id, char id[TD_UUID_LEN])
{
    id[0] = '\0';
    char code[16] = "";
    sqlite3_stmt *st = td_db_prepare(db, "SELECT code FROM stations WHERE id = ?", NULL);
    if (st) {
        td_bind_text(st, 1, station_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            td_col_copy(st, 0, code, sizeof code);
        sqlite3_reset(st);
    }
    for (int i = 0; i < p->nleads; i++) {
        if (strcmp(p->leads[i].station, code) != 0)
            continue;
        st = td_db_prepare(db, "SELECT id FROM users WHERE username = ? AND active = 1 AND deleted_at IS NULL",
                           NULL);
        if (st) {
            td_bind_text(st, 1, p->leads[i].username);
            if (sqlite3_step(st) == SQLITE_ROW)
                td_col_copy(st, 0, id, TD_UUID_LEN);
            sqlite3_reset(st);
        }
        if (id[0])
            return;
    }
    st = td_db_prepare(db,
                       "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = ?2 AND "
                       "r.deleted_at IS NULL WHERE u.station_id = ?1 AND u.active = 1 AND u.deleted_at IS NULL "
                       "ORDER BY u.username LIMIT 1",
                       NULL);
    if (!st)
        return;
    td_bind_text(st, 1, station_id);
    td_bind_text(st, 2, p->lead_role);
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, id, TD_UUID_LEN);
    sqlite3_reset(st);
}

static td_status step_done(td_db *db, sqlite3_stmt *st, td_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("saving the rating"), err);
}

td_status td_rate_case(td_db *db, const td_actor *by, const char *case_key, int score, const char *comment,
                       td_rating *out, td_err *err)
{
    td_status s = td_access_require(db, by, TD_ACT_RATE, err);
    if (s)
        return s;
    if (score < 1 || score > 5)
        return td_err_set(err, TD_EINVALID, "%s",
                          _("A rating is 1 (very dissatisfied) to 5 (very satisfied)"));
    if (comment && strlen(comment) > 1000)
        return td_err_set(err, TD_EINVALID, "%s", _("The comment is too long (at most 1000 bytes)"));
    td_case c;
    if ((s = td_case_get(db, case_key, &c, err)))
        return s;
    if (!c.closed_at[0])
        return td_err_set(err, TD_EINVALID, _("Case %s is not closed yet: it can be rated once it is closed"),
                          c.case_no);
    td_rating_policy pol;
    td_rating_policy_get(db, &pol);
    /* the closing day in China */
    int64_t ms = td_now_ms();
    td_date today = td_today(), closed;
    char cday[TD_DATE_LEN];
    {
        struct tm tm = { 0 };
        int y, mo, d, h, mi;
        if (sscanf(c.closed_at, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi) != 5)
            return td_err_set(err, TD_EINVALID, "%s", _("The case's closing time cannot be read"));
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = h + 8;
        tm.tm_min = mi;
        time_t t = timegm(&tm);
        struct tm lt;
        gmtime_r(&t, &lt);
        closed = (td_date){ lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday };
    }
    (void)ms;
    td_date_format(closed, cday);
    int age = td_date_to_days(today) - td_date_to_days(closed);
    if (age > pol.period_days)
        return td_err_set(err, TD_EINVALID,
                          _("The rating period of case %s ended: it closed on %s and may be rated for %d days"),
                          c.case_no, cday, pol.period_days);
    td_calendar *cal = NULL;
    if ((s = td_calendar_load(db, &cal, err)))
        return s;
    bool approx = false;
    td_date due = td_calendar_add_workdays(cal, today, pol.rectify_days, &approx);
    td_calendar_free(cal);
    char rid[TD_UUID_LEN], xid[TD_UUID_LEN] = "", now[TD_TS_LEN], ds[TD_DATE_LEN], dues[TD_DATE_LEN], lead[TD_UUID_LEN];
    td_uuid7(rid);
    td_now_utc(now);
    td_date_format(today, ds);
    td_date_format(due, dues);
    bool bad = score <= pol.bad_at_most;
    if ((s = td_db_begin(db, err)))
        return s;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT 1 FROM ratings WHERE case_id = ? AND deleted_at IS NULL", err);
    if (!st)
        goto fail_db;
    td_bind_text(st, 1, c.id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) {
        s = td_err_set(err, TD_ECONFLICT, _("Case %s has already been rated"), c.case_no);
        goto fail;
    }
    st = td_db_prepare(db, "INSERT INTO ratings(id, case_id, station_id, score, comment, rated_on, by_user, "
                           "created_at, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?8)", err);
    if (!st)
        goto fail_db;
    td_bind_text(st, 1, rid);
    td_bind_text(st, 2, c.id);
    td_bind_text(st, 3, c.station_id);
    sqlite3_bind_int(st, 4, score);
    td_bind_text(st, 5, comment ? comment : "");
    td_bind_text(st, 6, ds);
    td_bind_text(st, 7, by->user_id);
    td_bind_text(st, 8, now);
    if ((s = step_done(db, st, err)))
        goto fail;
    char sc[4];
    snprintf(sc, sizeof sc, "%d", score);
    if ((s = td_audit(db, by, c.id, "case.rate", "ratings", rid, "score", NULL, sc, comment, err)))
        goto fail;
    lead[0] = '\0';
    if (bad) {
        find_lead(db, &pol, c.station_id, lead);
        td_uuid7(xid);
        st = td_db_prepare(db, "INSERT INTO rectifications(id, case_id, rating_id, station_id, assignee_id, "
                               "due_date, created_at, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?7)", err);
        if (!st)
            goto fail_db;
        td_bind_text(st, 1, xid);
        td_bind_text(st, 2, c.id);
        td_bind_text(st, 3, rid);
        td_bind_text(st, 4, c.station_id);
        td_bind_text(st, 5, lead[0] ? lead : NULL);
        td_bind_text(st, 6, dues);
        td_bind_text(st, 7, now);
        if ((s = step_done(db, st, err)))
            goto fail;
        if ((s = td_audit(db, by, c.id, "rectification.open", "rectifications", xid, "assignee_id", NULL,
                          lead[0] ? lead : NULL, comment, err)))
            goto fail;
    }
    if ((s = td_db_commit(db, err)))
        return s;
    if (out)
        return td_rating_get(db, c.id, out, err);
    return TD_OK;
fail_db:
    s = TD_EDB;
fail:
    td_db_rollback(db);
    return s;
}

td_status td_rating_get(td_db *db, const char *case_id, td_rating *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT r.id, r.case_id, r.score, r.comment, r.rated_on, coalesce(x.id, ''), coalesce(x.status, ''), "
        "coalesce(u.display_name, '') FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id AND "
        "x.deleted_at IS NULL LEFT JOIN users u ON u.id = x.assignee_id "
        "WHERE r.case_id = ? AND r.deleted_at IS NULL",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        td_col_copy(st, 0, out->id, sizeof out->id);
        td_col_copy(st, 1, out->case_id, sizeof out->case_id);
        out->score = sqlite3_column_int(st, 2);
        td_col_copy(st, 3, out->comment, sizeof out->comment);
        td_col_copy(st, 4, out->rated_on, sizeof out->rated_on);
        td_col_copy(st, 5, out->rectification_id, sizeof out->rectification_id);
        td_col_copy(st, 6, out->rectification_status, sizeof out->rectification_status);
        td_col_copy(st, 7, out->lead_name, sizeof out->lead_name);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    if (rc == SQLITE_DONE)
        return td_err_set(err, TD_ENOTFOUND, "%s", _("This case has not been rated"));
    return td_db_fail(db, _("reading the rating"), err);
}

td_status td_rectifications_each(td_db *db, const char *user_id, bool open_only,
                                 int (*cb)(const td_rectification *r, void *ud), void *ud, td_err *err)
{
    sqlite3_stmt *st;
    const char *sql =
        "SELECT x.id, x.case_id, c.case_no, r.score, r.comment, coalesce(u.username, ''), x.status, "
        "coalesce(x.due_date, ''), x.result FROM rectifications x JOIN ratings r ON r.id = x.rating_id "
        "JOIN cases c ON c.id = x.case_id LEFT JOIN users u ON u.id = x.assignee_id "
        "WHERE x.deleted_at IS NULL AND (?1 IS NULL OR x.assignee_id = ?1) AND (?2 = 0 OR x.status = 'open') "
        "ORDER BY x.due_date, x.id";
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("reading rectifications"), err);
    td_bind_text(st, 1, user_id);
    sqlite3_bind_int(st, 2, open_only ? 1 : 0);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_rectification r;
        memset(&r, 0, sizeof r);
        td_col_copy(st, 0, r.id, sizeof r.id);
        td_col_copy(st, 1, r.case_id, sizeof r.case_id);
        td_col_copy(st, 2, r.case_no, sizeof r.case_no);
        r.score = sqlite3_column_int(st, 3);
        td_col_copy(st, 4, r.comment, sizeof r.comment);
        td_col_copy(st, 5, r.assignee, sizeof r.assignee);
        td_col_copy(st, 6, r.status, sizeof r.status);
        td_col_copy(st, 7, r.due_date, sizeof r.due_date);
        td_col_copy(st, 8, r.result, sizeof r.result);
        if (cb(&r, ud))
            break;
    }
    td_status s = rc == SQLITE_DONE || rc == SQLITE_ROW ? TD_OK : td_db_fail(db, _("reading rectifications"), err);
    sqlite3_finalize(st);
    return s;
}

td_status td_rectification_done(td_db *db, const td_actor *by, const char *id, const char *result, td_err *err)
{
    if (!result || !*result)
        return td_err_set(err, TD_EINVALID, "%s", _("Say what was done (the result is required)"));
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    char assignee[TD_UUID_LEN] = "", status[8] = "", case_id[TD_UUID_LEN] = "", now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(db, "SELECT coalesce(assignee_id, ''), status, case_id FROM rectifications "
                                         "WHERE id = ? AND deleted_at IS NULL", err);
    if (!st)
        goto fail_db;
    td_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        td_col_copy(st, 0, assignee, sizeof assignee);
        td_col_copy(st, 1, status, sizeof status);
        td_col_copy(st, 2, case_id, sizeof case_id);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        s = td_err_set(err, TD_ENOTFOUND, _("No rectification '%s'"), id);
        goto fail;
    }
    if (strcmp(assignee, by->user_id) != 0 && !td_actor_has(by, TD_ROLE_ADMIN)) {
        s = td_err_set(err, TD_EDENIED, "%s", _("Only the station's lead or an administrator closes a rectification"));
        goto fail;
    }
    if (strcmp(status, "open") != 0) {
        s = td_err_set(err, TD_ECONFLICT, "%s", _("This rectification is already done"));
        goto fail;
    }
    st = td_db_prepare(db, "UPDATE rectifications SET status = 'done', result = ?1, done_at = ?2, updated_at = ?2, "
                           "row_version = row_version + 1 WHERE id = ?3", err);
    if (!st)
        goto fail_db;
    td_bind_text(st, 1, result);
    td_bind_text(st, 2, now);
    td_bind_text(st, 3, id);
    if ((s = step_done(db, st, err)))
        goto fail;
    if ((s = td_audit(db, by, case_id, "rectification.done", "rectifications", id, "status", "open", "done", result,
                      err)))
        goto fail;
    return td_db_commit(db, err);
fail_db:
    s = TD_EDB;
fail:
    td_db_rollback(db);
    return s;
}

td_status td_rating_get_as(td_db *db, const td_actor *a, const char *case_id, td_rating *out, td_err *err)
{
    td_status s = td_read_check(db, a, case_id, err);
    return s ? s : td_rating_get(db, case_id, out, err);
}
