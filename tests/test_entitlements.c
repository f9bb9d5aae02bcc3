/* test_entitlements.c — 政策匹配 under the seeds' caps, and tech-transfer
 * rewards counting the unit's earlier rewards in the same year. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "scoring_fixture.h"

#include "recognition/entitlements.h"
#include "policy/policyfile.h"
#include "recognition/score.h"

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

/* Evaluates and returns the line `id` (copied into *out). */
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

static void test_file_valid_and_cited(void **state)
{
    (void)state;
    int n = 0;
    td_err err;
    assert_td_ok(td_entitlements_check(NULL, &n, &err), &err);
    assert_true(n >= 12);
    td_factset fs = { 0 };
    td_entitlement_list l;
    td_date d = { 2026, 6, 1 };
    assert_td_ok(td_entitlements_eval(NULL, &fs, NULL, d, &l, &err), &err);
    for (size_t i = 0; i < l.n; i++) {
        /* every line cites a seed and clause, e.g. "000 §1" */
        assert_non_null(strstr(l.v[i].source, "§"));
        assert_string_equal(l.v[i].status, "not_eligible");
    }
    td_entitlement_list_free(&l);
}

static void test_honghyan_award_and_employer_subsidy(void **state)
{
    (void)state;
    const char *kvs[] = { "programme=honghyan", "annual_salary=123457", NULL };
    td_entitlement e;
    ent(kvs, NULL, "2026-06-01", "honghyan-award", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.amount_fen, 2000000LL * 100);
    assert_non_null(strstr(e.source, "000 §1"));
    ent(kvs, NULL, "2026-06-01", "honghyan-employer-subsidy", &e);
    assert_string_equal(e.status, "eligible");
    /* 5% of ¥123,457 = ¥6,172.85 exactly, in fen */
    assert_int_equal(e.amount_fen, 617285);
    char buf[32];
    td_money_format(e.amount_fen, buf, sizeof buf);
    assert_string_equal(buf, "6,172.85");
    const char *none[] = { "annual_salary=123457", NULL };
    ent(none, NULL, "2026-06-01", "honghyan-award", &e);
    assert_string_equal(e.status, "not_eligible");
    assert_non_null(strstr(e.missing, "honghyan"));
}

static void test_guarantee_loans(void **state)
{
    (void)state;
    const char *ind[] = { "returnee=yes", "startup_in_chongqing=yes", NULL };
    td_entitlement e;
    ent(ind, NULL, "2026-06-01", "guarantee-loan-individual", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.amount_fen, 500000LL * 100);
    assert_non_null(strstr(e.note, "50%"));
    assert_non_null(strstr(e.note, "0.5%"));
    assert_non_null(strstr(e.source, "003 §8"));
    ent(ind, NULL, "2026-06-01", "guarantee-loan-enterprise", &e);
    assert_string_equal(e.status, "not_eligible"); /* no small/micro enterprise */
    const char *ent_[] = { "returnee=yes", "startup_in_chongqing=yes", "enterprise_size=micro", NULL };
    ent(ent_, NULL, "2026-06-01", "guarantee-loan-enterprise", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.amount_fen, 6000000LL * 100);
    const char *big[] = { "returnee=yes", "startup_in_chongqing=yes", "enterprise_size=large", NULL };
    ent(big, NULL, "2026-06-01", "guarantee-loan-enterprise", &e);
    assert_string_equal(e.status, "not_eligible");
    /* 003 §8 subsidies computed: 50% of the interest actually paid, 0.5% a year of the loan */
    const char *loan[] = { "returnee=yes", "startup_in_chongqing=yes", "guarantee_loan_amount=500000",
                           "guarantee_loan_interest=18250", NULL };
    ent(loan, NULL, "2026-06-01", "guarantee-loan-interest-subsidy", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.amount_fen, 9125LL * 100);
    ent(loan, NULL, "2026-06-01", "guarantee-loan-fee-subsidy", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.amount_fen, 2500LL * 100);
    assert_non_null(strstr(e.source, "003 §8"));
    ent(ind, NULL, "2026-06-01", "guarantee-loan-fee-subsidy", &e);
    assert_string_equal(e.status, "not_eligible"); /* no loan yet */
}

static void test_haichuang_loan_conditions(void **state)
{
    (void)state;
    const char *ok[] = { "returnee=yes", "enterprise_size=small", "enterprise_founded=2025-01-01",
                         "social_insurance_paid=yes", "tax_paid=yes", "good_credit=yes", NULL };
    td_entitlement e;
    ent(ok, NULL, "2026-01-01", "haichuang-loan", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.min_fen, 500000LL * 100);
    assert_int_equal(e.max_fen, 2000000LL * 100);
    /* operating one day short of a year */
    ent(ok, NULL, "2025-12-31", "haichuang-loan", &e);
    assert_string_equal(e.status, "not_eligible");
    assert_non_null(strstr(e.missing, "enterprise_years"));
    const char *notax[] = { "returnee=yes", "enterprise_size=small", "enterprise_founded=2020-01-01",
                            "social_insurance_paid=yes", "good_credit=yes", NULL };
    ent(notax, NULL, "2026-06-01", "haichuang-loan", &e);
    assert_string_equal(e.status, "not_eligible");
    assert_non_null(strstr(e.missing, "tax_paid"));
    /* a claimed condition makes the line "unverified", listed as such */
    const char *claimed[] = { "returnee=yes", "enterprise_size=small", "enterprise_founded=2020-01-01",
                              "social_insurance_paid=yes", "?tax_paid=yes", "good_credit=yes", NULL };
    ent(claimed, NULL, "2026-06-01", "haichuang-loan", &e);
    assert_string_equal(e.status, "unverified");
    assert_non_null(strstr(e.missing, "tax_paid"));
}

