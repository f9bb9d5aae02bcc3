/* test_score_more.c — the Chongqing sample set's catalogue items each
 * reaching their tier, and the entitlement conditions each missing in turn
 * (guarantee loans, 海创贷, 鸿雁, office space, direct title application). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "recognition/entitlements.h"
#include "recognition/facts.h"
#include "recognition/rules.h"
#include "recognition/score.h"

static td_ruleset *cq;

static int load_set(void **state)
{
    (void)state;
    char path[4096];
    td_err err;
    snprintf(path, sizeof path, "%s/data/rules/cq-recognition-sample.tdp", td_test_src_dir());
    if (td_ruleset_load_file(path, &cq, &err) != TD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int free_set(void **state)
{
    (void)state;
    td_ruleset_free(cq);
    return 0;
}

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

static const td_date AS_OF = { 2026, 6, 1 };

static void cq_score(const char *const *kvs, td_score_result *r)
{
    td_factset fs = { 0 };
    facts_of(&fs, kvs);
    td_score_eval(cq, &fs, AS_OF, 0, NULL, r);
    td_factset_free(&fs);
}

/* ---- the Chongqing sample catalogue ---------------------------------------- */

static void test_cq_every_catalogue_item(void **state)
{
    (void)state;
    static const struct {
        const char *kv;
        const char *item, *tier;
    } t[] = {
        { "award=nobel", "top-intl-award", "top" },
        { "award=turing", "top-intl-award", "top" },
        { "award=fields", "top-intl-award", "top" },
        { "award=wolf", "top-intl-award", "top" },
        { "award=lasker", "top-intl-award", "top" },
        { "award=pritzker", "top-intl-award", "top" },
        { "award=academician_cas", "top-academician", "top" },
        { "award=academician_cae", "top-academician", "top" },
        { "award=foreign_academician", "top-academician", "top" },
        { "programme=strategic_scientist", "top-strategic", "top" },
        { "programme=national_talent_programme", "outstanding-national", "outstanding" },
        { "award=national_science_award", "outstanding-award", "outstanding" },
        { "programme=honghyan", "leading-programme", "leading" },
        { "programme=cq_talent_plan", "leading-programme", "leading" },
        { "programme=returnee_startup_support", "leading-startup", "leading" },
        { "award=cq_outstanding_talent_award", "leading-cq-award", "leading" },
        { "degree=master", "basic-graduate", "basic" },
        { "degree=bachelor", "basic-graduate", "basic" },
        { "vocational=senior_technician", "basic-skilled", "basic" },
        { "vocational=technician", "basic-skilled", "basic" },
        { "vocational=senior_worker", "basic-skilled", "basic" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const char *kvs[] = { t[i].kv, NULL };
        td_score_result r;
        cq_score(kvs, &r);
        if (strcmp(r.catalogue_item, t[i].item) != 0 || strcmp(r.tier, t[i].tier) != 0 ||
            strcmp(r.route, "catalogue") != 0)
            fail_msg("%s: item %s tier %s route %s, want %s %s", t[i].kv, r.catalogue_item, r.tier,
                     r.route, t[i].item, t[i].tier);
        td_score_result_free(&r);
        /* The same fact only claimed reaches no catalogue tier. */
        char claimed[128];
        snprintf(claimed, sizeof claimed, "?%s", t[i].kv);
        const char *ck[] = { claimed, NULL };
        cq_score(ck, &r);
        if (strcmp(r.catalogue_tier, "") != 0)
            fail_msg("claimed %s reached %s", t[i].kv, r.catalogue_tier);
        td_score_result_free(&r);
    }
}

static void test_cq_young_doctor_age_40_edge(void **state)
{
    (void)state;
    /* 40 on as-of (2026-06-01) → young; 41 → only the graduate item (basic). */
    const char *at40[] = { "degree=doctorate", "birth_date=1986-06-01", NULL };
    const char *at41[] = { "degree=doctorate", "birth_date=1985-06-01", NULL };
    const char *day[] = { "degree=doctorate", "birth_date=1985-06-02", NULL }; /* 40 still */
    td_score_result r;
    cq_score(at40, &r);
    assert_string_equal(r.catalogue_item, "young-doctor");
    assert_string_equal(r.tier, "young");
    td_score_result_free(&r);
    cq_score(at41, &r);
    assert_string_equal(r.catalogue_tier, "basic");
    assert_string_equal(r.catalogue_item, "basic-graduate");
    td_score_result_free(&r);
    cq_score(day, &r);
    assert_string_equal(r.catalogue_tier, "young");
    td_score_result_free(&r);
    /* Without a birth date the age condition cannot hold. */
    const char *nob[] = { "degree=doctorate", NULL };
    cq_score(nob, &r);
    assert_string_equal(r.catalogue_tier, "basic");
    td_score_result_free(&r);
}

static void test_cq_highest_catalogue_item_wins(void **state)
{
    (void)state;
    const char *kvs[] = { "degree=bachelor", "programme=honghyan", "award=national_science_award",
                          NULL };
    td_score_result r;
    cq_score(kvs, &r);
    assert_string_equal(r.catalogue_tier, "outstanding");
    assert_string_equal(r.catalogue_item, "outstanding-award");
    /* every item that held is listed, not only the winner */
    int held = 0;
    for (size_t i = 0; i < r.nhits; i++)
        if (!r.hits[i].claimed_only)
            held++;
    assert_int_equal(held, 3);
    td_score_result_free(&r);
}

/* ---- entitlements: each condition missing in turn --------------------------- */

static void ent(const char *const *kvs, const char *tier, const char *as_of, const char *id,
                td_entitlement *out)
{
    td_factset fs = { 0 };
    facts_of(&fs, kvs);
    td_date d;
    assert_true(td_date_parse(as_of, &d));
    td_entitlement_list l;
    td_err err;
    assert_td_ok(td_entitlements_eval(NULL, &fs, tier, d, &l, &err), &err);
    bool found = false;
    for (size_t i = 0; i < l.n; i++)
        if (strcmp(l.v[i].id, id) == 0) {
            *out = l.v[i];
            found = true;
        }
    td_entitlement_list_free(&l);
    td_factset_free(&fs);
    if (!found)
        fail_msg("no entitlement %s", id);
}

/* With all of `all` the line is eligible; dropping any one makes it
 * not_eligible and names what is missing (`names[i]` for all[i]); the
 * dropped one only claimed makes it unverified. */
static void drop_each(const char *id, const char *const *all, const char *const *names, size_t n,
                      const char *as_of)
{
    td_entitlement e;
    const char *kvs[16];
    assert_true(n < 15);
    for (size_t i = 0; i < n; i++)
        kvs[i] = all[i];
    kvs[n] = NULL;
    ent(kvs, NULL, as_of, id, &e);
    if (strcmp(e.status, "eligible") != 0)
        fail_msg("%s with all conditions: %s (%s)", id, e.status, e.missing);
    for (size_t drop = 0; drop < n; drop++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (i != drop)
                kvs[k++] = all[i];
        kvs[k] = NULL;
        ent(kvs, NULL, as_of, id, &e);
        if (strcmp(e.status, "not_eligible") != 0)
            fail_msg("%s without %s: %s", id, all[drop], e.status);
        if (!strstr(e.missing, names[drop]))
            fail_msg("%s without %s: missing says \"%s\"", id, all[drop], e.missing);
        char claimed[128];
        snprintf(claimed, sizeof claimed, "?%s", all[drop]);
        kvs[k++] = claimed;
        kvs[k] = NULL;
        ent(kvs, NULL, as_of, id, &e);
        if (strcmp(e.status, "unverified") != 0)
            fail_msg("%s with %s claimed: %s", id, all[drop], e.status);
    }
}

static void test_haichuang_each_condition(void **state)
{
    (void)state;
    const char *all[] = { "returnee=yes", "enterprise_size=small", "enterprise_founded=2024-01-01",
                          "social_insurance_paid=yes", "tax_paid=yes", "good_credit=yes" };
    const char *names[] = { "returnee", "enterprise_size", "enterprise_years",
                            "social_insurance_paid", "tax_paid", "good_credit" };
    drop_each("haichuang-loan", all, names, 6, "2026-06-01");
    /* A medium or large enterprise does not qualify; a micro one does. */
    td_entitlement e;
    const char *med[] = { "returnee=yes", "enterprise_size=medium", "enterprise_founded=2024-01-01",
                          "social_insurance_paid=yes", "tax_paid=yes", "good_credit=yes", NULL };
    ent(med, NULL, "2026-06-01", "haichuang-loan", &e);
    assert_string_equal(e.status, "not_eligible");
    const char *micro[] = { "returnee=yes", "enterprise_size=micro", "enterprise_founded=2024-01-01",
                            "social_insurance_paid=yes", "tax_paid=yes", "good_credit=yes", NULL };
    ent(micro, NULL, "2026-06-01", "haichuang-loan", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.min_fen, 500000LL * 100);
    assert_int_equal(e.max_fen, 2000000LL * 100);
}

static void test_guarantee_loans_each_condition(void **state)
{
    (void)state;
    const char *ind[] = { "returnee=yes", "startup_in_chongqing=yes" };
    const char *ind_n[] = { "returnee", "startup_in_chongqing" };
    drop_each("guarantee-loan-individual", ind, ind_n, 2, "2026-06-01");
    const char *en[] = { "returnee=yes", "startup_in_chongqing=yes", "enterprise_size=small" };
    const char *en_n[] = { "returnee", "startup_in_chongqing", "enterprise_size" };
    drop_each("guarantee-loan-enterprise", en, en_n, 3, "2026-06-01");
    /* The caps: ¥500,000 for a person, ¥6,000,000 for a small enterprise. */
    td_entitlement e;
    const char *kvs[] = { "returnee=yes", "startup_in_chongqing=yes", "enterprise_size=small", NULL };
    ent(kvs, NULL, "2026-06-01", "guarantee-loan-individual", &e);
    assert_int_equal(e.amount_fen, 500000LL * 100);
    ent(kvs, NULL, "2026-06-01", "guarantee-loan-enterprise", &e);
    assert_int_equal(e.amount_fen, 6000000LL * 100);
}

static void test_honghyan_lines(void **state)
{
    (void)state;
    td_entitlement e;
    /* 5% of ¥1,000,000 = ¥50,000; the award itself stays at most ¥2,000,000. */
    const char *kvs[] = { "programme=honghyan", "annual_salary=1000000", NULL };
    ent(kvs, NULL, "2026-06-01", "honghyan-employer-subsidy", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.amount_fen, 50000LL * 100);
    ent(kvs, NULL, "2026-06-01", "honghyan-award", &e);
    assert_int_equal(e.amount_fen, 2000000LL * 100);
    /* 5% of ¥1 rounds to 5 fen. */
    const char *one[] = { "programme=honghyan", "annual_salary=1", NULL };
    ent(one, NULL, "2026-06-01", "honghyan-employer-subsidy", &e);
    assert_int_equal(e.amount_fen, 5);
    /* A claimed programme: both lines unverified, not eligible. */
    const char *cl[] = { "?programme=honghyan", "annual_salary=1000000", NULL };
    ent(cl, NULL, "2026-06-01", "honghyan-award", &e);
    assert_string_equal(e.status, "unverified");
    ent(cl, NULL, "2026-06-01", "honghyan-employer-subsidy", &e);
    assert_string_equal(e.status, "unverified");
    /* Another programme does not qualify. */
    const char *other[] = { "programme=cq_talent_plan", "annual_salary=1000000", NULL };
    ent(other, NULL, "2026-06-01", "honghyan-award", &e);
    assert_string_equal(e.status, "not_eligible");
}

static void test_office_space_each_condition(void **state)
{
    (void)state;
    td_entitlement e;
    /* Either offshore or returnee, and an incubated project. */
    const char *neither[] = { "incubated_project=yes", NULL };
    ent(neither, NULL, "2026-06-01", "office-space", &e);
    assert_string_equal(e.status, "not_eligible");
    const char *noproj[] = { "offshore_talent=yes", "returnee=yes", NULL };
    ent(noproj, NULL, "2026-06-01", "office-space", &e);
    assert_string_equal(e.status, "not_eligible");
    assert_non_null(strstr(e.missing, "incubated_project"));
    const char *both[] = { "offshore_talent=yes", "returnee=yes", "incubated_project=yes", NULL };
    ent(both, NULL, "2026-06-01", "office-space", &e);
    assert_string_equal(e.status, "eligible");
}

static void test_title_direct_edges(void **state)
{
    (void)state;
    td_entitlement e;
    /* Arrived 4 years 364 days ago: within 5 years. */
    const char *in[] = { "returnee=yes", "chongqing_arrival=2021-06-02", NULL };
    ent(in, NULL, "2026-06-01", "title-direct", &e);
    assert_string_equal(e.status, "eligible");
    /* Arrived today: 0 years, within. */
    const char *today[] = { "returnee=yes", "chongqing_arrival=2026-06-01", NULL };
    ent(today, NULL, "2026-06-01", "title-direct", &e);
    assert_string_equal(e.status, "eligible");
    /* The same person judged a day later than the fifth anniversary. */
    ent(in, NULL, "2026-06-02", "title-direct", &e);
    assert_string_equal(e.status, "not_eligible");
    /* No returnee fact: not eligible, whatever the arrival. */
    const char *nr[] = { "chongqing_arrival=2025-01-01", NULL };
    ent(nr, NULL, "2026-06-01", "title-direct", &e);
    assert_string_equal(e.status, "not_eligible");
    assert_non_null(strstr(e.missing, "returnee"));
    /* Arrival unknown: the condition cannot hold. */
    const char *na[] = { "returnee=yes", NULL };
    ent(na, NULL, "2026-06-01", "title-direct", &e);
    assert_string_equal(e.status, "not_eligible");
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cq_every_catalogue_item),
        cmocka_unit_test(test_cq_young_doctor_age_40_edge),
        cmocka_unit_test(test_cq_highest_catalogue_item_wins),
        cmocka_unit_test(test_haichuang_each_condition),
        cmocka_unit_test(test_guarantee_loans_each_condition),
        cmocka_unit_test(test_honghyan_lines),
        cmocka_unit_test(test_office_space_each_condition),
        cmocka_unit_test(test_title_direct_edges),
    };
    return cmocka_run_group_tests(tests, load_set, free_set);
}
