/* stats.c — see stats.h.  Sums over local_stats; labels from reference data. */
#include "stats.h"
#include "rating.h"
#include "targets.h"
#include "base/i18n.h"
#include "cases/case.h"
#include "policy/calendar.h"
#include "policy/refdata.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const td_report_ids[] = {
    "cases.state",     "cases.channel",  "cases.type",      "cases.category", "cases.tier",
    "cases.station",   "cases.month",    "services.service", "services.department",
    "services.status", "services.month", "sla.service",     "sla.department", "duration",
    "notices",         "ratings",        "targets",         NULL,
};

/* ── row lists ───────────────────────────────────────────────────────── */

typedef struct rows {
    td_stat_row *r;
    int n, cap;
    bool oom;
} rows;

static td_stat_row *row_add(rows *rs, const char *key)
{
    if (rs->n == rs->cap) {
        int cap = rs->cap ? rs->cap * 2 : 16;
        td_stat_row *nr = realloc(rs->r, sizeof *nr * (size_t)cap);
        if (!nr) {
            rs->oom = true;
            return NULL;
        }
        rs->r = nr;
        rs->cap = cap;
    }
    td_stat_row *row = &rs->r[rs->n++];
    memset(row, 0, sizeof *row);
    snprintf(row->key, sizeof row->key, "%s", key);
    return row;
}

static td_stat_row *row_get(rows *rs, const char *key)
{
    for (int i = 0; i < rs->n; i++)
        if (strcmp(rs->r[i].key, key) == 0)
            return &rs->r[i];
    return row_add(rs, key);
}

static void bounds(const td_report_filter *f, char from[TD_DATE_LEN], char to[TD_DATE_LEN],
                   const char **station)
{
    snprintf(from, TD_DATE_LEN, "%s", f && f->from[0] ? f->from : "0000-01-01");
    if (f && f->to[0])
        snprintf(to, TD_DATE_LEN, "%s", f->to);
    else
        td_date_format(td_today(), to);
    *station = f ? f->station_id : "";
}

enum group { G_KEY, G_MONTH, G_STATION, G_DAY };

/* Adds sum(n) of dim in the filter's period, grouped by key / month /
 * station / day, into column col of rs. */
static td_status sum_into(td_db *db, const char *dim, enum group g, const td_report_filter *f, rows *rs,
                          int col, td_err *err)
{
    static const char *const sql[] = {
        [G_KEY] = "SELECT key, sum(n) FROM local_stats WHERE dim = ?1 AND day >= ?2 AND day <= ?3 "
                  "AND (?4 = '' OR station_id = ?4) GROUP BY key",
        [G_MONTH] = "SELECT substr(day, 1, 7), sum(n) FROM local_stats WHERE dim = ?1 AND day >= ?2 "
                    "AND day <= ?3 AND (?4 = '' OR station_id = ?4) GROUP BY 1",
        [G_STATION] = "SELECT station_id, sum(n) FROM local_stats WHERE dim = ?1 AND day >= ?2 "
                      "AND day <= ?3 AND (?4 = '' OR station_id = ?4) GROUP BY 1",
        [G_DAY] = "SELECT day || '|' || key, sum(n) FROM local_stats WHERE dim = ?1 AND day >= ?2 "
                  "AND day <= ?3 AND (?4 = '' OR station_id = ?4) GROUP BY day, key",
    };
    char from[TD_DATE_LEN], to[TD_DATE_LEN];
    const char *station;
    bounds(f, from, to, &station);
    sqlite3_stmt *st = td_db_prepare(db, sql[g], err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, dim);
    td_bind_text(st, 2, from);
    td_bind_text(st, 3, to);
    td_bind_text(st, 4, station ? station : "");
    int rc;
    /* GROUP BY gives each key once: into an empty list, append without searching */
    bool fresh = rs->n == 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        long n = (long)sqlite3_column_int64(st, 1);
        if (n == 0)
            continue;
        td_stat_row *r = fresh ? row_add(rs, k ? k : "") : row_get(rs, k ? k : "");
        if (!r)
            break;
        r->v[col] += (double)n;
    }
    sqlite3_reset(st);
    if (rs->oom)
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return td_db_fail(db, _("reading statistics"), err);
    return TD_OK;
}

