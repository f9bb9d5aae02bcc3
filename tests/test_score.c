/* test_score.c — the engine against the work-permit table of
 * scoring-reference.md (worked example 99 → A, every band boundary), the
 * catalogue route, claimed facts, the Chongqing sample set, snapshots and
 * what-if. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "scoring_fixture.h"

#include "recognition/facts.h"
#include "policy/policyfile.h"
#include "recognition/rules.h"
#include "recognition/score.h"

static td_ruleset *wp; /* cn-work-permit-2017 */
static td_ruleset *cq; /* cq-recognition-sample */

static const td_date AS_OF = { 2025, 6, 1 };

static int load_sets(void **state)
{
    (void)state;
    char path[4096];
    td_err err;
    snprintf(path, sizeof path, "%s/data/rules/cn-work-permit-2017.tdp", td_test_src_dir());
    if (td_ruleset_load_file(path, &wp, &err) != TD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    snprintf(path, sizeof path, "%s/data/rules/cq-recognition-sample.tdp", td_test_src_dir());
    if (td_ruleset_load_file(path, &cq, &err) != TD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int free_sets(void **state)
{
    (void)state;
    td_ruleset_free(wp);
    td_ruleset_free(cq);
    return 0;
}

/* Builds a fact set from "k=v" strings; a leading '?' marks a claimed fact. */
static void facts_of(td_factset *fs, const char *const *kvs)
{
    for (; *kvs; kvs++) {
        td_fact f;
        td_err err;
        bool claimed = (*kvs)[0] == '?';
        if (td_fact_parse_kv(*kvs + (claimed ? 1 : 0), !claimed, &f, &err) != TD_OK)
            fail_msg("%s: %s", *kvs, err.msg);
        td_factset_add(fs, &f);
    }
}

static void score(const td_ruleset *rs, const char *const *kvs, long long wage, td_score_result *r)
{
    td_factset fs = { 0 };
    facts_of(&fs, kvs);
    td_score_eval(rs, &fs, AS_OF, wage, "test wage", r);
    td_factset_free(&fs);
}

static const td_ledger_row *row(const td_score_result *r, const char *factor)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (strcmp(r->rows[i].factor, factor) == 0)
            return &r->rows[i];
    fail_msg("no ledger row %s", factor);
    return NULL;
}

/* Points of one factor for one fact. */
static int factor_points(const char *factor, const char *kv)
{
    const char *kvs[] = { kv, NULL };
    td_score_result r;
    score(wp, kvs, 0, &r);
    int p = row(&r, factor)->final;
    td_score_result_free(&r);
    return p;
}

/* ---- the worked example -------------------------------------------------- */

static const char *const worked[] = {
    "annual_salary=450000",  "degree=doctorate",
    "employment=2018-01-01..2024-12-31", /* 7 years */
    "months_in_china=12",    "hsk_level=4",
    "work_region=western",   "birth_date=1990-01-15", /* 35 on 2025-06-01 */
    "top_university_graduate=yes", NULL
};

static void test_worked_example_99_A(void **state)
{
    (void)state;
    td_score_result r;
    score(wp, worked, 100000, &r);
    assert_int_equal(row(&r, "salary")->final, 20);
    assert_int_equal(row(&r, "education")->final, 20);
    assert_int_equal(row(&r, "experience")->final, 10);
    assert_int_equal(row(&r, "months")->final, 15);
    assert_int_equal(row(&r, "chinese")->final, 4);
    assert_int_equal(row(&r, "location")->final, 10);
    assert_int_equal(row(&r, "age")->final, 15);
    assert_int_equal(row(&r, "top-university")->final, 5);
    assert_int_equal(row(&r, "local")->final, 0);
    assert_int_equal(r.total, 99);
    assert_string_equal(r.tier, "A");
    assert_string_equal(r.points_tier, "A");
    assert_string_equal(r.route, "points");
    /* The ledger explains: the band matched and the input are recorded. */
    assert_non_null(strstr(row(&r, "age")->input, "age=35"));
    assert_non_null(strstr(row(&r, "age")->band, "26"));
    assert_non_null(strstr(row(&r, "salary")->band, "45"));
    assert_string_equal(r.rule_set_id, "cn-work-permit-2017");
    assert_int_equal(strlen(r.rule_set_hash), 64);
    assert_string_equal(r.as_of, "2025-06-01");
    td_score_result_free(&r);
}

/* ---- band boundaries ------------------------------------------------------- */

static int age_points(int age)
{
    /* Born on 2 June of (2025 - age - 1): exactly `age` on 2025-06-01 after... */
    char kv[64];
    snprintf(kv, sizeof kv, "birth_date=%04d-06-01", 2025 - age); /* birthday today */
    return factor_points("age", kv);
}

static void test_age_boundaries(void **state)
{
    (void)state;
    assert_int_equal(age_points(18), 10);
    assert_int_equal(age_points(25), 10);
    assert_int_equal(age_points(26), 15);
    assert_int_equal(age_points(45), 15);
    assert_int_equal(age_points(46), 10);
    assert_int_equal(age_points(55), 10);
    assert_int_equal(age_points(56), 5);
    assert_int_equal(age_points(60), 5);
    assert_int_equal(age_points(61), 0);
    /* The day before the 26th birthday the person is still 25. */
    assert_int_equal(factor_points("age", "birth_date=1999-06-02"), 10);
    assert_int_equal(factor_points("age", "birth_date=1999-06-01"), 15);
}

static void test_age_computed_at_as_of(void **state)
{
    (void)state;
    const char *kvs[] = { "birth_date=1999-06-01", NULL };
    td_factset fs = { 0 };
    facts_of(&fs, kvs);
    td_score_result r;
    td_date before = { 2025, 5, 31 }, on = { 2025, 6, 1 };
    td_score_eval(wp, &fs, before, 0, NULL, &r);
    assert_int_equal(row(&r, "age")->final, 10);
    td_score_result_free(&r);
    td_score_eval(wp, &fs, on, 0, NULL, &r);
    assert_int_equal(row(&r, "age")->final, 15);
    td_score_result_free(&r);
    td_factset_free(&fs);
}

static void test_salary_boundaries(void **state)
{
    (void)state;
    assert_int_equal(factor_points("salary", "annual_salary=450000"), 20);
    assert_int_equal(factor_points("salary", "annual_salary=449999"), 17);
    assert_int_equal(factor_points("salary", "annual_salary=350000"), 17);
    assert_int_equal(factor_points("salary", "annual_salary=349999"), 14);
    assert_int_equal(factor_points("salary", "annual_salary=250000"), 14);
    assert_int_equal(factor_points("salary", "annual_salary=150000"), 11);
    assert_int_equal(factor_points("salary", "annual_salary=149999"), 8);
    assert_int_equal(factor_points("salary", "annual_salary=70000"), 8);
    assert_int_equal(factor_points("salary", "annual_salary=69999"), 5);
    assert_int_equal(factor_points("salary", "annual_salary=50000"), 5);
    assert_int_equal(factor_points("salary", "annual_salary=49999"), 0);
    assert_int_equal(factor_points("salary", "annual_salary=0"), 0);
}

static void test_hsk_levels(void **state)
{
    (void)state;
    const int want[] = { 0, 1, 2, 3, 4, 5, 5 };
    for (int lvl = 1; lvl <= 6; lvl++) {
        char kv[32];
        snprintf(kv, sizeof kv, "hsk_level=%d", lvl);
        assert_int_equal(factor_points("chinese", kv), want[lvl]);
    }
    assert_int_equal(factor_points("chinese", "former_chinese_national=yes"), 5);
    assert_int_equal(factor_points("chinese", "degree_taught_in_chinese=yes"), 5);
    /* Highest only, capped at 5. */
    const char *kvs[] = { "hsk_level=6", "former_chinese_national=yes",
                          "degree_taught_in_chinese=yes", NULL };
    td_score_result r;
    score(wp, kvs, 0, &r);
    assert_int_equal(row(&r, "chinese")->final, 5);
    td_score_result_free(&r);
}

static void test_months_boundaries(void **state)
{
    (void)state;
    assert_int_equal(factor_points("months", "months_in_china=12"), 15);
    assert_int_equal(factor_points("months", "months_in_china=9"), 15);
    assert_int_equal(factor_points("months", "months_in_china=8"), 10);
    assert_int_equal(factor_points("months", "months_in_china=6"), 10);
    assert_int_equal(factor_points("months", "months_in_china=5"), 5);
    assert_int_equal(factor_points("months", "months_in_china=3"), 5);
    assert_int_equal(factor_points("months", "months_in_china=2"), 0);
    assert_int_equal(factor_points("months", "months_in_china=0"), 0);
}

static void test_experience_years(void **state)
{
    (void)state;
    /* 2 years → 5, +1 per further year, capped at 20. */
    assert_int_equal(factor_points("experience", "employment=2023-07-01..2025-05-31"), 0); /* 1y11m */
    assert_int_equal(factor_points("experience", "employment=2023-06-01..2025-05-31"), 5);
    assert_int_equal(factor_points("experience", "employment=2022-06-01.."), 6); /* open, 3y */
    assert_int_equal(factor_points("experience", "employment=2010-06-01..2025-05-31"), 18);
    assert_int_equal(factor_points("experience", "employment=2009-06-01..2025-05-31"), 19);
    assert_int_equal(factor_points("experience", "employment=2008-06-01..2025-05-31"), 20);
    assert_int_equal(factor_points("experience", "employment=1980-01-01..2025-05-31"), 20);
    /* Overlapping periods are not counted twice; periods after as-of are clipped. */
    const char *kvs[] = { "employment=2015-06-01..2020-05-31", "employment=2017-01-01..2022-05-31",
                          "employment=2024-01-01..2030-12-31", NULL };
    td_score_result r;
    score(wp, kvs, 0, &r);
    /* 2015-06-01..2022-05-31 = 7y, + 2024-01-01..2025-06-01 ≈ 1.4y → 8 years → 11 points. */
    assert_int_equal(row(&r, "experience")->final, 11);
    td_score_result_free(&r);
}

static void test_education_highest_only(void **state)
{
    (void)state;
    assert_int_equal(factor_points("education", "degree=doctorate"), 20);
    assert_int_equal(factor_points("education", "degree=master"), 15);
    assert_int_equal(factor_points("education", "degree=bachelor"), 10);
    assert_int_equal(factor_points("education", "degree=associate"), 0);
    assert_int_equal(factor_points("education", "vocational=senior_technician"), 20);
    assert_int_equal(factor_points("education", "vocational=top_international"), 20);
    assert_int_equal(factor_points("education", "vocational=technician"), 15);
    assert_int_equal(factor_points("education", "vocational=senior_worker"), 10);
    const char *kvs[] = { "degree=bachelor", "degree=master", "degree=doctorate", NULL };
    td_score_result r;
    score(wp, kvs, 0, &r);
    assert_int_equal(row(&r, "education")->final, 20);
    td_score_result_free(&r);
}

static void test_location(void **state)
{
    (void)state;
    assert_int_equal(factor_points("location", "work_region=western"), 10);
    assert_int_equal(factor_points("location", "work_region=northeast"), 10);
    assert_int_equal(factor_points("location", "work_region=poverty_county"), 10);
    assert_int_equal(factor_points("location", "work_region=other"), 0);
}

static void test_extra_credit_capped_at_5(void **state)
{
    (void)state;
    const char *kvs[] = { "top_university_graduate=yes", "fortune500_experience=yes",
                          "patent=ZL201810000001", "patent=ZL201810000002",
                          "china_work_start=2019-01-01", NULL };
    td_score_result r;
    score(wp, kvs, 0, &r);
    assert_int_equal(row(&r, "top-university")->final, 5);
    assert_int_equal(row(&r, "fortune500")->final, 5);
    assert_int_equal(row(&r, "patents")->final, 5);
    assert_int_equal(row(&r, "china-5y")->final, 5);
    assert_int_equal(r.ngroups, 1);
    assert_int_equal(r.groups[0].sum, 20);
    assert_int_equal(r.groups[0].final, 5);
    assert_int_equal(r.total, 5);
    td_score_result_free(&r);
    /* 5 consecutive years: 4 years 364 days is not enough. */
    assert_int_equal(factor_points("china-5y", "china_work_start=2020-06-02"), 0);
    assert_int_equal(factor_points("china-5y", "china_work_start=2020-06-01"), 5);
    /* A single extra item gives 5. */
    const char *one[] = { "fortune500_experience=yes", NULL };
    score(wp, one, 0, &r);
    assert_int_equal(r.total, 5);
    td_score_result_free(&r);
}

static void test_local_points(void **state)
{
    (void)state;
    for (int i = 0; i <= 10; i++) {
        char kv[40];
        snprintf(kv, sizeof kv, "local_scarce_points=%d", i);
        assert_int_equal(factor_points("local", kv), i);
    }
}

static void test_maximum_120(void **state)
{
    (void)state;
    const char *kvs[] = { "annual_salary=900000", "degree=doctorate",
                          "employment=2000-01-01..", "months_in_china=12", "hsk_level=6",
                          "work_region=western", "birth_date=1990-01-01",
                          "top_university_graduate=yes", "fortune500_experience=yes",
                          "local_scarce_points=10", NULL };
    td_score_result r;
    score(wp, kvs, 0, &r);
    assert_int_equal(r.total, 120);
    assert_int_equal(r.max_points, 120);
    td_score_result_free(&r);
}

static void test_thresholds(void **state)
{
    (void)state;
    /* 85 → A (85 is included, "85分以上"), 84 → B, 60 → B, 59 → C. */
    struct {
        const char *extra;
        int total;
        const char *tier;
    } cases[] = {
        /* base: salary 20 + doctorate 20 + 12 months 15 + western 10 + age 15 = 80 */
        { "local_scarce_points=5", 85, "A" },
        { "local_scarce_points=4", 84, "B" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *kvs[] = { "annual_salary=450000", "degree=doctorate", "months_in_china=12",
                              "work_region=western", "birth_date=1990-01-01", cases[i].extra, NULL };
        td_score_result r;
        score(wp, kvs, 0, &r);
        assert_int_equal(r.total, cases[i].total);
        assert_string_equal(r.tier, cases[i].tier);
        td_score_result_free(&r);
    }
    /* 60 and 59 without catalogue items (no degree). */
    const char *b60[] = { "annual_salary=450000", "months_in_china=12", "work_region=western",
                          "birth_date=1990-01-01", NULL }; /* 20+15+10+15 = 60 */
    td_score_result r;
    score(wp, b60, 0, &r);
    assert_int_equal(r.total, 60);
    assert_string_equal(r.tier, "B");
    td_score_result_free(&r);
    const char *c59[] = { "annual_salary=449999", "months_in_china=12", "work_region=western",
                          "birth_date=1990-01-01", "hsk_level=2", NULL }; /* 17+15+10+15+2 = 59 */
    score(wp, c59, 0, &r);
    assert_int_equal(r.total, 59);
    assert_string_equal(r.tier, "C");
    td_score_result_free(&r);
}

/* ---- catalogue ------------------------------------------------------------- */

static void test_catalogue_beats_points(void **state)
{
    (void)state;
    const char *kvs[] = { "award=nobel", "birth_date=1950-01-01", NULL };
    td_score_result r;
    score(wp, kvs, 0, &r);
    assert_true(r.total < 60);
    assert_string_equal(r.points_tier, "C");
    assert_string_equal(r.catalogue_tier, "A");
    assert_string_equal(r.tier, "A");
    assert_string_equal(r.route, "catalogue");
    assert_string_equal(r.catalogue_item, "intl-award");
    td_score_result_free(&r);
}

static void test_better_points_beat_lower_catalogue(void **state)
{
    (void)state;
    /* The worked example also meets the B catalogue item (degree + 2 years),
     * but 99 points give A: the better tier wins, via points. */
    td_score_result r;
    score(wp, worked, 0, &r);
    assert_string_equal(r.catalogue_tier, "B");
    assert_string_equal(r.tier, "A");
    assert_string_equal(r.route, "points");
    assert_string_equal(r.catalogue_item, "");
    td_score_result_free(&r);
}

static void test_salary_multiple_routes(void **state)
{
    (void)state;
    const long long wage = 100000;
    const char *a6[] = { "annual_salary=600000", NULL };
    const char *b5[] = { "annual_salary=599999", NULL };
    const char *b4[] = { "annual_salary=400000", NULL };
    const char *c4[] = { "annual_salary=399999", NULL };
    td_score_result r;
    score(wp, a6, wage, &r);
    assert_string_equal(r.tier, "A");
    assert_string_equal(r.route, "catalogue");
    assert_string_equal(r.catalogue_item, "salary-6x");
    assert_int_equal(r.wage_yuan, wage);
    td_score_result_free(&r);
    score(wp, b5, wage, &r);
    assert_string_equal(r.tier, "B");
    assert_string_equal(r.catalogue_item, "salary-4x");
    td_score_result_free(&r);
    score(wp, b4, wage, &r);
    assert_string_equal(r.tier, "B");
    td_score_result_free(&r);
    score(wp, c4, wage, &r);
    assert_string_equal(r.tier, "C");
    td_score_result_free(&r);
    /* Without a wage figure the salary-multiple routes never hold. */
    score(wp, a6, 0, &r);
    assert_string_equal(r.catalogue_tier, "");
    td_score_result_free(&r);
}

static void test_direct_qualifications(void **state)
{
    (void)state;
    const char *items[] = { "programme=national_talent_programme", "award=turing",
                            "award=fields", "award=academician_cas",
                            "direct_qualification=encouraged_post",
                            "direct_qualification=innovation_entrepreneur",
                            "direct_qualification=outstanding_young", NULL };
    for (int i = 0; items[i]; i++) {
        const char *kvs[] = { items[i], NULL };
        td_score_result r;
        score(wp, kvs, 0, &r);
        if (strcmp(r.tier, "A") != 0 || strcmp(r.route, "catalogue") != 0)
            fail_msg("%s gave %s via %s", items[i], r.tier, r.route);
        td_score_result_free(&r);
    }
    /* Bachelor + 2 years → B directly. */
    const char *b[] = { "degree=bachelor", "employment=2023-01-01..2025-05-31", NULL };
    td_score_result r;
    score(wp, b, 0, &r);
    assert_string_equal(r.tier, "B");
    assert_string_equal(r.route, "catalogue");
    td_score_result_free(&r);
    const char *c[] = { "degree=bachelor", "employment=2024-01-01..2025-05-31", NULL };
    score(wp, c, 0, &r);
    assert_string_equal(r.tier, "C");
    td_score_result_free(&r);
}

/* ---- claimed facts ----------------------------------------------------------- */

static void test_unverified_facts_do_not_count(void **state)
{
    (void)state;
    const char *kvs[] = { "?degree=doctorate", "?award=nobel", "annual_salary=450000", NULL };
    td_score_result r;
    score(wp, kvs, 0, &r);
    const td_ledger_row *ed = row(&r, "education");
    assert_int_equal(ed->final, 0);
    assert_int_equal(ed->claimed_final, 20); /* shown, not counted */
    assert_true(strlen(ed->claimed_band) > 0);
    assert_int_equal(r.total, 20);
    assert_string_equal(r.tier, "C");
    assert_string_equal(r.catalogue_tier, "");
    /* The Nobel claim is listed as a catalogue hit that does not count. */
    bool seen = false;
    for (size_t i = 0; i < r.nhits; i++)
        if (strcmp(r.hits[i].id, "intl-award") == 0) {
            assert_true(r.hits[i].claimed_only);
            seen = true;
        }
    assert_true(seen);
    td_score_result_free(&r);
}

static void test_future_facts_do_not_count(void **state)
{
    (void)state;
    /* An award dated after the as-of date did not exist yet. */
    const char *kvs[] = { "award=nobel@2025-10-01", NULL };
    td_score_result r;
    score(wp, kvs, 0, &r);
    assert_string_equal(r.tier, "C");
    td_score_result_free(&r);
}

static void test_latest_single_value_wins(void **state)
{
    (void)state;
    const char *kvs[] = { "annual_salary=500000@2023-01-01", "annual_salary=60000@2024-01-01", NULL };
    td_score_result r;
    score(wp, kvs, 0, &r);
    assert_int_equal(row(&r, "salary")->final, 5);
    td_score_result_free(&r);
}

/* ---- the Chongqing sample set ---------------------------------------------- */

static void test_cq_sample_tiers(void **state)
{
    (void)state;
    td_score_result r;
    const char *top[] = { "award=academician_cae", NULL };
    score(cq, top, 0, &r);
    assert_string_equal(r.tier, "top");
    assert_string_equal(r.route, "catalogue");
    td_score_result_free(&r);
    const char *lead[] = { "programme=honghyan", NULL };
    score(cq, lead, 0, &r);
    assert_string_equal(r.tier, "leading");
    td_score_result_free(&r);
    const char *young[] = { "degree=doctorate", "birth_date=1990-01-01", NULL };
    score(cq, young, 0, &r);
    assert_string_equal(r.tier, "young");
    td_score_result_free(&r);
    const char *basic[] = { "vocational=senior_worker", NULL };
    score(cq, basic, 0, &r);
    assert_string_equal(r.tier, "basic");
    td_score_result_free(&r);
    const char *none[] = { "birth_date=1990-01-01", NULL };
    score(cq, none, 0, &r);
    assert_string_equal(r.tier, "none");
    td_score_result_free(&r);
    /* Points: doctorate 30 + senior title 25 + 10y 15 + ≥1M 20 + 3 patents 10
     * + national competition 15 (group cap 25) + returnee 5 + age 3 = 113 → outstanding. */
    const char *pts[] = { "degree=doctorate", "professional_title=senior",
                          "employment=2010-01-01..", "annual_salary=1000000", "patent=a",
                          "patent=b", "patent=c", "award=competition_national", "returnee=yes",
                          "birth_date=1985-01-01", NULL };
    score(cq, pts, 0, &r);
    assert_int_equal(r.total, 30 + 25 + 15 + 20 + 25 + 5 + 3);
    assert_string_equal(r.tier, "outstanding");
    assert_string_equal(r.route, "points");
    td_score_result_free(&r);
}

/* ---- JSON ---------------------------------------------------------------- */

static void test_result_json(void **state)
{
    (void)state;
    td_score_result r;
    score(wp, worked, 0, &r);
    json_t *j = td_score_result_json(&r);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 99);
    assert_string_equal(json_string_value(json_object_get(j, "tier")), "A");
    json_t *ledger = json_object_get(j, "ledger");
    assert_int_equal(json_array_size(ledger), r.nrows);
    json_decref(j);
    td_score_result_free(&r);
}

/* ---- snapshots -------------------------------------------------------------- */

static void test_snapshot_immutable_and_linked(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    for (int i = 0; worked[i]; i++)
        fx_fact(&f, f.person_id, worked[i], true);
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cn-work-permit-2017",
                             .as_of = "2025-06-01", .save = true };
    td_score_result r;
    char s1[TD_UUID_LEN], s2[TD_UUID_LEN];
    assert_td_ok(td_score_case(f.db, &f.reviewer, &a, &r, s1, &err), &err);
    assert_int_equal(r.total, 99);
    td_score_result_free(&r);

    td_snapshot snap;
    assert_td_ok(td_snapshot_latest(f.db, f.case_id, &snap, &err), &err);
    assert_string_equal(snap.id, s1);
    assert_string_equal(snap.tier_id, "A");
    assert_int_equal(snap.total, 99);
    assert_string_equal(snap.prev_id, "");
    assert_string_equal(snap.as_of, "2025-06-01");
    assert_non_null(strstr(snap.ledger_json, "\"ledger\""));
    assert_non_null(strstr(snap.inputs_json, "doctorate"));
    td_snapshot_free(&snap);

    /* UPDATE and DELETE are refused by the database itself. */
    sqlite3 *h = td_db_handle(f.db);
    assert_int_not_equal(sqlite3_exec(h, "UPDATE score_snapshots SET total = 120", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(h, "DELETE FROM score_snapshots", NULL, NULL, NULL), SQLITE_OK);

    /* Re-scoring after a new fact makes a new snapshot linked to the first. */
    fx_fact(&f, f.person_id, "local_scarce_points=1", true);
    assert_td_ok(td_score_case(f.db, &f.reviewer, &a, &r, s2, &err), &err);
    assert_int_equal(r.total, 100);
    td_score_result_free(&r);
    assert_td_ok(td_snapshot_get(f.db, s2, &snap, &err), &err);
    assert_string_equal(snap.prev_id, s1);
    assert_int_equal(snap.total, 100);
    td_snapshot_free(&snap);
    assert_td_ok(td_snapshot_get(f.db, s1, &snap, &err), &err);
    assert_int_equal(snap.total, 99); /* the old one is unchanged */
    td_snapshot_free(&snap);

    /* Each save was audited. */
    sqlite3_stmt *st;
    sqlite3_prepare_v2(h, "SELECT count(*) FROM audit_log WHERE action = 'score.snapshot'", -1, &st,
                       NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    sqlite3_finalize(st);
    fx_teardown(&f);
}

static int count_cb(const td_snapshot *s, void *ud)
{
    (void)s;
    (*(int *)ud)++;
    return 0;
}

static void test_snapshot_reproduced(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    /* rules recorded in the database, as `talentdesk init` does */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data/rules", td_test_src_dir());
    assert_td_ok(td_rules_load_dir(f.db, dir, NULL, &err), &err);
    for (int i = 0; worked[i]; i++)
        fx_fact(&f, f.person_id, worked[i], true);
    fx_fact(&f, f.person_id, "fortune500_experience=yes", false); /* claimed */
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cn-work-permit-2017",
                             .as_of = "2025-06-01", .save = true };
    td_score_result r;
    char sid[TD_UUID_LEN];
    assert_td_ok(td_score_case(f.db, &f.reviewer, &a, &r, sid, &err), &err);
    td_score_result_free(&r);
    /* Later the person gains facts; the old snapshot still reproduces exactly. */
    fx_fact(&f, f.person_id, "local_scarce_points=10", true);
    td_snapshot snap;
    assert_td_ok(td_snapshot_get(f.db, sid, &snap, &err), &err);
    bool same = false;
    assert_td_ok(td_snapshot_reproduce(f.db, &snap, &r, &same, &err), &err);
    assert_true(same);
    assert_int_equal(r.total, 99);
    assert_string_equal(r.tier, "A");
    td_score_result_free(&r);
    /* A tampered copy (a different total) is reported as not identical. */
    char *orig = snap.ledger_json;
    snap.ledger_json = strdup(orig);
    char *p = strstr(snap.ledger_json, "\"total\":99");
    assert_non_null(p);
    memcpy(p, "\"total\":98", 10);
    assert_td_ok(td_snapshot_reproduce(f.db, &snap, &r, &same, &err), &err);
    assert_false(same);
    td_score_result_free(&r);
    free(snap.ledger_json);
    snap.ledger_json = orig;
    /* An unknown rule version cannot be reproduced. */
    snprintf(snap.rule_set_hash, sizeof snap.rule_set_hash, "%064d", 0);
    assert_int_equal(td_snapshot_reproduce(f.db, &snap, &r, &same, &err), TD_ENOTFOUND);
    td_snapshot_free(&snap);
    int n = 0;
    assert_td_ok(td_score_case(f.db, &f.reviewer, &a, &r, NULL, &err), &err);
    td_score_result_free(&r);
    assert_td_ok(td_snapshot_each(f.db, f.case_id, count_cb, &n, &err), &err);
    assert_int_equal(n, 2);
    fx_teardown(&f);
}

static void test_case_scoring_uses_verified_only(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    fx_fact(&f, f.person_id, "award=nobel", false); /* claimed */
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cn-work-permit-2017",
                             .as_of = "2025-06-01" };
    td_score_result r;
    assert_td_ok(td_score_case(f.db, &f.clerk, &a, &r, NULL, &err), &err);
    assert_string_equal(r.tier, "C");
    td_score_result_free(&r);
    /* Verify it: now it counts. */
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(f.db), "SELECT id FROM facts WHERE name = 'award'", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char fid[TD_UUID_LEN];
    snprintf(fid, sizeof fid, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_int_equal(td_fact_verify(f.db, &f.reviewer, fid, "", 0, &err), TD_EINVALID);
    assert_int_equal(td_fact_verify(f.db, &f.specialist, fid, "certificate", 0, &err), TD_EDENIED);
    assert_int_equal(td_fact_verify(f.db, &f.reviewer, fid, "certificate", 7, &err), TD_ECONFLICT);
    assert_td_ok(td_fact_verify(f.db, &f.reviewer, fid, "Nobel certificate seen", 1, &err), &err);
    assert_int_equal(td_fact_verify(f.db, &f.reviewer, fid, "again", 0, &err), TD_ECONFLICT);
    assert_td_ok(td_score_case(f.db, &f.clerk, &a, &r, NULL, &err), &err);
    assert_string_equal(r.tier, "A");
    assert_string_equal(r.route, "catalogue");
    td_score_result_free(&r);
    fx_teardown(&f);
}

static void test_what_if_not_saved(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    for (int i = 0; worked[i]; i++)
        fx_fact(&f, f.person_id, worked[i], true);
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cn-work-permit-2017",
                             .as_of = "2025-06-01" };
    td_score_result base, wi;
    assert_td_ok(td_score_case(f.db, &f.clerk, &a, &base, NULL, &err), &err);
    td_factset over = { 0 };
    const char *changes[] = { "hsk_level=6", "annual_salary=300000", NULL };
    facts_of(&over, changes);
    a.what_if = &over;
    a.save = true; /* ignored: a what-if is never saved */
    assert_td_ok(td_score_case(f.db, &f.clerk, &a, &wi, NULL, &err), &err);
    assert_int_equal(wi.total, 99 + 1 - 6);
    json_t *d = td_score_diff_json(&base, &wi);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(d, "total"), "delta")), -5);
    json_t *rows = json_object_get(d, "factors");
    int changed = 0;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *x = json_array_get(rows, i);
        int delta = (int)json_integer_value(json_object_get(x, "delta"));
        const char *fac = json_string_value(json_object_get(x, "factor"));
        if (delta) {
            changed++;
            if (strcmp(fac, "chinese") == 0)
                assert_int_equal(delta, 1);
            else if (strcmp(fac, "salary") == 0)
                assert_int_equal(delta, -6);
            else
                fail_msg("unexpected change in %s", fac);
        }
    }
    assert_int_equal(changed, 2);
    assert_false(json_is_true(json_object_get(d, "binding")));
    json_decref(d);
    td_snapshot snap;
    assert_int_equal(td_snapshot_latest(f.db, f.case_id, &snap, &err), TD_ENOTFOUND);
    /* Another rule set as what-if. */
    td_score_case_args b = { .case_key = f.case_id, .rule_set_id = "cq-recognition-sample",
                             .as_of = "2026-06-01" };
    td_score_result other;
    assert_td_ok(td_score_case(f.db, &f.clerk, &b, &other, NULL, &err), &err);
    assert_string_equal(other.rule_set_id, "cq-recognition-sample");
    json_t *d2 = td_score_diff_json(&base, &other);
    assert_true(json_array_size(json_object_get(d2, "factors")) > base.nrows);
    json_decref(d2);
    td_score_result_free(&other);
    td_factset_free(&over);
    td_score_result_free(&base);
    td_score_result_free(&wi);
    fx_teardown(&f);
}

