/* test_wf_signoff.c — 联审: a transition completes only when every
 * configured department has signed; any one returns the case with a reason;
 * a new round after a return; the department queue. */
#include "wf_fixture.h"

#include "search/qlist.h"
#include "workflow/wf_signoff.h"

/* A recognition case brought to approval through the engine. */
static td_case at_approval(td_db *db)
{
    td_case c = wf_case(db, "recognition");
    td_actor clerk = td_test_actor(db, "clerk1"), rev = td_test_actor(db, "reviewer1");
    td_err err;
    td_err_clear(&err);
    wf_verify_docs(db, c.id);
    wf_score(db, c.id);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "docs_ok", NULL, 0, NULL, &err), &err);
    td_wf_result res;
    assert_td_ok(td_wf_act(db, &rev, c.id, "submit_approval", NULL, 0, &res, &err), &err);
    assert_int_equal(res.signoffs_opened, 2);
    return wf_get(db, c.id);
}

typedef struct {
    int n;
    td_wf_signoff_row r[16];
} slist;

static int scollect(const td_wf_signoff_row *r, void *ud)
{
    slist *l = ud;
    if (l->n < 16)
        l->r[l->n++] = *r;
    return 0;
}

static void test_partial_signoff(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = at_approval(db);
    td_actor rsj = td_test_actor(db, "signer_rsj"), kjj = td_test_actor(db, "signer_kjj"),
             ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    /* Nobody signed: both departments named. */
    assert_int_equal(td_wf_act(db, &ap, c.id, "approve", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "联审"));
    assert_non_null(strstr(err.msg, "人力资源和社会保障局"));
    /* One of two signed: still refused, naming only the other. */
    assert_td_ok(td_wf_signoff(db, &rsj, c.id, NULL, true, "同意", 0, NULL, &err), &err);
    long audit0 = wf_audit_rows(db);
    td_case mid = wf_get(db, c.id);
    assert_int_equal(td_wf_act(db, &ap, c.id, "approve", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "联审"));
    assert_null(strstr(err.msg, "人力资源和社会保障局"));
    assert_string_equal(wf_get(db, c.id).state, "approval");
    assert_int_equal(wf_get(db, c.id).row_version, mid.row_version);
    assert_int_equal(wf_audit_rows(db), audit0);
    /* Signing twice is refused. */
    assert_int_equal(td_wf_signoff(db, &rsj, c.id, NULL, true, NULL, 0, NULL, &err), TD_EINVALID);
    /* The second department signs: approval goes through. */
    assert_td_ok(td_wf_signoff(db, &kjj, c.id, "kjj", true, NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve", NULL, 0, NULL, &err), &err);
    assert_string_equal(wf_get(db, c.id).state, "fulfilment");
    slist l = { 0 };
    assert_td_ok(td_wf_signoffs_each(db, c.id, scollect, &l, &err), &err);
    assert_int_equal(l.n, 2);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(l.r[i].status, "approved");
        assert_true(l.r[i].signer[0] != '\0');
    }
    td_db_close(db);
}

static void test_signer_rules(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = at_approval(db);
    td_actor admin = td_test_actor(db, "admin"), rsj = td_test_actor(db, "signer_rsj"),
             ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    char id[TD_UUID_LEN];
    assert_td_ok(td_user_add(db, &admin, "signer_zzb", "组织部会签", "CQ", "zzb", TD_ROLE_SIGNER, id, &err), &err);
    assert_td_ok(td_user_add(db, &admin, "signer_none", "无部门", "CQ", NULL, TD_ROLE_SIGNER, id, &err), &err);
    td_actor zzb = td_test_actor(db, "signer_zzb"), none = td_test_actor(db, "signer_none");
    assert_int_equal(td_wf_signoff(db, &ap, c.id, NULL, true, NULL, 0, NULL, &err), TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    assert_int_equal(td_wf_signoff(db, &zzb, c.id, NULL, true, NULL, 0, NULL, &err), TD_ENOTFOUND);
    assert_int_equal(td_wf_signoff(db, &none, c.id, NULL, true, NULL, 0, NULL, &err), TD_EDENIED);
    assert_int_equal(td_wf_signoff(db, &rsj, c.id, "kjj", true, NULL, 0, NULL, &err), TD_EDENIED);
    assert_int_equal(td_wf_signoff(db, &rsj, c.id, NULL, false, "", 0, NULL, &err), TD_EINVALID);
    assert_int_equal(td_wf_signoff(db, &rsj, c.id, NULL, true, NULL, 99, NULL, &err), TD_ECONFLICT);
    /* Outside approval there is nothing to sign. */
    td_case other = wf_case(db, "recognition");
    assert_int_equal(td_wf_signoff(db, &rsj, other.id, NULL, true, NULL, 0, NULL, &err), TD_ENOTFOUND);
    td_db_close(db);
}

static void test_return_and_new_round(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = at_approval(db);
    td_actor rsj = td_test_actor(db, "signer_rsj"), kjj = td_test_actor(db, "signer_kjj"),
             rev = td_test_actor(db, "reviewer1"), ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_signoff(db, &rsj, c.id, NULL, true, "同意", 0, NULL, &err), &err);
    td_wf_result res;
    assert_td_ok(td_wf_signoff(db, &kjj, c.id, NULL, false, "科研成果证明不足，请重新认定", 0, &res, &err), &err);
    assert_string_equal(res.from, "approval");
    assert_string_equal(res.to, "recognition");
    assert_string_equal(wf_get(db, c.id).state, "recognition");
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM case_events WHERE case_id = '%s' AND transition = 'return_rescore' "
                              "AND reason = '科研成果证明不足，请重新认定' AND user_id = '%s'", c.id, kjj.user_id);
    assert_int_equal(wf_count(db, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE case_id = '%s' AND action = 'signoff.return'", c.id);
    assert_int_equal(wf_count(db, sql), 1);
    /* Back to approval: a new round, the earlier approval does not count. */
    assert_td_ok(td_wf_act(db, &rev, c.id, "submit_approval", NULL, 0, NULL, &err), &err);
    assert_int_equal(td_wf_act(db, &ap, c.id, "approve", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "人力资源和社会保障局"));
    assert_td_ok(td_wf_signoff(db, &rsj, c.id, NULL, true, NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_signoff(db, &kjj, c.id, NULL, true, NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve", NULL, 0, NULL, &err), &err);
    slist l = { 0 };
    assert_td_ok(td_wf_signoffs_each(db, c.id, scollect, &l, &err), &err);
    assert_int_equal(l.n, 4);
    td_db_close(db);
}

static void test_leaving_voids_pending(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = at_approval(db);
    td_actor ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_act(db, &ap, c.id, "return_check", "材料需重新审核", 0, NULL, &err), &err);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signoffs WHERE case_id = '%s' AND status = 'void'", c.id);
    assert_int_equal(wf_count(db, sql), 2);
    td_db_close(db);
}

static void test_department_queue(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c1 = at_approval(db), c2 = at_approval(db), c3 = at_approval(db);
    td_actor kjj = td_test_actor(db, "signer_kjj");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_signoff(db, &kjj, c2.id, NULL, true, NULL, 0, NULL, &err), &err);
    /* the sign-off queue of src/search/qlist.h, as kjj's and rsj's signers
     * open it: kjj has c1 and c3 left, rsj all three */
    int sq = td_qlist_lookup("Joint sign-off pending");
    assert_true(sq >= 0);
    td_actor rsj = td_test_actor(db, "signer_rsj");
    td_qlist *ql = td_qlist_open_as(db, sq, &kjj, "2026-01-01", &err);
    assert_non_null(ql);
    td_qlist_row r[8];
    assert_int_equal(td_qlist_first(ql, 8, r, &err), 2);
    assert_true((!strcmp(r[0].id, c1.id) && !strcmp(r[1].id, c3.id)) ||
                (!strcmp(r[0].id, c3.id) && !strcmp(r[1].id, c1.id)));
    assert_int_equal(td_qlist_after(ql, &r[0], false, 8, &r[2], &err), 1);
    assert_string_equal(r[2].id, r[1].id);
    td_qlist_close(ql);
    ql = td_qlist_open_as(db, sq, &rsj, "2026-01-01", &err);
    assert_non_null(ql);
    assert_int_equal(td_qlist_first(ql, 8, r, &err), 3);
    td_qlist_close(ql);
    td_db_close(db);
}

/* A case put into approval without the engine (imported, demo): the
 * departments can still sign, and approval still needs all of them. */
static void test_rows_opened_on_demand(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = wf_case(db, "recognition");
    wf_score(db, c.id);
    wf_force(db, c.id, "recognition", "approval");
    td_actor rsj = td_test_actor(db, "signer_rsj"), kjj = td_test_actor(db, "signer_kjj"),
             ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_wf_act(db, &ap, c.id, "approve", NULL, 0, NULL, &err), TD_EDENIED);
    assert_td_ok(td_wf_signoff(db, &rsj, c.id, NULL, true, NULL, 0, NULL, &err), &err);
    assert_int_equal(td_wf_act(db, &ap, c.id, "approve", NULL, 0, NULL, &err), TD_EDENIED);
    assert_int_equal(td_wf_signoff(db, &rsj, c.id, NULL, true, NULL, 0, NULL, &err), TD_EINVALID);
    assert_td_ok(td_wf_signoff(db, &kjj, c.id, NULL, true, NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve", NULL, 0, NULL, &err), &err);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partial_signoff),
        cmocka_unit_test(test_signer_rules),
        cmocka_unit_test(test_return_and_new_round),
        cmocka_unit_test(test_leaving_voids_pending),
        cmocka_unit_test(test_department_queue),
        cmocka_unit_test(test_rows_opened_on_demand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
