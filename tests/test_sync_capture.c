/* test_sync_capture.c — every change to a synchronised table is captured as
 * per-field operations (local_sync_ops), checked against SQLite's session
 * extension attached to the same connection: every change the session records
 * has its operation(s), and every operation has its change.
 */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#include "base/audit.h"
#include "io/import.h"
#include "people/dedupe.h"
#include "people/person.h"
#include "recognition/facts.h"
#include "setup/demo.h"

static long q_long(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static bool synchronised(td_db *db, const char *tbl)
{
    if (strncmp(tbl, "local_", 6) == 0 || strcmp(tbl, "auth_sessions") == 0) /* sign-in stays local */
        return false;
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s') WHERE name IN ('row_version','deleted_at')",
             tbl);
    return q_long(db, sql) == 2;
}

/* Credentials never travel (011_sync.sql): each place signs its own users in. */
static bool local_only(const char *tbl, const char *col)
{
    static const char *const cred[] = { "password_hash", "must_change_password", "failed_logins", "locked_at",
                                        "password_changed_at", NULL };
    if (strcmp(tbl, "users") != 0)
        return false;
    for (int i = 0; cred[i]; i++)
        if (strcmp(col, cred[i]) == 0)
            return true;
    return false;
}

static int col_names(td_db *db, const char *tbl, char names[64][40])
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s') ORDER BY cid", tbl);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 64)
        snprintf(names[n++], 40, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return n;
}

/* Counts ops (seq > from) matching tbl/row/col/kind whose new (or base) IS v. */
static long ops_with(td_db *db, long from, const char *tbl, const char *row, const char *col, const char *kind,
                     const char *which, sqlite3_value *v, const char *order)
{
    char sql[512];
    if (order) /* the first or last op of that field: does its value match? */
        snprintf(sql, sizeof sql,
                 "SELECT %s IS ?6 FROM local_sync_ops WHERE seq > ?1 AND tbl = ?2 AND row_id = ?3 AND col = ?4 "
                 "AND kind GLOB ?5 ORDER BY seq %s LIMIT 1",
                 which, order);
    else
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM local_sync_ops WHERE seq > ?1 AND tbl = ?2 AND row_id = ?3 AND col = ?4 "
                 "AND kind = ?5 AND (%s IS ?6 OR ?6 IS NULL)",
                 which);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_text(st, 2, tbl, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, col, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, kind, -1, SQLITE_STATIC);
    if (v)
        sqlite3_bind_value(st, 6, v);
    else
        sqlite3_bind_null(st, 6);
    long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return n;
}

/* Does the insert op of the row hold value v for field col? */
static bool inserted_is(td_db *db, long from, const char *tbl, const char *row, const char *col, sqlite3_value *v)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db),
                                        "SELECT json_extract(new, '$.\"' || ?4 || '\"') IS ?5 FROM local_sync_ops "
                                        "WHERE seq > ?1 AND tbl = ?2 AND row_id = ?3 AND kind = 'I' AND col = '*'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_text(st, 2, tbl, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, col, -1, SQLITE_STATIC);
    sqlite3_bind_value(st, 5, v);
    bool yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return yes;
}

/* Compares the session's changeset with the ops captured after seq `from`.
 * Returns the number of mismatches (each printed); *changes = changes seen. */
