/* test_search.c — name (2 and 3 characters, prefixes), identity number,
 * mobile and case-number search, keyset queue pages, and proof by EXPLAIN
 * QUERY PLAN that every query uses an index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "cases/case.h"
#include "people/dedupe.h"
#include "io_fixtures.h"
#include "people/person.h"
#include "people/pinyin.h"
#include "search/search.h"
#include "workflow/intake.h"

typedef struct fx {
    td_db *db;
    td_actor clerk;
} fx;

static char *add_person(fx *f, const char *name, const char *ymd, int seq, const char *phone)
{
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    io_make_id(ymd, seq, p.id_no);
    if (phone)
        snprintf(p.phone, sizeof p.phone, "%s", phone);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(f->db, &f->clerk, &p, &err), &err);
    return strdup(p.id);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->db = td_test_db_loaded();
    f->clerk = td_test_actor(f->db, "clerk1");
    *state = f;
    free(add_person(f, "张三", "19800101", 11, "13800000001"));
    free(add_person(f, "张三丰", "19700101", 21, "13800000002"));
    free(add_person(f, "张伟", "19900101", 31, NULL));
    free(add_person(f, "李四", "19850505", 41, "13800000004"));
    free(add_person(f, "欧阳娜娜", "19970101", 52, NULL));
    free(add_person(f, "𠮷野家", "19660606", 62, NULL));
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    td_db_close(f->db);
    free(f);
    return 0;
}

typedef struct hits {
    int n;
    char names[64][64];
    char case_no[64][32];
} hits;

static int collect(const td_search_hit *h, void *ud)
{
    hits *r = ud;
    if (r->n < 64) {
        snprintf(r->names[r->n], 64, "%s", h->name);
        snprintf(r->case_no[r->n], 32, "%s", h->case_no);
    }
    r->n++;
    return 0;
}

static hits find(fx *f, const char *q, td_search_kind *kind)
{
    hits r;
    memset(&r, 0, sizeof r);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_search(f->db, q, TD_SEARCH_AUTO, 0, collect, &r, kind, &err), &err);
    return r;
}

static void test_classify(void **state)
{
    (void)state;
    assert_int_equal(td_search_classify("张三"), TD_SEARCH_NAME);
    assert_int_equal(td_search_classify("Smith"), TD_SEARCH_NAME);
    assert_int_equal(td_search_classify("13800138000"), TD_SEARCH_PHONE);
    assert_int_equal(td_search_classify("+86 138-0013-8000"), TD_SEARCH_PHONE);
    assert_int_equal(td_search_classify("11010519491231002x"), TD_SEARCH_ID);
    assert_int_equal(td_search_classify("１１０１０５１９４９１２３１００２Ｘ"), TD_SEARCH_ID);
    assert_int_equal(td_search_classify("H12345678"), TD_SEARCH_ID);
    assert_int_equal(td_search_classify("CQ-2026-000123"), TD_SEARCH_CASE);
    assert_int_equal(td_search_classify("cq-2026"), TD_SEARCH_CASE);
    assert_int_equal(td_search_classify(""), TD_SEARCH_NAME);
}

static void test_two_and_three_character_names(void **state)
{
    fx *f = *state;
    td_search_kind k;
    hits r = find(f, "张三", &k);
    assert_int_equal(k, TD_SEARCH_NAME);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.names[0], "张三");   /* the exact match first */
    assert_string_equal(r.names[1], "张三丰");
    r = find(f, "张", &k);
    assert_int_equal(r.n, 3);
    r = find(f, "张三丰", &k);
    assert_int_equal(r.n, 1);
    r = find(f, "李四", &k);
    assert_int_equal(r.n, 1);
    r = find(f, "欧阳", &k);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.names[0], "欧阳娜娜");
    r = find(f, "𠮷", &k);
    assert_int_equal(r.n, 1);
    r = find(f, " 张三 ", &k); /* spaces around are ignored */
    assert_int_equal(r.n, 2);
    r = find(f, "王", &k);
    assert_int_equal(r.n, 0);
    r = find(f, "", &k);
    assert_int_equal(r.n, 0);
    /* a name in the middle is not a prefix: no scan finds it */
    r = find(f, "三", &k);
    assert_int_equal(r.n, 0);
}

