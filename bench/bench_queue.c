/* bench_queue.c — every work queue (src/search/qlist.h) on a database
 * spread as a real counter's is: a few clerks own most cases, most of them
 * closed (years of history), plus one clerk with many open cases (100,000, or
 * a fifth of the cases at smaller scales) as the worst case.
 *
 * For each queue it measures what the queue screen does for each key —
 * first page (open: capped count + page), next page (PgDn: keyset page),
 * previous page (PgUp), jump to end (G: last page + capped count before
 * it), find (/: the search-index find + placing the hit) and reload (another
 * clerk committed: one page from the top row's keys + capped count) — p50
 * and p99, beside a primary-key lookup measured in the same run, and
 * start-up to the first screen with the default queue (我的案件), timed from
 * before the database opens.
 *
 * Goals (issue 16): a figure meets its goal when its p99 is within the
 * issue's absolute goal — pages, find and reload p99 <= 10 ms, jump to end
 * <= 50 ms, start-up <= 100 ms — OR within its ratio allowance to the
 * baseline measured in the same run (x20 of the primary-key p99; x100 for
 * end; start-up p50 x20 of opening the database and loading the user), so
 * that a loaded machine, which slows the baseline too, is not failed for
 * the load, and a quiet one, whose primary-key p99 is 0.015 ms, is held to
 * the goal rather than to x20 of that (0.3 ms).  Both are printed
 * (p99 in ms, and "x" the ratio); "!" marks a figure that misses both.
 * Each row also prints the 1-minute load average while it was measured.
 *
 * With several scales (BENCH_SCALES), a table of the ratios by scale
 * follows, each row with a flatness verdict: the ratio at the largest
 * scale over the ratio at the smallest scale whose queue holds at least
 * CAP rows must be at most FLAT_LIMIT (the cost may grow with the depth of
 * a B-tree and a colder cache, never with the number of rows; a queue
 * smaller than the count cap is counted whole, which is cheaper by design,
 * so the growth up to the cap is printed beside it, not judged); a figure
 * whose p99 stays under FLAT_FLOOR_MS at every scale is flat (below what
 * the timer and a shared machine resolve).  A row that is not flat counts
 * as a miss.
 *
 * The database is populated with plain INSERTs, then closed the way the
 * product closes it (td_db_close runs PRAGMA optimize); it is never
 * ANALYZEd otherwise.
 *
 * Usage: bench_queue SCALE [DIR]; BENCH_SCALES="10000 100000 1000000"
 * measures several scales and prints them as one table; BENCH_KEEP=1 keeps
 * (and reuses) the databases; BENCH_QUEUES="1,11" measures only those queues
 * (1-based, as F6 counts them); BENCH_OPS="find" measures only those
 * operations (names as the table heads them, "start" for start-up), the
 * others printed as 0 — for iterating on one figure; BENCH_DEBUG=MS prints
 * each find slower than MS ms, with its text.  Exits 1 when a figure
 * misses its goal or a row of the table by scale is not flat. */
#include "bench_util.h"

#include "base/timeutil.h"
#include "cases/case.h"
#include "people/pinyin.h"
#include "search/qlist.h"
#include "search/search.h"
#include "ui.h"

#include <unistd.h>

enum { OP_FIRST, OP_NEXT, OP_PREV, OP_END, OP_FIND, OP_RELOAD, OP_N };
static const char *const op_names[OP_N] = { "first", "next", "prev", "end", "find", "reload" };
/* The absolute goals of issue 16 (p99, ms), and the ratio allowances to
 * the primary-key p99 (those goals over a 0.5 ms primary-key p99, which a
 * loaded machine measures): a figure meets its goal within either. */
static const double op_abs[OP_N] = { 10, 10, 10, 50, 10, 10 };
static const double op_goal[OP_N] = { 20, 20, 20, 100, 20, 20 };
/* start-up: p99 <= 100 ms, or its p50 within x20 of opening the database
 * and loading the user (what any command does) in the same run */
#define START_ABS 100.0
#define START_GOAL 20.0
/* the table by scale: largest-scale ratio / smallest-scale ratio */
#define FLAT_LIMIT 3.0
#define FLAT_FLOOR_MS 0.2
#define PAGE 22 /* rows on an 80x24 screen */
#define CAP 1000 /* UI_LIST_COUNT_CAP */

