/* targets.c — see targets.h. */
#include "targets.h"
#include "rating.h"
#include "stats.h"
#include "base/actor.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "base/uuid.h"
#include "policy/policyfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool code_ok(const char *s)
{
    if (!s || !(*s >= 'a' && *s <= 'z') || strlen(s) > 47)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static bool date_ok(const char *s, td_date *d)
{
    return s && strlen(s) == 10 && s[4] == '-' && td_date_parse(s, d);
}

static td_status check_targets(const td_pf *pf, td_err *err)
{
    static const char *const known[] = { "name", "metric", "filter", "target", "period", "start", "end",
                                         "source", NULL };
    static const char *const metrics[] = { "services_done", "codes_issued", "cases", NULL };
    td_status s;
    int count = 0;
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "target") != 0)
            return td_pf_error(pf, sec->line, err, _("unknown section [%s] (expected [target CODE])"), sec->type);
        if (!code_ok(sec->id))
            return td_pf_error(pf, sec->line, err, _("'%s' is not a valid code"), sec->id);
        for (size_t j = 0; j < i; j++)
            if (strcmp(pf->secs[j].id, sec->id) == 0)
                return td_pf_error(pf, sec->line, err, _("target '%s' is defined twice"), sec->id);
        if ((s = td_pf_check_keys(pf, sec, known, err)))
            return s;
        for (const char *const *k = known; *k; k++) {
            int seen = 0;
            for (size_t e = 0; e < sec->n; e++)
                seen += strcmp(sec->entries[e].key, *k) == 0;
            if (seen > 1)
                return td_pf_error(pf, td_pf_find(sec, *k)->line, err, _("'%s' is given twice"), *k);
            if (!seen && strcmp(*k, "filter") != 0)
                return td_pf_error(pf, sec->line, err, _("target '%s' lacks '%s'"), sec->id, *k);
        }
        const char *m = td_pf_get(sec, "metric");
        bool mok = false;
        for (int k = 0; metrics[k]; k++)
            mok |= strcmp(m, metrics[k]) == 0;
        if (!mok)
            return td_pf_error(pf, td_pf_find(sec, "metric")->line, err,
                               _("unknown metric '%s' (services_done, codes_issued, cases)"), m);
        const char *t = td_pf_get(sec, "target");
        char *end;
        long v = strtol(t, &end, 10);
        if (*end || v <= 0 || v > 100000000)
            return td_pf_error(pf, td_pf_find(sec, "target")->line, err, _("target must be a whole number above 0"));
        const char *p = td_pf_get(sec, "period");
        if (strcmp(p, "total") && strcmp(p, "yearly"))
            return td_pf_error(pf, td_pf_find(sec, "period")->line, err, _("period must be total or yearly"));
        td_date a, b;
        if (!date_ok(td_pf_get(sec, "start"), &a))
            return td_pf_error(pf, td_pf_find(sec, "start")->line, err, _("not a date (YYYY-MM-DD)"));
        if (!date_ok(td_pf_get(sec, "end"), &b))
            return td_pf_error(pf, td_pf_find(sec, "end")->line, err, _("not a date (YYYY-MM-DD)"));
        if (td_date_cmp(a, b) > 0)
            return td_pf_error(pf, td_pf_find(sec, "end")->line, err, _("the end is before the start"));
        if (!*td_pf_get(sec, "name") || !*td_pf_get(sec, "source"))
            return td_pf_error(pf, sec->line, err, _("target '%s' needs a name and a source"), sec->id);
        count++;
    }
    if (!count)
        return td_pf_error(pf, 1, err, "%s", _("no [target] sections"));
    return TD_OK;
}

static td_status load_pair(const char *dir, td_pf **tg, td_pf **rt, td_err *err)
{
    char path[4096];
    *tg = *rt = NULL;
    snprintf(path, sizeof path, "%s/targets.tdp", dir);
    td_status s = td_pf_load(path, tg, err);
    if (!s)
        s = check_targets(*tg, err);
    if (!s) {
        snprintf(path, sizeof path, "%s/ratings.tdp", dir);
        s = td_pf_load(path, rt, err);
    }
    if (!s) {
        td_rating_policy pol;
        s = td_rating_policy_parse(*rt, &pol, err);
    }
    if (s) {
        td_pf_free(*tg);
        td_pf_free(*rt);
        *tg = *rt = NULL;
    }
    return s;
}

td_status td_targets_check_dir(const char *dir, td_err *err)
{
    td_pf *tg, *rt;
    td_status s = load_pair(dir, &tg, &rt, err);
    td_pf_free(tg);
    td_pf_free(rt);
    return s;
}