/* Total of one dim in the period. */
static td_status sum_total(td_db *db, const char *dim, const td_report_filter *f, long *out, td_err *err)
{
    char from[TD_DATE_LEN], to[TD_DATE_LEN];
    const char *station;
    bounds(f, from, to, &station);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT coalesce(sum(n), 0) FROM local_stats WHERE dim = ?1 AND day >= ?2 "
                                     "AND day <= ?3 AND (?4 = '' OR station_id = ?4)",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, dim);
    td_bind_text(st, 2, from);
    td_bind_text(st, 3, to);
    td_bind_text(st, 4, station ? station : "");
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? TD_OK : td_db_fail(db, _("reading statistics"), err);
}

/* Open tasks past their due date today, by service (or department): the
 * svc.open counters with a due day before today, whatever the period. */
static td_status overdue_into(td_db *db, const td_report_filter *f, rows *rs, int col, bool by_dept,
                              td_err *err)
{
    char today[TD_DATE_LEN];
    td_date_format(td_today(), today);
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT l.key, coalesce(s.department_id, ''), sum(l.n) FROM local_stats l "
        "LEFT JOIN services s ON s.id = l.key WHERE l.dim = 'svc.open' AND l.day > '' AND l.day < ?1 "
        "AND (?2 = '' OR l.station_id = ?2) GROUP BY 1, 2",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, today);
    td_bind_text(st, 2, f ? f->station_id : "");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long n = (long)sqlite3_column_int64(st, 2);
        if (!n)
            continue;
        const char *k = (const char *)sqlite3_column_text(st, by_dept ? 1 : 0);
        td_stat_row *r = row_get(rs, k ? k : "");
        if (!r)
            break;
        r->v[col] += (double)n;
    }
    sqlite3_reset(st);
    if (rs->oom)
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("reading statistics"), err);
}

/* ── labels ──────────────────────────────────────────────────────────── */

static void lookup(td_db *db, const char *sql, const char *key, char *buf, size_t len)
{
    sqlite3_stmt *st = td_db_prepare(db, sql, NULL);
    if (!st)
        return;
    td_bind_text(st, 1, key);
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, buf, len);
    sqlite3_reset(st);
}

const char *td_channel_name(const char *ch)
{
    static const struct {
        const char *code, *name;
    } t[] = { { "window", N_("service window") },     { "overseas", N_("overseas station") },
              { "airport", N_("airport entry centre") }, { "online", N_("online") },
              { "park", N_("start-up park") } };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].code, ch) == 0)
            return _(t[i].name);
    return ch;
}

static void label_rows(td_db *db, const char *what, rows *rs)
{
    for (int i = 0; i < rs->n; i++) {
        td_stat_row *r = &rs->r[i];
        const char *k = r->key;
        snprintf(r->label, sizeof r->label, "%s", k);
        if (!*k && strcmp(what, "month")) {
            snprintf(r->label, sizeof r->label, "%s", _("(none)"));
            continue;
        }
        if (!strcmp(what, "state"))
            snprintf(r->label, sizeof r->label, "%s", td_state_name(k));
        else if (!strcmp(what, "channel"))
            snprintf(r->label, sizeof r->label, "%s", td_channel_name(k));
        else if (!strcmp(what, "type"))
            snprintf(r->label, sizeof r->label, "%s",
                     !strcmp(k, "recognition") ? _("talent recognition")
                     : !strcmp(k, "service")   ? _("services only")
                                               : k);
        else if (!strcmp(what, "category"))
            td_category_name(db, k, r->label, sizeof r->label);
        else if (!strcmp(what, "tier"))
            lookup(db, "SELECT name FROM tiers WHERE id = ?", k, r->label, sizeof r->label);
        else if (!strcmp(what, "station"))
            lookup(db, "SELECT code || ' ' || name FROM stations WHERE id = ?", k, r->label, sizeof r->label);
        else if (!strcmp(what, "service"))
            lookup(db, "SELECT name FROM services WHERE id = ?", k, r->label, sizeof r->label);
        else if (!strcmp(what, "department"))
            lookup(db, "SELECT name FROM departments WHERE id = ?", k, r->label, sizeof r->label);
        else if (!strcmp(what, "status"))
            snprintf(r->label, sizeof r->label, "%s", td_request_status_name(k));
    }
}