#define MAXQ 16
typedef struct result {
    long n;
    double base50, base99;
    double p50[MAXQ][OP_N], p99[MAXQ][OP_N];
    long rows[MAXQ];
    double start50, start99, start_base50, start_base99;
    int nq;
    char label[MAXQ][48];
    double load[MAXQ][2];    /* 1-minute load average before and after each queue */
    double start_load[2];    /* the same around start-up */
} result;

/* The 1-minute load average (-1 when unknown). */
static double load1(void)
{
    double l[1];
    return getloadavg(l, 1) == 1 ? l[0] : -1;
}

static const char *const open_states[] = { "intake", "doc_check", "awaiting_docs", "recognition", "approval",
                                           "fulfilment" };
static const char *const closed_states[] = { "closed", "closed", "closed", "closed", "closed", "closed",
                                             "rejected", "withdrawn" };

static void must(sqlite3 *h, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "bench_queue: %s: %s\n", what, sqlite3_errmsg(h));
        exit(1);
    }
}

static void add_user(sqlite3 *h, const char *station, const char *username, char id[TD_UUID_LEN])
{
    td_uuid7(id);
    sqlite3_stmt *st;
    must(h, sqlite3_prepare_v2(h,
                               "INSERT INTO users(id, station_id, username, display_name, created_at, updated_at) "
                               "VALUES(?1, ?2, ?3, ?3, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')",
                               -1, &st, NULL),
         "user");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, station, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, username, -1, SQLITE_STATIC);
    must(h, sqlite3_step(st), "user");
    sqlite3_finalize(st);
    char sql[256];
    char rid[TD_UUID_LEN];
    td_uuid7(rid);
    snprintf(sql, sizeof sql,
             "INSERT INTO user_roles(id, user_id, role, created_at, updated_at) VALUES('%s', '%s', 'clerk', "
             "'2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')",
             rid, id);
    sqlite3_exec(h, sql, NULL, NULL, NULL); /* roles are not needed to page */
}

/* Populates n cases: `heavy` open cases of clerk "heavy", the rest spread
 * over clerk1 and 9 more clerks (40/25/15/10 % and the rest), 85 % closed. */