static void test_seed_fund_12_months(void **state)
{
    (void)state;
    td_entitlement e;
    const char *in[] = { "award=competition_national@2025-03-01", "project_landed=2026-03-01", NULL };
    ent(in, NULL, "2026-06-01", "seed-fund", &e);
    assert_string_equal(e.status, "eligible");
    const char *late[] = { "award=competition_national@2025-03-01", "project_landed=2026-03-02", NULL };
    ent(late, NULL, "2026-06-01", "seed-fund", &e);
    assert_string_equal(e.status, "not_eligible");
    const char *prov[] = { "award=competition_provincial@2025-01-31", "project_landed=2025-02-28", NULL };
    ent(prov, NULL, "2026-06-01", "seed-fund", &e);
    assert_string_equal(e.status, "eligible");
    const char *before[] = { "award=competition_national@2025-03-01", "project_landed=2025-01-01", NULL };
    ent(before, NULL, "2026-06-01", "seed-fund", &e);
    assert_string_equal(e.status, "not_eligible");
}

static void test_office_space_and_project_funding(void **state)
{
    {
        /* 000 §12's limits are data, not only words in the note */
        const char *kv[] = { "returnee=yes", "incubated_project=yes", NULL };
        td_entitlement lim;
        ent(kv, NULL, "2026-06-01", "office-space", &lim);
        assert_int_equal(lim.max_years, 3);
        assert_int_equal(lim.max_area_m2, 200);
    }
    (void)state;
    td_entitlement e;
    const char *off[] = { "offshore_talent=yes", "incubated_project=yes", NULL };
    ent(off, NULL, "2026-06-01", "office-space", &e);
    assert_string_equal(e.status, "eligible");
    assert_non_null(strstr(e.title, "3"));
    assert_non_null(strstr(e.title, "200"));
    assert_non_null(strstr(e.source, "000 §12"));
    const char *ret[] = { "returnee=yes", "incubated_project=yes", NULL };
    ent(ret, NULL, "2026-06-01", "office-space", &e);
    assert_string_equal(e.status, "eligible");
    const char *no[] = { "incubated_project=yes", NULL };
    ent(no, NULL, "2026-06-01", "office-space", &e);
    assert_string_equal(e.status, "not_eligible");
    const char *pf[] = { "returnee=yes", "startup_in_chongqing=yes", NULL };
    ent(pf, NULL, "2026-06-01", "startup-project-funding", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.amount_fen, 500000LL * 100);
    assert_non_null(strstr(e.source, "003 §5"));
}

static void test_settling_subsidy_conditions(void **state)
{
    (void)state;
    td_entitlement e;
    const char *phd[] = { "offshore_talent=yes", "young_talent=yes", "degree=doctorate",
                          "first_fulltime_job_in_chongqing=yes", "contract_years=3", "social_insurance_paid=yes",
                          NULL };
    ent(phd, NULL, "2026-06-01", "settling-subsidy", &e);
    assert_string_equal(e.status, "eligible");
    assert_non_null(strstr(e.source, "000 §16"));
    const char *title[] = { "offshore_talent=yes", "young_talent=yes", "professional_title=vice_senior",
                            "first_fulltime_job_in_chongqing=yes", "contract_years=5",
                            "social_insurance_paid=yes", NULL };
    ent(title, NULL, "2026-06-01", "settling-subsidy", &e);
    assert_string_equal(e.status, "eligible");
    const char *tech[] = { "offshore_talent=yes", "young_talent=yes", "vocational=senior_technician",
                           "first_fulltime_job_in_chongqing=yes", "contract_years=3",
                           "social_insurance_paid=yes", NULL };
    ent(tech, NULL, "2026-06-01", "settling-subsidy", &e);
    assert_string_equal(e.status, "eligible");
    const char *short_[] = { "offshore_talent=yes", "young_talent=yes", "degree=doctorate",
                             "first_fulltime_job_in_chongqing=yes", "contract_years=2",
                             "social_insurance_paid=yes", NULL };
    ent(short_, NULL, "2026-06-01", "settling-subsidy", &e);
    assert_string_equal(e.status, "not_eligible");
    assert_non_null(strstr(e.missing, "contract_years"));
    const char *master[] = { "offshore_talent=yes", "young_talent=yes", "degree=master",
                             "first_fulltime_job_in_chongqing=yes", "contract_years=3", "social_insurance_paid=yes",
                             NULL };
    ent(master, NULL, "2026-06-01", "settling-subsidy", &e);
    assert_string_equal(e.status, "not_eligible");
    /* 000 §16 "青年离岸人才": not young, no subsidy; only claimed young, not yet */
    const char *old[] = { "offshore_talent=yes", "degree=doctorate", "first_fulltime_job_in_chongqing=yes",
                          "contract_years=3", "social_insurance_paid=yes", NULL };
    ent(old, NULL, "2026-06-01", "settling-subsidy", &e);
    assert_string_equal(e.status, "not_eligible");
    assert_non_null(strstr(e.missing, "young_talent"));
    const char *claimed[] = { "offshore_talent=yes", "?young_talent=yes", "degree=doctorate",
                              "first_fulltime_job_in_chongqing=yes", "contract_years=3", "social_insurance_paid=yes",
                              NULL };
    ent(claimed, NULL, "2026-06-01", "settling-subsidy", &e);
    assert_string_equal(e.status, "unverified");
}

