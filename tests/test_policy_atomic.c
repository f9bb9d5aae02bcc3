/* test_policy_atomic.c — `policy load` is all or nothing: a file that fails
 * at a later step (the targets, after the reference data and the workflow
 * were written) leaves every policy table and version as it was, and the
 * next good load goes through. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "setup/policy_load.h"

static long q_long(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static void text(td_db *db, const char *sql, char *out, size_t len)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    out[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void a_late_failure_loads_nothing(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor admin = td_test_actor(db, "admin");
    char *dir = td_test_tmpfile(".data");
    char cmd[8400];
    /* data/ with a renamed service (reference data, loaded first) and a
     * target with no number (refused when the targets load, last) */
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s' && cp -r '%s/data/.' '%s/' && "
             "sed -i 's/^name = 留创园免费工位$/name = 留创园免费工位（新）/' '%s/services.tdp' && "
             "sed -i '0,/^target = 100000$/s//target = many/' '%s/targets.tdp'",
             dir, td_test_src_dir(), dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    long versions = q_long(db, "SELECT count(*) FROM policy_versions");
    long audits = q_long(db, "SELECT count(*) FROM audit_log");
    td_due_report rep;
    td_err err;
    td_err_clear(&err);
    assert_int_not_equal(td_policy_load_as(db, &admin, dir, &rep, &err), TD_OK);
    assert_non_null(strstr(err.msg, "targets.tdp"));
    char name[200];
    text(db, "SELECT name FROM services WHERE id = 'free_workstation'", name, sizeof name);
    assert_string_equal(name, "留创园免费工位");
    assert_int_equal(q_long(db, "SELECT count(*) FROM policy_versions"), versions);
    assert_int_equal(q_long(db, "SELECT count(*) FROM audit_log"), audits);
    assert_false(td_db_in_tx(db));
    /* the targets put right: the whole load goes through */
    snprintf(cmd, sizeof cmd, "sed -i 's/^target = many$/target = 100000/' '%s/targets.tdp'", dir);
    assert_int_equal(system(cmd), 0);
    td_err_clear(&err);
    assert_td_ok(td_policy_load_as(db, &admin, dir, &rep, &err), &err);
    text(db, "SELECT name FROM services WHERE id = 'free_workstation'", name, sizeof name);
    assert_string_equal(name, "留创园免费工位（新）");
    assert_true(q_long(db, "SELECT count(*) FROM policy_versions") > versions);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_late_failure_loads_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
