/* test_facts.c — the fact registry, value validation, derived inputs at an
 * as-of date, JSON input, stored facts (claimed → verified) with roles,
 * row-version guard and audit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "scoring_fixture.h"

#include "recognition/facts.h"

static void test_registry(void **state)
{
    (void)state;
    size_t n;
    const td_fact_def *d = td_fact_defs(&n);
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(td_fact_def_find(d[i].name), &d[i]);
        assert_true(strlen(d[i].name) < TD_FACT_NAME_LEN);
        if (d[i].type == TD_FT_ENUM)
            assert_non_null(d[i].values);
    }
    assert_null(td_fact_def_find("nosuch"));
    assert_null(td_fact_def_find(NULL));
    assert_true(td_input_known("age"));
    assert_true(td_input_known("experience_years"));
    assert_true(td_input_known("count:patent"));
    assert_true(td_input_known("annual_salary"));
    assert_false(td_input_known("degree"));      /* a code, not a number */
    assert_false(td_input_known("count:nosuch"));
    assert_false(td_input_known("height"));
}

static void expect_val(const char *kv, const char *value, const char *date)
{
    td_fact f;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_fact_parse_kv(kv, true, &f, &err), &err);
    assert_string_equal(f.value, value);
    assert_string_equal(f.date, date);
}

static void expect_bad(const char *kv)
{
    td_fact f;
    td_err err;
    if (td_fact_parse_kv(kv, true, &f, &err) != TD_EINVALID)
        fail_msg("%s accepted", kv);
    assert_true(strlen(err.msg) > 0);
}

static void test_parse_and_normalise(void **state)
{
    (void)state;
    expect_val("birth_date=1990/5/1", "1990-05-01", "");
    expect_val("birth_date=19900501", "1990-05-01", "");
    expect_val("annual_salary=450,000", "450000", "");
    expect_val("annual_salary=４５００００", "450000", "");
    expect_val("hsk_level=4", "4", "");
    expect_val("degree=doctorate@2015-07-01", "doctorate", "2015-07-01");
    expect_val("returnee=是", "yes", "");
    expect_val("returnee=true", "yes", "");
    expect_val("employment=2015-03-01..2020-02-29", "2015-03-01..2020-02-29", "");
    expect_val("employment=2015-3-1..", "2015-03-01..", "");
    expect_val("patent=ZL 2018 1 0000001.X", "ZL 2018 1 0000001.X", "");
    expect_bad("birth_date=1990-02-30");
    expect_bad("hsk_level=7");
    expect_bad("hsk_level=0");
    expect_bad("months_in_china=13");
    expect_bad("annual_salary=-5");
    expect_bad("annual_salary=lots");
    expect_bad("degree=phd");
    expect_bad("returnee=no");
    expect_bad("employment=2020-01-01..2019-01-01");
    expect_bad("employment=2020-01-01");
    expect_bad("nosuch=1");
    expect_bad("degree");
    expect_bad("=x");
    expect_bad("degree=");
    expect_bad("degree=doctorate@2015-13-01");
    expect_bad("patent=a\x01b");
}

static void test_override(void **state)
{
    (void)state;
    td_factset fs = { 0 }, over = { 0 };
    td_fact f;
    td_err err;
    const char *base[] = { "degree=master", "degree=bachelor", "hsk_level=3", NULL };
    for (int i = 0; base[i]; i++) {
        assert_td_ok(td_fact_parse_kv(base[i], true, &f, &err), &err);
        td_factset_add(&fs, &f);
    }
    assert_td_ok(td_fact_parse_kv("degree=doctorate", true, &f, &err), &err);
    td_factset_add(&over, &f);
    td_factset_override(&fs, &over);
    assert_int_equal(fs.n, 2);
    td_date d = { 2026, 1, 1 };
    assert_true(td_facts_match(&fs, "degree", "doctorate", d, true, NULL, 0));
    assert_false(td_facts_match(&fs, "degree", "master,bachelor", d, true, NULL, 0));
    long long v;
    assert_true(td_facts_input(&fs, "hsk_level", d, true, &v, NULL, 0));
    assert_int_equal(v, 3);
    td_factset_free(&fs);
    td_factset_free(&over);
}