static int oracle(td_db *db, sqlite3_session *ses, long from, long *changes)
{
    int nbuf = 0;
    void *buf = NULL;
    assert_int_equal(sqlite3session_changeset(ses, &nbuf, &buf), SQLITE_OK);
    sqlite3_changeset_iter *it;
    assert_int_equal(sqlite3changeset_start(&it, nbuf, buf), SQLITE_OK);
    int bad = 0;
    *changes = 0;
    /* (tbl,row) of every session change, for the reverse direction */
    assert_int_equal(sqlite3_exec(td_db_handle(db),
                                  "CREATE TEMP TABLE IF NOT EXISTS seen(tbl, row_id, kind, col);"
                                  "DELETE FROM seen;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_stmt *seen;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), "INSERT INTO temp.seen VALUES (?, ?, ?, ?)", -1, &seen,
                                        NULL),
                     SQLITE_OK);
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *tbl;
        int ncol, op, indirect;
        assert_int_equal(sqlite3changeset_op(it, &tbl, &ncol, &op, &indirect), SQLITE_OK);
        if (!synchronised(db, tbl))
            continue;
        (*changes)++;
        char names[64][40];
        int nn = col_names(db, tbl, names);
        assert_int_equal(nn, ncol);
        int idc = -1;
        for (int i = 0; i < nn; i++)
            if (strcmp(names[i], "id") == 0)
                idc = i;
        assert_true(idc >= 0);
        sqlite3_value *key = NULL;
        if (op == SQLITE_DELETE) {
            fail_msg("a synchronised row was hard-deleted from %s", tbl);
        } else if (op == SQLITE_INSERT) {
            sqlite3changeset_new(it, idc, &key);
        } else {
            sqlite3changeset_old(it, idc, &key);
        }
        char row[64];
        snprintf(row, sizeof row, "%s", (const char *)sqlite3_value_text(key));
        for (int c = 0; c < ncol; c++) {
            sqlite3_value *nv = NULL, *ov = NULL;
            if (local_only(tbl, names[c]) && !(op == SQLITE_INSERT && c == 0))
                continue;
            if (op == SQLITE_INSERT) {
                sqlite3changeset_new(it, c, &nv);
                /* one insert op per row holding every field; the session
                 * shows the row's final values, so each field is the last
                 * update op's value, or the inserted one */
                bool book = strcmp(names[c], "row_version") == 0 || strcmp(names[c], "updated_at") == 0;
                if (c == 0 && ops_with(db, from, tbl, row, "*", "I", "1", NULL, NULL) != 1) {
                    printf("# missing insert op of %s %s\n", tbl, row);
                    bad++;
                }
                if (book)
                    continue;
                bool ok = ops_with(db, from, tbl, row, names[c], "U", "1", NULL, NULL) > 0
                              ? ops_with(db, from, tbl, row, names[c], "U", "new", nv, "DESC") == 1
                              : inserted_is(db, from, tbl, row, names[c], nv);
                if (!ok) {
                    printf("# insert op of %s %s lacks %s\n", tbl, row, names[c]);
                    bad++;
                }
                continue;
            }
            sqlite3changeset_new(it, c, &nv);
            if (!nv || c == idc || strcmp(names[c], "row_version") == 0 || strcmp(names[c], "updated_at") == 0)
                continue; /* unchanged, the key, or bookkeeping */
            sqlite3changeset_old(it, c, &ov);
            sqlite3_bind_text(seen, 1, tbl, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(seen, 2, row, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(seen, 3, "U", -1, SQLITE_STATIC);
            sqlite3_bind_text(seen, 4, names[c], -1, SQLITE_TRANSIENT);
            sqlite3_step(seen);
            sqlite3_reset(seen);
            if (ops_with(db, from, tbl, row, names[c], "U", "new", nv, "DESC") != 1 ||
                ops_with(db, from, tbl, row, names[c], "U", "base", ov, "ASC") != 1) {
                printf("# update of %s.%s of %s has no matching op\n", tbl, names[c], row);
                bad++;
            }
        }
        if (op == SQLITE_INSERT) {
            sqlite3_bind_text(seen, 1, tbl, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(seen, 2, row, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(seen, 3, "I", -1, SQLITE_STATIC);
            sqlite3_bind_null(seen, 4);
            sqlite3_step(seen);
            sqlite3_reset(seen);
        }
    }
    sqlite3_finalize(seen);
    sqlite3changeset_finalize(it);
    sqlite3_free(buf);

    /* …and the other way: every op belongs to a recorded change.  An insert
     * op needs the session's INSERT; an update op needs the INSERT of its row
     * (made in the window) or an UPDATE of that field, unless the field went
     * back to where it started (no net change for the session to record). */
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT o.tbl, o.row_id, o.col, o.kind FROM local_sync_ops o WHERE o.seq > %ld AND NOT EXISTS ("
             " SELECT 1 FROM temp.seen s WHERE s.tbl = o.tbl AND s.row_id = o.row_id AND (s.kind = 'I' OR"
             " (o.kind = 'U' AND s.col = o.col))) AND NOT (o.kind = 'U' AND ("
             " SELECT f.base FROM local_sync_ops f WHERE f.seq > %ld AND f.tbl = o.tbl AND f.row_id = o.row_id"
             " AND f.col = o.col ORDER BY f.seq LIMIT 1) IS (SELECT l.new FROM local_sync_ops l WHERE l.seq > %ld"
             " AND l.tbl = o.tbl AND l.row_id = o.row_id AND l.col = o.col ORDER BY l.seq DESC LIMIT 1))",
             from, from, from);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        printf("# op without a change: %s %s.%s of %s\n", sqlite3_column_text(st, 3), sqlite3_column_text(st, 0),
               sqlite3_column_text(st, 2), sqlite3_column_text(st, 1));
        bad++;
    }
    sqlite3_finalize(st);
    return bad;
}

/* Every kind of write the product does, as its users would. */
static void product_writes(td_db *db)
{
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_demo_populate(db, 14, 11, &err), &err); /* intake, docs, facts, scores, acts, tasks, codes */

    td_actor clerk = td_test_actor(db, "clerk1");
    td_actor reviewer = td_test_actor(db, "reviewer1");

    /* a person's details updated */
    td_person p;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db),
                                        "SELECT id FROM persons WHERE deleted_at IS NULL ORDER BY id LIMIT 2", -1,
                                        &st, NULL),
                     SQLITE_OK);
    char ids[2][TD_UUID_LEN];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        snprintf(ids[i], sizeof ids[i], "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    assert_td_ok(td_person_get(db, ids[0], &p, &err), &err);
    snprintf(p.phone, sizeof p.phone, "13912345678");
    snprintf(p.employer, sizeof p.employer, "重庆大学");
    assert_td_ok(td_person_update(db, &clerk, &p, &err), &err);

    /* a fact added and verified */
    td_fact f;
    memset(&f, 0, sizeof f);
    assert_td_ok(td_fact_parse_kv("annual_salary=500000", false, &f, &err), &err);
    snprintf(f.person_id, sizeof f.person_id, "%s", ids[1]);
    assert_td_ok(td_fact_add(db, &clerk, &f, &err), &err);
    assert_td_ok(td_fact_verify(db, &reviewer, f.id, "护照原件", 0, &err), &err);

    /* an import */
    char *csv = td_test_tmpfile(".csv");
    FILE *fp = fopen(csv, "w");
    assert_non_null(fp);
    fputs("姓名,证件类型,证件号码,手机号码\r\n"
          "钱七,passport,E99887766,13700001111\r\n"
          "孙八,passport,E99887767,13700001112\r\n",
          fp);
    fclose(fp);
    td_import_opts io;
    memset(&io, 0, sizeof io);
    td_import_report rep;
    assert_td_ok(td_import_persons(db, &clerk, csv, &io, &rep, &err), &err);
    assert_int_equal(rep.added, 2);
    unlink(csv);
    free(csv);

    /* a dedupe merge */
    char mid[TD_UUID_LEN];
    assert_td_ok(td_dupe_merge(db, &clerk, ids[0], ids[1], "同一人", mid, &err), &err);
}

