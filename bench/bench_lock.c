/* bench_lock.c — how long the long writers hold the write lock (#14 item 2):
 * the longest single write transaction (BEGIN IMMEDIATE to the end of its
 * COMMIT, timed by SQLite's trace hooks) of
 *   - sync import of a bundle of SCALE field edits made at a station in
 *     transactions of 100 rows (as its clerks and its batched import write),
 *     applied at HQ in bounded transactions;
 *   - policy load of data/ over a database with SCALE open service
 *     requests, as is (the calendar unchanged: no due date is read) and with
 *     a 2027 calendar added (tests/fixtures: 1–3 January off), which moves
 *     the open cases and tasks due in 2027 (half of them: read, recounted,
 *     the cases' moves planned in the policy's transaction, then written and
 *     audited 20 to a transaction — goal: within 15 times a clerk's write);
 * each printed beside the same measure of a clerk's one-row write in the same
 * run (baseline), as a ratio.  A clerk waits at most about that long for the
 * lock while the writer runs.
 * Usage: bench_lock SCALE [DIR] */
#include "bench_util.h"

#include "setup/policy_load.h"
#include "sync/enrol.h"
#include "sync/keys.h"
#include "sync/sync.h"

#include <strings.h>

typedef struct hold {
    double t_begin, longest, total;
    long n;
} hold;

static int trace(unsigned type, void *ud, void *p, void *x)
{
    (void)x;
    hold *h = ud;
    const char *sql = sqlite3_sql((sqlite3_stmt *)p);
    if (!sql)
        return 0;
    if (type == SQLITE_TRACE_STMT && strncasecmp(sql, "BEGIN IMMEDIATE", 15) == 0) {
        h->t_begin = bench_now();
    } else if (type == SQLITE_TRACE_PROFILE && h->t_begin > 0 &&
               (strncasecmp(sql, "COMMIT", 6) == 0 || strncasecmp(sql, "ROLLBACK", 8) == 0)) {
        double d = (bench_now() - h->t_begin) * 1000;
        h->t_begin = 0;
        h->total += d;
        h->n++;
        if (d > h->longest)
            h->longest = d;
    }
    return 0;
}

static void watch(td_db *db, hold *h)
{
    memset(h, 0, sizeof *h);
    sqlite3_trace_v2(td_db_handle(db), h ? SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE : 0, trace, h);
}

static void unwatch(td_db *db) { sqlite3_trace_v2(td_db_handle(db), 0, NULL, NULL); }

static void die(const char *what, const td_err *err)
{
    fprintf(stderr, "%s: %s\n", what, err->msg);
    exit(1);
}

static void rm_db(const char *p)
{
    char x[4200];
    const char *ext[] = { "", "-wal", "-shm", ".key", ".keys", ".checked" };
    for (int i = 0; i < 6; i++) {
        snprintf(x, sizeof x, "%s%s", p, ext[i]);
        remove(x);
    }
}

