/* bench_search.c — search latency (p50/p99) by two- and three-character
 * name, identity number, mobile and case number, and first/next page of a
 * work queue (keyset), on a population of SCALE persons with one case each in
 * every state (the state queues through src/search/qlist.h, as the TUI and
 * the CLI page them); each beside a primary-key lookup measured in the same
 * run.
 * Goals: search p99 ≤ 20 ms, queue page ≤ 10 ms, checked as ratios to the
 * baseline (÷ 0.5 ms, the primary-key p99 they were set beside).
 * Usage: bench_search SCALE [DIR] */
#include "bench_util.h"

#include "people/pinyin.h"
#include "search/search.h"
#include "search/qlist.h"
#include "base/timeutil.h"

#define Q 2000

static int count_hit(const td_search_hit *h, void *ud)
{
    (void)h;
    (*(int *)ud)++;
    return 0;
}

static char (*g_pid)[TD_UUID_LEN];
static char (*g_cid)[TD_UUID_LEN];
static char (*g_upd)[TD_TS_LEN];

static void populate(td_db *db, long n, const td_actor *clerk)
{
    sqlite3 *h = td_db_handle(db);
    sqlite3_stmt *ps, *cs;
    sqlite3_prepare_v2(h,
                       "INSERT INTO persons(id, station_id, name, gender, birth_date, id_type, id_no, phone, "
                       "created_by, created_at, updated_at) VALUES(?,?,?,?,?,'resident',?,?,?,?,?)",
                       -1, &ps, NULL);
    sqlite3_prepare_v2(h,
                       "INSERT INTO cases(id, case_no, person_id, station_id, case_type, state, intake_by, "
                       "state_since, created_at, updated_at) VALUES(?,?,?,?,'recognition',?,?,?,?,?)",
                       -1, &cs, NULL);
    td_err err;
    for (long i = 0; i < n; i++) {
        if (i % 5000 == 0)
            sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
        bench_person p;
        bench_make_person((uint64_t)i, &p);
        char now[TD_TS_LEN], caseno[32];
        td_now_utc(now);
        td_uuid7(g_pid[i]);
        sqlite3_bind_text(ps, 1, g_pid[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 2, clerk->station_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 3, p.name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ps, 4, p.gender, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ps, 5, p.birth, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ps, 6, p.id_no, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ps, 7, p.phone, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ps, 8, clerk->user_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 9, now, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ps, 10, now, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(ps) != SQLITE_DONE) {
            fprintf(stderr, "person %ld: %s\n", i, sqlite3_errmsg(h));
            exit(1);
        }
        sqlite3_reset(ps);
        /* cases: every state; updated_at spread over two years, not in id order */
        uint64_t s = (uint64_t)i * 2654435761u + 7;
        long secs = (long)(bench_rng(&s) % (2L * 365 * 86400));
        time_t t = 1735689600 + secs; /* from 2025-01-01 */
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(g_upd[i], TD_TS_LEN, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
        td_uuid7(g_cid[i]);
        snprintf(caseno, sizeof caseno, "CQ-2026-%07ld", i + 1);
        sqlite3_bind_text(cs, 1, g_cid[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 2, caseno, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(cs, 3, g_pid[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 4, clerk->station_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 5, bench_states[i % BENCH_NSTATES], -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 6, clerk->user_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 7, g_upd[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 8, g_upd[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 9, g_upd[i], -1, SQLITE_STATIC);
        if (sqlite3_step(cs) != SQLITE_DONE) {
            fprintf(stderr, "case %ld: %s\n", i, sqlite3_errmsg(h));
            exit(1);
        }
        sqlite3_reset(cs);
        if ((i + 1) % 5000 == 0 || i + 1 == n)
            sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    }
    sqlite3_finalize(ps);
    sqlite3_finalize(cs);
    /* no ANALYZE: the product never runs one; it closes with PRAGMA optimize
     * (td_db_close), which main() does before measuring */
    (void)err;
}

typedef struct row {
    const char *label;
    double p50, p99;
    double goal;
} row;

/* Goals are ratios to the baseline p99 (an absolute time a loaded machine
 * cannot meet is reported, not failed): the absolute goals (search 20 ms,
 * queue page 10 ms) over the 0.5 ms primary-key p99 they were set beside. */
#define BASE_REF_MS 0.5

static bool print_row(const row *r, double base99)
{
    double ratio = base99 > 0 ? r->p99 / base99 : 0, goal = r->goal / BASE_REF_MS;
    printf("  %-30s p50 %7.3f ms  p99 %7.3f ms  (baseline p99 %6.3f ms, ratio %6.1f)  goal ratio <= %3.0f  %s\n",
           r->label, r->p50, r->p99, base99, ratio, goal, ratio <= goal ? "ok" : "ABOVE GOAL");
    return ratio > goal;
}

/* A queue page (50 rows) is judged against the same 50 rows read by
 * hand-written seekable SQL in the same run, not against the one-row
 * primary-key lookup: on a quiet machine that lookup takes 0.004 ms, and x20
 * of it is less than the hand-written statement itself takes (x30).  Its
 * goal: p99 within QUEUE_REF_GOAL of the reference's p99. */
#define QUEUE_REF_GOAL 2.0
static bool print_queue_row(const row *r, double base99, double ref99)
{
    double ratio = base99 > 0 ? r->p99 / base99 : 0, vs = ref99 > 0 ? r->p99 / ref99 : 0;
    printf("  %-30s p50 %7.3f ms  p99 %7.3f ms  (baseline p99 %6.3f ms, ratio %6.1f)  x%.2f of the reference, goal "
           "<= x%.0f  %s\n",
           r->label, r->p50, r->p99, base99, ratio, vs, QUEUE_REF_GOAL, vs <= QUEUE_REF_GOAL ? "ok" : "ABOVE GOAL");
    return vs > QUEUE_REF_GOAL;
}

/* The surname of a generated name: the longest bench surname it starts
 * with (欧阳, not 欧; 𠮷 whole, not its first 3 bytes). */
static void surname_of(const char *name, char *out, size_t len)
{
    size_t best = 0;
    for (size_t i = 0; i < BENCH_NSUR; i++) {
        size_t l = strlen(bench_surnames[i]);
        if (l > best && strncmp(name, bench_surnames[i], l) == 0)
            best = l;
    }
    snprintf(out, len, "%.*s", (int)best, name);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 20000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    if (n < 100)
        n = 100;
    bench_init();
    char path[4096];
    snprintf(path, sizeof path, "%s/td-bench-search.db", dir);
    td_db *db = bench_open(path, true);
    td_actor clerk;
    td_err err;
    td_err_clear(&err);
    if (td_actor_load(db, "clerk1", &clerk, &err) != TD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    g_pid = malloc(sizeof *g_pid * (size_t)n);
    g_cid = malloc(sizeof *g_cid * (size_t)n);
    g_upd = malloc(sizeof *g_upd * (size_t)n);
    double t0 = bench_now();
    populate(db, n, &clerk);
    td_db_close(db); /* PRAGMA optimize, as the product closes */
    td_err_clear(&err);
    if (td_db_open(path, &db, &err) != TD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    printf("search, %ld persons and %ld cases (11 states), populated in %.1f s, %d queries each\n", n, n,
           bench_now() - t0, Q);

    t0 = bench_now();
    long indexed = 0;
    if (td_search_refresh_pinyin(db, &indexed, &err) != TD_OK) {
        fprintf(stderr, "pinyin: %s\n", err.msg);
        return 1;
    }
    printf("  pinyin keys for %ld names built in %.1f s (once; later calls index only new persons)\n", indexed,
           bench_now() - t0);

    double *lat = malloc(sizeof(double) * Q);
    uint64_t rs = 99;
    sqlite3_stmt *pk;
    sqlite3_prepare_v2(td_db_handle(db), "SELECT id, name, id_no, phone FROM persons WHERE id = ?", -1, &pk, NULL);
    /* baseline: primary-key lookup of a random person */
    for (int q = 0; q < Q; q++) {
        long i = (long)(bench_rng(&rs) % (uint64_t)n);
        BENCH_TIMED(lat[q], {
            sqlite3_bind_text(pk, 1, g_pid[i], -1, SQLITE_STATIC);
            while (sqlite3_step(pk) == SQLITE_ROW)
                ;
            sqlite3_reset(pk);
        });
    }
    double base50 = bench_pct(lat, Q, 50), base99 = bench_pct(lat, Q, 99);
    printf("  %-30s p50 %7.3f ms  p99 %7.3f ms\n", "baseline: primary-key lookup", base50, base99);

    const char *labels[] = { "name, 2 characters", "name, 3 characters", "name prefix (surname)", "identity number",
                             "mobile", "case number", "pinyin initials (zs)", "full pinyin (zhangsan)" };
    int bad = 0;
    long hits_total = 0;
    for (int k = 0; k < 8; k++) {
        int done = 0;
        while (done < Q) {
            long i = (long)(bench_rng(&rs) % (uint64_t)n);
            bench_person p;
            bench_make_person((uint64_t)i, &p);
            char q[64];
            td_search_kind kind = TD_SEARCH_AUTO;
            size_t chars = 0;
            for (const char *c = p.name; *c; c++)
                chars += ((unsigned char)*c & 0xC0) != 0x80;
            if (k == 0 && chars != 2)
                continue;
            if (k == 1 && chars != 3)
                continue;
            if (k <= 1)
                snprintf(q, sizeof q, "%s", p.name);
            else if (k == 2)
                surname_of(p.name, q, sizeof q), kind = TD_SEARCH_NAME;
            else if (k == 3)
                snprintf(q, sizeof q, "%s", p.id_no);
            else if (k == 4)
                snprintf(q, sizeof q, "%s", p.phone);
            else if (k == 5)
                snprintf(q, sizeof q, "CQ-2026-%07ld", i + 1);
            else {
                char full[128], ini[32];
                if (!td_pinyin(p.name, full, sizeof full, ini, sizeof ini) || strlen(ini) < 2)
                    continue;
                snprintf(q, sizeof q, "%s", k == 6 ? ini : full);
                kind = TD_SEARCH_NAME;
            }
            int hits = 0;
            td_status ss = TD_OK;
            BENCH_TIMED(lat[done], {
                hits = 0;
                ss = td_search(db, q, kind, 50, count_hit, &hits, NULL, &err);
            });
            done++;
            if (ss != TD_OK) {
                fprintf(stderr, "search %s: %s\n", q, err.msg);
                return 1;
            }
            if (hits == 0) {
                fprintf(stderr, "search '%s' found nothing\n", q);
                bad = 1;
            }
            hits_total += hits;
        }
        row r = { labels[k], bench_pct(lat, Q, 50), bench_pct(lat, Q, 99), 20 };
        bad |= print_row(&r, base99);
    }

    /* the reference for the queue pages: 50 rows of a state's queue read by
     * hand-written SQL with a range the index can seek to (for comparison:
     * "?2 IS NULL OR (updated_at, id) < (?2, ?3)" cannot use the range) */
    sqlite3_stmt *ks;
    sqlite3_prepare_v2(td_db_handle(db),
                       "SELECT c.id, c.case_no, p.name, c.state, c.updated_at FROM cases c INDEXED BY cases_state "
                       "LEFT JOIN persons p ON p.id = c.person_id WHERE c.state = ?1 AND c.deleted_at IS NULL "
                       "AND c.updated_at <= ?2 AND (c.updated_at < ?2 OR c.id < ?3) "
                       "ORDER BY c.updated_at DESC, c.id DESC LIMIT 50",
                       -1, &ks, NULL);
    for (int q = 0; q < Q; q++) {
        long i = (long)(bench_rng(&rs) % (uint64_t)n);
        BENCH_TIMED(lat[q], {
            sqlite3_bind_text(ks, 1, bench_states[i % BENCH_NSTATES], -1, SQLITE_STATIC);
            sqlite3_bind_text(ks, 2, g_upd[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(ks, 3, g_cid[i], -1, SQLITE_STATIC);
            while (sqlite3_step(ks) == SQLITE_ROW)
                ;
            sqlite3_reset(ks);
        });
    }
    double ref99;
    {
        row r = { "next page, seekable range (ref.)", bench_pct(lat, Q, 50), bench_pct(lat, Q, 99), 10 };
        ref99 = r.p99;
        printf("  %-30s p50 %7.3f ms  p99 %7.3f ms  (baseline p99 %6.3f ms, ratio %6.1f)  the queues' reference\n",
               r.label, r.p50, r.p99, base99, base99 > 0 ? r.p99 / base99 : 0);
    }
    sqlite3_finalize(ks);

    /* queues (src/search/qlist.h, each state's queue opened once, as a
     * screen keeps it): first page and a page from the middle, 50 rows,
     * keyset; states without a queue of their own are skipped */
    td_qlist *sq[BENCH_NSTATES];
    char today[TD_DATE_LEN];
    td_date_format(td_today(), today);
    for (int k = 0; k < BENCH_NSTATES; k++) {
        int qn = td_qlist_for_state(bench_states[k]);
        sq[k] = qn < 0 ? NULL : td_qlist_open(db, qn, "", "", today, &err);
        if (qn >= 0 && !sq[k]) {
            fprintf(stderr, "queue: %s\n", err.msg);
            return 1;
        }
    }
    td_qlist_row qrows[50];
    for (int k = 0; k < 2; k++) {
        for (int q = 0; q < Q; q++) {
            long i;
            do
                i = (long)(bench_rng(&rs) % (uint64_t)n);
            while (!sq[i % BENCH_NSTATES]);
            td_qlist *ql = sq[i % BENCH_NSTATES];
            int hits = 0;
            BENCH_TIMED(lat[q], {
                td_qlist_row at;
                hits = k == 0 ? td_qlist_first(ql, 50, qrows, &err)
                              : td_qlist_anchor(ql, g_upd[i], g_cid[i], &at, &err)
                                    ? -1
                                    : td_qlist_after(ql, &at, false, 50, qrows, &err);
            });
            if (hits < 0) {
                fprintf(stderr, "queue: %s\n", err.msg);
                return 1;
            }
            if (k == 0 && hits == 0)
                bad = 1;
        }
        row r = { k == 0 ? "queue first page (qlist)" : "queue next page (qlist)", bench_pct(lat, Q, 50),
                  bench_pct(lat, Q, 99), 10 };
        bad |= print_queue_row(&r, base99, ref99);
    }
    for (int k = 0; k < BENCH_NSTATES; k++)
        td_qlist_close(sq[k]);
    sqlite3_finalize(pk);
    td_db_close(db);
    remove(path);
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
    free(lat);
    free(g_pid);
    free(g_cid);
    free(g_upd);
    if (bad)
        fprintf(stderr, "bench_search: a query found nothing or a goal ratio was missed\n");
    return bad;
}