static void test_derived_inputs(void **state)
{
    (void)state;
    td_factset fs = { 0 };
    td_fact f;
    td_err err;
    const char *kvs[] = { "birth_date=1990-06-01", "employment=2010-01-01..2012-12-31",
                          "employment=2012-06-01..2014-12-31", "?employment=2015-01-01..2020-12-31",
                          "patent=a", "patent=b", "?patent=c", "china_work_start=2021-06-01",
                          "enterprise_founded=2024-06-01", NULL };
    for (int i = 0; kvs[i]; i++) {
        bool claimed = kvs[i][0] == '?';
        assert_td_ok(td_fact_parse_kv(kvs[i] + claimed, !claimed, &f, &err), &err);
        td_factset_add(&fs, &f);
    }
    td_date d = { 2026, 6, 1 };
    long long v;
    char desc[96];
    assert_true(td_facts_input(&fs, "age", d, true, &v, desc, sizeof desc));
    assert_int_equal(v, 36);
    assert_non_null(strstr(desc, "1990-06-01"));
    assert_true(td_facts_input(&fs, "experience_years", d, true, &v, NULL, 0));
    assert_int_equal(v, 5); /* 2010-01-01..2014-12-31, overlap merged */
    assert_true(td_facts_input(&fs, "experience_years", d, false, &v, NULL, 0));
    assert_int_equal(v, 11); /* with the claimed period */
    assert_true(td_facts_input(&fs, "count:patent", d, true, &v, NULL, 0));
    assert_int_equal(v, 2);
    assert_true(td_facts_input(&fs, "count:patent", d, false, &v, NULL, 0));
    assert_int_equal(v, 3);
    assert_true(td_facts_input(&fs, "years_in_china", d, true, &v, NULL, 0));
    assert_int_equal(v, 5);
    assert_true(td_facts_input(&fs, "enterprise_years", d, true, &v, NULL, 0));
    assert_int_equal(v, 2);
    assert_false(td_facts_input(&fs, "annual_salary", d, true, &v, NULL, 0));
    assert_false(td_facts_input(&fs, "years_in_chongqing", d, true, &v, NULL, 0));
    /* before the birth date nothing is known */
    td_date early = { 1980, 1, 1 };
    assert_false(td_facts_input(&fs, "age", early, true, &v, NULL, 0));
    td_factset_free(&fs);
}

static void test_json_file(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".json");
    FILE *f = fopen(path, "w");
    fputs("{\"degree\":[\"doctorate\",\"master\"],\"annual_salary\":450000,\"returnee\":true,"
          "\"fortune500_experience\":false,\"birth_date\":\"1990-01-15\"}",
          f);
    fclose(f);
    td_factset fs = { 0 };
    td_err err;
    assert_td_ok(td_facts_from_json_file(path, &fs, &err), &err);
    assert_int_equal(fs.n, 5); /* false is no fact */
    for (size_t i = 0; i < fs.n; i++)
        assert_true(fs.v[i].verified);
    td_factset_free(&fs);
    f = fopen(path, "w");
    fputs("{\"facts\":[{\"name\":\"hsk_level\",\"value\":4},{\"name\":\"award\",\"value\":\"nobel\","
          "\"date\":\"2020-10-01\",\"verified\":false}]}",
          f);
    fclose(f);
    assert_td_ok(td_facts_from_json_file(path, &fs, &err), &err);
    assert_int_equal(fs.n, 2);
    assert_true(fs.v[0].verified);
    assert_false(fs.v[1].verified);
    assert_string_equal(fs.v[1].date, "2020-10-01");
    td_factset_free(&fs);
    f = fopen(path, "w");
    fputs("{\"hsk_level\": 9}", f);
    fclose(f);
    assert_int_equal(td_facts_from_json_file(path, &fs, &err), TD_EINVALID);
    td_factset_free(&fs);
    f = fopen(path, "w");
    fputs("{not json", f);
    fclose(f);
    assert_int_not_equal(td_facts_from_json_file(path, &fs, &err), TD_OK);
    td_factset_free(&fs);
    remove(path);
    free(path);
    assert_int_not_equal(td_facts_from_json_file("/nonexistent/facts.json", &fs, &err), TD_OK);
}