/* Sort orders: by the first column descending then key, or by key. */
static int cmp_v0(const void *a, const void *b)
{
    const td_stat_row *x = a, *y = b;
    if (x->v[0] != y->v[0])
        return x->v[0] < y->v[0] ? 1 : -1;
    return strcmp(x->key, y->key);
}
static int cmp_key(const void *a, const void *b)
{
    return strcmp(((const td_stat_row *)a)->key, ((const td_stat_row *)b)->key);
}
static int cmp_key_desc(const void *a, const void *b)
{
    return -cmp_key(a, b);
}

/* Folds service rows into department rows (columns added). */
static td_status fold_departments(td_db *db, rows *svc, rows *out)
{
    for (int i = 0; i < svc->n; i++) {
        char dept[64] = "";
        lookup(db, "SELECT coalesce(department_id, '') FROM services WHERE id = ?", svc->r[i].key, dept,
               sizeof dept);
        td_stat_row *r = row_get(out, dept);
        if (!r)
            return TD_ENOMEM;
        for (int c = 0; c < TD_STAT_COLS; c++)
            r->v[c] += svc->r[i].v[c];
    }
    return TD_OK;
}

/* ── percentiles of working days intake → closed ─────────────────────── */

typedef struct dw {
    int days;
    long w;
} dw;

static int cmp_dw(const void *a, const void *b)
{
    return ((const dw *)a)->days - ((const dw *)b)->days;
}

double td_stats_percentile(const int *days, const long *w, int n, double p)
{
    long total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return -1;
    dw *v = malloc(sizeof *v * (size_t)(n ? n : 1));
    if (!v)
        return -1;
    for (int i = 0; i < n; i++)
        v[i] = (dw){ days[i], w[i] };
    qsort(v, (size_t)n, sizeof *v, cmp_dw);
    /* nearest rank: the smallest value with at least ceil(p/100 · N) at or below it */
    long rank = (long)ceil(p / 100.0 * (double)total);
    if (rank < 1)
        rank = 1;
    long seen = 0;
    double out = v[n - 1].days;
    for (int i = 0; i < n; i++) {
        seen += v[i].w;
        if (seen >= rank) {
            out = v[i].days;
            break;
        }
    }
    free(v);
    return out;
}

/* Working days of every case closed in the period: the (closing day, intake
 * day) pairs of case.closed, grouped by closing month when by_month. */
static td_status durations(td_db *db, const td_report_filter *f, bool by_month, rows *out, td_err *err)
{
    rows pairs = { 0 };
    td_status s = sum_into(db, "case.closed", G_DAY, f, &pairs, 0, err);
    if (s) {
        free(pairs.r);
        return s;
    }
    td_calendar *cal = NULL;
    if ((s = td_calendar_load(db, &cal, err))) {
        free(pairs.r);
        return s;
    }
    int *days = malloc(sizeof *days * (size_t)(pairs.n + 1));
    long *w = malloc(sizeof *w * (size_t)(pairs.n + 1));
    char *month = malloc((size_t)(pairs.n + 1) * 8);
    if (!days || !w || !month)
        s = td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    for (int i = 0; !s && i < pairs.n; i++) {
        td_date a, b;
        char kb[64];
        snprintf(kb, sizeof kb, "%s", pairs.r[i].key);
        char *bar = strchr(kb, '|');
        if (bar)
            *bar = '\0';
        days[i] = 0;
        if (bar && td_date_parse(kb, &b) && td_date_parse(bar + 1, &a))
            days[i] = td_calendar_workdays_between(cal, a, b);
        w[i] = (long)pairs.r[i].v[0];
        snprintf(month + i * 8, 8, "%.7s", kb);
    }
    /* groups: "" = the whole period, then each month */
    for (int pass = 0; !s && pass < (by_month ? 2 : 1); pass++) {
        for (int i = 0; i < pairs.n; i++) {
            const char *g = pass == 0 ? "" : month + i * 8;
            td_stat_row *r = row_get(out, g);
            if (!r) {
                s = TD_ENOMEM;
                break;
            }
            if (r->v[0] > 0)
                continue;  /* already computed */
            int *gd = malloc(sizeof *gd * (size_t)pairs.n);
            long *gw = malloc(sizeof *gw * (size_t)pairs.n);
            int k = 0;
            long tot = 0;
            for (int j = 0; gd && gw && j < pairs.n; j++)
                if (pass == 0 || strcmp(month + j * 8, g) == 0) {
                    gd[k] = days[j];
                    gw[k++] = w[j];
                    tot += w[j];
                }
            r->v[0] = (double)tot;
            r->v[1] = td_stats_percentile(gd, gw, k, 50);
            r->v[2] = td_stats_percentile(gd, gw, k, 90);
            free(gd);
            free(gw);
        }
    }
    if (pairs.n == 0 && !s) {
        td_stat_row *r = row_get(out, "");
        if (r) {
            r->v[1] = -1;
            r->v[2] = -1;
        }
    }
    free(days);
    free(w);
    free(month);
    free(pairs.r);
    td_calendar_free(cal);
    return s;
}