static void test_rule_set_not_in_force(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cq-recognition-sample",
                             .as_of = "2020-01-01" };
    td_score_result r;
    assert_int_equal(td_score_case(f.db, &f.clerk, &a, &r, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "2020-01-01"));
    fx_teardown(&f);
}

static void test_save_needs_role(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cn-work-permit-2017",
                             .as_of = "2025-06-01", .save = true };
    td_score_result r;
    assert_int_equal(td_score_case(f.db, &f.specialist, &a, &r, NULL, &err), TD_EDENIED);
    a.save = false;
    assert_td_ok(td_score_case(f.db, &f.specialist, &a, &r, NULL, &err), &err);
    td_score_result_free(&r);
    fx_teardown(&f);
}


/* ---- engine details on small in-memory rule sets ------------------------ */

static td_ruleset *parse_rs(const char *text)
{
    td_pf *pf = NULL;
    td_err err;
    td_ruleset *rs = NULL;
    if (td_pf_parse("t.tdp", text, strlen(text), &pf, &err) != TD_OK ||
        td_ruleset_from_pf(pf, &rs, &err) != TD_OK)
        fail_msg("%s", err.msg);
    td_pf_free(pf);
    return rs;
}

static const char *head = "[ruleset t]\ntitle = T\nbasis = B\neffective_from = 2000-01-01\nsample = yes\n"
                          "[tier hi]\nname = High\nrank = 1\nmin_points = 10\n"
                          "[tier lo]\nname = Low\nrank = 2\nmin_points = 5\n";