static void populate(const char *path, long n, long heavy)
{
    td_db *db = bench_open(path, true);
    sqlite3 *h = td_db_handle(db);
    td_actor c1;
    td_err err;
    td_err_clear(&err);
    if (td_actor_load(db, "clerk1", &c1, &err) != TD_OK) {
        fprintf(stderr, "clerk1: %s\n", err.msg);
        exit(1);
    }
    char users[11][TD_UUID_LEN];
    snprintf(users[0], TD_UUID_LEN, "%s", c1.user_id);
    for (int u = 1; u < 10; u++) {
        char name[16];
        snprintf(name, sizeof name, "clerk%02d", u + 10);
        add_user(h, c1.station_id, name, users[u]);
    }
    add_user(h, c1.station_id, "heavy", users[10]);
    sqlite3_stmt *ps, *cs, *ss;
    must(h, sqlite3_prepare_v2(h,
                               "INSERT INTO persons(id, station_id, name, gender, birth_date, id_type, id_no, phone, "
                               "created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, 'resident_id', ?6, ?7, ?8, ?8)",
                               -1, &ps, NULL),
         "persons");
    must(h, sqlite3_prepare_v2(h,
                               "INSERT INTO cases(id, case_no, person_id, station_id, case_type, state, intake_by, "
                               "assignee_id, state_since, due_date, closed_at, created_at, updated_at) "
                               "VALUES(?1, ?2, ?3, ?4, 'recognition', ?5, ?6, ?7, ?8, ?9, ?10, ?8, ?8)",
                               -1, &cs, NULL),
         "cases");
    must(h, sqlite3_prepare_v2(h,
                               "INSERT INTO signoffs(id, case_id, round, transition, department_id, created_at, "
                               "updated_at) VALUES(?1, ?2, 'r1', 'approve', 'rsj', ?3, ?3)",
                               -1, &ss, NULL),
         "signoffs");
    uint64_t s = 7;
    time_t t_first = 1609459200; /* 2021-01-01: five years of history */
    double span = 5.9 * 365 * 86400;
    for (long i = 0; i < n; i++) {
        if (i % 20000 == 0)
            sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
        bench_person p;
        bench_make_person((uint64_t)i, &p);
        char pid[TD_UUID_LEN], cid[TD_UUID_LEN], cno[32], ts[TD_TS_LEN], due[TD_DATE_LEN];
        td_uuid7(pid);
        td_uuid7(cid);
        snprintf(cno, sizeof cno, "CQ-2026-%07ld", i + 1);
        bool is_heavy = i >= n - heavy; /* the heavy clerk's cases are the newest */
        uint64_t r = bench_rng(&s);
        int owner;
        if (is_heavy) {
            owner = 10;
        } else {
            unsigned pc = (unsigned)(r % 100);
            owner = pc < 40 ? 0 : pc < 65 ? 1 : pc < 80 ? 2 : pc < 90 ? 3 : 4 + (int)((r >> 8) % 6);
        }
        /* older cases are closed: open only among the newest ones */
        bool open = is_heavy || ((r >> 16) % 100 < 15 && i > n / 3);
        time_t t = t_first + (time_t)(span * (double)i / (double)n) + (time_t)((r >> 24) % 3600);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
        time_t d = t + (time_t)(((r >> 32) % 60) * 86400) - 20 * 86400;
        gmtime_r(&d, &tm);
        strftime(due, sizeof due, "%Y-%m-%d", &tm);
        const char *state = open ? open_states[(r >> 40) % 6] : closed_states[(r >> 40) % 8];
        int as = (int)((r >> 48) % 10);
        const char *assignee = as < 5 ? users[owner] : as < 8 ? users[(owner + 1 + (r >> 52) % 9) % 10] : NULL;
        sqlite3_bind_text(ps, 1, pid, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 2, c1.station_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 3, p.name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 4, p.gender, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 5, p.birth, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 6, p.id_no, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 7, p.phone, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 8, ts, -1, SQLITE_STATIC);
        must(h, sqlite3_step(ps), "person");
        sqlite3_reset(ps);
        sqlite3_bind_text(cs, 1, cid, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 2, cno, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 3, pid, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 4, c1.station_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 5, state, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 6, users[owner], -1, SQLITE_STATIC);
        td_bind_text(cs, 7, assignee);
        sqlite3_bind_text(cs, 8, ts, -1, SQLITE_STATIC);
        td_bind_text(cs, 9, open ? due : NULL);
        td_bind_text(cs, 10, open ? NULL : ts);
        must(h, sqlite3_step(cs), "case");
        sqlite3_reset(cs);
        if (open && strcmp(state, "approval") == 0 && (r >> 56) % 10 < 8) {
            char sid[TD_UUID_LEN];
            td_uuid7(sid);
            sqlite3_bind_text(ss, 1, sid, -1, SQLITE_STATIC);
            sqlite3_bind_text(ss, 2, cid, -1, SQLITE_STATIC);
            sqlite3_bind_text(ss, 3, ts, -1, SQLITE_STATIC);
            must(h, sqlite3_step(ss), "signoff");
            sqlite3_reset(ss);
        }
        if (i % 20000 == 19999 || i == n - 1)
            must(h, sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), "commit");
    }
    sqlite3_finalize(ps);
    sqlite3_finalize(cs);
    sqlite3_finalize(ss);
    /* the search keys (pinyin, folded names) a running counter has built */
    if (td_search_refresh_pinyin(db, NULL, &err) != TD_OK) {
        fprintf(stderr, "pinyin: %s\n", err.msg);
        exit(1);
    }
    td_db_close(db); /* as the product closes: PRAGMA optimize */
}

static double *lat;
enum { K = 400 };

/* Whether operation `name` is measured (BENCH_OPS unset: all). */
static bool want_op(const char *name)
{
    const char *only = getenv("BENCH_OPS");
    if (!only || !*only)
        return true;
    bool want = false;
    char *copy = strdup(only), *save = NULL;
    for (char *t = strtok_r(copy, " ,", &save); t; t = strtok_r(NULL, " ,", &save))
        want |= strcmp(t, name) == 0;
    free(copy);
    return want;
}

#define TIMED BENCH_TIMED /* fastest of 3 runs: bench_util.h */

static void fail_q(const char *what, const td_err *err)
{
    fprintf(stderr, "bench_queue: %s: %s\n", what, err->msg);
    exit(1);
}

