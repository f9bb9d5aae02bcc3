/* test_sync_batch.c — a large bundle is applied in bounded transactions
 * (src/sync/inbox.c, APPLY_BATCH) that never split a sender's transaction;
 * a failure part-way keeps what was committed, and importing the bundle
 * again applies the rest, nothing twice. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "test_util.h"

#include "base/audit.h"
#include "report/stats.h"
#include "setup/demo.h"
#include "setup/policy_load.h"
#include "setup/setup.h"
#include "sync/enrol.h"
#include "sync/keys.h"
#include "sync/sync.h"

typedef struct world {
    char dir[4096];
    td_db *hq, *st;
    td_actor st_clerk;
} world;

static char *path_in(world *w, const char *name)
{
    static char buf[4][4200];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 4200, "%s/%s", w->dir, name);
    return p;
}

static td_db *open_db(world *w, const char *name)
{
    td_db *db = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(path_in(w, name), &db, &err), &err);
    return db;
}

static long q_long(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static int setup(void **state)
{
    setenv("TALENTDESK_NOW", "2026-03-10T02:00:00Z", 1);
    world *w = calloc(1, sizeof *w);
    snprintf(w->dir, sizeof w->dir, "%s/tdsbatch.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(w->dir));
    td_err err;
    td_err_clear(&err);
    char data[4096];
    snprintf(data, sizeof data, "%s/data", td_test_src_dir());
    w->hq = open_db(w, "hq.db");
    assert_td_ok(td_policy_load_all(w->hq, data, NULL, &err), &err);
    assert_td_ok(td_setup_local_station(w->hq, "CQ", "重庆市留学回国人员一站式服务窗口", "hq", &err), &err);
    assert_td_ok(td_demo_users(w->hq, &err), &err);
    assert_td_ok(td_sync_keys_create(w->hq, &err), &err);
    td_actor admin = td_test_actor(w->hq, "admin");
    assert_td_ok(td_sync_enrol_station(w->hq, &admin, "LDN", "伦敦工作站", "overseas", path_in(w, "ldn.join"), &err),
                 &err);
    w->st = open_db(w, "ldn.db");
    assert_td_ok(td_policy_load_all(w->st, data, NULL, &err), &err);
    char got[12], uid[TD_UUID_LEN];
    assert_td_ok(td_sync_join(w->st, path_in(w, "ldn.join"), got, &err), &err);
    assert_td_ok(td_user_add(w->st, NULL, "clerk_ldn", "站点职员", NULL, NULL, TD_ROLE_CLERK | TD_ROLE_STATION, uid,
                             &err),
                 &err);
    w->st_clerk = td_test_actor(w->st, "clerk_ldn");
    assert_td_ok(td_sync_card_write(w->st, path_in(w, "ldn.card"), &err), &err);
    assert_td_ok(td_sync_peer_add(w->hq, path_in(w, "ldn.card"), got, &err), &err);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    td_db_close(w->hq);
    td_db_close(w->st);
    char cmd[4200 + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", w->dir);
    assert_int_equal(system(cmd), 0);
    free(w);
    unsetenv("TALENTDESK_NOW");
    return 0;
}

/* One write transaction at db (captured like any product write). */
static void db_write(td_db *db, const char *sql)
{
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_begin(db, &err), &err);
    assert_td_ok(td_db_exec(db, sql, &err), &err);
    assert_td_ok(td_db_commit(db, &err), &err);
}



static int g_calls, g_fail_at;

/* tripwire(): an SQL error on its g_fail_at-th call (0 = never). */
static void tripwire(sqlite3_context *c, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    if (g_fail_at && ++g_calls == g_fail_at) {
        sqlite3_result_error(c, "tripwire", -1);
        return;
    }
    sqlite3_result_int(c, 0);
}

static int g_commits;
static int count_commit(void *ud)
{
    (void)ud;
    g_commits++;
    return 0;
}

/* 12 transactions of 100 new persons each at db, registered at the station
 * of the SQL expression `station` (a bundle carries a station's persons):
 * 1,200 ops */
