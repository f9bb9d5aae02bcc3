/* test_wf_counter.c — the core side of the counter's speed (issue 12 item
 * 8): "mark all received" in one transaction, a task's permission asked
 * before the result is typed, 承办人 filled in when a specialist works an
 * unassigned task, and the queue each role starts on. */
#include "wf_fixture.h"

#include "search/qlist.h"
#include "workflow/wf_docs.h"
#include "workflow/wf_tasks.h"

static long missing_of(td_db *db, const char *case_id)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM case_documents WHERE case_id = '%s' AND status = 'missing'", case_id);
    return wf_count(db, sql);
}

static void test_mark_missing(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = wf_case(db, "recognition");
    td_actor clerk = td_test_actor(db, "clerk1"), ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    long n = missing_of(db, c.id);
    assert_true(n >= 2);
    /* one row already received stays as it is (and is not counted) */
    char one[64];
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT doc_type_id FROM case_documents WHERE case_id = '%s' ORDER BY id LIMIT 1",
             c.id);
    wf_text(db, sql, one, sizeof one);
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, one, "invalid", "复印件不清", 0, NULL, &err), &err);
    /* refused: a status other than received / verified, and a role that may not mark */
    int marked = -1;
    assert_int_equal(td_wf_docs_mark_missing(db, &clerk, c.id, "invalid", &marked, NULL, &err), TD_EINVALID);
    assert_int_equal(td_wf_docs_mark_missing(db, &ap, c.id, "received", &marked, NULL, &err), TD_EDENIED);
    assert_int_equal(marked, 0);
    assert_int_equal(missing_of(db, c.id), n - 1); /* nothing changed by the refusals */
    /* a failure on the second row leaves the first unmarked too (one
     * transaction) */
    wf_sql(db, "CREATE TEMP TRIGGER second_fails BEFORE UPDATE OF status ON case_documents "
               "WHEN NEW.status = 'received' AND (SELECT count(*) FROM case_documents d WHERE "
               "d.case_id = NEW.case_id AND d.status = 'received') >= 1 "
               "BEGIN SELECT RAISE(ABORT, 'second row refused'); END");
    assert_int_not_equal(td_wf_docs_mark_missing(db, &clerk, c.id, "received", &marked, NULL, &err), TD_OK);
    assert_int_equal(marked, 0);
    assert_int_equal(missing_of(db, c.id), n - 1);
    assert_false(td_db_in_tx(db));
    wf_sql(db, "DROP TRIGGER second_fails");
    /* the clerk: every missing row, one audit row each */
    bool back = true;
    assert_td_ok(td_wf_docs_mark_missing(db, &clerk, c.id, "received", &marked, &back, &err), &err);
    assert_int_equal(marked, n - 1);
    assert_false(back);
    assert_int_equal(missing_of(db, c.id), 0);
    snprintf(sql, sizeof sql, "SELECT status FROM case_documents WHERE case_id = '%s' AND doc_type_id = '%s'", c.id,
             one);
    char st[16];
    wf_text(db, sql, st, sizeof st);
    assert_string_equal(st, "invalid");
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE case_id = '%s' AND action = 'doc.mark' AND new_value = 'received'",
             c.id);
    assert_int_equal(wf_count(db, sql), n - 1);
    /* nothing left: TD_OK, 0 */
    assert_td_ok(td_wf_docs_mark_missing(db, &clerk, c.id, "received", &marked, NULL, &err), &err);
    assert_int_equal(marked, 0);
    td_db_close(db);
}

/* A case in 待补正: the first supplied document sends it back to checking;
 * all of it is one transaction. */
static void test_mark_missing_returns_to_check(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = wf_case(db, "recognition");
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    td_wf_check_result r;
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    assert_string_equal(r.state, "awaiting_docs");
    int marked = 0;
    bool back = false;
    assert_td_ok(td_wf_docs_mark_missing(db, &clerk, c.id, "received", &marked, &back, &err), &err);
    assert_true(back);
    assert_true(marked >= 2);
    assert_string_equal(wf_get(db, c.id).state, "doc_check");
    assert_false(td_db_in_tx(db));
    td_db_close(db);
}

static td_case in_fulfilment(td_db *db)
{
    const char *svc[] = { "enterprise_setup", NULL };
    td_case c = wf_case_with(db, "clerk1", "service", svc);
    td_actor clerk = td_test_actor(db, "clerk1"), ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    wf_verify_docs(db, c.id);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "docs_ok_service", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve_service", NULL, 0, NULL, &err), &err);
    return wf_get(db, c.id);
}

static void task_id(td_db *db, const char *case_id, char id[TD_UUID_LEN])
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id FROM service_requests WHERE case_id = '%s' LIMIT 1", case_id);
    wf_text(db, sql, id, TD_UUID_LEN);
}