/* Measures queue q for user into r->p50/p99[slot]. */
static void measure_queue(td_db *db, int q, const char *user, const char *label, result *r, uint64_t *rs)
{
    int slot = r->nq++;
    snprintf(r->label[slot], sizeof r->label[slot], "%s", label);
    r->load[slot][0] = load1();
    td_err err;
    td_err_clear(&err);
    char today[TD_DATE_LEN];
    td_date_format(td_today(), today);
    td_qlist *ql = td_qlist_open(db, q, user, "", today, &err);
    if (!ql)
        fail_q("open queue", &err);
    td_qlist_row page[PAGE], *anchors = calloc(K, sizeof *anchors);
    int nanchors = 0;
    r->rows[slot] = td_qlist_count(ql, CAP, &err);
    if (want_op("first")) {
    /* first page: what opening the screen does */
    for (int k = 0; k < K; k++) {
        long c = 0;
        int got = 0;
        TIMED(lat[k], { c = td_qlist_count(ql, CAP, &err); got = td_qlist_first(ql, PAGE, page, &err); });
        if (c < 0 || got < 0)
            fail_q("first page", &err);
    }
    r->p50[slot][OP_FIRST] = bench_pct(lat, K, 50), r->p99[slot][OP_FIRST] = bench_pct(lat, K, 99);
    }
    /* next pages, walking down (from the top again at the end); a capped
     * count after the last row every CAP rows, as the list extends */
    int got = td_qlist_first(ql, PAGE, page, &err), since = 0;
    for (int k = 0; k < K; k++) {
        if (got <= 0) {
            lat[k] = 0;
            continue;
        }
        td_qlist_row last = page[got - 1];
        if (nanchors < K)
            anchors[nanchors++] = last;
        since += PAGE;
        bool extend = since >= CAP;
        TIMED(lat[k], {
            got = td_qlist_after(ql, &last, false, PAGE, page, &err);
            if (extend && got > 0)
                td_qlist_count_after(ql, &page[got - 1], CAP, &err);
        });
        if (extend)
            since = 0;
        if (got == 0)
            got = td_qlist_first(ql, PAGE, page, &err);
    }
    r->p50[slot][OP_NEXT] = bench_pct(lat, K, 50), r->p99[slot][OP_NEXT] = bench_pct(lat, K, 99);
    if (want_op("prev")) {
    /* previous pages from the rows the walk passed */
    for (int k = 0; k < K; k++) {
        TIMED(lat[k], {
            if (nanchors)
                td_qlist_before(ql, &anchors[k % nanchors], PAGE, page, &err);
        });
    }
    r->p50[slot][OP_PREV] = bench_pct(lat, K, 50), r->p99[slot][OP_PREV] = bench_pct(lat, K, 99);
    }
    if (want_op("end")) {
    /* jump to end */
    for (int k = 0; k < K; k++) {
        int g = 0;
        TIMED(lat[k], {
            g = td_qlist_last(ql, PAGE, page, &err);
            if (g > 0)
                td_qlist_count_before(ql, &page[0], CAP, &err);
        });
        if (g < 0)
            fail_q("end", &err);
    }
    r->p50[slot][OP_END] = bench_pct(lat, K, 50), r->p99[slot][OP_END] = bench_pct(lat, K, 99);
    }
    if (want_op("find")) {
    /* find: names of random persons (most not in this queue), their pinyin
     * initials, and names that match nobody; then the hit is placed */
    for (int k = 0; k < K; k++) {
        bench_person p;
        bench_make_person(bench_rng(rs) % (uint64_t)r->n, &p);
        char text[64];
        if (k % 3 == 0) {
            snprintf(text, sizeof text, "%s", p.name);
        } else if (k % 3 == 1) {
            char full[128], ini[32];
            td_pinyin(p.name, full, sizeof full, ini, sizeof ini);
            snprintf(text, sizeof text, "%s", ini);
        } else {
            snprintf(text, sizeof text, "%s无此人", p.name);
        }
        td_qlist_row hit;
        int f = 0;
        TIMED(lat[k], {
            td_qlist_find_forget(ql); /* the first `/`: no candidates kept from the last run */
            f = td_qlist_find(ql, text, nanchors ? &anchors[0] : NULL, +1, &hit, &err);
            if (f > 0) {
                td_qlist_count_before(ql, &hit, CAP, &err);
                td_qlist_count_after(ql, &hit, CAP, &err);
                td_qlist_after(ql, &hit, true, PAGE, page, &err);
            }
        });
        if (f < 0)
            fail_q("find", &err);
        if (getenv("BENCH_DEBUG") && lat[k] > atof(getenv("BENCH_DEBUG")))
            fprintf(stderr, "  slow find %s in %s: %.2f ms (found %d)\n", text, label, lat[k], f);
    }
    r->p50[slot][OP_FIND] = bench_pct(lat, K, 50), r->p99[slot][OP_FIND] = bench_pct(lat, K, 99);
    }
    if (want_op("reload")) {
    /* reload in place (another clerk committed) */
    for (int k = 0; k < K; k++) {
        TIMED(lat[k], {
            if (nanchors) {
                int g = td_qlist_after(ql, &anchors[k % nanchors], true, PAGE, page, &err);
                if (g == PAGE)
                    td_qlist_count_after(ql, &page[g - 1], CAP, &err);
            }
        });
    }
    r->p50[slot][OP_RELOAD] = bench_pct(lat, K, 50), r->p99[slot][OP_RELOAD] = bench_pct(lat, K, 99);
    }
    free(anchors);
    td_qlist_close(ql);
    r->load[slot][1] = load1();
}