/* The age form of the young-talent condition an administrator may write
 * once the 金凤凰 age limit is confirmed: age from the birth date at the
 * date of the check. */
static void test_young_condition_by_age(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".tdp");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[benefit settling]\ntitle = t\nsource = 000 §16\namount = none\n"
          "when = offshore_talent = yes\nwhen = young_talent = yes | age <= 35\n",
          f);
    fclose(f);
    const char *young[] = { "offshore_talent=yes", "birth_date=1991-06-01", NULL }; /* 35 on the day */
    const char *older[] = { "offshore_talent=yes", "birth_date=1990-06-01", NULL }; /* 36 */
    td_date d = { 2026, 6, 1 };
    const char *const *sets[2] = { young, older };
    const char *want[2] = { "eligible", "not_eligible" };
    for (int k = 0; k < 2; k++) {
        td_factset fs = { 0 };
        facts_of(&fs, sets[k]);
        td_entitlement_list l;
        td_err err;
        assert_td_ok(td_entitlements_eval(path, &fs, NULL, d, &l, &err), &err);
        assert_int_equal(l.n, 1);
        assert_string_equal(l.v[0].status, want[k]);
        td_entitlement_list_free(&l);
        td_factset_free(&fs);
    }
    remove(path);
    free(path);
}

/* 004 §8: the work-residence permit and its citizen treatment. */
static void test_hkmo_work_residence_permit(void **state)
{
    (void)state;
    td_entitlement e;
    const char *yes[] = { "hkmo_talent=yes", "works_in_chongqing=yes", NULL };
    ent(yes, NULL, "2026-06-01", "hkmo-work-residence-permit", &e);
    assert_string_equal(e.status, "eligible");
    assert_non_null(strstr(e.source, "004 §8"));
    assert_non_null(strstr(e.title, "工作居住证"));
    assert_non_null(strstr(e.note, "子女入托入学"));
    assert_non_null(strstr(e.note, "驾驶证"));
    assert_non_null(strstr(e.note, "购房"));
    const char *away[] = { "hkmo_talent=yes", NULL };
    ent(away, NULL, "2026-06-01", "hkmo-work-residence-permit", &e);
    assert_string_equal(e.status, "not_eligible");
    assert_non_null(strstr(e.missing, "works_in_chongqing"));
    const char *mainland[] = { "works_in_chongqing=yes", NULL };
    ent(mainland, NULL, "2026-06-01", "hkmo-work-residence-permit", &e);
    assert_string_equal(e.status, "not_eligible");
    ent(yes, NULL, "2026-06-01", "hkmo-tax-remittance", &e);
    assert_string_equal(e.status, "eligible");
    assert_non_null(strstr(e.source, "004 §7"));
    ent(yes, NULL, "2026-06-01", "hkmo-medical-green-channel", &e);
    assert_string_equal(e.status, "eligible");
    assert_non_null(strstr(e.source, "004 §11"));
}

/* 004 §9: foreign nationals among Hong Kong / Macau talents — Z visa and
 * residence for those who live here, F visa for those who come and go,
 * both valid 2–5 years. */
static void test_hkmo_foreign_visas(void **state)
{
    (void)state;
    td_entitlement e;
    const char *live[] = { "hkmo_talent=yes", "foreign_national=yes", "chongqing_stay=resident", NULL };
    const char *come[] = { "hkmo_talent=yes", "foreign_national=yes", "chongqing_stay=visitor", NULL };
    const char *cn[] = { "hkmo_talent=yes", "chongqing_stay=resident", NULL };
    ent(live, NULL, "2026-06-01", "hkmo-foreign-residence-z", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.min_years, 2);
    assert_int_equal(e.max_years, 5);
    assert_non_null(strstr(e.source, "004 §9"));
    ent(live, NULL, "2026-06-01", "hkmo-foreign-visa-f", &e);
    assert_string_equal(e.status, "not_eligible");
    ent(come, NULL, "2026-06-01", "hkmo-foreign-visa-f", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.min_years, 2);
    assert_int_equal(e.max_years, 5);
    ent(come, NULL, "2026-06-01", "hkmo-foreign-residence-z", &e);
    assert_string_equal(e.status, "not_eligible");
    ent(cn, NULL, "2026-06-01", "hkmo-foreign-residence-z", &e);
    assert_string_equal(e.status, "not_eligible"); /* a Chinese citizen needs no visa */
    td_err err;
    assert_td_ok(td_entitlement_check_terms(NULL, "hkmo-foreign-visa-f", 5, 0, NULL, &err), &err);
    assert_int_equal(td_entitlement_check_terms(NULL, "hkmo-foreign-visa-f", 6, 0, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "004 §9"));
    assert_int_equal(td_entitlement_check_terms(NULL, "hkmo-foreign-residence-z", 1, 0, NULL, &err), TD_EINVALID);
}