/* The version row of a file: existing (made current again) or new. */
static td_status version(td_db *db, const char *kind, const td_pf *pf, const char *user_id, const char *now,
                         char id[TD_UUID_LEN], td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db, "SELECT id FROM policy_versions WHERE kind = ? AND name = ? AND sha256 = ?",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, kind);
    td_bind_text(st, 2, pf->name);
    td_bind_text(st, 3, pf->sha256);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        td_col_copy(st, 0, id, TD_UUID_LEN);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) {
        st = td_db_prepare(db, "UPDATE policy_versions SET updated_at = ?, row_version = row_version + 1 "
                               "WHERE id = ? AND id <> (SELECT id FROM policy_versions WHERE kind = ? AND "
                               "deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1)", err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, now);
        td_bind_text(st, 2, id);
        td_bind_text(st, 3, kind);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("loading policy data"), err);
    }
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("loading policy data"), err);
    td_uuid7(id);
    st = td_db_prepare(db, "INSERT INTO policy_versions(id, kind, name, sha256, content, loaded_by, created_at, "
                           "updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, kind);
    td_bind_text(st, 3, pf->name);
    td_bind_text(st, 4, pf->sha256);
    td_bind_text(st, 5, pf->content);
    td_bind_text(st, 6, user_id);
    td_bind_text(st, 7, now);
    td_bind_text(st, 8, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("loading policy data"), err);
    char station[TD_UUID_LEN];
    if (td_db_setting_get(db, "local_station", station, sizeof station)) {
        td_actor by;
        memset(&by, 0, sizeof by);
        if (user_id)
            snprintf(by.user_id, sizeof by.user_id, "%s", user_id);
        return td_audit(db, &by, NULL, "policy.load", "policy_versions", id, pf->name, NULL, pf->sha256, NULL, err);
    }
    return TD_OK;
}

static td_status write_targets(td_db *db, const td_pf *pf, const char *pv, const char *now, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db,
        "INSERT INTO report_targets(id, name, metric, filter, target, period, start_date, end_date, source, sort, "
        "policy_version, created_at, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12) "
        "ON CONFLICT(id) DO UPDATE SET name = ?2, metric = ?3, filter = ?4, target = ?5, period = ?6, "
        "start_date = ?7, end_date = ?8, source = ?9, sort = ?10, policy_version = ?11, updated_at = ?12, "
        "deleted_at = NULL, row_version = row_version + 1 WHERE name IS NOT ?2 OR metric IS NOT ?3 OR "
        "filter IS NOT ?4 OR target IS NOT ?5 OR period IS NOT ?6 OR start_date IS NOT ?7 OR end_date IS NOT ?8 "
        "OR source IS NOT ?9 OR sort IS NOT ?10 OR deleted_at IS NOT NULL",
        err);
    if (!st)
        return TD_EDB;
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        const char *filter = td_pf_get(sec, "filter");
        td_bind_text(st, 1, sec->id);
        td_bind_text(st, 2, td_pf_get(sec, "name"));
        td_bind_text(st, 3, td_pf_get(sec, "metric"));
        td_bind_text(st, 4, filter ? filter : "");
        sqlite3_bind_int64(st, 5, strtol(td_pf_get(sec, "target"), NULL, 10));
        td_bind_text(st, 6, td_pf_get(sec, "period"));
        td_bind_text(st, 7, td_pf_get(sec, "start"));
        td_bind_text(st, 8, td_pf_get(sec, "end"));
        td_bind_text(st, 9, td_pf_get(sec, "source"));
        sqlite3_bind_int(st, 10, (int)i);
        td_bind_text(st, 11, pv);
        td_bind_text(st, 12, now);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return td_db_fail(db, _("loading policy data"), err);
    }
    /* targets removed from the file */
    sqlite3_stmt *all = td_db_prepare(db, "SELECT id FROM report_targets WHERE deleted_at IS NULL", err);
    if (!all)
        return TD_EDB;
    char gone[64][48];
    int ng = 0;
    while (sqlite3_step(all) == SQLITE_ROW && ng < 64) {
        const char *id = (const char *)sqlite3_column_text(all, 0);
        bool keep = false;
        for (size_t i = 0; i < pf->n; i++)
            keep |= strcmp(pf->secs[i].id, id) == 0;
        if (!keep)
            snprintf(gone[ng++], sizeof gone[0], "%s", id);
    }
    sqlite3_reset(all);
    for (int i = 0; i < ng; i++) {
        st = td_db_prepare(db, "UPDATE report_targets SET deleted_at = ?1, updated_at = ?1, "
                               "row_version = row_version + 1 WHERE id = ?2", err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, now);
        td_bind_text(st, 2, gone[i]);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return td_db_fail(db, _("loading policy data"), err);
    }
    return TD_OK;
}

td_status td_targets_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err)
{
    td_pf *tg, *rt;
    td_status s = load_pair(dir, &tg, &rt, err);
    if (s)
        return s;
    char now[TD_TS_LEN], pv[TD_UUID_LEN], rv[TD_UUID_LEN];
    td_now_utc(now);
    if (!(s = td_db_begin(db, err))) {
        s = version(db, "targets", tg, user_id, now, pv, err);
        if (!s)
            s = write_targets(db, tg, pv, now, err);
        if (!s)
            s = version(db, "ratings", rt, user_id, now, rv, err);
        if (s)
            td_db_rollback(db);
        else
            s = td_db_commit(db, err);
    }
    td_pf_free(tg);
    td_pf_free(rt);
    return s;
}

