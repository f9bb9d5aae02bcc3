/* test_db_check.c — the quick_check before a command's first write runs once
 * per change of the file ("<db>.checked", src/base/dbcheck.h): skipped for
 * a file this program left as it was checked, run again after a foreign
 * change, after damage (and the write refused), when the memory is old,
 * malformed or missing. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include "base/dbcheck.h"

static char g_dir[4096], g_db[4200], g_memo[4300];

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "%s/tddbcheck.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(g_dir));
    snprintf(g_db, sizeof g_db, "%s/t.db", g_dir);
    snprintf(g_memo, sizeof g_memo, "%s.checked", g_db);
    td_db *db;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(g_db, &db, &err), &err);
    /* some pages worth damaging */
    assert_td_ok(td_db_exec(db, "CREATE TABLE filler(x TEXT); CREATE INDEX filler_x ON filler(x);"
                                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                                "INSERT INTO filler SELECT printf('%08d-%s', i, hex(randomblob(20))) FROM n", &err),
                 &err);
    td_db_close(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

/* One command's write: open as the CLI does, one transaction, close.
 * Returns the status of td_db_begin. */
static td_status one_write(void)
{
    td_db *db;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open_ex(g_db, TD_DB_CHECK_WRITES, &db, &err), &err);
    td_status s = td_db_begin(db, &err);
    if (s == TD_OK) {
        assert_td_ok(td_db_setting_set(db, "t", "v", &err), &err);
        assert_td_ok(td_db_commit(db, &err), &err);
    }
    td_db_close(db);
    return s;
}

static bool file_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

static void once_per_change_of_the_file(void **state)
{
    (void)state;
    long n0 = td_db_quick_checks();
    assert_int_equal(one_write(), TD_OK);
    assert_int_equal(td_db_quick_checks(), n0 + 1);
    assert_true(file_exists(g_memo));
    struct stat sb;
    assert_int_equal(stat(g_memo, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* the next commands find the file as they left it */
    for (int i = 0; i < 3; i++)
        assert_int_equal(one_write(), TD_OK);
    assert_int_equal(td_db_quick_checks(), n0 + 1);

    /* a change made by another program (a plain SQLite connection) */
    sqlite3 *h;
    assert_int_equal(sqlite3_open(g_db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "INSERT INTO filler VALUES ('x')", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h); /* checkpoints into the main file */
    assert_int_equal(one_write(), TD_OK);
    assert_int_equal(td_db_quick_checks(), n0 + 2);
    assert_int_equal(one_write(), TD_OK);
    assert_int_equal(td_db_quick_checks(), n0 + 2);

    /* a touch (same content, new stamps) */
    assert_int_equal(utimensat(AT_FDCWD, g_db, NULL, 0), 0);
    assert_int_equal(one_write(), TD_OK);
    assert_int_equal(td_db_quick_checks(), n0 + 3);

    /* a memory that is malformed, or older than a day, is not trusted */
    FILE *f = fopen(g_memo, "w");
    assert_non_null(f);
    fputs("talentdesk-quick-check 1 garbage\n", f);
    fclose(f);
    assert_int_equal(one_write(), TD_OK);
    assert_int_equal(td_db_quick_checks(), n0 + 4);
    char line[300], head[300];
    f = fopen(g_memo, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    char *sp = strrchr(line, ' ');
    assert_non_null(sp);
    snprintf(head, sizeof head, "%.*s %lld\n", (int)(sp - line), line, (long long)time(NULL) - TD_DBCHECK_MAX_AGE - 5);
    f = fopen(g_memo, "w");
    assert_non_null(f);
    fputs(head, f);
    fclose(f);
    assert_int_equal(one_write(), TD_OK);
    assert_int_equal(td_db_quick_checks(), n0 + 5);
    unlink(g_memo);
    assert_int_equal(one_write(), TD_OK);
    assert_int_equal(td_db_quick_checks(), n0 + 6);
}

static void damage_is_caught_after_a_remembered_check(void **state)
{
    (void)state;
    assert_int_equal(one_write(), TD_OK);
    assert_int_equal(one_write(), TD_OK);
    long n0 = td_db_quick_checks();
    assert_true(file_exists(g_memo));
    /* zero the header of the index's root page, the size kept, right after the command */
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(g_db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM "
                                           "sqlite_schema WHERE name = 'filler_x'", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long pg = sqlite3_column_int(st, 0), psz = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(h);
    struct stat before, after;
    assert_int_equal(stat(g_db, &before), 0);
    int fd = open(g_db, O_WRONLY);
    assert_true(fd >= 0);
    static const char zero[8];
    assert_int_equal(pwrite(fd, zero, sizeof zero, (off_t)((pg - 1) * psz)), (ssize_t)sizeof zero);
    close(fd);
    assert_int_equal(stat(g_db, &after), 0);
    assert_int_equal(before.st_size, after.st_size);
    td_db *db;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open_ex(g_db, TD_DB_CHECK_WRITES, &db, &err), &err);
    assert_int_equal(td_db_begin(db, &err), TD_EDB);
    assert_non_null(strstr(err.msg, "talentdesk check"));
    td_db_close(db);
    assert_int_equal(td_db_quick_checks(), n0 + 1);
    /* and a failed check is not remembered: the next command checks again */
    assert_false(file_exists(g_memo));
    assert_int_equal(one_write(), TD_EDB);
    assert_int_equal(td_db_quick_checks(), n0 + 2);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(once_per_change_of_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(damage_is_caught_after_a_remembered_check, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