/* 000 §4: F/R visas or work residence of 2–5 years for excellent foreign
 * scientists; at most 5 years for their teams' foreign members. */
static void test_scientist_visas_and_team(void **state)
{
    (void)state;
    td_entitlement e;
    const char *sci[] = { "foreign_scientist=yes", "foreign_national=yes", NULL };
    const char *team[] = { "scientist_team_member=yes", "foreign_national=yes", NULL };
    ent(sci, NULL, "2026-06-01", "scientist-visa-fr", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.min_years, 2);
    assert_int_equal(e.max_years, 5);
    assert_non_null(strstr(e.source, "000 §4"));
    ent(sci, NULL, "2026-06-01", "scientist-work-residence", &e);
    assert_string_equal(e.status, "eligible");
    ent(sci, NULL, "2026-06-01", "scientist-team-visa", &e);
    assert_string_equal(e.status, "not_eligible");
    ent(team, NULL, "2026-06-01", "scientist-team-visa", &e);
    assert_string_equal(e.status, "eligible");
    assert_int_equal(e.min_years, 0);
    assert_int_equal(e.max_years, 5);
    ent(team, NULL, "2026-06-01", "scientist-visa-fr", &e);
    assert_string_equal(e.status, "not_eligible");
    td_err err;
    for (int y = 2; y <= 5; y++)
        assert_td_ok(td_entitlement_check_terms(NULL, "scientist-visa-fr", y, 0, NULL, &err), &err);
    assert_int_equal(td_entitlement_check_terms(NULL, "scientist-visa-fr", 1, 0, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "2"));
    assert_int_equal(td_entitlement_check_terms(NULL, "scientist-visa-fr", 6, 0, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "000 §4"));
    assert_td_ok(td_entitlement_check_terms(NULL, "scientist-team-visa", 1, 0, NULL, &err), &err);
    assert_td_ok(td_entitlement_check_terms(NULL, "scientist-team-visa", 5, 0, NULL, &err), &err);
    assert_int_equal(td_entitlement_check_terms(NULL, "scientist-team-visa", 6, 0, NULL, &err), TD_EINVALID);
}

/* 000 §12 office space (3 years, 200 m²) and 000 §16 housing (150–240 m²,
 * about 100 m²) enforced from the data. */
static void test_office_and_housing_terms(void **state)
{
    (void)state;
    td_err err;
    td_entitlement e;
    assert_td_ok(td_entitlement_check_terms(NULL, "office-space", 3, 200, &e, &err), &err);
    assert_int_equal(e.max_years, 3);
    assert_int_equal(e.max_area_m2, 200);
    assert_int_equal(td_entitlement_check_terms(NULL, "office-space", 4, 0, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "000 §12"));
    assert_non_null(strstr(err.msg, "3"));
    assert_int_equal(td_entitlement_check_terms(NULL, "office-space", 0, 201, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "200"));
    assert_td_ok(td_entitlement_check_terms(NULL, "talent-housing", 0, 150, &e, &err), &err);
    assert_int_equal(e.min_area_m2, 150);
    assert_int_equal(e.max_area_m2, 240);
    assert_td_ok(td_entitlement_check_terms(NULL, "talent-housing", 0, 240, NULL, &err), &err);
    assert_int_equal(td_entitlement_check_terms(NULL, "talent-housing", 0, 149, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "000 §16"));
    assert_int_equal(td_entitlement_check_terms(NULL, "talent-housing", 0, 241, NULL, &err), TD_EINVALID);
    assert_td_ok(td_entitlement_check_terms(NULL, "talent-apartment", 0, 110, &e, &err), &err);
    assert_int_equal(e.about_area_m2, 100);
    char t[64];
    td_entitlement_terms_text(&e, t, sizeof t);
    assert_non_null(strstr(t, "100"));
    assert_int_equal(td_entitlement_check_terms(NULL, "talent-apartment", 3, 0, NULL, &err), TD_EINVALID);
    assert_int_equal(td_entitlement_check_terms(NULL, "honghyan-award", 0, 10, NULL, &err), TD_EINVALID);
    assert_int_equal(td_entitlement_check_terms(NULL, "no-such-benefit", 1, 0, NULL, &err), TD_ENOTFOUND);
}

/* A person registered with a Hong Kong or a foreign nationality: the facts
 * follow from the record, as claims to verify. */