/* ── tables ──────────────────────────────────────────────────────────── */

static void cols(td_stat_table *t, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    t->ncols = n;
    for (int i = 0; i < n; i++) {
        t->cols[i] = va_arg(ap, const char *);
        t->kinds[i] = (td_stat_kind)va_arg(ap, int);
    }
    va_end(ap);
}

/* Column 1 = column 0 as a share of the table's total. */
static void shares(rows *rs)
{
    double tot = 0;
    for (int i = 0; i < rs->n; i++)
        tot += rs->r[i].v[0];
    for (int i = 0; i < rs->n; i++)
        rs->r[i].v[1] = tot > 0 ? rs->r[i].v[0] / tot : 0;
}

static td_status sla_rows(td_db *db, const td_report_filter *f, bool by_dept, rows *out, td_err *err)
{
    rows svc = { 0 };
    td_status s = sum_into(db, "svc.done", G_KEY, f, &svc, 0, err);
    if (!s)
        s = sum_into(db, "svc.ontime", G_KEY, f, &svc, 1, err);
    if (!s)
        s = sum_into(db, "svc.late", G_KEY, f, &svc, 2, err);
    if (!s && !by_dept)
        s = overdue_into(db, f, &svc, 4, false, err);
    if (!s && by_dept) {
        s = fold_departments(db, &svc, out);
        if (!s)
            s = overdue_into(db, f, out, 4, true, err);
    } else if (!s) {
        *out = svc;
        svc = (rows){ 0 };
    }
    free(svc.r);
    for (int i = 0; !s && i < out->n; i++) {
        td_stat_row *r = &out->r[i];
        r->v[3] = r->v[0] > 0 ? r->v[1] / r->v[0] : 0;
    }
    return s;
}