static void write_1200(td_db *db, const char *station)
{
    for (int t = 0; t < 12; t++) {
        char sql[1200];
        snprintf(sql, sizeof sql,
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) "
                 "INSERT INTO persons(id, station_id, name, id_type, id_no, created_at, updated_at) "
                 "SELECT printf('p-%%02d-%%03d', %d, i), %s, "
                 "'批量' || i, 'passport', printf('E%%02d%%05d', %d, i), '2026-03-10T02:00:00Z', "
                 "'2026-03-10T02:00:00Z' FROM n",
                 t, station, t);
        db_write(db, sql);
    }
}

/* Makes the g_fail_at-th person inserted into db fail. */
static void arm_tripwire(td_db *db)
{
    sqlite3 *h = td_db_handle(db);
    assert_int_equal(sqlite3_create_function(h, "tripwire", 0, SQLITE_UTF8, NULL, tripwire, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "CREATE TEMP TRIGGER trip AFTER INSERT ON main.persons BEGIN "
                                     "SELECT tripwire(); END", NULL, NULL, NULL), SQLITE_OK);
}

/* HQ's bundle to a station is applied in batches: a failure part-way keeps
 * the whole sender transactions before it, and importing again completes it. */
static void big_bundle_in_batches_resumes_after_a_failure(void **state)
{
    world *w = *state;
    td_err err;
    td_err_clear(&err);
    write_1200(w->hq, "(SELECT id FROM stations WHERE code = 'LDN')");
    td_sync_export_report xr;
    assert_td_ok(td_sync_export(w->hq, "LDN", path_in(w, "big.tdsb"), true, &xr, &err), &err);
    assert_true(xr.ops >= 1200);

    /* the station fails on the 700th person */
    arm_tripwire(w->st);
    g_calls = 0;
    g_fail_at = 700;
    td_actor admin = td_test_actor(w->st, "admin");
    td_sync_import_report ir;
    assert_int_not_equal(td_sync_import(w->st, &admin, path_in(w, "big.tdsb"), &ir, &err), TD_OK);
    long kept = q_long(w->st, "SELECT count(*) FROM persons WHERE id LIKE 'p-%'");
    assert_true(kept >= 500 && kept < 700); /* batches before the failure are committed */
    assert_int_equal(kept % 100, 0);        /* only whole sender transactions */
    assert_int_equal(q_long(w->st, "SELECT count(*) FROM local_sync_ops WHERE tbl = 'persons' AND applied_at "
                                   "IS NOT NULL"), kept);

    /* imported again: the rest, nothing twice, in more than one transaction */
    g_fail_at = 0;
    g_commits = 0;
    sqlite3 *h = td_db_handle(w->st);
    sqlite3_commit_hook(h, count_commit, NULL);
    td_err_clear(&err);
    assert_td_ok(td_sync_import(w->st, &admin, path_in(w, "big.tdsb"), &ir, &err), &err);
    sqlite3_commit_hook(h, NULL, NULL);
    assert_int_equal(ir.outcome, TD_SYNC_APPLIED);
    assert_int_equal(ir.applied + ir.skipped, xr.ops);
    assert_true(ir.skipped >= kept && ir.applied >= 1200 - kept);
    assert_true(g_commits >= 2);
    assert_int_equal(q_long(w->st, "SELECT count(*) FROM persons WHERE id LIKE 'p-%'"), 1200);
    assert_int_equal(q_long(w->st, "SELECT count(DISTINCT id) FROM persons WHERE id LIKE 'p-%'"), 1200);
    assert_int_equal(q_long(w->st, "SELECT count(*) FROM local_sync_conflicts"), 0);
    /* and once more: a duplicate, nothing changes */
    assert_td_ok(td_sync_import(w->st, &admin, path_in(w, "big.tdsb"), &ir, &err), &err);
    assert_int_equal(ir.outcome, TD_SYNC_DUPLICATE);
    assert_int_equal(q_long(w->st, "SELECT count(*) FROM audit_log WHERE action = 'sync.import'"), 1);
}

/* Transactions first … first + n - 1 at the station: 100 new persons
 * each, with its audit entry (td_audit). */
