/* test_db.c — database file, pragmas, migrations, schema conventions. */
#include "test_util.h"
#include "base/db.h"
#include "base/uuid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int64_t q_int(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char *q_text(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

static void file_pragmas(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".db");
    td_db *db = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(path, &db, &err), &err);
    char *jm = q_text(db, "PRAGMA journal_mode");
    assert_string_equal(jm, "wal");
    free(jm);
    assert_int_equal(q_int(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(q_int(db, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(q_int(db, "PRAGMA busy_timeout"), 5000);
    assert_int_equal(td_db_schema_version(db), td_db_schema_latest());
    td_db_close(db);
    /* reopening an up-to-date file changes nothing */
    assert_td_ok(td_db_open(path, &db, &err), &err);
    assert_int_equal(td_db_schema_version(db), td_db_schema_latest());
    td_db_close(db);
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    unlink(path);
    free(path);
}

/* Every table except the local ones follows the synchronised-row rules. */
static void sync_tables_have_text_keys(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db),
                                        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                                        "LIKE 'sqlite_%' AND name NOT IN ('settings','counters',"
                                        "'calendar_years') AND name NOT LIKE '%_fts%' AND name NOT LIKE "
                                        "'local_%' ORDER BY name",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int tables = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('%s')", t);
        sqlite3_stmt *ti;
        assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &ti, NULL), SQLITE_OK);
        bool id_ok = false, created = false, updated = false, version = false, deleted = false;
        int pks = 0;
        while (sqlite3_step(ti) == SQLITE_ROW) {
            const char *col = (const char *)sqlite3_column_text(ti, 0);
            const char *type = (const char *)sqlite3_column_text(ti, 1);
            int notnull = sqlite3_column_int(ti, 2), pk = sqlite3_column_int(ti, 3);
            if (pk)
                pks++;
            if (strcmp(col, "id") == 0 && pk == 1 && notnull && strcmp(type, "TEXT") == 0)
                id_ok = true;
            created |= strcmp(col, "created_at") == 0 && notnull;
            updated |= strcmp(col, "updated_at") == 0 && notnull;
            version |= strcmp(col, "row_version") == 0 && notnull;
            deleted |= strcmp(col, "deleted_at") == 0;
        }
        sqlite3_finalize(ti);
        if (!(id_ok && pks == 1 && created && updated && version && deleted))
            fail_msg("table %s breaks the synchronised-row conventions", t);
        /* …and refuses hard deletes */
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND "
                                  "tbl_name = '%s' AND sql LIKE '%%BEFORE DELETE%%'", t);
        if (q_int(db, sql) < 1)
            fail_msg("table %s has no delete-refusing trigger", t);
        tables++;
    }
    sqlite3_finalize(st);
    assert_true(tables >= 15);
    td_db_close(db);
}

static void delete_refused(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_exec(db,
                            "INSERT INTO stations(id, code, name, kind, created_at, updated_at) "
                            "VALUES('s1','CQ','x','hq','t','t')",
                            &err),
                 &err);
    assert_int_equal(td_db_exec(db, "DELETE FROM stations", &err), TD_EDB);
    assert_non_null(strstr(err.msg, "never deleted"));
    assert_int_equal(q_int(db, "SELECT count(*) FROM stations"), 1);
    td_db_close(db);
}

static void newer_file_refused(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".db");
    td_db *db = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(path, &db, &err), &err);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", td_db_schema_latest() + 5);
    assert_td_ok(td_db_exec(db, sql, &err), &err);
    td_db_close(db);
    assert_int_equal(td_db_open(path, &db, &err), TD_EDB);
    assert_null(db);
    assert_non_null(strstr(err.msg, "TalentDesk"));
    unlink(path);
    free(path);
}

/* An older file (here: only migration 1 applied) is upgraded in place and
 * keeps its rows. */
static void upgrade_in_place(void **state)
{
    (void)state;
    if (td_db_schema_latest() < 2)
        skip();
    extern const char *const td_migrations[];
    char *path = td_test_tmpfile(".db");
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, td_migrations[0], NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "INSERT INTO stations(id, code, name, kind, created_at, updated_at) "
                                  "VALUES('s1','CQ','重庆','hq','t','t'); PRAGMA user_version = 1;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    td_db *db = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(path, &db, &err), &err);
    assert_int_equal(td_db_schema_version(db), td_db_schema_latest());
    assert_int_equal(q_int(db, "SELECT count(*) FROM stations WHERE name = '重庆'"), 1);
    td_db_close(db);
    unlink(path);
    free(path);
}

static void transactions(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_begin(db, &err), &err);
    assert_true(td_db_in_tx(db));
    assert_int_equal(td_db_begin(db, &err), TD_ERR); /* no nesting */
    assert_td_ok(td_db_setting_set(db, "k", "v1", &err), &err);
    td_db_rollback(db);
    assert_false(td_db_in_tx(db));
    char buf[16];
    assert_false(td_db_setting_get(db, "k", buf, sizeof buf));
    assert_td_ok(td_db_begin(db, &err), &err);
    assert_td_ok(td_db_setting_set(db, "k", "v2", &err), &err);
    assert_td_ok(td_db_commit(db, &err), &err);
    assert_true(td_db_setting_get(db, "k", buf, sizeof buf));
    assert_string_equal(buf, "v2");
    assert_int_equal(td_db_commit(db, &err), TD_ERR);
    td_db_close(db);
}

/* A second connection cannot write while the first holds BEGIN IMMEDIATE; it
 * gets a clear "busy" message instead of a deferred-lock surprise. */
static void immediate_locks(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".db");
    td_db *a = NULL, *b = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(path, &a, &err), &err);
    assert_td_ok(td_db_open(path, &b, &err), &err);
    sqlite3_busy_timeout(td_db_handle(b), 50);
    assert_td_ok(td_db_begin(a, &err), &err);
    assert_int_equal(td_db_begin(b, &err), TD_EDB);
    assert_non_null(strstr(err.msg, "重试"));
    td_db_rollback(a);
    assert_td_ok(td_db_begin(b, &err), &err);
    td_db_rollback(b);
    td_db_close(a);
    td_db_close(b);
    unlink(path);
    free(path);
}

static void col_copy_never_splits(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), "SELECT '张三丰'", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char buf[8]; /* room for two characters (6 bytes) + part of the third */
    td_col_copy(st, 0, buf, sizeof buf);
    assert_string_equal(buf, "张三");
    sqlite3_finalize(st);
    td_db_close(db);
}

static void uuids(void **state)
{
    (void)state;
    char a[TD_UUID_LEN], b[TD_UUID_LEN];
    td_uuid7(a);
    for (int i = 0; i < 5000; i++) {
        td_uuid7(b);
        assert_true(td_uuid_valid(b));
        assert_int_equal(b[14], '7'); /* version */
        assert_true(strchr("89ab", b[19]) != NULL); /* variant */
        assert_true(strcmp(a, b) < 0); /* time-ordered, monotonic */
        memcpy(a, b, sizeof a);
    }
    assert_false(td_uuid_valid("not-a-uuid"));
    assert_false(td_uuid_valid("0190ABCD-0000-7000-8000-000000000000"));
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_pragmas),     cmocka_unit_test(sync_tables_have_text_keys),
        cmocka_unit_test(delete_refused),   cmocka_unit_test(newer_file_refused),
        cmocka_unit_test(upgrade_in_place), cmocka_unit_test(transactions),
        cmocka_unit_test(immediate_locks),  cmocka_unit_test(col_copy_never_splits),
        cmocka_unit_test(uuids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