static void test_identity_and_mobile(void **state)
{
    fx *f = *state;
    char id[19];
    io_make_id("19800101", 11, id);
    td_search_kind k;
    hits r = find(f, id, &k);
    assert_int_equal(k, TD_SEARCH_ID);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.names[0], "张三");
    /* prefix (area + birth date) */
    r = find(f, "50010319800101", &k);
    assert_int_equal(r.n, 1);
    /* mobile, however typed */
    r = find(f, "138 0000 0004", &k);
    assert_int_equal(k, TD_SEARCH_PHONE);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.names[0], "李四");
    r = find(f, "+8613800000002", &k);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.names[0], "张三丰");
}

static void test_lowercase_x_id(void **state)
{
    fx *f = *state;
    td_person p;
    memset(&p, 0, sizeof p);
    strcpy(p.name, "王芳");
    strcpy(p.id_no, "11010519491231002X");
    td_err err;
    assert_td_ok(td_person_add(f->db, &f->clerk, &p, &err), &err);
    hits r = find(f, "11010519491231002x", NULL);
    assert_int_equal(r.n, 1);
    r = find(f, "１１０１０５１９４９１２３１００２Ｘ", NULL);
    assert_int_equal(r.n, 1);
}

static void test_case_number(void **state)
{
    fx *f = *state;
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    char id[19];
    io_make_id("19850505", 41, id);
    a.person_id = id;
    a.services[0] = "startup_funding";
    td_case c1, c2;
    td_err err;
    assert_td_ok(td_case_new(f->db, &f->clerk, &a, &c1, &err), &err);
    assert_td_ok(td_case_new(f->db, &f->clerk, &a, &c2, &err), &err);
    td_search_kind k;
    hits r = find(f, c1.case_no, &k);
    assert_int_equal(k, TD_SEARCH_CASE);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.case_no[0], c1.case_no);
    assert_string_equal(r.names[0], "李四");
    /* the station-year prefix finds both, in order */
    char pre[32];
    snprintf(pre, sizeof pre, "%.*s", (int)(strrchr(c1.case_no, '-') - c1.case_no), c1.case_no);
    r = find(f, pre, &k);
    assert_int_equal(r.n, 2);
    assert_true(strcmp(r.case_no[0], r.case_no[1]) < 0);
    /* lower case typed */
    for (char *p = pre; *p; p++)
        *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    r = find(f, pre, &k);
    assert_int_equal(r.n, 2);
}

static void test_merged_not_found(void **state)
{
    fx *f = *state;
    char *a = add_person(f, "赵敏", "19800808", 71, NULL);
    char *b = add_person(f, "赵敏", "19800808", 81, NULL);
    hits r = find(f, "赵敏", NULL);
    assert_int_equal(r.n, 2);
    char mid[TD_UUID_LEN];
    td_err err;
    assert_td_ok(td_dupe_merge(f->db, &f->clerk, a, b, "同一人", mid, &err), &err);
    r = find(f, "赵敏", NULL);
    assert_int_equal(r.n, 1);
    free(a);
    free(b);
}