static void test_aggregate_sum_and_cap(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s"
             "[factor s]\ntitle = S\ncap = 7\naggregate = sum\n"
             "match = returnee=yes 3 r\nmatch = offshore_talent=yes 3 o\nmatch = tax_paid=yes 3 t\n"
             "[factor m]\ntitle = M\ncap = 7\naggregate = max\n"
             "match = returnee=yes 3 r\nmatch = offshore_talent=yes 4 o\n", head);
    td_ruleset *rs = parse_rs(text);
    assert_int_equal(rs->max_points, 14);
    const char *kvs[] = { "returnee=yes", "offshore_talent=yes", "tax_paid=yes", NULL };
    td_score_result r;
    score(rs, kvs, 0, &r);
    assert_int_equal(row(&r, "s")->raw, 9);
    assert_int_equal(row(&r, "s")->final, 7);
    assert_true(row(&r, "s")->capped);
    assert_non_null(strstr(row(&r, "s")->band, "r"));
    assert_non_null(strstr(row(&r, "s")->band, "t"));
    assert_int_equal(row(&r, "m")->raw, 4);
    assert_string_equal(row(&r, "m")->band, "o");
    assert_false(row(&r, "m")->capped);
    assert_int_equal(r.total, 11);
    assert_string_equal(r.tier, "hi");
    assert_string_equal(r.tier_name, "High");
    td_score_result_free(&r);
    const char *few[] = { "returnee=yes", "?offshore_talent=yes", NULL };
    score(rs, few, 0, &r);
    assert_int_equal(r.total, 6);
    assert_string_equal(r.tier, "lo");
    assert_int_equal(row(&r, "m")->claimed_final, 4);
    td_score_result_free(&r);
    const char *none[] = { NULL };
    score(rs, none, 0, &r);
    assert_int_equal(r.total, 0);
    assert_string_equal(r.tier, "none");
    assert_string_equal(r.route, "points");
    td_score_result_free(&r);
    td_ruleset_free(rs);
}