static td_db *open_as(const char *path, const char *user, td_actor *a)
{
    td_db *db;
    td_err err;
    td_err_clear(&err);
    if (td_db_open(path, &db, &err) != TD_OK || td_actor_load(db, user, a, &err) != TD_OK)
        fail_q("open", &err);
    return db;
}

static void run_scale(long n, const char *dir, result *r)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    long heavy = n / 5 < 100000 ? n / 5 : 100000;
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_queue-%ld.db", dir, n);
    const char *keep = getenv("BENCH_KEEP");
    bool reuse = keep && *keep && access(path, R_OK) == 0;
    if (!reuse) {
        double t0 = bench_now();
        populate(path, n, heavy);
        printf("populated %ld cases (%ld open of clerk \"heavy\") in %.1f s\n", n, heavy, bench_now() - t0);
    }
    td_actor c1, hv;
    td_db *db = open_as(path, "clerk1", &c1);
    td_db_close(open_as(path, "heavy", &hv));
    /* baseline: a primary-key lookup of a case */
    sqlite3_stmt *ids;
    sqlite3_prepare_v2(td_db_handle(db), "SELECT id FROM cases WHERE rowid = ?", -1, &ids, NULL);
    uint64_t rs = 42;
    static double base[4 * K];
    for (int k = 0; k < 4 * K; k++) {
        char id[TD_UUID_LEN] = "";
        sqlite3_bind_int64(ids, 1, (sqlite3_int64)(1 + bench_rng(&rs) % (uint64_t)n));
        if (sqlite3_step(ids) == SQLITE_ROW)
            snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(ids, 0));
        sqlite3_reset(ids);
        td_case c;
        TIMED(base[k], td_case_get(db, id, &c, NULL));
    }
    sqlite3_finalize(ids);
    r->base50 = bench_pct(base, 4 * K, 50), r->base99 = bench_pct(base, 4 * K, 99);
    char lab[48];
    const char *only = getenv("BENCH_QUEUES"); /* e.g. "1,11": measure only these queues */
    for (int q = 0; q < td_qlist_count_queues(); q++) {
        if (only && *only) {
            char key[8];
            snprintf(key, sizeof key, "%d", q + 1);
            bool want = false;
            char *copy = strdup(only), *save = NULL;
            for (char *t = strtok_r(copy, " ,", &save); t; t = strtok_r(NULL, " ,", &save))
                want |= strcmp(t, key) == 0;
            free(copy);
            if (!want)
                continue;
        }
        snprintf(lab, sizeof lab, "%s", td_qlist_title(q));
        measure_queue(db, q, c1.user_id, lab, r, &rs);
        if (q == 0)
            measure_queue(db, q, hv.user_id, "My cases (heavy clerk)", r, &rs);
    }
    td_db_close(db);
    if (want_op("start")) {
    /* start-up to the first screen, default queue, from before the open */
    enum { STARTS = 20 };
    double st[STARTS], sb[STARTS];
    unsetenv("TALENTDESK_QUEUE");
    r->start_load[0] = load1();
    for (int i = 0; i < STARTS; i++) {
        td_err err;
        td_err_clear(&err);
        double a = bench_now();
        td_actor act;
        td_db *d2 = open_as(path, "heavy", &act);
        double b = bench_now();
        ui_options o = { .headless = true, .rows = 24, .cols = 80, .ambiwidth = 1 };
        ui_app *app = ui_app_open(d2, &act, &o, &err);
        if (!app)
            fail_q("ui_app_open", &err);
        st[i] = (bench_now() - a) * 1e3;
        sb[i] = (b - a) * 1e3;
        ui_app_close(app, &err);
        td_db_close(d2);
    }
    r->start_load[1] = load1();
    r->start50 = bench_pct(st, STARTS, 50), r->start99 = bench_pct(st, STARTS, 99);
    r->start_base50 = bench_pct(sb, STARTS, 50), r->start_base99 = bench_pct(sb, STARTS, 99);
    }
    if (!reuse && !(keep && *keep)) {
        remove(path);
        char side[4200];
        snprintf(side, sizeof side, "%s-wal", path);
        remove(side);
        snprintf(side, sizeof side, "%s-shm", path);
        remove(side);
    }
}