static void test_pinyin(void **state)
{
    fx *f = *state;
    free(add_person(f, "曾小贤", "19810101", 91, NULL));
    free(add_person(f, "单田芳", "19340101", 93, NULL));
    char pinyin[64], ini[16];
    assert_true(td_pinyin("张三", pinyin, sizeof pinyin, ini, sizeof ini));
    assert_string_equal(pinyin, "zhangsan");
    assert_string_equal(ini, "zs");
    assert_true(td_pinyin("曾小贤", pinyin, sizeof pinyin, ini, sizeof ini));
    assert_string_equal(pinyin, "zengxiaoxian"); /* surname reading zēng, not céng */
    assert_false(td_pinyin("John Smith", pinyin, sizeof pinyin, ini, sizeof ini));
    /* pitfalls.md: 张三 is found by 张三, by 张 and by zs */
    hits r = find(f, "zs", NULL);
    int found = 0;
    for (int i = 0; i < r.n; i++)
        found += strcmp(r.names[i], "张三") == 0;
    assert_int_equal(found, 1);
    r = find(f, "ZhangSan", NULL); /* 张三, then 张三丰 (prefix) */
    assert_int_equal(r.n, 2);
    assert_string_equal(r.names[0], "张三");
    assert_string_equal(r.names[1], "张三丰");
    r = find(f, "zhang", NULL); /* full-pinyin prefix: 张三, 张三丰, 张伟 */
    assert_int_equal(r.n, 3);
    r = find(f, "zxx", NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.names[0], "曾小贤");
    r = find(f, "stf", NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.names[0], "单田芳");
    /* a person added later is found too (incremental keys) */
    free(add_person(f, "赵四", "19900909", 95, NULL));
    r = find(f, "zs", NULL);
    assert_int_equal(r.n, 2);
    /* a renamed person is not found by the old pinyin */
    assert_int_equal(sqlite3_exec(td_db_handle(f->db), "UPDATE persons SET name = '李三' WHERE name = '赵四'", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    r = find(f, "zs", NULL);
    assert_int_equal(r.n, 1);
    long added;
    td_err err;
    assert_td_ok(td_search_refresh_pinyin(f->db, &added, &err), &err);
    assert_int_equal(added, 0); /* nothing new */
}

static void test_limit_and_stop(void **state)
{
    fx *f = *state;
    hits r;
    memset(&r, 0, sizeof r);
    td_err err;
    assert_td_ok(td_search(f->db, "张", TD_SEARCH_NAME, 2, collect, &r, NULL, &err), &err);
    assert_int_equal(r.n, 2);
}

/* Every search statement runs through an index: no full scan of persons or
 * cases, no temporary sort for the ORDER BY. */
/* The plan of sql, a line per step, into plan[2048]; fails the test when
 * the statement does not prepare. */
static void plan_text(td_db *db, const char *sql, char plan[2048])
{
    char q[2048];
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(td_db_handle(db)));
    plan[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        strncat(plan, (const char *)sqlite3_column_text(st, 3), 2048 - strlen(plan) - 2);
        strcat(plan, "\n");
    }
    sqlite3_finalize(st);
}

static void assert_indexed(td_db *db, const char *sql, const char *must)
{
    char plan[2048];
    plan_text(db, sql, plan);
    if (strstr(plan, "SCAN ") || strstr(plan, "TEMP B-TREE") || !strstr(plan, must))
        fail_msg("not through %s:\n%s\n%s", must, sql, plan);
}

static void test_explain_query_plan(void **state)
{
    fx *f = *state;
    assert_indexed(f->db, td_search_sql(TD_SEARCH_NAME, false), "persons_name");
    assert_indexed(f->db, td_search_sql(TD_SEARCH_NAME, true), "persons_name");
    assert_indexed(f->db, td_search_sql(TD_SEARCH_ID, false), "persons_id_no");
    assert_indexed(f->db, td_search_sql(TD_SEARCH_ID, true), "persons_id_no");
    assert_indexed(f->db, td_search_sql(TD_SEARCH_PHONE, false), "persons_phone");
    assert_indexed(f->db, td_search_sql(TD_SEARCH_CASE, false), "case_no");
    assert_indexed(f->db, td_search_sql(TD_SEARCH_CASE, true), "case_no");
    assert_indexed(f->db, td_search_pinyin_sql(true), "local_person_pinyin_initials");
    assert_indexed(f->db, td_search_pinyin_sql(false), "local_person_pinyin_full");
    /* and intake duplicate checks */
    assert_indexed(f->db, "SELECT id FROM persons WHERE name = ?1 AND birth_date = ?2 AND deleted_at IS NULL",
                   "persons_name");
}

/* The key tables join persons by its primary key whatever the statistics
 * say.  The product runs PRAGMA optimize when it closes, so a database
 * imported and closed before its pinyin keys were built has statistics for
 * persons and none for the key tables; the planner then joined persons by
 * (name, id) behind a Bloom filter built by reading every person on each
 * search (4 ms at 20,000 persons in bench_search, growing with persons). */
static void assert_by_person_key(td_db *db, const char *sql)
{
    char plan[2048];
    plan_text(db, sql, plan);
    if (strstr(plan, "BLOOM") || strstr(plan, "SCAN ") || !strstr(plan, "sqlite_autoindex_persons_1 (id=?)"))
        fail_msg("persons not joined by its key:\n%s\n%s", sql, plan);
}

/* Statistics as sqlite_stat1 rows for persons of n rows (the shape ANALYZE
 * writes), and for the key tables when keys > 0. */
static void set_stats(td_db *db, long n, long keys)
{
    td_err err;
    char sql[2048];
    snprintf(sql, sizeof sql,
             "DELETE FROM sqlite_stat1;"
             "INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES"
             " ('persons','persons_name_id','%ld 2 1'), ('persons','persons_name','%ld 2'),"
             " ('persons','persons_name_birth','%ld 2 1'), ('persons','persons_id_no','%ld 1'),"
             " ('persons','persons_phone','%ld 1'), ('persons','sqlite_autoindex_persons_1','%ld 1');",
             n, n, n, n, n, n);
    assert_td_ok(td_db_exec(db, sql, &err), &err);
    if (keys > 0) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES"
                 " ('local_person_pinyin','local_person_pinyin_full','%ld 2'),"
                 " ('local_person_pinyin','local_person_pinyin_initials','%ld 3'),"
                 " ('local_person_pinyin','local_person_pinyin','%ld 1'),"
                 " ('local_person_fold','local_person_fold_fold','%ld 2');",
                 keys, keys, keys, keys);
        assert_td_ok(td_db_exec(db, sql, &err), &err);
    }
    assert_td_ok(td_db_exec(db, "ANALYZE sqlite_schema", &err), &err);
}