static void write_audited(world *w, int first, int n)
{
    td_err err;
    td_err_clear(&err);
    for (int t = first; t < first + n; t++) {
        char sql[1200], what[32];
        snprintf(sql, sizeof sql,
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) "
                 "INSERT INTO persons(id, station_id, name, id_type, id_no, created_at, updated_at) "
                 "SELECT printf('p-%%02d-%%03d', %d, i), (SELECT value FROM settings WHERE key = 'local_station'), "
                 "printf('批量%%02d号%%03d', %d, i), 'passport', printf('E%%02d%%05d', %d, i), "
                 "'2026-03-10T02:00:00Z', '2026-03-10T02:00:00Z' FROM n",
                 t, t, t);
        snprintf(what, sizeof what, "batch %d", t);
        assert_td_ok(td_db_begin(w->st, &err), &err);
        assert_td_ok(td_db_exec(w->st, sql, &err), &err);
        assert_td_ok(td_audit(w->st, &w->st_clerk, NULL, "person.add", "persons", "", "", NULL, what, "", &err), &err);
        assert_td_ok(td_db_commit(w->st, &err), &err);
    }
}

/* After a first exchange, 12 transactions of 100 new persons each at the
 * station, each with its audit entry (td_audit): 1,212 ops, the station's
 * audit rows among them. */
static void write_1200_audited(world *w)
{
    td_err err;
    td_err_clear(&err);
    /* a first exchange: HQ holds the station's chain and its key */
    td_sync_export_report xr;
    td_sync_import_report ir;
    td_actor admin = td_test_actor(w->hq, "admin");
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "first.tdsb"), true, &xr, &err), &err);
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, "first.tdsb"), &ir, &err), &err);
    assert_int_equal(ir.outcome, TD_SYNC_APPLIED);
    assert_true(q_long(w->hq, "SELECT count(*) FROM local_peer_keys") > 0);
    write_audited(w, 0, 12);
}

/* A digest of every table's content, but for what HQ's own act of
 * importing writes afresh each time: its audit entry (a new id and hash),
 * the op capturing it, the head record of HQ's chain. */
static void digest(td_db *db, char out[65])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    sqlite3_stmt *t;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                                                          "name NOT LIKE 'sqlite_%' ORDER BY name", -1, &t, NULL),
                     SQLITE_OK);
    while (sqlite3_step(t) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(t, 0);
        char sql[400];
        if (strcmp(name, "audit_log") == 0)
            snprintf(sql, sizeof sql, "SELECT * FROM audit_log WHERE station_id <> (SELECT value FROM settings "
                                      "WHERE key = 'local_station') ORDER BY 1");
        else if (strcmp(name, "local_sync_ops") == 0)
            snprintf(sql, sizeof sql, "SELECT * FROM local_sync_ops WHERE NOT (tbl = 'audit_log' AND origin = (SELECT "
                                      "value FROM settings WHERE key = 'local_station')) ORDER BY 1");
        else if (strcmp(name, "settings") == 0)
            snprintf(sql, sizeof sql, "SELECT * FROM settings WHERE key <> 'audit.head' ORDER BY 1");
        else
            snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", name);
        sqlite3_stmt *r;
        assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &r, NULL), SQLITE_OK);
        crypto_generichash_update(&h, (const unsigned char *)name, strlen(name) + 1);
        crypto_generichash_state t1;
        crypto_generichash_init(&t1, NULL, 0, 32);
        while (sqlite3_step(r) == SQLITE_ROW)
            for (int c = 0; c < sqlite3_column_count(r); c++) {
                const unsigned char *v = sqlite3_column_text(r, c);
                crypto_generichash_update(&h, v ? v : (const unsigned char *)"\x01NULL",
                                          v ? strlen((const char *)v) + 1 : 6);
                crypto_generichash_update(&t1, v ? v : (const unsigned char *)"\x01NULL",
                                          v ? strlen((const char *)v) + 1 : 6);
            }
        if (getenv("TD_DIGEST_DEBUG")) {
            unsigned char b1[32];
            char x1[65];
            crypto_generichash_final(&t1, b1, sizeof b1);
            sodium_bin2hex(x1, 65, b1, sizeof b1);
            fprintf(stderr, "%s %.12s\n", name, x1);
        }
        sqlite3_finalize(r);
    }
    sqlite3_finalize(t);
    unsigned char bin[32];
    crypto_generichash_final(&h, bin, sizeof bin);
    sodium_bin2hex(out, 65, bin, sizeof bin);
}

static void audit_ok(td_db *db)
{
    td_audit_report r;
    td_err err;
    td_err_clear(&err);
    if (td_audit_verify(db, &r, &err) != TD_OK)
        fail_msg("audit verify: %s", err.msg);
    assert_int_equal(r.unverified, 0);
}