/* Whether a figure meets its goal: p99 within the absolute goal, or its
 * ratio within the allowance. */
static bool meets(double p99, double abs_goal, double ratio, double allowance)
{
    return p99 <= abs_goal || ratio <= allowance;
}

/* Prints one scale; returns the number of figures that miss their goal. */
static int print_scale(const result *r)
{
    int bad = 0;
    printf("bench_queue at %ld cases\n", r->n);
    printf("  baseline: primary-key case lookup (td_case_get)   p50 %7.3f ms  p99 %7.3f ms\n", r->base50, r->base99);
    printf("  %-26s %5s", "queue (rows counted)", "");
    for (int o = 0; o < OP_N; o++)
        printf(" %-16s", op_names[o]);
    printf(" load\n  %-32s", "");
    for (int o = 0; o < OP_N; o++)
        printf(" %-16s", "p50/p99 ms (x)");
    printf("\n");
    for (int q = 0; q < r->nq; q++) {
        char rows[16];
        snprintf(rows, sizeof rows, "%ld%s", r->rows[q], r->rows[q] >= CAP ? "+" : "");
        printf("  %-26s %5s", r->label[q], rows);
        for (int o = 0; o < OP_N; o++) {
            double x = r->base99 > 0 ? r->p99[q][o] / r->base99 : 0;
            bool over = !meets(r->p99[q][o], op_abs[o], x, op_goal[o]);
            bad += over;
            printf(" %5.2f/%5.2f %3.0f%s", r->p50[q][o], r->p99[q][o], x, over ? "!" : " ");
        }
        printf(" %.1f-%.1f\n", r->load[q][0], r->load[q][1]);
    }
    double sx = r->start_base50 > 0 ? r->start50 / r->start_base50 : 0;
    bool sover = !meets(r->start99, START_ABS, sx, START_GOAL);
    printf("  start-up to first screen (我的案件 of \"heavy\", from before the open): p50 %.3f ms  p99 %.3f ms\n"
           "    beside its baseline, opening the database and loading the user: p50 %.3f ms  p99 %.3f ms  "
           "(x%.1f at p50)%s  load %.1f-%.1f\n",
           r->start50, r->start99, r->start_base50, r->start_base99, sx, sover ? "  MISSES ITS GOAL" : "",
           r->start_load[0], r->start_load[1]);
    bad += sover;
    printf("  goals: p99 <= %.0f ms (pages, find, reload), <= %.0f ms (end), start-up p99 <= %.0f ms (issue 16), "
           "or within x%.0f / x%.0f / x%.0f of the baseline (\"!\" marks a figure that misses both)\n",
           op_abs[OP_NEXT], op_abs[OP_END], START_ABS, op_goal[OP_NEXT], op_goal[OP_END], START_GOAL);
    return bad;
}

/* Prints the ratios by scale with a flatness verdict per row; returns the
 * number of rows that are not flat. */