static void test_explain_key_tables_without_their_statistics(void **state)
{
    fx *f = *state;
    td_err err;
    assert_td_ok(td_db_exec(f->db, "ANALYZE", &err), &err); /* creates sqlite_stat1 */
    /* persons of 100, 20,000 (bench_search's import, measured) and 1M rows;
     * key tables without statistics, and with as many rows as persons */
    const long sizes[] = { 100, 20000, 1000000 };
    for (int i = 0; i < 3; i++) {
        for (int with_keys = 0; with_keys < 2; with_keys++) {
            set_stats(f->db, sizes[i], with_keys ? sizes[i] : 0);
            assert_by_person_key(f->db, td_search_pinyin_sql(true));
            assert_by_person_key(f->db, td_search_pinyin_sql(false));
            assert_by_person_key(f->db, td_search_fold_sql());
        }
    }
    /* and the searches still find: initials, a full-pinyin prefix, folded */
    hits r = find(f, "zs", NULL);
    assert_true(r.n > 0);
    r = find(f, "zhang", NULL);
    assert_true(r.n > 0);
}

static void test_short_id_and_unknown(void **state)
{
    fx *f = *state;
    /* fewer than 6 characters of a number: exact only, no prefix flood */
    hits r;
    memset(&r, 0, sizeof r);
    td_err err;
    assert_td_ok(td_search(f->db, "5001", TD_SEARCH_ID, 0, collect, &r, NULL, &err), &err);
    assert_int_equal(r.n, 0);
    /* a mobile nobody has */
    r = find(f, "13999999999", NULL);
    assert_int_equal(r.n, 0);
    /* a case number nobody has */
    r = find(f, "CQ-1999-000001", NULL);
    assert_int_equal(r.n, 0);
    /* hostile input is just a name that matches nothing */
    r = find(f, "'; DROP TABLE persons; --", NULL);
    assert_int_equal(r.n, 0);
    r = find(f, "%", NULL);
    assert_int_equal(r.n, 0);
    r = find(f, "_", NULL);
    assert_int_equal(r.n, 0);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons"), 6);
}

static int stop_first(const td_search_hit *h, void *ud)
{
    (void)h;
    (*(int *)ud)++;
    return 1;
}

static void test_callback_stops(void **state)
{
    fx *f = *state;
    int n = 0;
    td_err err;
    assert_td_ok(td_search(f->db, "张", TD_SEARCH_AUTO, 0, stop_first, &n, NULL, &err), &err);
    assert_int_equal(n, 1);
    n = 0;
    assert_td_ok(td_search(f->db, "zs", TD_SEARCH_AUTO, 0, stop_first, &n, NULL, &err), &err);
    assert_int_equal(n, 1);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test_setup_teardown(test_two_and_three_character_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identity_and_mobile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lowercase_x_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merged_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pinyin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limit_and_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_id_and_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_callback_stops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain_query_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain_key_tables_without_their_statistics, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