static void test_catalogue_conditions_all_must_hold(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s"
             "[catalogue both]\ntitle = Both\ntier = hi\nwhen = returnee = yes\nwhen = age >= 30\n"
             "[factor f]\ntitle = F\ncap = 1\naggregate = max\nmatch = tax_paid=yes 1\n", head);
    td_ruleset *rs = parse_rs(text);
    td_score_result r;
    const char *one[] = { "returnee=yes", "birth_date=2000-01-01", NULL }; /* 25 */
    score(rs, one, 0, &r);
    assert_int_equal(r.nhits, 0);
    assert_string_equal(r.tier, "none");
    td_score_result_free(&r);
    const char *two[] = { "returnee=yes", "birth_date=1990-01-01", NULL };
    score(rs, two, 0, &r);
    assert_int_equal(r.nhits, 1);
    assert_string_equal(r.tier, "hi");
    assert_string_equal(r.route, "catalogue");
    assert_non_null(strstr(r.hits[0].why, "returnee=yes"));
    assert_non_null(strstr(r.hits[0].why, "age=35"));
    td_score_result_free(&r);
    /* one condition only claimed: listed, not counted */
    const char *cl[] = { "?returnee=yes", "birth_date=1990-01-01", NULL };
    score(rs, cl, 0, &r);
    assert_int_equal(r.nhits, 1);
    assert_true(r.hits[0].claimed_only);
    assert_string_equal(r.tier, "none");
    td_score_result_free(&r);
    td_ruleset_free(rs);
}