/* A station's bundle at HQ is applied in batches too (its audit rows are
 * checked before anything is applied): a failure part-way keeps whole sender
 * transactions, the station's chain as held at HQ verifies in between, and
 * importing again completes it, nothing twice. */
static void station_bundle_at_hq_in_batches_resumes_after_a_failure(void **state)
{
    world *w = *state;
    td_err err;
    td_err_clear(&err);
    write_1200_audited(w);
    td_sync_export_report xr;
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "big.tdsb"), true, &xr, &err), &err);
    assert_true(xr.ops >= 1212);
    arm_tripwire(w->hq);
    g_calls = 0;
    g_fail_at = 700;
    td_actor admin = td_test_actor(w->hq, "admin");
    td_sync_import_report ir;
    assert_int_not_equal(td_sync_import(w->hq, &admin, path_in(w, "big.tdsb"), &ir, &err), TD_OK);
    long kept = q_long(w->hq, "SELECT count(*) FROM persons WHERE id LIKE 'p-%'");
    assert_true(kept >= 500 && kept < 700);
    assert_int_equal(kept % 100, 0);
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM audit_log WHERE action = 'person.add' AND new_value LIKE "
                                   "'batch %'"), kept / 100);
    audit_ok(w->hq); /* what is committed is a verified part of the chain */
    g_fail_at = 0;
    g_commits = 0;
    sqlite3 *h = td_db_handle(w->hq);
    sqlite3_commit_hook(h, count_commit, NULL);
    td_err_clear(&err);
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, "big.tdsb"), &ir, &err), &err);
    sqlite3_commit_hook(h, NULL, NULL);
    assert_int_equal(ir.outcome, TD_SYNC_APPLIED);
    assert_int_equal(ir.applied + ir.skipped, xr.ops);
    assert_true(g_commits >= 2);
    assert_int_equal(q_long(w->hq, "SELECT count(DISTINCT id) FROM persons WHERE id LIKE 'p-%'"), 1200);
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM local_sync_conflicts"), 0);
    audit_ok(w->hq);
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, "big.tdsb"), &ir, &err), &err);
    assert_int_equal(ir.outcome, TD_SYNC_DUPLICATE);
}

static td_db *g_other;     /* a second connection to HQ's file */
static int g_begins, g_between; /* batches begun; writes by g_other that got in between */

/* On every BEGIN IMMEDIATE of the importing connection but the first, the
 * other connection tries to take the write lock at once (no busy wait). */
static int on_begin(unsigned type, void *ud, void *p, void *x)
{
    (void)ud;
    (void)x;
    const char *sql = type == SQLITE_TRACE_STMT ? sqlite3_sql((sqlite3_stmt *)p) : NULL;
    if (!sql || strncmp(sql, "BEGIN IMMEDIATE", 15) != 0 || ++g_begins < 2)
        return 0;
    sqlite3 *o = td_db_handle(g_other);
    sqlite3_busy_timeout(o, 0);
    if (sqlite3_exec(o, "BEGIN IMMEDIATE; UPDATE settings SET value = value WHERE key = 'local_station'; COMMIT",
                     NULL, NULL, NULL) == SQLITE_OK)
        g_between++;
    else
        sqlite3_exec(o, "ROLLBACK", NULL, NULL, NULL);
    return 0;
}

/* Between two batches of a station's bundle at HQ the write lock is free:
 * another connection writes there. */
static void hq_releases_the_lock_between_batches(void **state)
{
    world *w = *state;
    td_err err;
    td_err_clear(&err);
    write_1200_audited(w);
    td_sync_export_report xr;
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "big.tdsb"), true, &xr, &err), &err);
    g_other = open_db(w, "hq.db");
    g_begins = g_between = 0;
    sqlite3_trace_v2(td_db_handle(w->hq), SQLITE_TRACE_STMT, on_begin, NULL);
    td_actor admin = td_test_actor(w->hq, "admin");
    td_sync_import_report ir;
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, "big.tdsb"), &ir, &err), &err);
    sqlite3_trace_v2(td_db_handle(w->hq), 0, NULL, NULL);
    td_db_close(g_other);
    assert_int_equal(ir.outcome, TD_SYNC_APPLIED);
    assert_true(g_between >= 2); /* 1,212 ops in batches of about 500 */
    assert_int_equal(g_between, g_begins - 1);
    audit_ok(w->hq);
}