td_status td_report_table(td_db *db, const char *id, const td_report_filter *f, td_stat_table *out,
                          td_err *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->id, sizeof out->id, "%s", id);
    td_status s = td_stats_ensure(db, err);
    if (s)
        return s;
    rows rs = { 0 };
    int (*sort)(const void *, const void *) = cmp_v0;
    static const struct {
        const char *id, *dim, *what, *title, *drill;
    } simple[] = {
        { "cases.state", "case.state", "state", N_("Cases by state"), "state" },
        { "cases.channel", "case.channel", "channel", N_("Cases by channel"), "channel" },
        { "cases.type", "case.type", "type", N_("Cases by type"), "type" },
        { "cases.category", "case.category", "category", N_("Cases by talent category"), "category" },
        { "cases.tier", "case.tier", "tier", N_("Cases by tier"), "tier" },
        { "services.status", "svc.status", "status", N_("Services by status"), "" },
    };
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
        if (strcmp(id, simple[i].id))
            continue;
        out->title = _(simple[i].title);
        snprintf(out->drill, sizeof out->drill, "%s", simple[i].drill);
        cols(out, 2, _("Cases"), TD_SK_INT, _("Share"), TD_SK_PCT);
        if (!strcmp(id, "services.status"))
            out->cols[0] = _("Services");
        s = sum_into(db, simple[i].dim, G_KEY, f, &rs, 0, err);
        shares(&rs);
        label_rows(db, simple[i].what, &rs);
        goto done;
    }
    if (!strcmp(id, "cases.station")) {
        out->title = _("Cases by station");
        snprintf(out->drill, sizeof out->drill, "station");
        cols(out, 2, _("Cases"), TD_SK_INT, _("Share"), TD_SK_PCT);
        s = sum_into(db, "case.state", G_STATION, f, &rs, 0, err);
        shares(&rs);
        label_rows(db, "station", &rs);
    } else if (!strcmp(id, "cases.month")) {
        out->title = _("Cases by month");
        snprintf(out->drill, sizeof out->drill, "month");
        cols(out, 2, _("Taken in"), TD_SK_INT, _("Closed"), TD_SK_INT);
        s = sum_into(db, "case.state", G_MONTH, f, &rs, 0, err);
        if (!s)
            s = sum_into(db, "case.closed", G_MONTH, f, &rs, 1, err);
        label_rows(db, "month", &rs);
        sort = cmp_key;
    } else if (!strcmp(id, "services.service") || !strcmp(id, "services.department")) {
        bool dept = !strcmp(id, "services.department");
        out->title = dept ? _("Services by department") : _("Services by service");
        snprintf(out->drill, sizeof out->drill, dept ? "department" : "service");
        cols(out, 2, _("Requested"), TD_SK_INT, _("Done (person-times)"), TD_SK_INT);
        rows svc = { 0 };
        s = sum_into(db, "svc.requested", G_KEY, f, &svc, 0, err);
        if (!s)
            s = sum_into(db, "svc.done", G_KEY, f, &svc, 1, err);
        if (!s && dept)
            s = fold_departments(db, &svc, &rs);
        if (dept)
            free(svc.r);
        else
            rs = svc;
        label_rows(db, dept ? "department" : "service", &rs);
    } else if (!strcmp(id, "services.month")) {
        out->title = _("Services by month");
        cols(out, 2, _("Requested"), TD_SK_INT, _("Done (person-times)"), TD_SK_INT);
        s = sum_into(db, "svc.requested", G_MONTH, f, &rs, 0, err);
        if (!s)
            s = sum_into(db, "svc.done", G_MONTH, f, &rs, 1, err);
        label_rows(db, "month", &rs);
        sort = cmp_key;
    } else if (!strcmp(id, "sla.service") || !strcmp(id, "sla.department")) {
        bool dept = !strcmp(id, "sla.department");
        out->title = dept ? _("Time limits by department") : _("Time limits by service");
        snprintf(out->drill, sizeof out->drill, dept ? "overdue.department" : "overdue.service");
        cols(out, 5, _("Done"), TD_SK_INT, _("On time"), TD_SK_INT, _("Late"), TD_SK_INT, _("On-time rate"),
             TD_SK_PCT, _("Open overdue"), TD_SK_INT);
        s = sla_rows(db, f, dept, &rs, err);
        label_rows(db, dept ? "department" : "service", &rs);
    } else if (!strcmp(id, "overdue.department")) {
        /* the dashboard's: open overdue tasks only (cheaper than sla.department) */
        out->title = _("Open overdue by department");
        snprintf(out->drill, sizeof out->drill, "overdue.department");
        cols(out, 1, _("Open overdue"), TD_SK_INT);
        s = overdue_into(db, f, &rs, 0, true, err);
        label_rows(db, "department", &rs);
    } else if (!strcmp(id, "duration")) {
        out->title = _("Working days from intake to closed");
        cols(out, 3, _("Closed"), TD_SK_INT, _("Median"), TD_SK_DAYS, _("P90"), TD_SK_DAYS);
        s = durations(db, f, true, &rs, err);
        for (int i = 0; i < rs.n; i++)
            snprintf(rs.r[i].label, sizeof rs.r[i].label, "%s", rs.r[i].key[0] ? rs.r[i].key : _("whole period"));
        sort = cmp_key;
    } else if (!strcmp(id, "notices")) {
        out->title = _("One-time notices by month");
        cols(out, 2, _("Issued"), TD_SK_INT, _("Supplied"), TD_SK_INT);
        s = sum_into(db, "notice.issued", G_MONTH, f, &rs, 0, err);
        if (!s)
            s = sum_into(db, "notice.supplied", G_MONTH, f, &rs, 1, err);
        label_rows(db, "month", &rs);
        sort = cmp_key;
    } else if (!strcmp(id, "ratings")) {
        out->title = _("Ratings (good/bad reviews)");
        snprintf(out->drill, sizeof out->drill, "rating");
        cols(out, 2, _("Ratings"), TD_SK_INT, _("Share"), TD_SK_PCT);
        for (int sc = 5; sc >= 1; sc--) {
            char k[4];
            snprintf(k, sizeof k, "%d", sc);
            td_stat_row *r = row_get(&rs, k);
            if (r)
                snprintf(r->label, sizeof r->label, "%s", td_rating_name(sc));
        }
        s = sum_into(db, "rating", G_KEY, f, &rs, 0, err);
        shares(&rs);
        sort = cmp_key_desc;
    } else if (!strcmp(id, "targets")) {
        out->title = _("Targets of the plans");
        cols(out, 7, _("Done"), TD_SK_INT, _("Target"), TD_SK_INT, _("Progress"), TD_SK_PCT, _("Ends"), TD_SK_TEXT,
             _("Still needed"), TD_SK_INT, _("Needed per month"), TD_SK_INT, _("Projected"), TD_SK_INT);
        td_target_progress *tp = NULL;
        int n = 0;
        s = td_targets_progress(db, f ? f->station_id : "", &tp, &n, err);
        for (int i = 0; !s && i < n; i++) {
            td_stat_row *r = row_get(&rs, tp[i].id);
            if (!r) {
                s = TD_ENOMEM;
                break;
            }
            snprintf(r->label, sizeof r->label, "%s", tp[i].name);
            r->v[0] = (double)tp[i].done;
            r->v[1] = (double)tp[i].target;
            r->v[2] = tp[i].target > 0 ? (double)tp[i].done / (double)tp[i].target : 0;
            snprintf(r->text, sizeof r->text, "%s", tp[i].period_end);
            r->v[4] = (double)tp[i].remaining;
            r->v[5] = (double)tp[i].per_month_needed;
            r->v[6] = (double)tp[i].projected;
        }
        free(tp);
        sort = NULL;
    } else {
        return td_err_set(err, TD_EINVALID, _("Unknown report '%s'"), id);
    }