static void test_tie_goes_to_catalogue(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s"
             "[catalogue c]\ntitle = C\ntier = hi\nwhen = returnee = yes\n"
             "[factor f]\ntitle = F\ncap = 10\naggregate = max\nmatch = returnee=yes 10\n", head);
    td_ruleset *rs = parse_rs(text);
    td_score_result r;
    const char *kvs[] = { "returnee=yes", NULL };
    score(rs, kvs, 0, &r);
    assert_string_equal(r.points_tier, "hi");
    assert_string_equal(r.catalogue_tier, "hi");
    assert_string_equal(r.route, "catalogue");
    assert_string_equal(r.catalogue_item, "c");
    td_score_result_free(&r);
    td_ruleset_free(rs);
}

static void test_score_facts_resolves_wage_and_rules(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_factset fs = { 0 };
    const char *kvs[] = { "annual_salary=720000", NULL }; /* 6 × the sample ¥120,000 */
    facts_of(&fs, kvs);
    td_score_result r;
    td_date d = { 2026, 6, 1 };
    assert_td_ok(td_score_facts(db, "cn-work-permit-2017", &fs, d, &r, &err), &err);
    assert_int_equal(r.wage_yuan, 120000);
    assert_non_null(strstr(r.wage_source, "chongqing"));
    assert_string_equal(r.tier, "A");
    assert_string_equal(r.catalogue_item, "salary-6x");
    assert_true(r.sample == false);
    td_score_result_free(&r);
    /* default rule set: the Chongqing sample */
    assert_td_ok(td_score_facts(db, NULL, &fs, d, &r, &err), &err);
    assert_string_equal(r.rule_set_id, "cq-recognition-sample");
    assert_true(r.sample);
    assert_int_equal(r.wage_yuan, 0); /* that set uses no wage */
    td_score_result_free(&r);
    assert_int_equal(td_score_facts(db, "nosuch", &fs, d, &r, &err), TD_ENOTFOUND);
    td_date old = { 2016, 1, 1 };
    assert_int_equal(td_score_facts(db, "cn-work-permit-2017", &fs, old, &r, &err), TD_EINVALID);
    td_factset_free(&fs);
    td_db_close(db);
}