static int print_by_scale(const result *res, int nn)
{
    int bad = 0;
    printf("p99 / baseline p99 by scale, with the flatness verdict: (ratio at %ld) / (ratio at the smallest scale "
           "whose queue holds at least %d rows, else at %ld) <= %.0f, or p99 under %.1f ms at every scale.\n"
           "  A queue of fewer rows than the count cap (%d) is counted whole, so it costs less to open, page and place "
           "a find in; from the cap on, what a screen counts is bounded.  \"all\" is the growth from the smallest "
           "scale, \"full\" from the first scale at the cap (the verdict's).\n  %-26s %-7s",
           res[nn - 1].n, CAP, res[0].n, FLAT_LIMIT, FLAT_FLOOR_MS, CAP, "queue", "op");
    for (int i = 0; i < nn; i++)
        printf(" %9ld", res[i].n);
    printf("     all    full  verdict\n");
    for (int q = 0; q < res[0].nq; q++)
        for (int o = 0; o < OP_N; o++) {
            printf("  %-26s %-7s", res[0].label[q], op_names[o]);
            bool under = true;
            for (int i = 0; i < nn; i++) {
                printf(" %9.1f", res[i].base99 > 0 ? res[i].p99[q][o] / res[i].base99 : 0);
                under &= res[i].p99[q][o] < FLAT_FLOOR_MS;
            }
            int full = 0; /* the first scale whose count of this queue reached the cap */
            while (full < nn - 1 && res[full].rows[q] < CAP)
                full++;
            double first = res[0].base99 > 0 ? res[0].p99[q][o] / res[0].base99 : 0;
            double from = res[full].base99 > 0 ? res[full].p99[q][o] / res[full].base99 : 0;
            double last = res[nn - 1].base99 > 0 ? res[nn - 1].p99[q][o] / res[nn - 1].base99 : 0;
            double g = first > 0 ? last / first : 0, gf = from > 0 ? last / from : 0;
            bool flat = under || gf <= FLAT_LIMIT;
            bad += !flat;
            printf("  %6.1f  %6.1f  %s\n", g, gf, flat ? "flat" : "GROWS");
        }
    printf("  %-26s %-7s", "start-up", "");
    for (int i = 0; i < nn; i++)
        printf(" %9.1f", res[i].start_base50 > 0 ? res[i].start50 / res[i].start_base50 : 0);
    double f0 = res[0].start_base50 > 0 ? res[0].start50 / res[0].start_base50 : 0;
    double f1 = res[nn - 1].start_base50 > 0 ? res[nn - 1].start50 / res[nn - 1].start_base50 : 0;
    bool sflat = f0 <= 0 || f1 / f0 <= FLAT_LIMIT;
    bad += !sflat;
    printf("  %6.1f  %s  (p50 / its baseline p50)\n", f0 > 0 ? f1 / f0 : 0, sflat ? "flat" : "GROWS");
    printf("  load average (1 min) while measured:");
    for (int i = 0; i < nn; i++) {
        double lo = 1e9, hi = 0;
        for (int q = 0; q < res[i].nq; q++) {
            lo = res[i].load[q][0] < lo ? res[i].load[q][0] : lo;
            hi = res[i].load[q][1] > hi ? res[i].load[q][1] : hi;
        }
        printf("  %ld: %.1f-%.1f", res[i].n, lo, hi);
    }
    printf("\n");
    return bad;
}

int main(int argc, char **argv)
{
    bench_init();
    long n = argc > 1 ? atol(argv[1]) : 20000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    const char *scales = getenv("BENCH_SCALES");
    long ns[8];
    int nn = 0;
    if (scales && *scales) {
        char *copy = strdup(scales), *save = NULL;
        for (char *t = strtok_r(copy, " ,", &save); t && nn < 8; t = strtok_r(NULL, " ,", &save))
            ns[nn++] = atol(t);
        free(copy);
    } else {
        ns[nn++] = n;
    }
    lat = calloc(K, sizeof *lat);
    static result res[8];
    int bad = 0;
    for (int i = 0; i < nn; i++) {
        if (ns[i] < 1000)
            ns[i] = 1000;
        run_scale(ns[i], dir, &res[i]);
        bad += print_scale(&res[i]);
    }
    int grows = nn > 1 ? print_by_scale(res, nn) : 0; /* the cost must not grow with the data */
    free(lat);
    if (bad)
        fprintf(stderr, "bench_queue: %d figure(s) miss their goal\n", bad);
    if (grows)
        fprintf(stderr, "bench_queue: %d row(s) of the table by scale grow with the data\n", grows);
    return bad || grows ? 1 : 0;
}