/* Copies HQ's database (and the key files beside it) to name. */
static void copy_hq(world *w, const char *name)
{
    char sql[4300];
    snprintf(sql, sizeof sql, "VACUUM INTO '%s'", path_in(w, name));
    assert_int_equal(sqlite3_exec(td_db_handle(w->hq), sql, NULL, NULL, NULL), SQLITE_OK);
    const char *ext[] = { ".key", ".keys" };
    for (int i = 0; i < 2; i++) {
        char cmd[9000];
        snprintf(cmd, sizeof cmd, "if [ -e '%s/hq.db%s' ]; then cp -p '%s/hq.db%s' '%s%s'; fi", w->dir, ext[i], w->dir,
                 ext[i], path_in(w, name), ext[i]);
        assert_int_equal(system(cmd), 0);
    }
}

static int g_kill_at;
static void killer(sqlite3_context *c, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    if (g_kill_at && ++g_calls == g_kill_at)
        raise(SIGKILL);
    sqlite3_result_int(c, 0);
}

/* Imports the bundle into the database `name` in a child process killed
 * (SIGKILL) at the kill_at-th person it inserts. */
static void import_killed(world *w, const char *name, const char *bundle, int kill_at)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        td_db *db = NULL;
        td_err err;
        td_err_clear(&err);
        if (td_db_open(path_in(w, name), &db, &err))
            _exit(3);
        sqlite3 *h = td_db_handle(db);
        g_calls = 0;
        g_kill_at = kill_at;
        sqlite3_create_function(h, "killer", 0, SQLITE_UTF8, NULL, killer, NULL, NULL);
        sqlite3_exec(h, "CREATE TEMP TRIGGER kill AFTER INSERT ON main.persons BEGIN SELECT killer(); END", NULL, NULL,
                     NULL);
        td_actor admin = td_test_actor(db, "admin");
        td_sync_import_report ir;
        td_sync_import(db, &admin, path_in(w, bundle), &ir, &err);
        _exit(4); /* not reached: killed before the end */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/* A station's bundle at HQ, the importing process killed (kill -9) in the
 * first batch, in the middle and in the last: imported again, the database
 * is the same as after an import that was never interrupted (each op
 * applied exactly once), and its audit chains verify. */
static void hq_import_killed_completes_exactly_once(void **state)
{
    world *w = *state;
    td_err err;
    td_err_clear(&err);
    write_1200_audited(w);
    td_sync_export_report xr;
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "big.tdsb"), true, &xr, &err), &err);
    copy_hq(w, "ref.db");
    const int at[] = { 150, 700, 1150 };
    const long committed_min[] = { 0, 500, 1000 };
    for (int k = 0; k < 3; k++) {
        char name[32];
        snprintf(name, sizeof name, "kill%d.db", k);
        copy_hq(w, name);
        import_killed(w, name, "big.tdsb", at[k]);
        td_db *db = open_db(w, name);
        long kept = q_long(db, "SELECT count(*) FROM persons WHERE id LIKE 'p-%'");
        assert_true(kept >= committed_min[k] && kept < at[k] && kept % 100 == 0);
        audit_ok(db);
        td_actor admin = td_test_actor(db, "admin");
        td_sync_import_report ir;
        assert_td_ok(td_sync_import(db, &admin, path_in(w, "big.tdsb"), &ir, &err), &err);
        assert_int_equal(ir.outcome, TD_SYNC_APPLIED);
        assert_int_equal(ir.applied + ir.skipped, xr.ops);
        assert_true(ir.skipped >= kept);
        audit_ok(db);
        char d[65];
        digest(db, d);
        td_db_close(db);
        /* the same import, never interrupted */
        td_db *ref = open_db(w, "ref.db");
        if (k == 0) {
            td_actor radmin = td_test_actor(ref, "admin");
            assert_td_ok(td_sync_import(ref, &radmin, path_in(w, "big.tdsb"), &ir, &err), &err);
            assert_int_equal(ir.applied, xr.ops);
        }
        char want[65];
        digest(ref, want);
        td_db_close(ref);
        assert_string_equal(d, want);
    }
}

/* The station's ops, edited in place by sql (then exported in full and
 * restored): what a station's database changed behind its back sends.
 * Returns how many distinct audit rows the edited ops carried. */
