/* test_score_edges.c — the work-permit table of scoring-reference.md at both
 * edges of every band (complementing test_score.c), the salary-multiple
 * routes with the dated average wage, claimed facts in the ledger and its
 * JSON, what-if writing nothing, and reproducing a snapshot after the rule
 * file changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"
#include "scoring_fixture.h"

#include "recognition/facts.h"
#include "recognition/rules.h"
#include "recognition/score.h"

static td_ruleset *wp; /* cn-work-permit-2017 */

static const td_date AS_OF = { 2025, 6, 1 };

static int load_set(void **state)
{
    (void)state;
    char path[4096];
    td_err err;
    snprintf(path, sizeof path, "%s/data/rules/cn-work-permit-2017.tdp", td_test_src_dir());
    if (td_ruleset_load_file(path, &wp, &err) != TD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int free_set(void **state)
{
    (void)state;
    td_ruleset_free(wp);
    return 0;
}

/* "k=v" strings; a leading '?' marks a claimed fact. */
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

static void score_at(const char *const *kvs, td_date as_of, long long wage, td_score_result *r)
{
    td_factset fs = { 0 };
    facts_of(&fs, kvs);
    td_score_eval(wp, &fs, as_of, wage, "test wage", r);
    td_factset_free(&fs);
}

static void score(const char *const *kvs, long long wage, td_score_result *r)
{
    score_at(kvs, AS_OF, wage, r);
}

static const td_ledger_row *row(const td_score_result *r, const char *factor)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (strcmp(r->rows[i].factor, factor) == 0)
            return &r->rows[i];
    fail_msg("no ledger row %s", factor);
    return NULL;
}

static int points_at(const char *factor, const char *kv, td_date as_of)
{
    const char *kvs[] = { kv, NULL };
    td_score_result r;
    score_at(kvs, as_of, 0, &r);
    int p = row(&r, factor)->final;
    td_score_result_free(&r);
    return p;
}

static int points(const char *factor, const char *kv)
{
    return points_at(factor, kv, AS_OF);
}

#define EXPECT_POINTS(factor, kv, want)                                                    \
    do {                                                                                   \
        int got_ = points(factor, kv);                                                     \
        if (got_ != (want))                                                                \
            fail_msg("%s with %s: %d points, want %d", factor, kv, got_, (int)(want));     \
    } while (0)

/* ---- salary: both edges of every band ------------------------------------ */

static void test_salary_every_band_both_edges(void **state)
{
    (void)state;
    static const struct {
        long long yuan;
        int pts;
    } t[] = {
        { 100000000, 20 }, { 450000, 20 }, { 449999, 17 }, { 350000, 17 }, { 349999, 14 },
        { 250000, 14 },    { 249999, 11 }, { 150000, 11 }, { 149999, 8 },  { 70000, 8 },
        { 69999, 5 },      { 50000, 5 },   { 49999, 0 },   { 1, 0 },       { 0, 0 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char kv[64];
        snprintf(kv, sizeof kv, "annual_salary=%lld", t[i].yuan);
        EXPECT_POINTS("salary", kv, t[i].pts);
    }
    /* The ledger names the input and the band it fell in. */
    const char *kvs[] = { "annual_salary=249999", NULL };
    td_score_result r;
    score(kvs, 0, &r);
    assert_non_null(strstr(row(&r, "salary")->input, "249999"));
    assert_non_null(strstr(row(&r, "salary")->band, "15"));
    assert_int_equal(row(&r, "salary")->cap, 20);
    td_score_result_free(&r);
    /* No salary at all: no band, no points. */
    const char *none[] = { "degree=master", NULL };
    score(none, 0, &r);
    assert_int_equal(row(&r, "salary")->final, 0);
    assert_string_equal(row(&r, "salary")->band, "");
    td_score_result_free(&r);
}

/* ---- education incl. vocational equivalents ------------------------------ */

static void test_education_vocational_equivalents_highest_counts(void **state)
{
    (void)state;
    struct {
        const char *a, *b;
        int pts;
    } t[] = {
        { "degree=bachelor", "vocational=technician", 15 },
        { "degree=master", "vocational=senior_technician", 20 },
        { "degree=bachelor", "vocational=senior_worker", 10 },
        { "degree=associate", "vocational=senior_worker", 10 },
        { "degree=master", "vocational=senior_worker", 15 },
        { "vocational=top_international", "degree=bachelor", 20 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const char *kvs[] = { t[i].a, t[i].b, NULL };
        td_score_result r;
        score(kvs, 0, &r);
        const td_ledger_row *e = row(&r, "education");
        if (e->final != t[i].pts)
            fail_msg("%s + %s: %d, want %d", t[i].a, t[i].b, e->final, t[i].pts);
        /* highest only, never summed past the cap */
        assert_false(e->raw > 20);
        td_score_result_free(&r);
    }
    /* A claimed doctorate beside a verified bachelor: 10 counts, 20 shown. */
    const char *kvs[] = { "degree=bachelor", "?degree=doctorate", NULL };
    td_score_result r;
    score(kvs, 0, &r);
    assert_int_equal(row(&r, "education")->final, 10);
    assert_int_equal(row(&r, "education")->claimed_final, 20);
    td_score_result_free(&r);
}

/* ---- experience: every year from 0 to 25 ---------------------------------- */

static void test_experience_every_year(void **state)
{
    (void)state;
    for (int n = 0; n <= 25; n++) {
        int want = n < 2 ? 0 : (5 + (n - 2) > 20 ? 20 : 5 + (n - 2));
        char kv[80];
        if (n == 0) {
            EXPECT_POINTS("experience", "employment=2025-01-01..2025-05-31", 0);
            continue;
        }
        /* exactly n years ending the day before as-of */
        snprintf(kv, sizeof kv, "employment=%04d-06-01..2025-05-31", 2025 - n);
        EXPECT_POINTS("experience", kv, want);
        /* one day short of n years is n-1 years */
        int short_want = n - 1 < 2 ? 0 : (5 + (n - 3) > 20 ? 20 : 5 + (n - 3));
        snprintf(kv, sizeof kv, "employment=%04d-06-02..2025-05-31", 2025 - n);
        EXPECT_POINTS("experience", kv, short_want);
    }
}

static void test_experience_at_as_of(void **state)
{
    (void)state;
    /* An open period grows with the as-of date, which counts as worked (both
     * ends of a period are inclusive, as for 2023-06-01..2025-05-31 = 2 years). */
    td_date day_before = { 2025, 5, 30 }, on = { 2025, 5, 31 }, later = { 2033, 5, 31 };
    assert_int_equal(points_at("experience", "employment=2023-06-01..", day_before), 0);
    assert_int_equal(points_at("experience", "employment=2023-06-01..", on), 5);
    assert_int_equal(points_at("experience", "employment=2023-06-01..2025-05-31", on), 5);
    assert_int_equal(points_at("experience", "employment=2023-06-01..2025-05-31", day_before), 0);
    assert_int_equal(points_at("experience", "employment=2023-06-01..", later), 13);
    /* A period that starts after as-of counts nothing. */
    assert_int_equal(points_at("experience", "employment=2025-06-02..", on), 0);
}

/* ---- months in China ------------------------------------------------------- */

static void test_months_every_value(void **state)
{
    (void)state;
    const int want[13] = { 0, 0, 0, 5, 5, 5, 10, 10, 10, 15, 15, 15, 15 };
    for (int m = 0; m <= 12; m++) {
        char kv[40];
        snprintf(kv, sizeof kv, "months_in_china=%d", m);
        EXPECT_POINTS("months", kv, want[m]);
    }
    /* More than 12 months a year is not a fact that can be typed. */
    td_fact f;
    td_err err;
    assert_int_equal(td_fact_parse_kv("months_in_china=13", true, &f, &err), TD_EINVALID);
}

/* ---- Chinese language -------------------------------------------------------- */

static void test_chinese_items_highest_not_summed(void **state)
{
    (void)state;
    struct {
        const char *a, *b;
        int pts;
    } t[] = {
        { "former_chinese_national=yes", "hsk_level=1", 5 },
        { "degree_taught_in_chinese=yes", "hsk_level=4", 5 },
        { "hsk_level=3", NULL, 3 },
        { "former_chinese_national=yes", "degree_taught_in_chinese=yes", 5 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const char *kvs[] = { t[i].a, t[i].b, NULL };
        td_score_result r;
        score(kvs, 0, &r);
        if (row(&r, "chinese")->final != t[i].pts)
            fail_msg("%s + %s: %d", t[i].a, t[i].b ? t[i].b : "-", row(&r, "chinese")->final);
        td_score_result_free(&r);
    }
    /* HSK outside 1..6 is refused when typed. */
    td_fact f;
    td_err err;
    assert_int_equal(td_fact_parse_kv("hsk_level=0", true, &f, &err), TD_EINVALID);
    assert_int_equal(td_fact_parse_kv("hsk_level=7", true, &f, &err), TD_EINVALID);
    /* Claimed former nationality beside verified HSK 2: 2 counts, 5 shown. */
    const char *kvs[] = { "hsk_level=2", "?former_chinese_national=yes", NULL };
    td_score_result r;
    score(kvs, 0, &r);
    assert_int_equal(row(&r, "chinese")->final, 2);
    assert_int_equal(row(&r, "chinese")->claimed_final, 5);
    assert_int_equal(r.total, 2);
    td_score_result_free(&r);
}

/* ---- work location ------------------------------------------------------------ */

static void test_location_absent_and_claimed(void **state)
{
    (void)state;
    EXPECT_POINTS("location", "degree=master", 0);
    const char *kvs[] = { "?work_region=western", NULL };
    td_score_result r;
    score(kvs, 0, &r);
    assert_int_equal(row(&r, "location")->final, 0);
    assert_int_equal(row(&r, "location")->claimed_final, 10);
    assert_int_equal(r.total, 0);
    td_score_result_free(&r);
    td_fact f;
    td_err err;
    assert_int_equal(td_fact_parse_kv("work_region=mars", true, &f, &err), TD_EINVALID);
}

/* ---- age: every band at the birthday boundaries ----------------------------- */

static void test_age_every_band_birthday_edges(void **state)
{
    (void)state;
    /* Birthday on as-of (2025-06-01): the new age counts; the day after
     * (born on 06-02) the person is still a year younger. */
    struct {
        int age;
        int on, day_before;
    } t[] = {
        { 18, 10, 0 },  /* 17 is below every band */
        { 25, 10, 10 }, { 26, 15, 10 }, { 45, 15, 15 }, { 46, 10, 15 }, { 55, 10, 10 },
        { 56, 5, 10 },  { 60, 5, 5 },   { 61, 0, 5 },   { 80, 0, 0 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char kv[40];
        snprintf(kv, sizeof kv, "birth_date=%04d-06-01", 2025 - t[i].age);
        EXPECT_POINTS("age", kv, t[i].on);
        snprintf(kv, sizeof kv, "birth_date=%04d-06-02", 2025 - t[i].age);
        EXPECT_POINTS("age", kv, t[i].day_before);
    }
    /* A 17-year-old matches no band: nothing named as matched. */
    const char *kvs[] = { "birth_date=2007-06-02", NULL };
    td_score_result r;
    score(kvs, 0, &r);
    assert_int_equal(row(&r, "age")->final, 0);
    assert_string_equal(row(&r, "age")->band, "");
    assert_non_null(strstr(row(&r, "age")->input, "17"));
    td_score_result_free(&r);
}

static void test_age_moves_with_as_of(void **state)
{
    (void)state;
    /* The same person scored on two dates: 45 → 15, 46 → 10. */
    td_date d45 = { 2025, 3, 9 }, d46 = { 2025, 3, 10 };
    assert_int_equal(points_at("age", "birth_date=1979-03-10", d45), 15);
    assert_int_equal(points_at("age", "birth_date=1979-03-10", d46), 10);
    /* Born on 29 February: 26 on 1 March of a common year at the latest. */
    td_date mar1 = { 2026, 3, 1 }, feb27 = { 2026, 2, 27 };
    assert_int_equal(points_at("age", "birth_date=2000-02-29", feb27), 10);
    assert_int_equal(points_at("age", "birth_date=2000-02-29", mar1), 15);
}

/* ---- extra credit group ----------------------------------------------------- */

static void test_extra_credit_each_item_and_pairs(void **state)
{
    (void)state;
    const char *items[] = { "top_university_graduate=yes", "fortune500_experience=yes",
                            "patent=ZL2019-1", "china_work_start=2015-01-01" };
    for (int i = 0; i < 4; i++) {
        for (int j = i; j < 4; j++) {
            const char *kvs[] = { items[i], i == j ? NULL : items[j], NULL };
            td_score_result r;
            score(kvs, 0, &r);
            if (r.total != 5)
                fail_msg("%s + %s: total %d, want 5", items[i], i == j ? "-" : items[j], r.total);
            assert_int_equal(r.ngroups, 1);
            assert_int_equal(r.groups[0].cap, 5);
            assert_int_equal(r.groups[0].sum, i == j ? 5 : 10);
            assert_int_equal(r.groups[0].final, 5);
            td_score_result_free(&r);
        }
    }
    /* Added to the worked example, extra credit never passes 5 in all. */
    const char *kvs[] = { "annual_salary=450000", "degree=doctorate",
                          "employment=2018-01-01..2024-12-31", "months_in_china=12",
                          "hsk_level=4", "work_region=western", "birth_date=1990-01-15",
                          "top_university_graduate=yes", "fortune500_experience=yes",
                          "patent=ZL1", "china_work_start=2010-01-01", NULL };
    td_score_result r;
    score(kvs, 0, &r);
    assert_int_equal(r.total, 99);
    td_score_result_free(&r);
    /* Claimed extra items add nothing. */
    const char *cl[] = { "?top_university_graduate=yes", "?patent=ZL1", NULL };
    score(cl, 0, &r);
    assert_int_equal(r.total, 0);
    assert_int_equal(r.groups[0].final, 0);
    td_score_result_free(&r);
}

static void test_local_encouragement_bounds(void **state)
{
    (void)state;
    td_fact f;
    td_err err;
    assert_int_equal(td_fact_parse_kv("local_scarce_points=11", true, &f, &err), TD_EINVALID);
    assert_int_equal(td_fact_parse_kv("local_scarce_points=-1", true, &f, &err), TD_EINVALID);
    EXPECT_POINTS("local", "local_scarce_points=10", 10);
    EXPECT_POINTS("local", "degree=master", 0);
}

/* ---- routes to A and B ------------------------------------------------------- */

static void test_salary_multiples_with_sample_wage(void **state)
{
    (void)state;
    const long long wage = 120000; /* 6× = 720,000; 4× = 480,000 */
    struct {
        const char *kv;
        const char *cat_tier, *item;
    } t[] = {
        { "annual_salary=720000", "A", "salary-6x" },
        { "annual_salary=719999", "B", "salary-4x" },
        { "annual_salary=480000", "B", "salary-4x" },
        { "annual_salary=479999", "", "" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const char *kvs[] = { t[i].kv, NULL };
        td_score_result r;
        score(kvs, wage, &r);
        assert_string_equal(r.catalogue_tier, t[i].cat_tier);
        if (t[i].item[0]) {
            assert_string_equal(r.catalogue_item, t[i].item);
            assert_string_equal(r.tier, t[i].cat_tier);
            assert_string_equal(r.route, "catalogue");
        } else {
            assert_string_equal(r.tier, "C");
            assert_string_equal(r.route, "points");
        }
        assert_int_equal(r.wage_yuan, wage);
        td_score_result_free(&r);
    }
    /* A claimed salary does not open the route; it shows as claimed only. */
    const char *kvs[] = { "?annual_salary=900000", NULL };
    td_score_result r;
    score(kvs, wage, &r);
    assert_string_equal(r.catalogue_tier, "");
    assert_string_equal(r.tier, "C");
    bool seen = false;
    for (size_t i = 0; i < r.nhits; i++)
        if (strcmp(r.hits[i].id, "salary-6x") == 0) {
            assert_true(r.hits[i].claimed_only);
            seen = true;
        }
    assert_true(seen);
    td_score_result_free(&r);
}

static void test_bachelor_route_needs_both_conditions(void **state)
{
    (void)state;
    /* Vocational alone is not a degree for the B route. */
    const char *voc[] = { "vocational=senior_technician", "employment=2015-01-01..2025-05-31", NULL };
    td_score_result r;
    score(voc, 0, &r);
    assert_string_equal(r.catalogue_tier, "");
    td_score_result_free(&r);
    /* Master's + exactly 2 years → B by catalogue. */
    const char *m2[] = { "degree=master", "employment=2023-06-01..2025-05-31", NULL };
    score(m2, 0, &r);
    assert_string_equal(r.catalogue_tier, "B");
    assert_string_equal(r.catalogue_item, "bachelor-2y");
    td_score_result_free(&r);
    /* Claimed experience: the route does not hold. */
    const char *cl[] = { "degree=doctorate", "?employment=2010-01-01..2025-05-31", NULL };
    score(cl, 0, &r);
    assert_string_equal(r.catalogue_tier, "");
    assert_string_equal(r.tier, "C");
    td_score_result_free(&r);
}

static void test_other_awards_not_direct(void **state)
{
    (void)state;
    /* Only the listed awards qualify directly under the 2017 table. */
    const char *kvs[] = { "award=wolf", NULL };
    td_score_result r;
    score(kvs, 0, &r);
    assert_string_equal(r.catalogue_tier, "");
    assert_string_equal(r.tier, "C");
    td_score_result_free(&r);
    const char *fa[] = { "award=foreign_academician", NULL };
    score(fa, 0, &r);
    assert_string_equal(r.tier, "A");
    assert_string_equal(r.catalogue_item, "intl-award");
    td_score_result_free(&r);
}

/* ---- dated wage and rule sets in force ------------------------------------------ */

static void test_wage_dated_figures(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".tdp");
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("[wage cq-2023]\nregion = chongqing\nannual_yuan = 100000\neffective_from = 2023-07-01\n"
          "source = test\nsample = yes\n\n"
          "[wage cq-2024]\nregion = chongqing\nannual_yuan = 110000\neffective_from = 2024-07-01\n"
          "source = test\nsample = yes\n",
          fp);
    fclose(fp);
    td_wage w;
    td_err err;
    td_err_clear(&err);
    td_date before = { 2023, 6, 30 }, first = { 2023, 7, 1 }, eve = { 2024, 6, 30 },
            second = { 2024, 7, 1 }, later = { 2030, 1, 1 };
    assert_int_equal(td_wage_lookup(path, "chongqing", before, &w, &err), TD_ENOTFOUND);
    assert_td_ok(td_wage_lookup(path, "chongqing", first, &w, &err), &err);
    assert_int_equal(w.annual_yuan, 100000);
    assert_td_ok(td_wage_lookup(path, "chongqing", eve, &w, &err), &err);
    assert_int_equal(w.annual_yuan, 100000);
    assert_td_ok(td_wage_lookup(path, "chongqing", second, &w, &err), &err);
    assert_int_equal(w.annual_yuan, 110000);
    assert_string_equal(w.id, "cq-2024");
    assert_td_ok(td_wage_lookup(path, "chongqing", later, &w, &err), &err);
    assert_int_equal(w.annual_yuan, 110000);
    unlink(path);
    free(path);
}

static void test_score_facts_effective_date_edges(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    td_factset fs = { 0 };
    const char *kvs[] = { "annual_salary=720000", NULL };
    facts_of(&fs, kvs);
    td_score_result r;
    /* The 2017 table is in force from 2017-04-01, not the day before. */
    td_date eve = { 2017, 3, 31 }, first = { 2017, 4, 1 };
    assert_int_equal(td_score_facts(db, "cn-work-permit-2017", &fs, eve, &r, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "2017-03-31"));
    assert_td_ok(td_score_facts(db, "cn-work-permit-2017", &fs, first, &r, &err), &err);
    assert_string_equal(r.as_of, "2017-04-01");
    assert_int_equal(r.wage_yuan, 120000);
    assert_string_equal(r.tier, "A");
    td_score_result_free(&r);
    /* The Chongqing sample set starts 2026-05-26. */
    td_date cq_eve = { 2026, 5, 25 }, cq_first = { 2026, 5, 26 };
    assert_int_equal(td_score_facts(db, "cq-recognition-sample", &fs, cq_eve, &r, &err), TD_EINVALID);
    assert_td_ok(td_score_facts(db, "cq-recognition-sample", &fs, cq_first, &r, &err), &err);
    td_score_result_free(&r);
    td_factset_free(&fs);
    td_db_close(db);
}

/* A rule set in force before the first wage figure: the salary-multiple
 * routes cannot hold (no wage is invented), and the result says so with
 * wage 0; from the wage's effective date (2017-01-01) they hold. */
static void test_as_of_before_wage_effective(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    char *base = td_test_tmpfile("");
    char dir[4200], path[4300];
    snprintf(dir, sizeof dir, "%s.d", base);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, sizeof path, "%s/early-wage.tdp", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("[ruleset early-wage]\ntitle = T\nbasis = B\neffective_from = 2010-01-01\nsample = yes\n"
          "wage_region = chongqing\n\n[tier A]\nname = A\nrank = 1\n\n[tier C]\nname = C\nrank = 3\n"
          "min_points = 0\n\n[catalogue six]\ntitle = 6x\ntier = A\nwhen = annual_salary >= wage*6\n"
          "basis = test\n",
          fp);
    fclose(fp);
    assert_td_ok(td_rules_load_dir(f.db, dir, NULL, &err), &err);
    td_factset fs = { 0 };
    const char *kvs[] = { "annual_salary=720000", NULL };
    facts_of(&fs, kvs);
    td_score_result r;
    td_date before = { 2016, 12, 31 }, on = { 2017, 1, 1 };
    assert_td_ok(td_score_facts(f.db, "early-wage", &fs, before, &r, &err), &err);
    assert_int_equal(r.wage_yuan, 0);
    assert_true(r.wage_missing); /* said, not silent */
    assert_string_equal(r.catalogue_tier, "");
    assert_string_equal(r.tier, "C");
    json_t *j = td_score_result_json(&r);
    assert_true(json_is_null(json_object_get(j, "wage")));
    assert_true(json_is_true(json_object_get(j, "wage_missing")));
    json_decref(j);
    td_score_result_free(&r);
    assert_td_ok(td_score_facts(f.db, "early-wage", &fs, on, &r, &err), &err);
    assert_int_equal(r.wage_yuan, 120000);
    assert_false(r.wage_missing);
    assert_string_equal(r.tier, "A");
    assert_string_equal(r.catalogue_item, "six");
    td_score_result_free(&r);
    td_factset_free(&fs);
    unlink(path);
    rmdir(dir);
    free(base);
    fx_teardown(&f);
}

/* ---- ledger JSON: claimed vs verified ----------------------------------------- */

static void test_ledger_json_claimed_vs_verified(void **state)
{
    (void)state;
    const char *kvs[] = { "annual_salary=450000", "?degree=doctorate", "?award=nobel", NULL };
    td_score_result r;
    score(kvs, 0, &r);
    json_t *j = td_score_result_json(&r);
    assert_non_null(j);
    json_t *ledger = json_object_get(j, "ledger");
    bool saw_salary = false, saw_edu = false;
    for (size_t i = 0; i < json_array_size(ledger); i++) {
        json_t *x = json_array_get(ledger, i);
        const char *fac = json_string_value(json_object_get(x, "factor"));
        json_t *cl = json_object_get(x, "claimed_not_counted");
        if (strcmp(fac, "salary") == 0) {
            saw_salary = true;
            assert_int_equal(json_integer_value(json_object_get(x, "final")), 20);
            assert_true(json_is_null(cl));
        } else if (strcmp(fac, "education") == 0) {
            saw_edu = true;
            assert_int_equal(json_integer_value(json_object_get(x, "final")), 0);
            assert_true(json_is_object(cl));
            assert_int_equal(json_integer_value(json_object_get(cl, "points")), 20);
        } else {
            assert_true(json_is_null(cl));
        }
    }
    assert_true(saw_salary && saw_edu);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 20);
    assert_string_equal(json_string_value(json_object_get(j, "tier")), "C");
    json_decref(j);
    td_score_result_free(&r);
}

/* ---- what-if writes nothing ---------------------------------------------------- */

static long long count_rows(td_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static const char *const worked[] = {
    "annual_salary=450000", "degree=doctorate", "employment=2018-01-01..2024-12-31",
    "months_in_china=12",   "hsk_level=4",      "work_region=western",
    "birth_date=1990-01-15", "top_university_graduate=yes", NULL
};

static void test_what_if_writes_nothing(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    for (int i = 0; worked[i]; i++)
        fx_fact(&f, f.person_id, worked[i], true);
    /* one saved snapshot first, so there is something to compare against */
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cn-work-permit-2017",
                             .as_of = "2025-06-01", .save = true };
    td_score_result base;
    char sid[TD_UUID_LEN];
    assert_td_ok(td_score_case(f.db, &f.reviewer, &a, &base, sid, &err), &err);
    long long snaps = count_rows(f.db, "SELECT count(*) FROM score_snapshots");
    long long audit = count_rows(f.db, "SELECT count(*) FROM audit_log");
    long long facts = count_rows(f.db, "SELECT count(*) FROM facts");
    long long cases = count_rows(f.db, "SELECT count(*) FROM cases WHERE row_version IS NOT NULL");
    assert_int_equal(snaps, 1);

    td_factset over = { 0 };
    const char *changes[] = { "annual_salary=100000", "birth_date=1960-01-01", "award=nobel", NULL };
    facts_of(&over, changes);
    a.what_if = &over;
    td_score_result wi;
    char sid2[TD_UUID_LEN] = "";
    assert_td_ok(td_score_case(f.db, &f.reviewer, &a, &wi, sid2, &err), &err);
    assert_string_equal(wi.tier, "A");
    assert_string_equal(wi.route, "catalogue");
    assert_int_equal(wi.total, 99 - (20 - 8) - 15);
    assert_int_equal(count_rows(f.db, "SELECT count(*) FROM score_snapshots"), snaps);
    assert_int_equal(count_rows(f.db, "SELECT count(*) FROM audit_log"), audit);
    assert_int_equal(count_rows(f.db, "SELECT count(*) FROM facts"), facts);
    assert_int_equal(count_rows(f.db, "SELECT count(*) FROM cases WHERE row_version IS NOT NULL"),
                     cases);
    assert_int_equal(count_rows(f.db, "SELECT count(*) FROM facts WHERE name = 'annual_salary'"
                                      " AND value = '450000'"),
                     1);
    assert_int_equal(count_rows(f.db, "SELECT count(*) FROM facts WHERE name = 'award'"), 0);
    /* The latest snapshot is still the saved one. */
    td_snapshot snap;
    assert_td_ok(td_snapshot_latest(f.db, f.case_id, &snap, &err), &err);
    assert_string_equal(snap.id, sid);
    assert_int_equal(snap.total, 99);
    td_snapshot_free(&snap);

    /* Per-factor differences: salary −12, age −15, nothing else. */
    json_t *d = td_score_diff_json(&base, &wi);
    json_t *rows = json_object_get(d, "factors");
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *x = json_array_get(rows, i);
        const char *fac = json_string_value(json_object_get(x, "factor"));
        int delta = (int)json_integer_value(json_object_get(x, "delta"));
        int want = strcmp(fac, "salary") == 0 ? -12 : strcmp(fac, "age") == 0 ? -15 : 0;
        if (delta != want)
            fail_msg("%s: delta %d, want %d", fac, delta, want);
        assert_int_equal(json_integer_value(json_object_get(x, "what_if")) -
                             json_integer_value(json_object_get(x, "base")),
                         delta);
    }
    assert_int_equal(json_integer_value(json_object_get(json_object_get(d, "total"), "delta")), -27);
    json_decref(d);
    td_factset_free(&over);
    td_score_result_free(&base);
    td_score_result_free(&wi);
    fx_teardown(&f);
}

/* ---- reproduce after the rule file changed ---------------------------------- */

static void copy_file(const char *from, const char *to, const char *find, const char *repl)
{
    FILE *in = fopen(from, "rb");
    assert_non_null(in);
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, in), (size_t)n);
    buf[n] = 0;
    fclose(in);
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    char *p = find ? strstr(buf, find) : NULL;
    if (find)
        assert_non_null(p);
    if (p) {
        fwrite(buf, 1, (size_t)(p - buf), out);
        fputs(repl, out);
        fputs(p + strlen(find), out);
    } else {
        fputs(buf, out);
    }
    fclose(out);
    free(buf);
}

static void test_reproduce_after_rule_file_changed(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    char *base = td_test_tmpfile("");
    char dir[4200], src[4200], dst[4300];
    snprintf(dir, sizeof dir, "%s.d", base);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(src, sizeof src, "%s/data/rules/cn-work-permit-2017.tdp", td_test_src_dir());
    snprintf(dst, sizeof dst, "%s/cn-work-permit-2017.tdp", dir);
    copy_file(src, dst, NULL, NULL);
    assert_td_ok(td_rules_load_dir(f.db, dir, NULL, &err), &err);
    for (int i = 0; worked[i]; i++)
        fx_fact(&f, f.person_id, worked[i], true);
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cn-work-permit-2017",
                             .as_of = "2025-06-01", .save = true };
    td_score_result r1;
    char sid[TD_UUID_LEN];
    assert_td_ok(td_score_case(f.db, &f.reviewer, &a, &r1, sid, &err), &err);
    assert_int_equal(r1.total, 99);

    /* The table is corrected: a doctorate is now worth 18. */
    copy_file(src, dst, "match = degree=doctorate 20 博士", "match = degree=doctorate 18 博士");
    assert_td_ok(td_rules_load_dir(f.db, dir, NULL, &err), &err);
    td_score_result r2;
    char sid2[TD_UUID_LEN];
    assert_td_ok(td_score_case(f.db, &f.reviewer, &a, &r2, sid2, &err), &err);
    assert_int_equal(r2.total, 97);
    assert_string_not_equal(r2.rule_set_hash, r1.rule_set_hash);

    /* The old snapshot reproduces under its own version, exactly. */
    td_snapshot snap;
    assert_td_ok(td_snapshot_get(f.db, sid, &snap, &err), &err);
    assert_string_equal(snap.rule_set_hash, r1.rule_set_hash);
    td_score_result rr;
    bool same = false;
    assert_td_ok(td_snapshot_reproduce(f.db, &snap, &rr, &same, &err), &err);
    assert_true(same);
    assert_int_equal(rr.total, 99);
    assert_string_equal(rr.rule_set_hash, r1.rule_set_hash);
    td_score_result_free(&rr);
    td_snapshot_free(&snap);
    /* The new one under the new version, and it links back to the old. */
    assert_td_ok(td_snapshot_get(f.db, sid2, &snap, &err), &err);
    assert_string_equal(snap.prev_id, sid);
    assert_td_ok(td_snapshot_reproduce(f.db, &snap, &rr, &same, &err), &err);
    assert_true(same);
    assert_int_equal(rr.total, 97);
    td_score_result_free(&rr);
    td_snapshot_free(&snap);

    td_score_result_free(&r1);
    td_score_result_free(&r2);
    unlink(dst);
    rmdir(dir);
    free(base);
    fx_teardown(&f);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_salary_every_band_both_edges),
        cmocka_unit_test(test_education_vocational_equivalents_highest_counts),
        cmocka_unit_test(test_experience_every_year),
        cmocka_unit_test(test_experience_at_as_of),
        cmocka_unit_test(test_months_every_value),
        cmocka_unit_test(test_chinese_items_highest_not_summed),
        cmocka_unit_test(test_location_absent_and_claimed),
        cmocka_unit_test(test_age_every_band_birthday_edges),
        cmocka_unit_test(test_age_moves_with_as_of),
        cmocka_unit_test(test_extra_credit_each_item_and_pairs),
        cmocka_unit_test(test_local_encouragement_bounds),
        cmocka_unit_test(test_salary_multiples_with_sample_wage),
        cmocka_unit_test(test_bachelor_route_needs_both_conditions),
        cmocka_unit_test(test_other_awards_not_direct),
        cmocka_unit_test(test_wage_dated_figures),
        cmocka_unit_test(test_score_facts_effective_date_edges),
        cmocka_unit_test(test_as_of_before_wage_effective),
        cmocka_unit_test(test_ledger_json_claimed_vs_verified),
        cmocka_unit_test(test_what_if_writes_nothing),
        cmocka_unit_test(test_reproduce_after_rule_file_changed),
    };
    return cmocka_run_group_tests(tests, load_set, free_set);
}