static void test_nationality_gives_claimed_facts(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE persons SET nationality = 'HKG' WHERE id = '%s'", f.person_id);
    fx_exec(f.db, sql);
    fx_fact(&f, f.person_id, "works_in_chongqing=yes", true);
    td_entitlement_list l;
    assert_td_ok(td_entitlements_for(f.db, &f.clerk, f.person_id, "2026-06-01", &l, &err), &err);
    int seen = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (!strcmp(l.v[i].id, "hkmo-work-residence-permit")) {
            assert_string_equal(l.v[i].status, "unverified");
            seen++;
        }
        if (!strcmp(l.v[i].id, "hkmo-foreign-residence-z")) {
            assert_string_equal(l.v[i].status, "not_eligible"); /* HKG is no foreign nationality */
            seen++;
        }
    }
    assert_int_equal(seen, 2);
    td_entitlement_list_free(&l);
    snprintf(sql, sizeof sql, "UPDATE persons SET nationality = 'GBR' WHERE id = '%s'", f.person_id);
    fx_exec(f.db, sql);
    fx_fact(&f, f.person_id, "hkmo_talent=yes", true); /* a British national, Hong Kong permanent resident */
    fx_fact(&f, f.person_id, "chongqing_stay=visitor", true);
    assert_td_ok(td_entitlements_for(f.db, &f.clerk, f.person_id, "2026-06-01", &l, &err), &err);
    seen = 0;
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].id, "hkmo-foreign-visa-f")) {
            assert_string_equal(l.v[i].status, "unverified"); /* foreign_national from the record: claimed */
            seen++;
        }
    assert_int_equal(seen, 1);
    td_entitlement_list_free(&l);
    fx_teardown(&f);
}

static void test_title_within_5_years(void **state)
{
    (void)state;
    td_entitlement e;
    const char *in[] = { "returnee=yes", "chongqing_arrival=2021-06-02", NULL };
    ent(in, NULL, "2026-06-01", "title-direct", &e);
    assert_string_equal(e.status, "eligible");
    assert_non_null(strstr(e.source, "003 §3"));
    const char *out[] = { "returnee=yes", "chongqing_arrival=2021-06-01", NULL };
    ent(out, NULL, "2026-06-01", "title-direct", &e);
    assert_string_equal(e.status, "not_eligible");
}

static void test_tier_gated_benefits(void **state)
{
    (void)state;
    td_entitlement e;
    const char *off[] = { "offshore_talent=yes", NULL };
    ent(off, "young", "2026-06-01", "talent-housing", &e);
    assert_string_equal(e.status, "eligible");
    ent(off, NULL, "2026-06-01", "talent-housing", &e);
    assert_string_equal(e.status, "not_eligible");
    ent(off, "none", "2026-06-01", "talent-housing", &e);
    assert_string_equal(e.status, "not_eligible");
    ent(off, "A", "2026-06-01", "talent-housing", &e); /* a work-permit class is no tier */
    assert_string_equal(e.status, "not_eligible");
    const char *nothing[] = { NULL };
    ent(nothing, "leading", "2026-06-01", "medical-green-channel", &e);
    assert_string_equal(e.status, "eligible");
}

static void test_malformed_file_rejected(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".tdp");
    FILE *f = fopen(path, "w");
    fputs("[benefit x]\ntitle = X\nsource = 000 §1\namount = max lots\nwhen = returnee = yes\n", f);
    fclose(f);
    td_err err;
    assert_int_equal(td_entitlements_check(path, NULL, &err), TD_EPOLICY);
    assert_non_null(strstr(err.msg, ":4:"));
    f = fopen(path, "w");
    fputs("[benefit x]\ntitle = X\nsource = 000 §1\namount = none\nwhen = shoe = yes\n", f);
    fclose(f);
    assert_int_equal(td_entitlements_check(path, NULL, &err), TD_EPOLICY);
    assert_non_null(strstr(err.msg, ":5:"));
    f = fopen(path, "w");
    fputs("[benefit x]\ntitle = X\namount = none\nwhen = returnee = yes\n", f);
    fclose(f);
    assert_int_equal(td_entitlements_check(path, NULL, &err), TD_EPOLICY);
    assert_non_null(strstr(err.msg, "source"));
    remove(path);
    free(path);
}

/* ---- tech-transfer rewards -------------------------------------------------- */

/* Units by their 统一社会信用代码 (GB 32100 check characters right). */
#define UNIT_JIA "91500000MA5U000A1A"   /* 甲公司 */
#define UNIT_YI "125000004500000015"    /* 乙研究院 */
#define UNIT_BING "91500000MA5U000B1B"  /* 丙公司 */
#define UNIT_DING "125000004500000028"  /* 丁大学 */

/* The fixture's person as a verified offshore talent. */
static void offshore(fx *f)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(f->db), "SELECT count(*) FROM facts WHERE name = 'offshore_talent'", -1, &st,
                       NULL);
    sqlite3_step(st);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (n == 0)
        fx_fact(f, f->person_id, "offshore_talent=yes", true);
}