done:
    if (!s && rs.oom)
        s = td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    if (s) {
        free(rs.r);
        return s;
    }
    if (sort && rs.n > 1)
        qsort(rs.r, (size_t)rs.n, sizeof *rs.r, sort);
    out->rows = rs.r;
    out->nrows = rs.n;
    return TD_OK;
}

void td_stat_table_free(td_stat_table *t)
{
    if (!t)
        return;
    free(t->rows);
    t->rows = NULL;
    t->nrows = 0;
}

/* ── summary ─────────────────────────────────────────────────────────── */

static td_status summary(td_db *db, const td_report_filter *f, td_report_summary *o, bool full, td_err *err);

td_status td_report_summary_get(td_db *db, const td_report_filter *f, td_report_summary *o, td_err *err)
{
    return summary(db, f, o, true, err);
}

td_status td_report_headline(td_db *db, const td_report_filter *f, td_report_summary *o, td_err *err)
{
    return summary(db, f, o, false, err);
}

static td_status summary(td_db *db, const td_report_filter *f, td_report_summary *o, bool full, td_err *err)
{
    memset(o, 0, sizeof *o);
    td_status s = td_stats_ensure(db, err);
    if (s)
        return s;
    rows st = { 0 };
    if ((s = sum_into(db, "case.state", G_KEY, f, &st, 0, err))) {
        free(st.r);
        return s;
    }
    static const char *const terminal[] = { "closed", "rejected", "withdrawn", NULL };
    for (int i = 0; i < st.n; i++) {
        long n = (long)st.r[i].v[0];
        o->cases += n;
        bool term = false;
        for (int k = 0; terminal[k]; k++)
            term |= strcmp(st.r[i].key, terminal[k]) == 0;
        if (!term)
            o->open_cases += n;
    }
    free(st.r);
    if (!s)
        s = sum_total(db, "case.closed", f, &o->closed, err);
    if (!s)
        s = sum_total(db, "svc.requested", f, &o->services, err);
    if (!s)
        s = sum_total(db, "svc.done", f, &o->renci, err);
    if (!s)
        s = sum_total(db, "svc.ontime", f, &o->ontime, err);
    if (!s)
        s = sum_total(db, "svc.late", f, &o->late, err);
    if (!s)
        s = sum_total(db, "notice.issued", f, &o->notices, err);
    if (!s)
        s = sum_total(db, "notice.supplied", f, &o->supplied, err);
    if (s)
        return s;
    o->median_days = o->p90_days = -1;
    if (!full)
        goto ratings;
    rows od = { 0 };
    s = overdue_into(db, f, &od, 0, false, err);
    for (int i = 0; i < od.n; i++)
        o->overdue_open += (long)od.r[i].v[0];
    free(od.r);
    if (s)
        return s;
    rows d = { 0 };
    s = durations(db, f, false, &d, err);
    o->median_days = d.n ? d.r[0].v[1] : -1;
    o->p90_days = d.n ? d.r[0].v[2] : -1;
    free(d.r);
    if (s)
        return s;
ratings:;
    rows rt = { 0 };
    s = sum_into(db, "rating", G_KEY, f, &rt, 0, err);
    int bad = td_rating_bad_threshold(db);
    double sum = 0;
    for (int i = 0; i < rt.n; i++) {
        int sc = atoi(rt.r[i].key);
        long n = (long)rt.r[i].v[0];
        o->ratings += n;
        sum += (double)sc * (double)n;
        if (sc <= bad)
            o->bad_ratings += n;
        if (sc >= 4)
            o->satisfied += n;
    }
    o->rating_avg = o->ratings ? sum / (double)o->ratings : 0;
    free(rt.r);
    return s;
}

