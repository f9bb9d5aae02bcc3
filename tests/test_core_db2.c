/* test_core_db2.c — database file behaviour (settings, column copy, WAL
 * reopen, two connections, newer files), default paths and policy-file
 * reader edge cases. */
#include "test_util.h"
#include "base/paths.h"
#include "policy/policyfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void settings_round_trip(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    char buf[64];
    assert_false(td_db_setting_get(db, "no.such.key", buf, sizeof buf));
    assert_td_ok(td_db_setting_set(db, "k", "值一", &err), &err);
    assert_true(td_db_setting_get(db, "k", buf, sizeof buf));
    assert_string_equal(buf, "值一");
    assert_td_ok(td_db_setting_set(db, "k", "", &err), &err);
    assert_true(td_db_setting_get(db, "k", buf, sizeof buf));
    assert_string_equal(buf, "");
    assert_td_ok(td_db_setting_set(db, "k", "second", &err), &err);
    /* a short buffer gets a truncated, terminated copy */
    char small[4];
    assert_true(td_db_setting_get(db, "k", small, sizeof small));
    assert_string_equal(small, "sec");
    td_db_close(db);
}

static void col_copy_truncation(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), "SELECT '张三李', NULL, 'abcdef'", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char b[8];
    memset(b, 'x', sizeof b);
    td_col_copy(st, 0, b, sizeof b); /* 9 bytes into 8: must not cut 李 */
    assert_string_equal(b, "张三");
    char b2[4];
    td_col_copy(st, 0, b2, sizeof b2);
    assert_string_equal(b2, "张");
    char b3[3];
    td_col_copy(st, 0, b3, sizeof b3);
    assert_string_equal(b3, "");
    char n[8] = "junk";
    td_col_copy(st, 1, n, sizeof n);
    assert_string_equal(n, "");
    char a[4];
    td_col_copy(st, 2, a, sizeof a);
    assert_string_equal(a, "abc");
    sqlite3_finalize(st);
    td_db_close(db);
}

static void file_wal_reopen_and_busy(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".db");
    td_db *a = NULL, *b = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(path, &a, &err), &err);
    assert_int_equal(td_db_schema_version(a), td_db_schema_latest());
    assert_td_ok(td_db_setting_set(a, "persist", "yes", &err), &err);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(a), "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    td_db_close(a);
    /* reopen: data kept, migrations not re-run */
    assert_td_ok(td_db_open(path, &a, &err), &err);
    char buf[16];
    assert_true(td_db_setting_get(a, "persist", buf, sizeof buf));
    assert_string_equal(buf, "yes");
    assert_td_ok(td_db_open(path, &b, &err), &err);
    /* nested begin is a programming error */
    assert_td_ok(td_db_begin(a, &err), &err);
    assert_true(td_db_in_tx(a));
    assert_int_equal(td_db_begin(a, &err), TD_ERR);
    /* second writer waits, then fails with TD_EDB (busy) without hanging forever */
    sqlite3_busy_timeout(td_db_handle(b), 50);
    assert_int_equal(td_db_begin(b, &err), TD_EDB);
    assert_false(td_db_in_tx(b));
    /* readers still read the committed value in WAL mode */
    assert_true(td_db_setting_get(b, "persist", buf, sizeof buf));
    td_db_rollback(a);
    assert_false(td_db_in_tx(a));
    assert_td_ok(td_db_begin(b, &err), &err);
    assert_td_ok(td_db_commit(b, &err), &err);
    td_db_close(a);
    td_db_close(b);
    unlink(path);
    free(path);
}

static void newer_file_refused(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".db");
    td_db *a = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(path, &a, &err), &err);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", td_db_schema_latest() + 1);
    assert_td_ok(td_db_exec(a, sql, &err), &err);
    td_db_close(a);
    a = (td_db *)1;
    assert_int_equal(td_db_open(path, &a, &err), TD_EDB);
    assert_null(a);
    assert_true(err.msg[0] != '\0');
    unlink(path);
    free(path);
}

static void default_db_path_creates_dir(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/td_xdg_XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char xdg[300];
    snprintf(xdg, sizeof xdg, "%s/deep/er", tmpl);
    setenv("XDG_DATA_HOME", xdg, 1);
    char buf[512];
    const char *p = td_default_db_path(buf, sizeof buf);
    char want[512];
    snprintf(want, sizeof want, "%s/talentdesk/talentdesk.db", xdg);
    assert_string_equal(p, want);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/talentdesk", xdg);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    /* without XDG_DATA_HOME: under $HOME/.local/share */
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", tmpl, 1);
    p = td_default_db_path(buf, sizeof buf);
    snprintf(want, sizeof want, "%s/.local/share/talentdesk/talentdesk.db", tmpl);
    assert_string_equal(p, want);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
    assert_int_equal(system(cmd), 0);
}

/* A migration that fails part-way (here: a table of the last migration
 * already exists) leaves the file as it was: user_version 0 and none of the
 * earlier migrations' tables. */
static void failing_migration_rolls_back(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".db");
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "CREATE TABLE person_merges(x); INSERT INTO person_merges VALUES (42);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    td_db *db = (td_db *)1;
    td_err err;
    td_err_clear(&err);
    assert_int_not_equal(td_db_open(path, &db, &err), TD_OK);
    assert_null(db);
    assert_true(err.msg[0] != '\0');
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", -1, &st,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1); /* only the pre-existing table */
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT x FROM person_merges", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 42);
    sqlite3_finalize(st);
    sqlite3_close(h);
    unlink(path);
    free(path);
}