static long long reward(fx *f, const char *unit, long long yuan, const char *date, bool grant)
{
    static int contract_no;
    char contract[32];
    snprintf(contract, sizeof contract, "HT-T%d", ++contract_no);
    offshore(f);
    td_reward_req q = { unit, NULL, contract, yuan, date, f->person_id };
    td_reward_calc c;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_tech_transfer_reward(f->db, &f->clerk, &q, grant, &c, NULL, &err), &err);
    assert_int_equal(c.amount_fen % 100, 0);
    return c.amount_fen / 100;
}

static void test_tech_transfer_basic(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    assert_int_equal(reward(&f, UNIT_JIA, 3000000, "2026-03-01", false), 60000);   /* 2% */
    assert_int_equal(reward(&f, UNIT_JIA, 10000000, "2026-03-01", false), 200000); /* contract cap */
    assert_int_equal(reward(&f, UNIT_JIA, 1234567, "2026-03-01", false), 24691);   /* whole yuan */
    /* computing does not grant: nothing counted yet */
    assert_int_equal(reward(&f, UNIT_JIA, 10000000, "2026-03-01", false), 200000);
    td_reward_calc c;
    td_err err;
    td_reward_req q = { "", NULL, "x", 100, NULL, NULL };
    assert_int_equal(td_tech_transfer_reward(f.db, &f.clerk, &q, false, &c, NULL, &err), TD_EINVALID);
    q.unit_code = "某某大学"; /* a name is not a unit's identity */
    assert_int_equal(td_tech_transfer_reward(f.db, &f.clerk, &q, false, &c, NULL, &err), TD_EINVALID);
    q.unit_code = "91500000MA5U000A1B"; /* check character wrong */
    assert_int_equal(td_tech_transfer_reward(f.db, &f.clerk, &q, false, &c, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "GB 32100"));
    q.unit_code = UNIT_JIA;
    q.transaction_yuan = 0;
    assert_int_equal(td_tech_transfer_reward(f.db, &f.clerk, &q, false, &c, NULL, &err), TD_EINVALID);
    q.transaction_yuan = 100;
    q.person_id = f.person_id;
    assert_int_equal(td_tech_transfer_reward(f.db, &f.specialist, &q, true, &c, NULL, &err), TD_EDENIED);
    fx_teardown(&f);
}

static void test_three_contracts_hit_unit_year_cap(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    /* Earlier rewards of the unit this year: ¥200,000 + ¥200,000 + ¥100,000. */
    assert_int_equal(reward(&f, UNIT_YI, 10000000, "2026-01-10", true), 200000);
    assert_int_equal(reward(&f, UNIT_YI, 10000000, "2026-02-10", true), 200000);
    assert_int_equal(reward(&f, UNIT_YI, 5000000, "2026-03-10", true), 100000);
    /* Three more contracts in the same year: the third is cut to what is left of ¥1,000,000. */
    assert_int_equal(reward(&f, UNIT_YI, 20000000, "2026-05-01", true), 200000);
    assert_int_equal(reward(&f, UNIT_YI, 20000000, "2026-06-01", true), 200000);
    td_reward_calc c;
    td_err err;
    /* the same unit written differently by name: one cap (identity is the code) */
    td_reward_req q = { " 1250 0000 4500 0000 15", "乙研究院 ", "HT-9", 20000000, "2026-07-01", f.person_id };
    assert_td_ok(td_tech_transfer_reward(f.db, &f.clerk, &q, true, &c, NULL, &err), &err);
    assert_int_equal(c.granted_before_fen, 900000LL * 100);
    assert_int_equal(c.amount_fen, 100000LL * 100);
    assert_non_null(strstr(c.source, "000 §15"));
    assert_true(strlen(c.explain) > 0);
    /* The cap is reached: nothing more this year … */
    assert_int_equal(reward(&f, UNIT_YI, 20000000, "2026-12-31", true), 0);
    /* … but the next year starts afresh, and other units are separate. */
    assert_int_equal(reward(&f, UNIT_YI, 20000000, "2027-01-01", false), 200000);
    assert_int_equal(reward(&f, UNIT_BING, 20000000, "2026-12-31", false), 200000);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(f.db),
                       "SELECT sum(amount_yuan), count(*) FROM benefit_grants WHERE unit_code = '" UNIT_YI "'"
                       " AND grant_date LIKE '2026-%'",
                       -1, &st, NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int64(st, 0), 1000000);
    assert_int_equal(sqlite3_column_int(st, 1), 7);
    sqlite3_finalize(st);
    sqlite3_prepare_v2(td_db_handle(f.db), "SELECT count(*) FROM audit_log WHERE action = 'benefit.grant'",
                       -1, &st, NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int(st, 0), 7);
    sqlite3_finalize(st);
    fx_teardown(&f);
}