static long export_edited(world *w, const char *sql, const char *bundle)
{
    td_err err;
    td_err_clear(&err);
    sqlite3 *h = td_db_handle(w->st);
    assert_int_equal(sqlite3_exec(h, "DROP TABLE IF EXISTS temp.keep; CREATE TEMP TABLE keep AS SELECT * FROM "
                                     "local_sync_ops", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    long rows = q_long(w->st, "SELECT count(DISTINCT new) FROM local_sync_ops WHERE tbl = 'audit_log'");
    td_sync_export_report xr;
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, bundle), false, &xr, &err), &err);
    assert_int_equal(sqlite3_exec(h, "DELETE FROM main.local_sync_ops; INSERT INTO main.local_sync_ops SELECT * FROM "
                                     "temp.keep", NULL, NULL, NULL), SQLITE_OK);
    return rows;
}

/* The station's audit ops (origin the station, table audit_log), by position. */
#define AUDIT_OP(n)                                                                                                  \
    "(SELECT id FROM local_sync_ops WHERE tbl = 'audit_log' AND kind = 'I' AND origin = (SELECT value FROM "       \
    "settings WHERE key = 'local_station') ORDER BY seq LIMIT 1 OFFSET " #n ")"

/* A station's bundle whose audit rows were tampered with, cut (in the middle,
 * at the end) or reordered is refused at HQ with a message naming the
 * audit log, and changes nothing there, though it is larger than a batch;
 * the bundle as made is then applied. */
static void hq_refuses_bundle_with_bad_audit_rows(void **state)
{
    world *w = *state;
    td_err err;
    td_err_clear(&err);
    write_1200_audited(w);
    td_actor admin = td_test_actor(w->hq, "admin");
    long n = q_long(w->st, "SELECT count(*) FROM local_sync_ops WHERE tbl = 'audit_log' AND origin = (SELECT value "
                           "FROM settings WHERE key = 'local_station')");
    assert_true(n >= 12);
    char sql[2000];
    const char *edits[] = {
        /* tampered: the reason of the 12th audit row of the batches */
        "UPDATE local_sync_ops SET new = json_set(new, '$.reason', 'batch 99') WHERE id = " AUDIT_OP(12),
        /* cut in the middle */
        "DELETE FROM local_sync_ops WHERE id = " AUDIT_OP(8),
        /* cut at the end (the header's anchor is not reached) */
        NULL,
        /* reordered: the rows of two ops swapped (read from the copy export_edited keeps) */
        "UPDATE local_sync_ops SET new = (SELECT k.new FROM temp.keep k WHERE k.id = CASE local_sync_ops.id WHEN "
        AUDIT_OP(9) " THEN " AUDIT_OP(10) " ELSE " AUDIT_OP(9) " END), row_id = (SELECT k.row_id FROM temp.keep k "
        "WHERE k.id = CASE local_sync_ops.id WHEN " AUDIT_OP(9) " THEN " AUDIT_OP(10) " ELSE " AUDIT_OP(9) " END) "
        "WHERE id IN (" AUDIT_OP(9) ", " AUDIT_OP(10) ")",
    };
    char d1[65], d2[65];
    digest(w->hq, d1);
    for (int i = 0; i < 4; i++) {
        if (edits[i])
            snprintf(sql, sizeof sql, "%s", edits[i]);
        else
            snprintf(sql, sizeof sql, "DELETE FROM local_sync_ops WHERE id = (SELECT id FROM local_sync_ops WHERE "
                                      "tbl = 'audit_log' AND origin = (SELECT value FROM settings WHERE key = "
                                      "'local_station') ORDER BY seq DESC LIMIT 1)");
        char name[32];
        snprintf(name, sizeof name, "bad%d.tdsb", i);
        long rows = export_edited(w, sql, name);
        if (i == 3) /* reordered, not lost: every row still there once */
            assert_int_equal(rows, q_long(w->st, "SELECT count(DISTINCT new) FROM local_sync_ops WHERE tbl = "
                                                 "'audit_log'"));
        td_sync_import_report ir;
        td_err_clear(&err);
        td_status got = td_sync_import(w->hq, &admin, path_in(w, name), &ir, &err);
        if (got != TD_ECONFLICT)
            fail_msg("case %d: import gave %d, not a refusal", i, (int)got);
        if (!strstr(err.msg, "审计日志") && !strstr(err.msg, "audit log"))
            fail_msg("case %d, message: %s", i, err.msg);
        digest(w->hq, d2);
        if (strcmp(d1, d2) != 0)
            fail_msg("case %d changed HQ: %s", i, err.msg);
    }
    td_sync_export_report xr;
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "good.tdsb"), false, &xr, &err), &err);
    td_sync_import_report ir;
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, "good.tdsb"), &ir, &err), &err);
    assert_int_equal(ir.outcome, TD_SYNC_APPLIED);
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM persons WHERE id LIKE 'p-%'"), 1200);
    audit_ok(w->hq);
}