static void test_task_may(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = in_fulfilment(db);
    char t[TD_UUID_LEN];
    task_id(db, c.id, t);
    td_actor clerk = td_test_actor(db, "clerk1"), spec = td_test_actor(db, "r_specialist"),
             admin = td_test_actor(db, "r_admin");
    td_err err;
    td_err_clear(&err);
    /* the same refusal as the update would give, before anything is typed */
    assert_int_equal(td_wf_task_may(db, &clerk, t, TD_TASK_DONE, &err), TD_EDENIED);
    char may_msg[sizeof err.msg];
    snprintf(may_msg, sizeof may_msg, "%s", err.msg);
    assert_int_equal(td_wf_task_update(db, &clerk, t, TD_TASK_DONE, "x", 0, &err), TD_EDENIED);
    assert_string_equal(may_msg, err.msg);
    assert_int_equal(td_wf_task_may(db, &admin, t, TD_TASK_DONE, &err), TD_EDENIED);
    assert_td_ok(td_wf_task_may(db, &admin, t, TD_TASK_ASSIGN, &err), &err);
    assert_td_ok(td_wf_task_may(db, &spec, t, TD_TASK_DONE, &err), &err);
    assert_td_ok(td_wf_task_may(db, &spec, t, TD_TASK_OP_ESCALATE, &err), &err);
    assert_false(td_db_in_tx(db));
    /* a finished task: refused by its status */
    assert_td_ok(td_wf_task_update(db, &spec, t, TD_TASK_DONE, "已办结", 0, &err), &err);
    assert_int_equal(td_wf_task_may(db, &spec, t, TD_TASK_FAIL, &err), TD_EINVALID);
    assert_int_equal(td_wf_task_may(db, &spec, t, TD_TASK_OP_ESCALATE, &err), TD_EINVALID);
    /* a case not in fulfilment: refused by the state */
    td_case c2 = wf_case_with(db, "clerk1", "service", NULL);
    task_id(db, c2.id, t);
    assert_int_equal(td_wf_task_may(db, &spec, t, TD_TASK_START, &err), TD_EDENIED);
    td_db_close(db);
}

static void test_handler_filled_in(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = in_fulfilment(db);
    char t[TD_UUID_LEN], sql[512], who[TD_UUID_LEN];
    task_id(db, c.id, t);
    snprintf(sql, sizeof sql, "UPDATE service_requests SET assignee_id = NULL WHERE id = '%s'", t);
    wf_sql(db, sql);
    td_actor spec = td_test_actor(db, "r_specialist"), ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    /* an approver starting it is not the handler */
    assert_td_ok(td_wf_task_update(db, &ap, t, TD_TASK_START, NULL, 0, &err), &err);
    snprintf(sql, sizeof sql, "SELECT coalesce(assignee_id, '') FROM service_requests WHERE id = '%s'", t);
    wf_text(db, sql, who, sizeof who);
    assert_string_equal(who, "");
    /* the specialist finishing it is */
    assert_td_ok(td_wf_task_update(db, &spec, t, TD_TASK_DONE, "已办结", 0, &err), &err);
    wf_text(db, sql, who, sizeof who);
    assert_string_equal(who, spec.user_id);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'task.assign' AND entity_id = '%s'", t);
    assert_int_equal(wf_count(db, sql), 1);
    /* an assigned task keeps its handler */
    td_case c2 = in_fulfilment(db);
    task_id(db, c2.id, t);
    snprintf(sql, sizeof sql, "SELECT coalesce(assignee_id, '') FROM service_requests WHERE id = '%s'", t);
    char before[TD_UUID_LEN];
    wf_text(db, sql, before, sizeof before);
    assert_td_ok(td_wf_task_update(db, &spec, t, TD_TASK_START, NULL, 0, &err), &err);
    wf_text(db, sql, who, sizeof who);
    assert_string_equal(who, before);
    td_db_close(db);
}

static void test_default_queue(void **state)
{
    (void)state;
    static const struct {
        unsigned roles;
        const char *queue;
    } want[] = {
        { TD_ROLE_CLERK, "My cases" },
        { TD_ROLE_STATION, "My cases" },
        { TD_ROLE_CLERK | TD_ROLE_REVIEWER, "My cases" },
        { TD_ROLE_SIGNER, "Joint sign-off pending" },
        { TD_ROLE_APPROVER, "Approval" },
        { TD_ROLE_REVIEWER, "Recognition" },
        { TD_ROLE_SPECIALIST, "Fulfilment" },
        { TD_ROLE_ADMIN, "All cases" },
        { 0, "My cases" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(td_qlist_title(td_qlist_default_for_roles(want[i].roles)), want[i].queue);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mark_missing),
        cmocka_unit_test(test_mark_missing_returns_to_check),
        cmocka_unit_test(test_task_may),
        cmocka_unit_test(test_handler_filled_in),
        cmocka_unit_test(test_default_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
