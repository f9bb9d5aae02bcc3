/* test_dedupe.c — duplicate persons: intake check, candidates, scan, merge
 * by a person only, audited, reversible. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "base/audit.h"
#include "cases/case.h"
#include "people/dedupe.h"
#include "io_fixtures.h"
#include "people/person.h"
#include "workflow/intake.h"

typedef struct fx {
    td_db *db;
    td_actor clerk, admin, reviewer;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->db = td_test_db_loaded();
    f->clerk = td_test_actor(f->db, "clerk1");
    f->admin = td_test_actor(f->db, "admin");
    f->reviewer = td_test_actor(f->db, "reviewer1");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    td_db_close(f->db);
    free(f);
    return 0;
}

static td_person make(const char *name, const char *type, const char *idno, const char *birth, const char *phone)
{
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.id_type, sizeof p.id_type, "%s", type);
    snprintf(p.id_no, sizeof p.id_no, "%s", idno);
    snprintf(p.birth_date, sizeof p.birth_date, "%s", birth ? birth : "");
    snprintf(p.phone, sizeof p.phone, "%s", phone ? phone : "");
    return p;
}

static void add(fx *f, td_person *p)
{
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(f->db, &f->clerk, p, &err), &err);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(td_dup_kind_code(TD_DUP_EXACT), "exact");
    assert_string_equal(td_dup_kind_code(TD_DUP_NAME_PHONE), "name_phone");
    assert_true(strlen(td_dup_kind_name(TD_DUP_NAME_BIRTH)) > 0);
    assert_string_equal(td_dup_kind_code((td_dup_kind)99), "");
}

static void test_intake_check(void **state)
{
    fx *f = *state;
    char id[19];
    io_make_id("19800101", 11, id);
    td_person a = make("张三", "resident", id, NULL, "13800000001");
    add(f, &a);
    td_dup_match m[TD_DUP_MAX];
    int n;
    td_err err;
    /* the same document, typed in lower case with spaces: exact */
    td_person b = make("张三", "", id, NULL, NULL);
    assert_td_ok(td_dupe_check(f->db, &b, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].kind, TD_DUP_EXACT);
    assert_string_equal(m[0].person_id, a.id);
    assert_null(strstr(m[0].id_no_masked, id)); /* masked */
    /* a passport holder with the same name and birth date: probable */
    td_person c = make("张三", "passport", "E12345678", "1980-01-01", NULL);
    assert_td_ok(td_dupe_check(f->db, &c, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].kind, TD_DUP_NAME_BIRTH);
    /* same name and mobile */
    td_person d = make("张三", "passport", "E87654321", "1999-09-09", "+86 138 0000 0001");
    assert_td_ok(td_dupe_check(f->db, &d, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].kind, TD_DUP_NAME_PHONE);
    /* another name: nothing */
    td_person e = make("李四", "passport", "E11111111", "1980-01-01", "13800000001");
    assert_td_ok(td_dupe_check(f->db, &e, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 0);
    /* invalid input is reported, not searched */
    td_person bad = make("", "resident", "123", NULL, NULL);
    assert_int_equal(td_dupe_check(f->db, &bad, m, TD_DUP_MAX, &n, &err), TD_EINVALID);
    /* the check only reads */
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM dupe_candidates"), 0);
}

/* A name registered in traditional characters is found when the same name
 * is typed in simplified ones, by birth date and by mobile (the stored fold
 * keys, local_person_fold). */
static void test_folded_names(void **state)
{
    fx *f = *state;
    td_person a = make("陳大文", "passport", "E20000001", "1980-02-02", "13900000009");
    add(f, &a);
    td_dup_match m[TD_DUP_MAX];
    int n;
    td_err err;
    td_person b = make("陈大文", "passport", "E20000002", "1980-02-02", NULL);
    assert_td_ok(td_dupe_check(f->db, &b, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].kind, TD_DUP_NAME_BIRTH);
    assert_string_equal(m[0].person_id, a.id);
    td_person c = make("陈大文", "passport", "E20000003", "1999-09-09", "13900000009");
    assert_td_ok(td_dupe_check(f->db, &c, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].kind, TD_DUP_NAME_PHONE);
    assert_string_equal(m[0].person_id, a.id);
    /* another birth date and mobile: nothing */
    td_person d = make("陈大文", "passport", "E20000004", "1999-09-09", "13900000008");
    assert_td_ok(td_dupe_check(f->db, &d, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 0);
}

static void test_note_list_dismiss(void **state)
{
    fx *f = *state;
    char id[19];
    io_make_id("19750505", 21, id);
    td_person a = make("王芳", "resident", id, NULL, NULL);
    add(f, &a);
    td_person b = make("王芳", "passport", "E22222222", "1975-05-05", NULL);
    add(f, &b);
    int found;
    td_err err;
    assert_td_ok(td_dupe_note(f->db, &f->clerk, b.id, "intake", &found, &err), &err);
    assert_int_equal(found, 1);
    /* recording twice adds nothing */
    assert_td_ok(td_dupe_note(f->db, &f->clerk, a.id, "intake", &found, &err), &err);
    assert_int_equal(found, 0);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM dupe_candidates"), 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'dupe.found'"), 1);
    typedef struct {
        int n;
        char id[TD_UUID_LEN];
        char a[64], b[64];
    } acc;
    acc r;
    memset(&r, 0, sizeof r);
    int cb(const td_dupe_candidate *c, void *ud);
    assert_td_ok(td_dupe_list(f->db, "open", cb, &r, &err), &err);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.a, "王芳");
    assert_string_equal(r.b, "王芳");
    assert_int_equal(td_dupe_dismiss(f->db, &f->reviewer, r.id, "不同人", &err), TD_EDENIED);
    assert_td_ok(td_dupe_dismiss(f->db, &f->clerk, r.id, "不同人", &err), &err);
    assert_int_equal(td_dupe_dismiss(f->db, &f->clerk, r.id, "again", &err), TD_ENOTFOUND);
    memset(&r, 0, sizeof r);
    assert_td_ok(td_dupe_list(f->db, "open", cb, &r, &err), &err);
    assert_int_equal(r.n, 0);
    memset(&r, 0, sizeof r);
    assert_td_ok(td_dupe_list(f->db, "dismissed", cb, &r, &err), &err);
    assert_int_equal(r.n, 1);
}