static td_pf *parse(const char *text, td_err *err, td_status want)
{
    td_pf *pf = NULL;
    td_err_clear(err);
    td_status s = td_pf_parse("t.tdp", text, strlen(text), &pf, err);
    if (s != want)
        fail_msg("parse -> %d (want %d): %s", (int)s, (int)want, err->msg);
    return pf;
}

static void pf_edges(void **state)
{
    (void)state;
    td_err err;
    /* BOM, CRLF, tabs, '=' in values, empty values, repeated keys in order */
    td_pf *pf = parse("\xEF\xBB\xBF# c\r\n[service  a b ]\r\n\tkey\t=\tx = y == z\t\r\nempty =\r\n"
                      "band = 1\r\nband = 2\r\nband = 3\r\n\r\n[t]\nk=v",
                      &err, TD_OK);
    assert_int_equal(pf->n, 2);
    assert_string_equal(pf->secs[0].type, "service");
    assert_string_equal(pf->secs[0].id, "a b");
    assert_int_equal(pf->secs[0].line, 2);
    assert_string_equal(td_pf_get(&pf->secs[0], "key"), "x = y == z");
    assert_int_equal(td_pf_find(&pf->secs[0], "key")->line, 3);
    assert_string_equal(td_pf_get(&pf->secs[0], "empty"), "");
    assert_string_equal(td_pf_get(&pf->secs[0], "band"), "1");
    int seen = 0;
    for (size_t i = 0; i < pf->secs[0].n; i++)
        if (strcmp(pf->secs[0].entries[i].key, "band") == 0) {
            char want[2] = { (char)('1' + seen), 0 };
            assert_string_equal(pf->secs[0].entries[i].value, want);
            assert_int_equal(pf->secs[0].entries[i].line, 5 + seen);
            seen++;
        }
    assert_int_equal(seen, 3);
    assert_string_equal(pf->secs[1].id, "");
    assert_string_equal(td_pf_get(&pf->secs[1], "k"), "v");
    assert_int_equal(td_pf_find(&pf->secs[1], "k")->line, 10);
    assert_null(td_pf_get(&pf->secs[1], "missing"));
    td_pf_free(pf);

    /* errors name the line */
    parse("[a x]\nk = v\nno equals here\n", &err, TD_EPOLICY);
    assert_non_null(strstr(err.msg, "t.tdp:3"));
    parse("\n\nk = v\n", &err, TD_EPOLICY);
    assert_non_null(strstr(err.msg, "t.tdp:3"));
    parse("[a x]\n = v\n", &err, TD_EPOLICY);
    assert_non_null(strstr(err.msg, "t.tdp:2"));
    parse("[a x]\n[broken\n", &err, TD_EPOLICY);
    assert_non_null(strstr(err.msg, "t.tdp:2"));
    parse("[a x]\nk = \xff\n", &err, TD_EPOLICY);
    assert_non_null(strstr(err.msg, "t.tdp:2"));
    parse("[a x]\nk = a\x01z\n", &err, TD_EPOLICY);
    assert_non_null(strstr(err.msg, "t.tdp:2"));

    /* a very long line and many lines */
    size_t big = 300000;
    char *t = malloc(big + 64);
    strcpy(t, "[a x]\nlong = ");
    size_t o = strlen(t);
    for (size_t i = 0; i < 100000; i++) {
        memcpy(t + o, "值", 3);
        o += 3;
    }
    t[o] = '\0';
    pf = parse(t, &err, TD_OK);
    assert_int_equal(strlen(td_pf_get(&pf->secs[0], "long")), 300000);
    td_pf_free(pf);
    free(t);
    size_t lines = 20000;
    t = malloc(lines * 12 + 16);
    o = (size_t)sprintf(t, "[a x]\n");
    for (size_t i = 0; i < lines; i++)
        o += (size_t)sprintf(t + o, "k = %zu\n", i);
    pf = parse(t, &err, TD_OK);
    assert_int_equal(pf->secs[0].n, lines);
    assert_int_equal(pf->secs[0].entries[lines - 1].line, (int)lines + 1);
    td_pf_free(pf);
    free(t);
}

static void pf_files(void **state)
{
    (void)state;
    td_err err;
    td_err_clear(&err);
    td_pf *pf = (td_pf *)1;
    assert_int_equal(td_pf_load("/nonexistent/dir/x.tdp", &pf, &err), TD_ENOTFOUND); /* missing: not found */
    char *path = td_test_tmpfile(".tdp");
    FILE *f = fopen(path, "w");
    fputs("[a x]\nk = v\n", f);
    fclose(f);
    assert_td_ok(td_pf_load(path, &pf, &err), &err);
    assert_non_null(strstr(path, pf->name));
    assert_null(strchr(pf->name, '/'));
    assert_int_equal(strlen(pf->sha256), 64);
    td_pf_free(pf);
    if (geteuid() != 0) {
        chmod(path, 0);
        assert_int_equal(td_pf_load(path, &pf, &err), TD_EIO);
    }
    unlink(path);
    free(path);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(settings_round_trip),      cmocka_unit_test(col_copy_truncation),
        cmocka_unit_test(file_wal_reopen_and_busy), cmocka_unit_test(newer_file_refused),
        cmocka_unit_test(failing_migration_rolls_back),
        cmocka_unit_test(default_db_path_creates_dir), cmocka_unit_test(pf_edges),
        cmocka_unit_test(pf_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