/* Held bundles at HQ: one whose audit rows were tampered with is checked
 * when the bundle that fills the gap before it would release it, and the
 * import is refused whole, nothing of either applied; a full re-export
 * then brings it all, and the held one (now covered) is released.  Later an
 * intact held bundle is released and verifies. */
static void hq_checks_held_bundles_when_released(void **state)
{
    world *w = *state;
    td_err err;
    td_err_clear(&err);
    write_1200_audited(w); /* first exchange, then 12 transactions */
    td_actor admin = td_test_actor(w->hq, "admin");
    td_sync_export_report xr;
    td_sync_import_report ir;
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "a.tdsb"), true, &xr, &err), &err);
    write_audited(w, 12, 3);
    /* b: the three new transactions, the audit row of the second altered */
    sqlite3 *h = td_db_handle(w->st);
    assert_int_equal(sqlite3_exec(h, "DROP TABLE IF EXISTS temp.keep; CREATE TEMP TABLE keep AS SELECT * FROM "
                                     "local_sync_ops; UPDATE local_sync_ops SET new = json_set(new, '$.new_value', "
                                     "'batch 99') WHERE tbl = 'audit_log' AND json_extract(new, '$.new_value') = "
                                     "'batch 13'", NULL, NULL, NULL), SQLITE_OK);
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "b.tdsb"), true, &xr, &err), &err);
    assert_int_equal(sqlite3_exec(h, "DELETE FROM main.local_sync_ops; INSERT INTO main.local_sync_ops SELECT * FROM "
                                     "temp.keep", NULL, NULL, NULL), SQLITE_OK);
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, "b.tdsb"), &ir, &err), &err);
    assert_int_equal(ir.outcome, TD_SYNC_HELD);
    char d1[65], d2[65];
    digest(w->hq, d1);
    td_err_clear(&err);
    assert_int_equal(td_sync_import(w->hq, &admin, path_in(w, "a.tdsb"), &ir, &err), TD_ECONFLICT);
    if (!strstr(err.msg, "审计日志") && !strstr(err.msg, "audit log"))
        fail_msg("message: %s", err.msg);
    digest(w->hq, d2);
    assert_string_equal(d1, d2);
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM persons WHERE id LIKE 'p-%'"), 0);

    /* everything not acknowledged, as made: applied; the held one is covered */
    td_err_clear(&err);
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "full.tdsb"), false, &xr, &err), &err);
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, "full.tdsb"), &ir, &err), &err);
    assert_int_equal(ir.outcome, TD_SYNC_APPLIED);
    assert_int_equal(ir.released, 1);
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM persons WHERE id LIKE 'p-%'"), 1500);
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM audit_log WHERE new_value = 'batch 99'"), 0);
    audit_ok(w->hq);

    /* an intact held bundle, released by the one before it */
    write_audited(w, 15, 2);
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "c.tdsb"), true, &xr, &err), &err);
    write_audited(w, 17, 2);
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "d.tdsb"), true, &xr, &err), &err);
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, "d.tdsb"), &ir, &err), &err);
    assert_int_equal(ir.outcome, TD_SYNC_HELD);
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, "c.tdsb"), &ir, &err), &err);
    assert_int_equal(ir.outcome, TD_SYNC_APPLIED);
    assert_int_equal(ir.released, 1);
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM persons WHERE id LIKE 'p-%'"), 1900);
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM local_sync_bundles WHERE status = 'held'"), 0);
    audit_ok(w->hq);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(big_bundle_in_batches_resumes_after_a_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(station_bundle_at_hq_in_batches_resumes_after_a_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(hq_releases_the_lock_between_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(hq_import_killed_completes_exactly_once, setup, teardown),
        cmocka_unit_test_setup_teardown(hq_refuses_bundle_with_bad_audit_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(hq_checks_held_bundles_when_released, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