static void every_change_has_its_ops(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    long from = q_long(db, "SELECT COALESCE(MAX(seq), 0) FROM local_sync_ops");
    assert_true(from > 0); /* loading policy and users was captured too */
    sqlite3_session *ses;
    assert_int_equal(sqlite3session_create(td_db_handle(db), "main", &ses), SQLITE_OK);
    assert_int_equal(sqlite3session_attach(ses, NULL), SQLITE_OK);

    product_writes(db);

    long changes = 0;
    int bad = oracle(db, ses, from, &changes);
    sqlite3session_delete(ses);
    assert_int_equal(bad, 0);
    assert_true(changes > 300);

    /* the ops are gap-free per station and carry transaction, user and act */
    assert_int_equal(q_long(db, "SELECT count(DISTINCT origin) FROM local_sync_ops"), 1);
    assert_int_equal(q_long(db, "SELECT MAX(seq) - MIN(seq) + 1 - count(*) FROM local_sync_ops"), 0);
    assert_int_equal(q_long(db, "SELECT count(*) FROM local_sync_ops o WHERE origin <> "
                                "(SELECT value FROM settings WHERE key = 'local_station')"),
                     0);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM local_sync_ops WHERE seq > %ld AND (txid IS NULL OR "
                              "audit_id IS NULL OR user_id IS NULL)", from);
    assert_int_equal(q_long(db, sql), 0);
    /* each op's audit entry is one of its own transaction's */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM local_sync_ops o JOIN audit_log a ON a.id = o.audit_id "
                              "WHERE o.seq > %ld AND a.user_id IS NOT o.user_id", from);
    assert_int_equal(q_long(db, sql), 0);
    /* nothing left of the per-transaction context after commit */
    assert_int_equal(q_long(db, "SELECT count(*) FROM local_sync_tx"), 0);
    td_db_close(db);
}