/* ── filters ─────────────────────────────────────────────────────────── */

td_status td_report_filter_make(td_db *db, const char *from, const char *to, const char *station_code,
                                td_report_filter *f, td_err *err)
{
    memset(f, 0, sizeof *f);
    td_date d;
    if (from && *from) {
        if (!td_date_parse(from, &d))
            return td_err_set(err, TD_EINVALID, _("'%s' is not a date (YYYY-MM-DD)"), from);
        td_date_format(d, f->from);
    }
    if (to && *to) {
        if (!td_date_parse(to, &d))
            return td_err_set(err, TD_EINVALID, _("'%s' is not a date (YYYY-MM-DD)"), to);
        td_date_format(d, f->to);
    }
    if (f->from[0] && f->to[0] && strcmp(f->from, f->to) > 0)
        return td_err_set(err, TD_EINVALID, _("The period starts (%s) after it ends (%s)"), f->from, f->to);
    if (station_code && *station_code) {
        lookup(db, "SELECT id FROM stations WHERE code = ? AND deleted_at IS NULL", station_code, f->station_id,
               sizeof f->station_id);
        if (!f->station_id[0])
            return td_err_set(err, TD_EINVALID, _("Unknown station '%s'"), station_code);
    }
    return TD_OK;
}

void td_report_month(const td_report_filter *base, int back, td_report_filter *out)
{
    memset(out, 0, sizeof *out);
    if (base)
        memcpy(out->station_id, base->station_id, sizeof out->station_id);
    td_date t = td_today();
    int m = t.y * 12 + (t.m - 1) - back;
    int y = m / 12, mo = m % 12 + 1;
    snprintf(out->from, sizeof out->from, "%04d-%02d-01", y, mo);
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int last = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
    snprintf(out->to, sizeof out->to, "%04d-%02d-%02d", y, mo, last);
}