int cb(const td_dupe_candidate *c, void *ud)
{
    struct {
        int n;
        char id[TD_UUID_LEN];
        char a[64], b[64];
    } *r = ud;
    r->n++;
    snprintf(r->id, sizeof r->id, "%s", c->id);
    snprintf(r->a, sizeof r->a, "%s", c->a.name);
    snprintf(r->b, sizeof r->b, "%s", c->b.name);
    return 0;
}

static void test_scan(void **state)
{
    fx *f = *state;
    char id1[19], id2[19];
    io_make_id("19600101", 31, id1);
    io_make_id("19600101", 33, id2);
    td_person a = make("刘洋", "resident", id1, NULL, "13900000009");
    td_person b = make("刘洋", "passport", "E33333333", "1960-01-01", NULL);
    td_person c = make("刘洋", "passport", "E44444444", "1961-01-01", "13900000009");
    td_person d = make("周婷", "resident", id2, NULL, "13900000009");
    add(f, &a);
    add(f, &b);
    add(f, &c);
    add(f, &d);
    long found;
    td_err err;
    assert_int_equal(td_dupe_scan(f->db, &f->reviewer, &found, &err), TD_EDENIED);
    assert_td_ok(td_dupe_scan(f->db, &f->admin, &found, &err), &err);
    assert_int_equal(found, 2); /* a~b by birth date, a~c by mobile; d has another name */
    assert_td_ok(td_dupe_scan(f->db, &f->admin, &found, &err), &err);
    assert_int_equal(found, 0);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM dupe_candidates WHERE source = 'scan'"), 2);
}