static void test_entitlements_for_case_and_person(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    fx_fact(&f, f.person_id, "programme=honghyan", true);
    fx_fact(&f, f.person_id, "offshore_talent=yes", true);
    fx_fact(&f, f.person_id, "annual_salary=600000", false); /* claimed: no subsidy amount */
    td_entitlement_list l;
    assert_td_ok(td_entitlements_for(f.db, &f.clerk, f.case_id, "2026-06-01", &l, &err), &err);
    assert_string_equal(l.tier, ""); /* not scored yet */
    for (size_t i = 0; i < l.n; i++) {
        if (strcmp(l.v[i].id, "talent-housing") == 0)
            assert_string_equal(l.v[i].status, "not_eligible");
        if (strcmp(l.v[i].id, "honghyan-employer-subsidy") == 0)
            assert_int_equal(l.v[i].amount_fen, 0);
    }
    td_entitlement_list_free(&l);
    /* scored under the Chongqing set: 鸿雁 → leading */
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cq-recognition-sample",
                             .as_of = "2026-06-01", .save = true };
    td_score_result r;
    assert_td_ok(td_score_case(f.db, &f.reviewer, &a, &r, NULL, &err), &err);
    td_score_result_free(&r);
    assert_td_ok(td_entitlements_for(f.db, &f.clerk, f.person_id, "2026-06-01", &l, &err), &err);
    assert_string_equal(l.tier, "leading");
    bool housing = false;
    for (size_t i = 0; i < l.n; i++)
        if (strcmp(l.v[i].id, "talent-housing") == 0)
            housing = strcmp(l.v[i].status, "eligible") == 0;
    assert_true(housing);
    json_t *j = td_entitlements_json(&l);
    assert_int_equal(json_array_size(json_object_get(j, "entitlements")), l.n);
    json_decref(j);
    td_entitlement_list_free(&l);
    assert_int_equal(td_entitlements_for(f.db, &f.clerk, "nobody", NULL, &l, &err), TD_ENOTFOUND);
    fx_teardown(&f);
}

static void test_money_format(void **state)
{
    (void)state;
    char b[32];
    td_money_format(0, b, sizeof b);
    assert_string_equal(b, "0");
    td_money_format(200000000, b, sizeof b);
    assert_string_equal(b, "2,000,000");
    td_money_format(12345, b, sizeof b);
    assert_string_equal(b, "123.45");
    td_money_format(100005, b, sizeof b);
    assert_string_equal(b, "1,000.05");
}


static void test_custom_file_and_json(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".tdp");
    FILE *f = fopen(path, "w");
    fputs("[benefit only-tier]\ntitle = T\nsource = 000 §18\namount = none\ntiers = top\n"
          "[benefit pct]\ntitle = P\nsource = 000 §1\namount = percent 250 of annual_salary\nwhen = returnee = yes\n"
          "[benefit rng]\ntitle = R\nsource = 003 §8\namount = range 100 200\nwhen = returnee = yes | offshore_talent = yes\n"
          "[benefit rw]\ntitle = W\nsource = 000 §15\namount = reward 150\nper_contract_max = 1000\nper_unit_year_max = 5000\n"
          "when = offshore_talent = yes\n",
          f);
    fclose(f);
    td_factset fs = { 0 };
    td_fact fact;
    td_err err;
    assert_td_ok(td_fact_parse_kv("offshore_talent=yes", true, &fact, &err), &err);
    td_factset_add(&fs, &fact);
    td_entitlement_list l;
    td_date d = { 2026, 6, 1 };
    assert_td_ok(td_entitlements_eval(path, &fs, "top", d, &l, &err), &err);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.v[0].status, "eligible"); /* tier only */
    assert_string_equal(l.v[1].status, "not_eligible");
    assert_int_equal(l.v[1].amount_fen, 0); /* no salary fact: no amount */
    assert_string_equal(l.v[2].status, "eligible"); /* either alternative */
    assert_int_equal(l.v[2].min_fen, 10000);
    assert_int_equal(l.v[2].max_fen, 20000);
    assert_string_equal(l.v[3].status, "eligible");
    json_t *j = td_entitlements_json(&l);
    assert_string_equal(json_string_value(json_object_get(j, "tier")), "top");
    json_t *arr = json_object_get(j, "entitlements");
    assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 1), "amount_kind")), "percent");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 1), "percent_bp")), 250);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 2), "max_fen")), 20000);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 3), "per_contract_max_fen")), 100000);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 3), "per_unit_year_max_fen")), 500000);
    json_decref(j);
    td_entitlement_list_free(&l);
    /* 2.5% of ¥10,001 = ¥250.025 -> 25002 fen (rounded down) */
    assert_td_ok(td_fact_parse_kv("annual_salary=10001", true, &fact, &err), &err);
    td_factset_add(&fs, &fact);
    assert_td_ok(td_fact_parse_kv("returnee=yes", true, &fact, &err), &err);
    td_factset_add(&fs, &fact);
    assert_td_ok(td_entitlements_eval(path, &fs, NULL, d, &l, &err), &err);
    assert_int_equal(l.v[1].amount_fen, 25002);
    assert_string_equal(l.v[0].status, "not_eligible");
    assert_string_equal(l.tier, "");
    td_entitlement_list_free(&l);
    td_factset_free(&fs);
    /* malformed amounts and keys */
    const char *bad[] = {
        "[benefit x]\ntitle = X\nsource = s\namount = percent 500 of hsk_level\nwhen = returnee = yes\n",
        "[benefit x]\ntitle = X\nsource = s\namount = range 200 100\nwhen = returnee = yes\n",
        "[benefit x]\ntitle = X\nsource = s\namount = reward 200\nwhen = returnee = yes\n",
        "[benefit x]\ntitle = X\nsource = s\namount = none\n",
        "[benefit x]\ntitle = X\nsource = s\namount = none\nwhen = returnee = yes\nbonus = 1\n",
        "[perk x]\ntitle = X\n",
        "[benefit x]\ntitle = X\nsource = s\namount = none\nwhen = returnee = yes\n"
        "[benefit x]\ntitle = X\nsource = s\namount = none\nwhen = returnee = yes\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f = fopen(path, "w");
        fputs(bad[i], f);
        fclose(f);
        if (td_entitlements_check(path, NULL, &err) != TD_EPOLICY)
            fail_msg("bad file %zu accepted", i);
    }
    remove(path);
    free(path);
}

