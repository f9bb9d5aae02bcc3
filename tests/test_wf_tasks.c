/* test_wf_tasks.c — service fulfilment: one task per requested service, due
 * dates in working days across the 2026 Spring Festival and National Day
 * (working Saturdays 14 Feb, 28 Feb, 10 Oct), status changes, overdue queue,
 * escalation (督办), closing. */
#include "wf_fixture.h"

#include "workflow/wf_tasks.h"

/* A service case taken to fulfilment "today" (TALENTDESK_NOW = now). */
static td_case fulfilled(td_db *db, const char *now, const char *const *services)
{
    if (now)
        setenv("TALENTDESK_NOW", now, 1);
    td_case c = wf_case_with(db, "clerk1", "service", services);
    td_actor clerk = td_test_actor(db, "clerk1"), ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    wf_verify_docs(db, c.id);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "docs_ok_service", NULL, 0, NULL, &err), &err);
    td_wf_result res;
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve_service", NULL, 0, &res, &err), &err);
    assert_string_equal(res.to, "fulfilment");
    return wf_get(db, c.id);
}

typedef struct {
    int n;
    td_wf_task t[8];
} tasklist;

static int collect(const td_wf_task *t, void *ud)
{
    tasklist *l = ud;
    if (l->n < 8)
        l->t[l->n++] = *t;
    return 0;
}

static tasklist tasks_of(td_db *db, const char *case_id)
{
    tasklist l = { 0 };
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_tasks_each(db, case_id, collect, &l, &err), &err);
    return l;
}

