/* test_access_mask.c — issue 10 item 5: salaries masked by the one rule
 * (people/mask.h td_pii_view: reviewers, approvers and administrators see
 * them, others see "******") everywhere a salary fact value is shown: the
 * facts read by front ends, the score ledger (text and JSON, what-if too)
 * and stored snapshots; the amount only through td_unmask with a purpose. */
#include "test_util.h"
#include "wf_fixture.h"

#include "cases/scope.h"
#include "people/mask.h"
#include "recognition/facts.h"
#include "recognition/score.h"
#include "workflow/wf_audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True when the amount appears anywhere in the result (rows, hits, JSON). */
static bool result_shows(const td_score_result *r, const char *amount)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (strstr(r->rows[i].input, amount) || strstr(r->rows[i].band, amount))
            return true;
    for (size_t i = 0; i < r->nhits; i++)
        if (strstr(r->hits[i].why, amount))
            return true;
    json_t *j = td_score_result_json(r);
    char *s = json_dumps(j, 0);
    bool in = strstr(s, amount) != NULL;
    free(s);
    json_decref(j);
    return in;
}

static void test_salary_masked(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "recognition");
    td_actor clerk = td_test_actor(db, "clerk1"), rev = td_test_actor(db, "reviewer1");
    td_fact x;
    memset(&x, 0, sizeof x);
    snprintf(x.person_id, sizeof x.person_id, "%s", c.person_id);
    snprintf(x.name, sizeof x.name, "annual_salary");
    snprintf(x.value, sizeof x.value, "654321");
    assert_td_ok(td_fact_add(db, &clerk, &x, &err), &err);
    assert_td_ok(td_fact_verify(db, &rev, x.id, "纳税证明", 0, &err), &err);

    /* facts */
    td_factset fs = { 0 };
    assert_td_ok(td_facts_load_as(db, &clerk, c.person_id, &fs, &err), &err);
    bool seen = false;
    for (size_t i = 0; i < fs.n; i++)
        if (!strcmp(fs.v[i].name, "annual_salary")) {
            assert_string_equal(fs.v[i].value, "******");
            seen = true;
        }
    assert_true(seen);
    td_factset_free(&fs);
    assert_td_ok(td_facts_load_as(db, &rev, c.person_id, &fs, &err), &err);
    for (size_t i = 0; i < fs.n; i++)
        if (!strcmp(fs.v[i].name, "annual_salary"))
            assert_string_equal(fs.v[i].value, "654321");
    td_factset_free(&fs);
    td_fact one;
    assert_td_ok(td_fact_get_as(db, &clerk, x.id, &one, &err), &err);
    assert_string_equal(one.value, "******");

    /* the ledger: masked for the clerk, in full for the reviewer */
    td_score_result r;
    td_score_case_args a = { .case_key = c.id };
    assert_td_ok(td_score_case(db, &clerk, &a, &r, NULL, &err), &err);
    assert_false(result_shows(&r, "654321"));
    bool masked_row = false;
    for (size_t i = 0; i < r.nrows; i++)
        masked_row |= strstr(r.rows[i].input, "annual_salary=******") != NULL;
    assert_true(masked_row);
    td_score_result_free(&r);
    assert_td_ok(td_score_case(db, &rev, &a, &r, NULL, &err), &err);
    assert_true(result_shows(&r, "654321"));
    td_score_result_free(&r);

    /* what-if with another salary */
    td_factset wi = { 0 };
    td_fact w;
    assert_td_ok(td_fact_parse_kv("annual_salary=876543", true, &w, &err), &err);
    td_factset_add(&wi, &w);
    td_score_case_args wa = { .case_key = c.id, .what_if = &wi };
    assert_td_ok(td_score_case(db, &clerk, &wa, &r, NULL, &err), &err);
    assert_false(result_shows(&r, "876543"));
    td_score_result_free(&r);
    td_factset_free(&wi);

    /* a saved snapshot keeps the amount; reading it masks it */
    td_score_case_args sa = { .case_key = c.id, .save = true };
    char snap_id[TD_UUID_LEN];
    assert_td_ok(td_score_case(db, &rev, &sa, &r, snap_id, &err), &err);
    td_score_result_free(&r);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM score_snapshots WHERE id = '%s' AND ledger_json LIKE '%%654321%%'",
             snap_id);
    assert_int_equal(wf_count(db, sql), 1);
    td_snapshot sn;
    assert_td_ok(td_snapshot_latest_as(db, &clerk, c.id, &sn, &err), &err);
    assert_null(strstr(sn.ledger_json, "654321"));
    assert_null(strstr(sn.inputs_json, "654321"));
    td_snapshot_free(&sn);
    assert_td_ok(td_snapshot_get_as(db, &clerk, snap_id, &sn, &err), &err);
    assert_null(strstr(sn.ledger_json, "654321"));
    td_snapshot_free(&sn);
    assert_td_ok(td_snapshot_latest_as(db, &rev, c.id, &sn, &err), &err);
    assert_non_null(strstr(sn.ledger_json, "654321"));
    td_snapshot_free(&sn);

    /* the amount only with a purpose, audited */
    char v[64];
    long a0 = wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'person.view_salary'");
    assert_td_ok(td_unmask(db, &clerk, TD_PII_SALARY, c.person_id, c.id, "核对年薪", v, sizeof v, &err), &err);
    assert_string_equal(v, "654321");
    assert_int_equal(wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'person.view_salary'"), a0 + 1);
    td_db_close(db);
}

static void test_mask_text(void **state)
{
    (void)state;
    td_actor nobody;
    memset(&nobody, 0, sizeof nobody);
    nobody.roles = TD_ROLE_CLERK;
    char *m = td_salary_mask_text(&nobody, "annual_salary=600000 (年薪); age=35; annual_salary=12,000.5");
    assert_string_equal(m, "annual_salary=****** (年薪); age=35; annual_salary=******");
    free(m);
    td_actor rev = nobody;
    rev.roles = TD_ROLE_REVIEWER;
    m = td_salary_mask_text(&rev, "annual_salary=600000");
    assert_string_equal(m, "annual_salary=600000");
    free(m);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_salary_masked),
        cmocka_unit_test(test_mask_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