static void test_diff_json_shapes(void **state)
{
    (void)state;
    td_score_result a, b;
    const char *x[] = { "degree=master", NULL };
    const char *y[] = { "degree=doctorate", "hsk_level=3", NULL };
    score(wp, x, 0, &a);
    score(wp, y, 0, &b);
    json_t *d = td_score_diff_json(&a, &b);
    assert_int_equal(json_array_size(json_object_get(d, "factors")), a.nrows);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(d, "total"), "delta")), 5 + 3);
    assert_string_equal(json_string_value(json_object_get(json_object_get(d, "route"), "base")), "points");
    json_decref(d);
    /* the facts as JSON keep status and date */
    td_factset fs = { 0 };
    const char *kv[] = { "?award=nobel@2020-10-01", NULL };
    facts_of(&fs, kv);
    json_t *j = td_facts_json(&fs);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "status")), "claimed");
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "date")), "2020-10-01");
    json_decref(j);
    td_factset_free(&fs);
    td_score_result_free(&a);
    td_score_result_free(&b);
}

static void test_default_as_of_is_intake_day_in_china(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    /* the fixture case was taken in at 2026-06-01T02:00Z = 10:00 in China */
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cq-recognition-sample" };
    td_score_result r;
    assert_td_ok(td_score_case(f.db, &f.clerk, &a, &r, NULL, &err), &err);
    assert_string_equal(r.as_of, "2026-06-01");
    td_score_result_free(&r);
    /* a case taken in at 17:30 UTC belongs to the next day in China */
    fx_exec(f.db, "UPDATE cases SET created_at = '2026-06-01T17:30:00.000Z'");
    assert_td_ok(td_score_case(f.db, &f.clerk, &a, &r, NULL, &err), &err);
    assert_string_equal(r.as_of, "2026-06-02");
    td_score_result_free(&r);
    a.as_of = "not a date";
    assert_int_equal(td_score_case(f.db, &f.clerk, &a, &r, NULL, &err), TD_EINVALID);
    a.as_of = NULL;
    a.case_key = "CQ-1999-000001";
    assert_int_equal(td_score_case(f.db, &f.clerk, &a, &r, NULL, &err), TD_ENOTFOUND);
    fx_teardown(&f);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example_99_A),
        cmocka_unit_test(test_age_boundaries),
        cmocka_unit_test(test_age_computed_at_as_of),
        cmocka_unit_test(test_salary_boundaries),
        cmocka_unit_test(test_hsk_levels),
        cmocka_unit_test(test_months_boundaries),
        cmocka_unit_test(test_experience_years),
        cmocka_unit_test(test_education_highest_only),
        cmocka_unit_test(test_location),
        cmocka_unit_test(test_extra_credit_capped_at_5),
        cmocka_unit_test(test_local_points),
        cmocka_unit_test(test_maximum_120),
        cmocka_unit_test(test_thresholds),
        cmocka_unit_test(test_catalogue_beats_points),
        cmocka_unit_test(test_better_points_beat_lower_catalogue),
        cmocka_unit_test(test_salary_multiple_routes),
        cmocka_unit_test(test_direct_qualifications),
        cmocka_unit_test(test_unverified_facts_do_not_count),
        cmocka_unit_test(test_future_facts_do_not_count),
        cmocka_unit_test(test_latest_single_value_wins),
        cmocka_unit_test(test_cq_sample_tiers),
        cmocka_unit_test(test_result_json),
        cmocka_unit_test(test_snapshot_immutable_and_linked),
        cmocka_unit_test(test_snapshot_reproduced),
        cmocka_unit_test(test_case_scoring_uses_verified_only),
        cmocka_unit_test(test_what_if_not_saved),
        cmocka_unit_test(test_rule_set_not_in_force),
        cmocka_unit_test(test_save_needs_role),
        cmocka_unit_test(test_aggregate_sum_and_cap),
        cmocka_unit_test(test_catalogue_conditions_all_must_hold),
        cmocka_unit_test(test_tie_goes_to_catalogue),
        cmocka_unit_test(test_score_facts_resolves_wage_and_rules),
        cmocka_unit_test(test_diff_json_shapes),
        cmocka_unit_test(test_default_as_of_is_intake_day_in_china),
    };
    return cmocka_run_group_tests(tests, load_sets, free_sets);
}