static void test_due_dates_across_holidays(void **state)
{
    (void)state;
    /* (start day, service, promised working days per data/services.tdp, due). */
    static const struct {
        const char *now, *service;
        int days;
        const char *due;
    } cases[] = {
        /* Fri 13 Feb: Sat 14 Feb worked, 15–23 Feb Spring Festival. */
        { "2026-02-13", "enterprise_setup", 3, "2026-02-25" },
        { "2026-02-13", "competition_entry", 5, "2026-02-27" },
        /* Thu 26 Feb: Fri 27, Sat 28 Feb worked, Mon 2 Mar. */
        { "2026-02-26", "enterprise_setup", 3, "2026-03-02" },
        { "2026-02-27", "enterprise_setup", 3, "2026-03-03" },
        /* Sat 14 Feb itself is a working day. */
        { "2026-02-12", "enterprise_setup", 3, "2026-02-24" },
        /* Wed 30 Sep: 1–7 Oct National Day, 8, 9, Sat 10 Oct worked. */
        { "2026-09-30", "enterprise_setup", 3, "2026-10-10" },
        { "2026-09-30", "competition_entry", 5, "2026-10-13" },
        /* 25–27 Sep Mid-Autumn, Sun 20 Sep worked. */
        { "2026-09-18", "enterprise_setup", 3, "2026-09-22" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        td_db *db = wf_db();
        const char *svc[] = { cases[i].service, NULL };
        td_case c = fulfilled(db, cases[i].now, svc);
        tasklist l = tasks_of(db, c.id);
        assert_int_equal(l.n, 1);
        assert_int_equal(l.t[0].days, cases[i].days);
        if (strcmp(l.t[0].due_date, cases[i].due) != 0)
            fail_msg("case %zu: from %s + %d working days: got %s, want %s", i, cases[i].now, cases[i].days,
                     l.t[0].due_date, cases[i].due);
        assert_string_equal(l.t[0].status, "pending");
        assert_string_equal(l.t[0].assignee, "spec1");
        assert_false(l.t[0].overdue);
        td_db_close(db);
    }
    unsetenv("TALENTDESK_NOW");
}

static void test_one_task_per_service(void **state)
{
    (void)state;
    td_db *db = wf_db();
    static const char *const svc[] = { "enterprise_setup", "competition_entry", "business_registration", NULL };
    td_case c = fulfilled(db, "2026-03-02", svc);
    tasklist l = tasks_of(db, c.id);
    assert_int_equal(l.n, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(l.t[i].service_id, svc[i]);
        assert_true(l.t[i].due_date[0] != '\0');
    }
    td_db_close(db);
    unsetenv("TALENTDESK_NOW");
}

static void test_task_lifecycle(void **state)
{
    (void)state;
    td_db *db = wf_db();
    static const char *const svc[] = { "enterprise_setup", "competition_entry", "business_registration", NULL };
    td_case c = fulfilled(db, NULL, svc);
    td_actor spec = td_test_actor(db, "spec1"), clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    tasklist l = tasks_of(db, c.id);
    const char *t0 = l.t[0].id, *t1 = l.t[1].id, *t2 = l.t[2].id;
    /* Roles. */
    assert_int_equal(td_wf_task_update(db, &clerk, t0, TD_TASK_START, NULL, 0, &err), TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    /* Start, done with a result. */
    assert_td_ok(td_wf_task_update(db, &spec, t0, TD_TASK_START, NULL, 0, &err), &err);
    assert_int_equal(td_wf_task_update(db, &spec, t0, TD_TASK_START, NULL, 0, &err), TD_EINVALID);
    assert_td_ok(td_wf_task_update(db, &spec, t0, TD_TASK_DONE, "营业执照已发放", 0, &err), &err);
    assert_int_equal(td_wf_task_update(db, &spec, t0, TD_TASK_CANCEL, "x", 0, &err), TD_EINVALID);
    /* Fail and cancel need a reason. */
    assert_int_equal(td_wf_task_update(db, &spec, t1, TD_TASK_FAIL, "", 0, &err), TD_EINVALID);
    assert_int_equal(td_wf_task_update(db, &spec, t1, TD_TASK_CANCEL, NULL, 0, &err), TD_EINVALID);
    /* Stale version. */
    assert_int_equal(td_wf_task_update(db, &spec, t1, TD_TASK_START, NULL, 77, &err), TD_ECONFLICT);
    assert_string_equal(err.msg, "此案件已被他人修改，请刷新后重试");
    /* Prefix of the id works. */
    char prefix[16];
    snprintf(prefix, sizeof prefix, "%.13s", t1);
    td_wf_task one;
    assert_td_ok(td_wf_task_get(db, t1, &one, &err), &err);
    assert_td_ok(td_wf_task_update(db, &spec, t1, TD_TASK_FAIL, "比赛已截止报名", one.row_version, &err), &err);
    /* Close refused while one task is open. */
    assert_int_equal(td_wf_act(db, &spec, c.id, "close", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "1"));
    assert_td_ok(td_wf_task_update(db, &spec, t2, TD_TASK_CANCEL, "申请人改为线上办理", 0, &err), &err);
    l = tasks_of(db, c.id);
    assert_string_equal(l.t[0].status, "done");
    assert_string_equal(l.t[0].result, "营业执照已发放");
    assert_string_equal(l.t[1].status, "failed");
    assert_string_equal(l.t[1].reason, "比赛已截止报名");
    assert_string_equal(l.t[2].status, "cancelled");
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE case_id = '%s' AND action LIKE 'task.%%'", c.id);
    assert_true(wf_count(db, sql) >= 7); /* 3 schedule + start + done + fail + cancel */
    assert_td_ok(td_wf_act(db, &spec, c.id, "close", NULL, 0, NULL, &err), &err);
    assert_string_equal(wf_get(db, c.id).state, "closed");
    /* Closed: no more task changes. */
    assert_int_equal(td_wf_task_update(db, &spec, t0, TD_TASK_ASSIGN, "spec1", 0, &err), TD_EDENIED);
    td_db_close(db);
}

static void test_no_fulfilment_before_approval(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor spec = td_test_actor(db, "spec1");
    td_case c = wf_case(db, "service");
    td_err err;
    td_err_clear(&err);
    tasklist l = tasks_of(db, c.id);
    assert_int_equal(td_wf_task_update(db, &spec, l.t[0].id, TD_TASK_START, NULL, 0, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "服务办理"));
    /* Forced into fulfilment without an approval event: still refused. */
    wf_force(db, c.id, "approval", "fulfilment");
    assert_int_equal(td_wf_task_update(db, &spec, l.t[0].id, TD_TASK_START, NULL, 0, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "审批"));
    wf_sql(db, "UPDATE service_requests SET status = 'done'");
    assert_int_equal(td_wf_act(db, &spec, c.id, "close", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "审批"));
    td_db_close(db);
}

typedef struct {
    int n;
    char ids[16][TD_UUID_LEN];
    char due[16][TD_DATE_LEN];
    bool overdue[16];
} qlist;

static int qcollect(const td_wf_task *t, void *ud)
{
    qlist *q = ud;
    if (q->n < 16) {
        snprintf(q->ids[q->n], TD_UUID_LEN, "%s", t->id);
        snprintf(q->due[q->n], TD_DATE_LEN, "%s", t->due_date);
        q->overdue[q->n] = t->overdue;
        q->n++;
    }
    return 0;
}

static void test_overdue_queue_and_escalation(void **state)
{
    (void)state;
    td_db *db = wf_db();
    static const char *const svc[] = { "enterprise_setup", "competition_entry", NULL };
    td_case c1 = fulfilled(db, "2026-02-13", svc);          /* due 25 Feb and 27 Feb */
    static const char *const svc2[] = { "enterprise_setup", NULL };
    td_case c2 = fulfilled(db, "2026-03-02", svc2);         /* due 5 Mar */
    (void)c2;
    td_err err;
    td_err_clear(&err);
    qlist q = { 0 };
    assert_td_ok(td_wf_tasks_overdue(db, "2026-02-25", NULL, NULL, 10, qcollect, &q, &err), &err);
    assert_int_equal(q.n, 0); /* due today is not overdue yet */
    setenv("TALENTDESK_NOW", "2026-03-04", 1);
    memset(&q, 0, sizeof q);
    assert_td_ok(td_wf_tasks_overdue(db, NULL, NULL, NULL, 10, qcollect, &q, &err), &err);
    assert_int_equal(q.n, 2);
    assert_string_equal(q.due[0], "2026-02-25");
    assert_string_equal(q.due[1], "2026-02-27");
    assert_true(q.overdue[0] && q.overdue[1]);
    /* Keyset paging: one row at a time gives the same order. */
    qlist p1 = { 0 }, p2 = { 0 }, p3 = { 0 };
    assert_td_ok(td_wf_tasks_overdue(db, NULL, NULL, NULL, 1, qcollect, &p1, &err), &err);
    assert_td_ok(td_wf_tasks_overdue(db, NULL, p1.due[0], p1.ids[0], 1, qcollect, &p2, &err), &err);
    assert_td_ok(td_wf_tasks_overdue(db, NULL, p2.due[0], p2.ids[0], 1, qcollect, &p3, &err), &err);
    assert_int_equal(p1.n, 1);
    assert_int_equal(p2.n, 1);
    assert_int_equal(p3.n, 0);
    assert_string_equal(p1.ids[0], q.ids[0]);
    assert_string_equal(p2.ids[0], q.ids[1]);
    /* An in-progress task is still overdue; a done one is not. */
    td_actor spec = td_test_actor(db, "spec1"), ap = td_test_actor(db, "approver1"),
             clerk = td_test_actor(db, "clerk1");
    assert_td_ok(td_wf_task_update(db, &spec, q.ids[0], TD_TASK_START, NULL, 0, &err), &err);
    assert_td_ok(td_wf_task_update(db, &spec, q.ids[1], TD_TASK_DONE, NULL, 0, &err), &err);
    memset(&q, 0, sizeof q);
    assert_td_ok(td_wf_tasks_overdue(db, NULL, NULL, NULL, 10, qcollect, &q, &err), &err);
    assert_int_equal(q.n, 1);
    /* 督办: who escalated to whom, and why. */
    assert_int_equal(td_wf_escalate(db, &clerk, q.ids[0], "approver2", "超期未办", &err), TD_EDENIED);
    assert_int_equal(td_wf_escalate(db, &ap, q.ids[0], "approver2", "", &err), TD_EINVALID);
    assert_int_equal(td_wf_escalate(db, &ap, q.ids[0], "nobody", "超期未办", &err), TD_ENOTFOUND);
    assert_int_equal(td_wf_escalate(db, &ap, q.ids[0], "approver1", "超期未办", &err), TD_EINVALID);
    assert_td_ok(td_wf_escalate(db, &ap, q.ids[0], "approver2", "超期 5 个工作日，请督促办理", &err), &err);
    td_actor ap2 = td_test_actor(db, "approver2");
    char sql[1024], buf[512];
    snprintf(sql, sizeof sql,
             "SELECT from_user || '>' || to_user || '|' || reason || '|' || was_overdue FROM escalations "
             "WHERE request_id = '%s'", q.ids[0]);
    wf_text(db, sql, buf, sizeof buf);
    char want[512];
    snprintf(want, sizeof want, "%s>%s|超期 5 个工作日，请督促办理|1", ap.user_id, ap2.user_id);
    assert_string_equal(buf, want);
    td_wf_task t;
    assert_td_ok(td_wf_task_get(db, q.ids[0], &t, &err), &err);
    assert_string_equal(t.assignee, "approver2");
    assert_int_equal(t.escalations, 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'task.escalate' AND case_id = '%s'", c1.id);
    assert_int_equal(wf_count(db, sql), 1);
    /* A second escalation of an open task is recorded too; closed tasks cannot be escalated. */
    assert_td_ok(td_wf_escalate(db, &ap, t.id, "approver2", "再次督办", &err), &err);
    assert_td_ok(td_wf_task_update(db, &ap, t.id, TD_TASK_DONE, NULL, 0, &err), &err);
    assert_int_equal(td_wf_escalate(db, &ap, t.id, "approver2", "again", &err), TD_EINVALID);
    td_db_close(db);
    unsetenv("TALENTDESK_NOW");
}

static void test_assign(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = fulfilled(db, NULL, NULL);
    td_actor admin = td_test_actor(db, "admin");
    td_err err;
    td_err_clear(&err);
    tasklist l = tasks_of(db, c.id);
    assert_int_equal(td_wf_task_update(db, &admin, l.t[0].id, TD_TASK_ASSIGN, "clerk1", 0, &err), TD_EINVALID);
    assert_td_ok(td_wf_task_update(db, &admin, l.t[0].id, TD_TASK_ASSIGN, "r_specialist", 0, &err), &err);
    l = tasks_of(db, c.id);
    assert_string_equal(l.t[0].assignee, "r_specialist");
    td_db_close(db);
}

static void test_return_from_fulfilment(void **state)
{
    (void)state;
    td_db *db = wf_db();
    static const char *const svc[] = { "enterprise_setup", "competition_entry", NULL };
    td_case c = fulfilled(db, "2026-02-13", svc);
    td_actor spec = td_test_actor(db, "spec1"), ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    tasklist l = tasks_of(db, c.id);
    assert_td_ok(td_wf_task_update(db, &spec, l.t[0].id, TD_TASK_DONE, "已办结", 0, &err), &err);
    assert_td_ok(td_wf_task_update(db, &spec, l.t[1].id, TD_TASK_START, NULL, 0, &err), &err);
    assert_int_equal(td_wf_act(db, &spec, c.id, "return_approval", "x", 0, NULL, &err), TD_EDENIED);
    assert_int_equal(td_wf_act(db, &ap, c.id, "return_approval", "", 0, NULL, &err), TD_EINVALID);
    assert_td_ok(td_wf_act(db, &ap, c.id, "return_approval", "服务内容需调整", 0, NULL, &err), &err);
    l = tasks_of(db, c.id);
    assert_string_equal(l.t[0].status, "done");           /* finished work stays */
    assert_string_equal(l.t[1].status, "pending");        /* open work waits for the new approval */
    assert_string_equal(l.t[1].due_date, "");
    assert_int_equal(td_wf_task_update(db, &spec, l.t[1].id, TD_TASK_START, NULL, 0, &err), TD_EDENIED);
    /* Approved again a week later: the open task gets a new deadline. */
    setenv("TALENTDESK_NOW", "2026-03-02", 1);
    td_wf_result res;
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve_service", NULL, 0, &res, &err), &err);
    assert_int_equal(res.tasks_started, 1);
    l = tasks_of(db, c.id);
    assert_string_equal(l.t[1].due_date, "2026-03-09");
    td_db_close(db);
    unsetenv("TALENTDESK_NOW");
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due_dates_across_holidays),
        cmocka_unit_test(test_one_task_per_service),
        cmocka_unit_test(test_task_lifecycle),
        cmocka_unit_test(test_no_fulfilment_before_approval),
        cmocka_unit_test(test_overdue_queue_and_escalation),
        cmocka_unit_test(test_assign),
        cmocka_unit_test(test_return_from_fulfilment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
