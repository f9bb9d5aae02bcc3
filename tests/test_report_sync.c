/* test_report_sync.c — the statistics counters (local_stats, kept by the
 * triggers of 007/017) stay current when rows arrive by a sync bundle: a
 * bundle applies a sender's UPDATE one field at a time, in column order, so a
 * state or status arrives before the date it was set with.  After the import
 * the reports must read as a full recount (`report rebuild`) would, with no
 * rebuild run.  HQ and one station in one process, files in a temp dir. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "people/person.h"
#include "report/stats.h"
#include "setup/demo.h"
#include "setup/policy_load.h"
#include "setup/setup.h"
#include "sync/enrol.h"
#include "sync/keys.h"
#include "sync/sync.h"
#include "workflow/intake.h"

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
    snprintf(w->dir, sizeof w->dir, "%s/tdrsync.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
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

/* One write transaction at the station (captured like any product write). */
static void st_write(world *w, const char *sql)
{
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_begin(w->st, &err), &err);
    assert_td_ok(td_db_exec(w->st, sql, &err), &err);
    assert_td_ok(td_db_commit(w->st, &err), &err);
}

static void ship(world *w, const char *name)
{
    td_err err;
    td_err_clear(&err);
    td_sync_export_report xr;
    assert_td_ok(td_sync_export(w->st, "CQ", path_in(w, name), true, &xr, &err), &err);
    td_sync_import_report ir;
    td_actor admin = td_test_actor(w->hq, "admin");
    assert_td_ok(td_sync_import(w->hq, &admin, path_in(w, name), &ir, &err), &err);
    assert_int_equal(ir.outcome, TD_SYNC_APPLIED);
}

/* local_stats as it is (non-zero rows) equals a recount from the rows. */
static void assert_counters_equal_rebuild(td_db *db)
{
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_exec(db, "DROP TABLE IF EXISTS temp.before; "
                                "CREATE TEMP TABLE before AS SELECT * FROM local_stats WHERE n <> 0", &err), &err);
    assert_td_ok(td_stats_rebuild(db, &err), &err);
    assert_int_equal(q_long(db, "SELECT count(*) FROM (SELECT * FROM temp.before EXCEPT "
                                "SELECT * FROM local_stats WHERE n <> 0)"), 0);
    assert_int_equal(q_long(db, "SELECT count(*) FROM (SELECT * FROM local_stats WHERE n <> 0 EXCEPT "
                                "SELECT * FROM temp.before)"), 0);
}

static void report_after_bundle_needs_no_rebuild(void **state)
{
    world *w = *state;
    td_err err;
    td_err_clear(&err);
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "李四");
    snprintf(p.id_type, sizeof p.id_type, "passport");
    snprintf(p.id_no, sizeof p.id_no, "E12345678");
    snprintf(p.phone, sizeof p.phone, "13800138000");
    assert_td_ok(td_person_add(w->st, &w->st_clerk, &p, &err), &err);
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = p.id;
    a.case_type = "service";
    a.services[0] = "startup_funding";
    a.services[1] = "free_workstation";
    td_case k;
    assert_td_ok(td_case_new(w->st, &w->st_clerk, &a, &k, &err), &err);
    ship(w, "b1.tdsb");

    /* At the station, later: both tasks started with a due date, one done in
     * time and one late, then the case closed — each one UPDATE of several
     * columns, as the workflow writes them. */
    char sql[1400];
    snprintf(sql, sizeof sql,
             "UPDATE service_requests SET status = 'in_progress', due_date = '2026-03-20', "
             "started_at = '2026-03-11T01:00:00Z', updated_at = '2026-03-11T01:00:00Z', "
             "row_version = row_version + 1 WHERE case_id = '%s'",
             k.id);
    st_write(w, sql);
    snprintf(sql, sizeof sql,
             "UPDATE service_requests SET status = 'done', finished_at = '2026-03-18T03:00:00Z', "
             "updated_at = '2026-03-18T03:00:00Z', row_version = row_version + 1 "
             "WHERE case_id = '%s' AND service_id = 'startup_funding';"
             "UPDATE service_requests SET status = 'done', finished_at = '2026-03-24T03:00:00Z', "
             "updated_at = '2026-03-24T03:00:00Z', row_version = row_version + 1 "
             "WHERE case_id = '%s' AND service_id = 'free_workstation';"
             "UPDATE cases SET state = 'closed', state_since = '2026-03-24T04:00:00Z', "
             "closed_at = '2026-03-24T04:00:00Z', updated_at = '2026-03-24T04:00:00Z', "
             "row_version = row_version + 1 WHERE id = '%s'",
             k.id, k.id, k.id);
    st_write(w, sql);
    ship(w, "b2.tdsb");

    /* HQ reports without a rebuild: March 2026 at LDN */
    td_report_filter f;
    assert_td_ok(td_report_filter_make(w->hq, "2026-03-01", "2026-03-31", "LDN", &f, &err), &err);
    td_report_summary s;
    assert_td_ok(td_report_summary_get(w->hq, &f, &s, &err), &err);
    assert_int_equal(s.cases, 1);
    assert_int_equal(s.renci, 2);
    assert_int_equal(s.ontime, 1);
    assert_int_equal(s.late, 1);
    assert_int_equal(s.closed, 1);
    assert_int_equal(s.open_cases, 0);
    /* nothing counted on a day outside the period (a date that had not arrived yet) */
    assert_int_equal(q_long(w->hq, "SELECT count(*) FROM local_stats WHERE n <> 0 AND day = ''"), 0);
    assert_counters_equal_rebuild(w->hq);

    /* a task reopened and finished again later, shipped the same way */
    snprintf(sql, sizeof sql,
             "UPDATE service_requests SET status = 'in_progress', finished_at = NULL, "
             "updated_at = '2026-03-25T01:00:00Z', row_version = row_version + 1 "
             "WHERE case_id = '%s' AND service_id = 'startup_funding'",
             k.id);
    st_write(w, sql);
    snprintf(sql, sizeof sql,
             "UPDATE service_requests SET status = 'done', finished_at = '2026-04-02T03:00:00Z', "
             "due_date = '2026-04-01', updated_at = '2026-04-02T03:00:00Z', row_version = row_version + 1 "
             "WHERE case_id = '%s' AND service_id = 'startup_funding'",
             k.id);
    st_write(w, sql);
    ship(w, "b3.tdsb");
    assert_td_ok(td_report_summary_get(w->hq, &f, &s, &err), &err);
    assert_int_equal(s.renci, 1); /* only free_workstation is still done in March */
    assert_counters_equal_rebuild(w->hq);
    /* and the station that sent it agrees with its own recount */
    assert_counters_equal_rebuild(w->st);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(report_after_bundle_needs_no_rebuild, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