/* A clerk's one-row write, the longest of 20 (the baseline). */
static double clerk_write(td_db *db, hold *h)
{
    td_err err;
    td_err_clear(&err);
    watch(db, h);
    for (int i = 0; i < 20; i++) {
        if (td_db_begin(db, &err) ||
            td_db_exec(db, "UPDATE persons SET notes = 'bench ' || row_version, row_version = row_version + 1 "
                           "WHERE rowid = (SELECT max(rowid) FROM persons)", &err) ||
            td_db_commit(db, &err))
            die("clerk write", &err);
    }
    unwatch(db);
    return h->longest;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 20000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    if (n < 1000)
        n = 1000;
    if (n > 200000)
        n = 200000;
    bench_init();
    setenv("TALENTDESK_NOW", "2026-03-18T02:00:00Z", 1);
    td_err err;
    td_err_clear(&err);
    char hqp[4096], stp[4096], join[4096], card[4096], bundle[4096], data[4096];
    snprintf(hqp, sizeof hqp, "%s/td-bench-lock-hq.db", dir);
    snprintf(stp, sizeof stp, "%s/td-bench-lock-st.db", dir);
    snprintf(join, sizeof join, "%s/td-bench-lock.join", dir);
    snprintf(card, sizeof card, "%s/td-bench-lock.card", dir);
    snprintf(bundle, sizeof bundle, "%s/td-bench-lock.tdsb", dir);
    snprintf(data, sizeof data, "%s/data", TD_SOURCE_DIR);
    rm_db(hqp);
    rm_db(stp);

    td_db *hq = bench_open(hqp, true);
    td_actor admin;
    char got[12];
    if (td_actor_load(hq, "admin", &admin, &err) || td_sync_keys_create(hq, &err) ||
        td_sync_enrol_station(hq, &admin, "LDN", "伦敦工作站", "overseas", join, &err))
        die("hq", &err);
    td_db *st = bench_open(stp, false);
    if (td_policy_load_all(st, data, NULL, &err) || td_sync_join(st, join, got, &err) ||
        td_sync_card_write(st, card, &err) || td_sync_peer_add(hq, card, got, &err))
        die("station", &err);

    /* n/2 persons at the station, sent once so that HQ has the rows */
    long rows = n / 2;
    if (td_db_begin(st, &err))
        die("begin", &err);
    sqlite3_stmt *ins;
    sqlite3_prepare_v2(td_db_handle(st),
                       "INSERT INTO persons(id, station_id, name, id_type, id_no, phone, created_at, updated_at) "
                       "VALUES (?, (SELECT value FROM settings WHERE key = 'local_station'), ?, 'passport', ?, ?, "
                       "'2026-03-16T00:00:00.000Z', '2026-03-16T00:00:00.000Z')",
                       -1, &ins, NULL);
    for (long i = 0; i < rows; i++) {
        bench_person p;
        bench_make_person((uint64_t)i, &p);
        char id[TD_UUID_LEN], idno[32];
        td_uuid7(id);
        snprintf(idno, sizeof idno, "E%08ld", i);
        sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, p.name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, idno, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 4, p.phone, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(ins) != SQLITE_DONE)
            die("insert", &err);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    if (td_db_commit(st, &err))
        die("commit", &err);
    td_sync_export_report xr;
    td_sync_import_report ir;
    if (td_sync_export(st, "CQ", bundle, false, &xr, &err) || td_sync_import(hq, &admin, bundle, &ir, &err))
        die("first exchange", &err);

    /* the measured changes: two fields of every row, 100 rows per transaction */
    for (long lo = 1; lo <= rows; lo += 100) {
        char upd[400];
        snprintf(upd, sizeof upd,
                 "UPDATE persons SET phone = '139' || substr(phone, 4), email = 'p' || rowid || '@example.com', "
                 "row_version = row_version + 1, updated_at = '2026-03-17T00:00:00.000Z' "
                 "WHERE rowid BETWEEN %ld AND %ld AND id_no LIKE 'E%%'",
                 lo, lo + 99);
        if (td_db_begin(st, &err) || td_db_exec(st, upd, &err) || td_db_commit(st, &err))
            die("edits", &err);
    }
    if (td_sync_export(st, "CQ", bundle, true, &xr, &err))
        die("export", &err);

    hold base, h;
    double b1 = clerk_write(hq, &base);
    printf("lock, %ld field edits in a bundle; %ld open service requests for the due-date recount\n", xr.ops, n);
    printf("  %-34s longest %9.2f ms  (baseline)\n", "clerk's one-row write (of 20)", b1);
    watch(hq, &h);
    double t0 = bench_now();
    if (td_sync_import(hq, &admin, bundle, &ir, &err))
        die("import", &err);
    double ti = (bench_now() - t0) * 1000;
    unwatch(hq);
    if (ir.applied != xr.ops || ir.conflicts) {
        fprintf(stderr, "import applied %ld of %ld (%ld conflicts)\n", ir.applied, xr.ops, ir.conflicts);
        return 1;
    }
    printf("  %-34s longest %9.2f ms  ratio %7.1f  (%ld transactions, %.0f ms in all)\n", "sync import: apply",
           h.longest, b1 > 0 ? h.longest / b1 : 0, h.n, ti);

    /* n open service requests on n/10 cases, as bench_report writes them */
    sqlite3 *hh = td_db_handle(hq);
    sqlite3_exec(hh, "BEGIN; INSERT OR REPLACE INTO local_sync_tx(k, capture) VALUES (1, 0);"
                     "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < (SELECT count(*) / 2 "
                     "FROM persons)) "
                     "INSERT INTO cases(id, case_no, person_id, station_id, case_type, channel, state, intake_by, "
                     "state_since, due_date, created_at, updated_at) "
                     "SELECT printf('bench-case-%08d', p.rowid), printf('CQ-LOCK-%08d', p.rowid), p.id, p.station_id, "
                     "'service', 'window', 'fulfilment', (SELECT id FROM users WHERE username = 'clerk1'), "
                     "'2026-12-28T02:00:00Z', CASE WHEN p.rowid % 10 = 0 THEN '2027-01-04' ELSE '2026-12-31' END, "
                     "'2026-03-02T02:00:00Z', '2026-03-02T02:00:00Z' "
                     "FROM persons p WHERE p.rowid % 5 = 0;"
                     "INSERT INTO service_requests(id, case_id, service_id, status, due_date, created_at, updated_at) "
                     "SELECT printf('bench-sr-%s-%d', c.id, s.i), c.id, 'free_workstation', 'in_progress', "
                     "CASE WHEN s.i % 2 = 0 THEN '2027-01-05' ELSE '2026-03-20' END, c.created_at, c.created_at "
                     "FROM cases c, "
                     "(SELECT 1 AS i UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 "
                     "UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10) s "
                     "WHERE c.id LIKE 'bench-case-%';"
                     "DELETE FROM local_sync_tx; COMMIT; ANALYZE",
                 NULL, NULL, NULL);
    sqlite3_stmt *q;
    long open = 0;
    sqlite3_prepare_v2(hh, "SELECT count(*) FROM service_requests WHERE status = 'in_progress'", -1, &q, NULL);
    if (sqlite3_step(q) == SQLITE_ROW)
        open = (long)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    double b2 = clerk_write(hq, &base);
    printf("  %-34s longest %9.2f ms  (baseline, %ld open requests)\n", "clerk's one-row write (of 20)", b2, open);
    watch(hq, &h);
    t0 = bench_now();
    td_due_report due;
    if (td_policy_load_as(hq, &admin, data, &due, &err))
        die("policy load", &err);
    double tp = (bench_now() - t0) * 1000;
    unwatch(hq);
    printf("  %-34s longest %9.2f ms  ratio %7.1f  (%ld transactions, %.0f ms in all; %ld due dates examined)\n",
           "policy load, same calendar", h.longest, b2 > 0 ? h.longest / b2 : 0, h.n, tp, due.examined);
    char d27[4200], cp[12800];
    snprintf(d27, sizeof d27, "%s/td-bench-lock-data", dir);
    snprintf(cp, sizeof cp, "rm -rf '%s' && mkdir -p '%s' && cp -r '%s/.' '%s/' && cp '%s/tests/fixtures/calendar-2027.tdp' '%s/'",
             d27, d27, data, d27, TD_SOURCE_DIR, d27);
    if (system(cp) != 0) {
        fprintf(stderr, "cannot copy %s\n", data);
        return 1;
    }
    watch(hq, &h);
    t0 = bench_now();
    if (td_policy_load_as(hq, &admin, d27, &due, &err))
        die("policy load 2027", &err);
    tp = (bench_now() - t0) * 1000;
    unwatch(hq);
    printf("  %-34s longest %9.2f ms  ratio %7.1f  (%ld transactions, %.0f ms in all; %ld due dates examined, "
           "%ld moved)\n",
           "policy load, 2027 calendar added", h.longest, b2 > 0 ? h.longest / b2 : 0, h.n, tp, due.examined,
           due.changed);
    long left = -1;
    if (td_due_pending(hq, &left, &err) || left != 0) {
        fprintf(stderr, "policy load 2027: %ld due-date moves left unwritten\n", left);
        return 1;
    }
    int missed = b2 > 0 && h.longest / b2 > 15;
    if (missed)
        fprintf(stderr, "policy load 2027: longest hold %.1f times a clerk's write (goal: 15)\n", h.longest / b2);
    snprintf(cp, sizeof cp, "rm -rf '%s'", d27);
    if (system(cp) != 0)
        fprintf(stderr, "cannot remove %s\n", d27);
    td_db_close(st);
    td_db_close(hq);
    rm_db(hqp);
    rm_db(stp);
    remove(bundle);
    remove(join);
    remove(card);
    return missed;
}
