/* test_sync_batch.c — a large bundle is applied in bounded transactions
 * (src/sync/inbox.c, APPLY_BATCH) that never split a sender's transaction;
 * a failure part-way keeps what was committed, and importing the bundle
 * again applies the rest, nothing twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

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

/* A station's bundle at HQ is accepted only once the station's audit chain
 * verifies after applying it: it is applied in one transaction, so a failure
 * part-way keeps nothing of it; importing again applies it all. */
static void station_bundle_at_hq_is_applied_whole(void **state)
{
    world *w = *state;
    td_err err;
    td_err_clear(&err);
    write_1200(w->st, "(SELECT value FROM settings WHERE key = 'local_station')");
    td_sync_export_report xr;
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, "big.tdsb"), true, &xr, &err), &err);
    arm_tripwire(w->hq);
    g_calls = 0;
    g_fail_at = 700;
    td_actor admin = td_test_actor(w->hq, "admin");
    td_sync_import_report ir;
    assert_int_not_equal(td_sync_import(w->hq, &admin, path_in(w, "big.tdsb"), &ir, &err), TD_OK);
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM persons WHERE id LIKE 'p-%'"), 0);
    g_fail_at = 0;
    td_err_clear(&err);
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, "big.tdsb"), &ir, &err), &err);
    assert_int_equal(ir.outcome, TD_SYNC_APPLIED);
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM persons WHERE id LIKE 'p-%'"), 1200);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(big_bundle_in_batches_resumes_after_a_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(station_bundle_at_hq_is_applied_whole, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