static void test_merge_and_unmerge(void **state)
{
    fx *f = *state;
    char id[19];
    io_make_id("19880808", 41, id);
    td_person keep = make("陈静", "resident", id, NULL, NULL);
    td_person gone = make("陈静", "passport", "E55555555", "1988-08-08", NULL);
    add(f, &keep);
    add(f, &gone);
    td_err err;
    int found;
    assert_td_ok(td_dupe_note(f->db, &f->clerk, gone.id, "intake", &found, &err), &err);
    /* a case on the duplicate */
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = gone.id;
    a.services[0] = "startup_funding";
    td_case c;
    assert_td_ok(td_case_new(f->db, &f->clerk, &a, &c, &err), &err);

    char mid[TD_UUID_LEN];
    /* only a clerk or an admin merges */
    assert_int_equal(td_dupe_merge(f->db, &f->reviewer, keep.id, gone.id, "x", mid, &err), TD_EDENIED);
    assert_int_equal(td_dupe_merge(f->db, &f->clerk, keep.id, keep.id, "x", mid, &err), TD_EINVALID);
    assert_int_equal(td_dupe_merge(f->db, &f->clerk, keep.id, "nope", "x", mid, &err), TD_ENOTFOUND);
    assert_td_ok(td_dupe_merge(f->db, &f->clerk, keep.id, gone.id, "同一人，护照与身份证", mid, &err), &err);
    assert_true(mid[0]);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE person_id = '%s'", keep.id);
    assert_int_equal(io_count(f->db, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM persons WHERE id = '%s' AND merged_into = '%s' AND deleted_at IS NOT NULL",
             gone.id, keep.id);
    assert_int_equal(io_count(f->db, sql), 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM dupe_candidates WHERE status = 'merged'"), 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'person.merge' "
                                     "AND reason = '同一人，护照与身份证'"),
                     1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'case.person'"), 1);
    /* merged persons cannot be merged again */
    assert_int_equal(td_dupe_merge(f->db, &f->clerk, keep.id, gone.id, "x", mid + 0, &err), TD_EINVALID);
    /* and td_person_get no longer finds the merged one by its passport */
    td_person got;
    assert_int_equal(td_person_get(f->db, "E55555555", &got, &err), TD_ENOTFOUND);

    /* reverse it */
    snprintf(sql, sizeof sql, "SELECT id FROM person_merges");
    char merge_id[TD_UUID_LEN];
    {
        sqlite3_stmt *st;
        sqlite3_prepare_v2(td_db_handle(f->db), sql, -1, &st, NULL);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        snprintf(merge_id, sizeof merge_id, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    assert_int_equal(td_dupe_unmerge(f->db, &f->reviewer, merge_id, "x", &err), TD_EDENIED);
    assert_td_ok(td_dupe_unmerge(f->db, &f->admin, merge_id, "合并有误", &err), &err);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE person_id = '%s'", gone.id);
    assert_int_equal(io_count(f->db, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM persons WHERE id = '%s' AND merged_into IS NULL AND deleted_at IS NULL", gone.id);
    assert_int_equal(io_count(f->db, sql), 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM dupe_candidates WHERE status = 'open'"), 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM person_merges WHERE reversed_at IS NOT NULL "
                                     "AND reverse_reason = '合并有误'"),
                     1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'person.unmerge'"), 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'case.person'"), 2);
    assert_int_equal(td_dupe_unmerge(f->db, &f->admin, merge_id, "again", &err), TD_ECONFLICT);
    assert_int_equal(td_dupe_unmerge(f->db, &f->admin, "no-such", "x", &err), TD_ENOTFOUND);
    assert_td_ok(td_person_get(f->db, "E55555555", &got, &err), &err);
    /* the whole history verifies */
    td_audit_report rep;
    assert_td_ok(td_audit_verify(f->db, &rep, &err), &err);
}

static void test_unmerge_conflict(void **state)
{
    fx *f = *state;
    char id[19];
    io_make_id("19770303", 51, id);
    td_person keep = make("孙磊", "resident", id, NULL, NULL);
    td_person gone = make("孙磊", "passport", "E66666666", "1977-03-03", NULL);
    add(f, &keep);
    add(f, &gone);
    char mid[TD_UUID_LEN];
    td_err err;
    assert_td_ok(td_dupe_merge(f->db, &f->clerk, keep.id, gone.id, NULL, mid, &err), &err);
    /* someone registers the passport again meanwhile */
    td_person again = make("孙磊", "passport", "E66666666", "1977-03-03", NULL);
    add(f, &again);
    assert_int_equal(td_dupe_unmerge(f->db, &f->clerk, mid, "x", &err), TD_ECONFLICT);
    /* nothing changed */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM persons WHERE id = '%s' AND merged_into IS NOT NULL", gone.id);
    assert_int_equal(io_count(f->db, sql), 1);
}


static void test_record_edges(void **state)
{
    fx *f = *state;
    char id1[19];
    io_make_id("19660101", 61, id1);
    td_person a = make("钱七", "resident", id1, NULL, NULL);
    add(f, &a);
    td_person b = make("钱七", "passport", "E99999999", "1966-01-01", NULL);
    add(f, &b);
    td_err err;
    bool added = true;
    /* a person is never their own duplicate; the pair is stored once, either order */
    assert_td_ok(td_db_begin(f->db, &err), &err);
    assert_td_ok(td_dupe_record(f->db, &f->clerk, a.id, a.id, TD_DUP_NAME_BIRTH, "scan", &added, &err), &err);
    assert_false(added);
    assert_td_ok(td_dupe_record(f->db, &f->clerk, b.id, a.id, TD_DUP_NAME_BIRTH, "scan", &added, &err), &err);
    assert_true(added);
    assert_td_ok(td_dupe_record(f->db, &f->clerk, a.id, b.id, TD_DUP_NAME_BIRTH, "intake", &added, &err), &err);
    assert_false(added);
    assert_td_ok(td_db_commit(f->db, &err), &err);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM dupe_candidates WHERE person_a < person_b"), 1);
    /* the candidates table refuses deletes like every synchronised table */
    assert_int_not_equal(sqlite3_exec(td_db_handle(f->db), "DELETE FROM dupe_candidates", NULL, NULL, NULL),
                         SQLITE_OK);
    /* note without a role */
    td_actor nobody = f->clerk;
    nobody.roles = 0;
    int found;
    assert_int_equal(td_dupe_note(f->db, &nobody, a.id, "intake", &found, &err), TD_EDENIED);
    /* list all statuses */
    struct {
        int n;
        char id[TD_UUID_LEN];
        char a[64], b[64];
    } r;
    memset(&r, 0, sizeof r);
    assert_td_ok(td_dupe_list(f->db, NULL, cb, &r, &err), &err);
    assert_int_equal(r.n, 1);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test_setup_teardown(test_intake_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folded_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_note_list_dismiss, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_and_unmerge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmerge_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_edges, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