static void test_store_and_verify(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    td_fact fact;
    assert_td_ok(td_fact_parse_kv("degree=doctorate@2015-07-01", false, &fact, &err), &err);
    snprintf(fact.person_id, sizeof fact.person_id, "%s", f.person_id);
    /* the specialist may record, an approver may not */
    assert_int_equal(td_fact_add(f.db, &f.approver, &fact, &err), TD_EDENIED);
    assert_td_ok(td_fact_add(f.db, &f.clerk, &fact, &err), &err);
    assert_int_equal(strlen(fact.id), 36);
    /* verified at entry needs evidence */
    td_fact v2;
    assert_td_ok(td_fact_parse_kv("hsk_level=5", true, &v2, &err), &err);
    snprintf(v2.person_id, sizeof v2.person_id, "%s", f.person_id);
    assert_int_equal(td_fact_add(f.db, &f.clerk, &v2, &err), TD_EINVALID);
    snprintf(v2.evidence, sizeof v2.evidence, "HSK certificate H512345");
    assert_td_ok(td_fact_add(f.db, &f.clerk, &v2, &err), &err);
    /* unknown person */
    td_fact v3 = v2;
    snprintf(v3.person_id, sizeof v3.person_id, "nobody");
    assert_int_equal(td_fact_add(f.db, &f.clerk, &v3, &err), TD_ENOTFOUND);

    td_factset fs = { 0 };
    assert_td_ok(td_facts_load(f.db, f.person_id, &fs, &err), &err);
    /* two stored + the person record's birth date as a claimed fact */
    assert_int_equal(fs.n, 3);
    bool birth = false;
    for (size_t i = 0; i < fs.n; i++)
        if (strcmp(fs.v[i].name, "birth_date") == 0) {
            birth = true;
            assert_false(fs.v[i].verified);
            assert_string_equal(fs.v[i].value, "1990-06-01");
        }
    assert_true(birth);
    td_factset_free(&fs);

    td_fact got;
    assert_td_ok(td_fact_get(f.db, fact.id, &got, &err), &err);
    assert_false(got.verified);
    assert_string_equal(got.date, "2015-07-01");
    assert_td_ok(td_fact_verify(f.db, &f.reviewer, fact.id, "diploma seen", got.row_version, &err), &err);
    assert_td_ok(td_fact_get(f.db, fact.id, &got, &err), &err);
    assert_true(got.verified);
    assert_string_equal(got.verified_by, f.reviewer.user_id);
    assert_string_equal(got.evidence, "diploma seen");
    assert_int_equal(got.row_version, 2);
    assert_int_equal(td_fact_get(f.db, "nosuch", &got, &err), TD_ENOTFOUND);

    /* the table refuses a 'verified' row without verifier, and deletes */
    sqlite3 *h = td_db_handle(f.db);
    assert_int_not_equal(sqlite3_exec(h, "UPDATE facts SET verified_by = NULL WHERE status = 'verified'",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(h, "DELETE FROM facts", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(h, "SELECT count(*) FROM audit_log WHERE action LIKE 'fact.%'", -1, &st, NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int(st, 0), 3);
    sqlite3_finalize(st);
    fx_teardown(&f);
}


static void add_kvs(td_factset *fs, const char *const *kvs)
{
    td_fact f;
    td_err err;
    for (; *kvs; kvs++) {
        bool claimed = (*kvs)[0] == '?';
        assert_td_ok(td_fact_parse_kv(*kvs + claimed, !claimed, &f, &err), &err);
        td_factset_add(fs, &f);
    }
}

static long long input_at(const char *const *kvs, const char *input, int y, int m, int d, bool *ok)
{
    td_factset fs = { 0 };
    add_kvs(&fs, kvs);
    td_date on = { y, m, d };
    long long v = -1;
    *ok = td_facts_input(&fs, input, on, true, &v, NULL, 0);
    td_factset_free(&fs);
    return v;
}

static void test_leap_day_birthday(void **state)
{
    (void)state;
    const char *kvs[] = { "birth_date=2000-02-29", NULL };
    bool ok;
    assert_int_equal(input_at(kvs, "age", 2025, 2, 28, &ok), 24);
    assert_true(ok);
    assert_int_equal(input_at(kvs, "age", 2025, 3, 1, &ok), 25);
    assert_int_equal(input_at(kvs, "age", 2024, 2, 29, &ok), 24);
}

static void test_experience_edges(void **state)
{
    (void)state;
    bool ok;
    /* adjacent periods join up; a period starting after as-of does not count */
    const char *adj[] = { "employment=2020-01-01..2021-12-31", "employment=2022-01-01..2022-12-31",
                          "employment=2030-01-01..", NULL };
    assert_int_equal(input_at(adj, "experience_years", 2025, 6, 1, &ok), 3);
    assert_true(ok);
    /* only a future period: no experience yet, but the input is known (0 periods counted) */
    const char *fut[] = { "employment=2030-01-01..", NULL };
    input_at(fut, "experience_years", 2025, 6, 1, &ok);
    assert_true(ok);
    assert_int_equal(input_at(fut, "experience_years", 2025, 6, 1, &ok), 0);
    /* nothing recorded: unknown */
    const char *none[] = { NULL };
    input_at(none, "experience_years", 2025, 6, 1, &ok);
    assert_false(ok);
    /* exactly N years: 2015-06-01..2025-05-31 is 10 years */
    const char *ten[] = { "employment=2015-06-01..2025-05-31", NULL };
    assert_int_equal(input_at(ten, "experience_years", 2025, 6, 1, &ok), 10);
    const char *short_[] = { "employment=2015-06-02..2025-05-31", NULL };
    assert_int_equal(input_at(short_, "experience_years", 2025, 6, 1, &ok), 9);
}

static void test_competition_landing_months(void **state)
{
    (void)state;
    bool ok;
    const char *a[] = { "award=competition_national@2025-01-31", "project_landed=2025-02-28", NULL };
    assert_int_equal(input_at(a, "competition_landing_months", 2026, 1, 1, &ok), 1);
    assert_true(ok);
    const char *b[] = { "award=competition_national@2025-01-31", "project_landed=2026-01-31", NULL };
    assert_int_equal(input_at(b, "competition_landing_months", 2026, 6, 1, &ok), 12);
    const char *c[] = { "award=competition_national@2025-01-31", "project_landed=2026-02-01", NULL };
    assert_int_equal(input_at(c, "competition_landing_months", 2026, 6, 1, &ok), 13);
    const char *same[] = { "award=competition_provincial@2025-05-05", "project_landed=2025-05-05", NULL };
    assert_int_equal(input_at(same, "competition_landing_months", 2026, 6, 1, &ok), 0);
    /* the latest competition award counts; an undated award does not */
    const char *two[] = { "award=competition_national@2023-01-01", "award=competition_provincial@2025-03-01",
                          "project_landed=2026-02-01", NULL };
    assert_int_equal(input_at(two, "competition_landing_months", 2026, 6, 1, &ok), 11);
    const char *undated[] = { "award=competition_national", "project_landed=2026-02-01", NULL };
    input_at(undated, "competition_landing_months", 2026, 6, 1, &ok);
    assert_false(ok);
    /* a non-competition award is not a competition */
    const char *nobel[] = { "award=nobel@2025-01-01", "project_landed=2025-02-01", NULL };
    input_at(nobel, "competition_landing_months", 2026, 6, 1, &ok);
    assert_false(ok);
}

static void test_single_value_latest_wins(void **state)
{
    (void)state;
    td_factset fs = { 0 };
    const char *kvs[] = { "work_region=western@2020-01-01", "work_region=other@2024-01-01",
                          "?work_region=northeast@2025-01-01", NULL };
    add_kvs(&fs, kvs);
    td_date d = { 2025, 6, 1 }, earlier = { 2023, 1, 1 };
    char which[64];
    assert_true(td_facts_match(&fs, "work_region", "other", d, true, which, sizeof which));
    assert_string_equal(which, "other");
    assert_false(td_facts_match(&fs, "work_region", "western", d, true, NULL, 0));
    /* with claimed facts the newer claimed value wins */
    assert_true(td_facts_match(&fs, "work_region", "northeast", d, false, NULL, 0));
    /* as of 2023 the 2020 value was in force */
    assert_true(td_facts_match(&fs, "work_region", "western", earlier, true, NULL, 0));
    /* multi-valued facts: any value matches */
    const char *deg[] = { "degree=master@2010-01-01", "degree=doctorate@2015-01-01", NULL };
    add_kvs(&fs, deg);
    assert_true(td_facts_match(&fs, "degree", "master", d, true, NULL, 0));
    assert_true(td_facts_match(&fs, "degree", "doctorate", d, true, NULL, 0));
    assert_false(td_facts_match(&fs, "degree", "doctorate", earlier.y == 2023 ? (td_date){ 2012, 1, 1 } : d,
                                true, NULL, 0));
    td_factset_free(&fs);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_parse_and_normalise),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_derived_inputs),
        cmocka_unit_test(test_json_file),
        cmocka_unit_test(test_store_and_verify),
        cmocka_unit_test(test_leap_day_birthday),
        cmocka_unit_test(test_experience_edges),
        cmocka_unit_test(test_competition_landing_months),
        cmocka_unit_test(test_single_value_latest_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