static void test_reward_grant_records_person_and_contract(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    td_reward_calc c;
    char gid[TD_UUID_LEN] = "";
    td_reward_req q = { UNIT_DING, "  丁\xE3\x80\x80大学 ", " HT-2026-07 ", 2500000, "2026-08-08", f.person_id };
    /* not (yet) an offshore talent: refused */
    assert_int_equal(td_tech_transfer_reward(f.db, &f.reviewer, &q, true, &c, gid, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "offshore_talent"));
    fx_fact(&f, f.person_id, "offshore_talent=yes", true);
    /* a grant needs a person and a contract */
    q.person_id = NULL;
    assert_int_equal(td_tech_transfer_reward(f.db, &f.reviewer, &q, true, &c, gid, &err), TD_EINVALID);
    q.person_id = f.person_id;
    q.contract = "";
    assert_int_equal(td_tech_transfer_reward(f.db, &f.reviewer, &q, true, &c, gid, &err), TD_EINVALID);
    q.contract = " HT-2026-07 ";
    assert_td_ok(td_tech_transfer_reward(f.db, &f.reviewer, &q, true, &c, gid, &err), &err);
    assert_int_equal(c.amount_fen, 50000LL * 100);
    assert_int_equal(c.year, 2026);
    assert_int_equal(strlen(gid), 36);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(f.db),
                       "SELECT unit, person_id, contract, base_yuan, amount_yuan, grant_date, source"
                       " FROM benefit_grants WHERE id = ?",
                       -1, &st, NULL);
    sqlite3_bind_text(st, 1, gid, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "丁 大学"); /* display form */
    assert_string_equal((const char *)sqlite3_column_text(st, 1), f.person_id);
    assert_string_equal((const char *)sqlite3_column_text(st, 2), "HT-2026-07");
    assert_int_equal(sqlite3_column_int64(st, 3), 2500000);
    assert_int_equal(sqlite3_column_int64(st, 4), 50000);
    assert_string_equal((const char *)sqlite3_column_text(st, 5), "2026-08-08");
    assert_non_null(strstr((const char *)sqlite3_column_text(st, 6), "000 §15"));
    sqlite3_finalize(st);
    /* the same contract is never rewarded twice, even by another unit or in another year */
    char gid2[TD_UUID_LEN] = "";
    q.unit_code = UNIT_JIA;
    q.date = "2027-03-01";
    assert_int_equal(td_tech_transfer_reward(f.db, &f.reviewer, &q, true, &c, gid2, &err), TD_ECONFLICT);
    assert_non_null(strstr(err.msg, "HT-2026-07"));
    assert_int_equal(td_tech_transfer_reward(f.db, &f.reviewer, &q, false, &c, NULL, &err), TD_ECONFLICT);
    assert_string_equal(gid2, "");
    td_reward_req bad = { UNIT_DING, NULL, "x", 100, "2026-02-30", NULL };
    assert_int_equal(td_tech_transfer_reward(f.db, &f.reviewer, &bad, false, &c, NULL, &err), TD_EINVALID);
    fx_teardown(&f);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_valid_and_cited),
        cmocka_unit_test(test_honghyan_award_and_employer_subsidy),
        cmocka_unit_test(test_guarantee_loans),
        cmocka_unit_test(test_haichuang_loan_conditions),
        cmocka_unit_test(test_seed_fund_12_months),
        cmocka_unit_test(test_office_space_and_project_funding),
        cmocka_unit_test(test_settling_subsidy_conditions),
        cmocka_unit_test(test_young_condition_by_age),
        cmocka_unit_test(test_hkmo_work_residence_permit),
        cmocka_unit_test(test_hkmo_foreign_visas),
        cmocka_unit_test(test_scientist_visas_and_team),
        cmocka_unit_test(test_office_and_housing_terms),
        cmocka_unit_test(test_nationality_gives_claimed_facts),
        cmocka_unit_test(test_title_within_5_years),
        cmocka_unit_test(test_tier_gated_benefits),
        cmocka_unit_test(test_malformed_file_rejected),
        cmocka_unit_test(test_tech_transfer_basic),
        cmocka_unit_test(test_three_contracts_hit_unit_year_cap),
        cmocka_unit_test(test_entitlements_for_case_and_person),
        cmocka_unit_test(test_money_format),
        cmocka_unit_test(test_custom_file_and_json),
        cmocka_unit_test(test_reward_grant_records_person_and_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