/* ── progress ────────────────────────────────────────────────────────── */

static bool in_list(const char *list, const char *key)
{
    if (!list || !*list)
        return true;
    size_t kl = strlen(key);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ')
            e++;
        if ((size_t)(e - p) == kl && kl && strncmp(p, key, kl) == 0)
            return true;
        p = e;
    }
    return false;
}

static td_status count(td_db *db, const char *metric, const char *filter, const char *from, const char *to,
                       const char *station, long *out, td_err *err)
{
    const char *dim = !strcmp(metric, "services_done") ? "svc.done"
                      : !strcmp(metric, "codes_issued") ? "code.tier"
                                                        : "case.state";
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT key, sum(n) FROM local_stats WHERE dim = ?1 AND day >= ?2 AND "
                                     "day <= ?3 AND (?4 = '' OR station_id = ?4) GROUP BY key",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, dim);
    td_bind_text(st, 2, from);
    td_bind_text(st, 3, to);
    td_bind_text(st, 4, station ? station : "");
    *out = 0;
    int rc;
    bool all = !strcmp(dim, "case.state");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (all || in_list(filter, (const char *)sqlite3_column_text(st, 0)))
            *out += (long)sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("reading statistics"), err);
}

td_status td_targets_progress(td_db *db, const char *station_id, td_target_progress **out, int *n, td_err *err)
{
    *out = NULL;
    *n = 0;
    td_status s = td_stats_ensure(db, err);
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT id, name, metric, filter, target, period, start_date, end_date, "
                                     "source FROM report_targets WHERE deleted_at IS NULL ORDER BY sort, id",
                                     err);
    if (!st)
        return TD_EDB;
    td_target_progress *v = NULL;
    int cnt = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_target_progress *nv = realloc(v, sizeof *v * (size_t)(cnt + 1));
        if (!nv) {
            s = td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
            break;
        }
        v = nv;
        td_target_progress *t = &v[cnt++];
        memset(t, 0, sizeof *t);
        td_col_copy(st, 0, t->id, sizeof t->id);
        td_col_copy(st, 1, t->name, sizeof t->name);
        td_col_copy(st, 2, t->metric, sizeof t->metric);
        td_col_copy(st, 3, t->filter, sizeof t->filter);
        t->target = (long)sqlite3_column_int64(st, 4);
        td_col_copy(st, 5, t->period, sizeof t->period);
        td_col_copy(st, 6, t->period_start, sizeof t->period_start);
        td_col_copy(st, 7, t->period_end, sizeof t->period_end);
        td_col_copy(st, 8, t->source, sizeof t->source);
    }
    sqlite3_reset(st);
    if (!s && rc != SQLITE_DONE)
        s = td_db_fail(db, _("reading statistics"), err);
    td_date today = td_today();
    char ts[TD_DATE_LEN];
    td_date_format(today, ts);
    for (int i = 0; !s && i < cnt; i++) {
        td_target_progress *t = &v[i];
        if (!strcmp(t->period, "yearly")) {
            char ys[TD_DATE_LEN], ye[TD_DATE_LEN];
            snprintf(ys, sizeof ys, "%04d-01-01", today.y);
            snprintf(ye, sizeof ye, "%04d-12-31", today.y);
            if (strcmp(ys, t->period_start) > 0)
                memcpy(t->period_start, ys, sizeof ys);
            if (strcmp(ye, t->period_end) < 0)
                memcpy(t->period_end, ye, sizeof ye);
        }
        td_date a, b;
        td_date_parse(t->period_start, &a);
        td_date_parse(t->period_end, &b);
        const char *upto = strcmp(ts, t->period_end) < 0 ? ts : t->period_end;
        if ((s = count(db, t->metric, t->filter, t->period_start, upto, station_id, &t->done, err)))
            break;
        t->remaining = t->target > t->done ? t->target - t->done : 0;
        int32_t d0 = td_date_to_days(a), d1 = td_date_to_days(b), dt = td_date_to_days(today);
        t->ended = dt > d1;
        t->days_left = t->ended ? 0 : d1 - dt;
        long months_left = (t->days_left + 29) / 30;
        if (months_left < 1)
            months_left = 1;
        t->per_month_needed = t->ended ? 0 : (t->remaining + months_left - 1) / months_left;
        long elapsed = (dt < d0) ? 0 : (dt > d1 ? d1 : dt) - d0 + 1;
        long span = d1 - d0 + 1;
        t->projected = elapsed > 0 ? (long)((double)t->done * (double)span / (double)elapsed + 0.5) : 0;
    }
    if (s) {
        free(v);
        return s;
    }
    *out = v;
    *n = cnt;
    return TD_OK;
}