/* The oracle notices a write path that is not captured. */
static void oracle_catches_a_missing_trigger(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    long from = q_long(db, "SELECT COALESCE(MAX(seq), 0) FROM local_sync_ops");
    sqlite3_session *ses;
    assert_int_equal(sqlite3session_create(td_db_handle(db), "main", &ses), SQLITE_OK);
    assert_int_equal(sqlite3session_attach(ses, NULL), SQLITE_OK);
    td_err err;
    assert_int_equal(sqlite3_exec(td_db_handle(db), "DROP TRIGGER persons_sync_upd", NULL, NULL, NULL), SQLITE_OK);
    product_writes(db);
    long changes = 0;
    assert_true(oracle(db, ses, from, &changes) > 0);
    sqlite3session_delete(ses);
    (void)err;
    td_db_close(db);
}

/* Writes from outside the program (the sqlite3 shell) are captured too, and
 * ops made before the station was known belong to it. */
static void raw_writes_are_captured(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    assert_int_equal(q_long(db, "SELECT count(*) FROM local_sync_ops WHERE origin = ''"), 0);
    long before = q_long(db, "SELECT count(*) FROM local_sync_ops");
    assert_int_equal(sqlite3_exec(td_db_handle(db), "UPDATE stations SET name = name || '站' WHERE code = 'CQ'", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(q_long(db, "SELECT count(*) FROM local_sync_ops") - before, 1);
    assert_int_equal(q_long(db, "SELECT count(*) FROM local_sync_ops WHERE tbl = 'stations' AND kind = 'U' "
                                "AND col = 'name' AND txid IS NULL"),
                     1);
    td_db_close(db);
}

/* Every synchronised table has both capture triggers. */
static void every_synchronised_table_is_captured(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    assert_int_equal(q_long(db, "SELECT count(*) FROM sqlite_schema t WHERE t.type = 'table' AND t.name NOT LIKE "
                                "'local_%' AND t.name <> 'auth_sessions' AND EXISTS (SELECT 1 FROM pragma_table_info(t.name) "
                                "WHERE name = 'row_version') AND (SELECT count(*) FROM sqlite_schema g WHERE g.type = 'trigger' "
                                "AND g.name IN (t.name || '_sync_ins', t.name || '_sync_upd')) <> 2"),
                     0);
    assert_true(q_long(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%_sync_ins'") >=
                20);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_change_has_its_ops),
        cmocka_unit_test(oracle_catches_a_missing_trigger),
        cmocka_unit_test(raw_writes_are_captured),
        cmocka_unit_test(every_synchronised_table_is_captured),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
