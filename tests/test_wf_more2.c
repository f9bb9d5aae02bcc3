/* test_wf_more2.c — more workflow behaviour: the task status matrix (every
 * op from every status, denials change nothing), blank reasons refused for
 * every reason-required transition from every from-state (and a real
 * reason recorded), resume to @previous from every suspendable state, step
 * due dates and the notice deadline across the 2026 Spring Festival. */
#include "wf_fixture.h"

#include "workflow/wf_docs.h"
#include "workflow/wf_tasks.h"

static int first_doc(const td_wf_doc *d, void *ud)
{
    *(td_wf_doc *)ud = *d;
    return 1;
}

static td_case fulfilled(td_db *db, const char *now)
{
    if (now)
        setenv("TALENTDESK_NOW", now, 1);
    td_case c = wf_case_with(db, "clerk1", "service", NULL);
    td_actor clerk = td_test_actor(db, "clerk1"), ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    wf_verify_docs(db, c.id);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "docs_ok_service", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve_service", NULL, 0, NULL, &err), &err);
    return wf_get(db, c.id);
}

static int first_task(const td_wf_task *t, void *ud)
{
    *(td_wf_task *)ud = *t;
    return 1;
}

static td_wf_task task_of(td_db *db, const char *case_id)
{
    td_wf_task t;
    td_err err;
    td_err_clear(&err);
    memset(&t, 0, sizeof t);
    assert_td_ok(td_wf_tasks_each(db, case_id, first_task, &t, &err), &err);
    assert_true(t.id[0] != '\0');
    return t;
}

/* Every op from every status: allowed exactly when the table says so; a
 * denial leaves status, row_version and the audit log untouched. */
static void test_task_status_matrix(void **state)
{
    (void)state;
    static const char *const statuses[] = { "pending", "in_progress", "done", "failed", "cancelled" };
    static const struct {
        td_task_op op;
        const char *to;
        int allowed[5]; /* by statuses[] */
    } ops[] = {
        { TD_TASK_START, "in_progress", { 1, 0, 0, 0, 0 } },
        { TD_TASK_DONE, "done", { 1, 1, 0, 0, 0 } },
        { TD_TASK_FAIL, "failed", { 1, 1, 0, 0, 0 } },
        { TD_TASK_CANCEL, "cancelled", { 1, 1, 0, 0, 0 } },
    };
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        for (int s = 0; s < 5; s++) {
            td_db *db = wf_db();
            td_actor spec = td_test_actor(db, "r_specialist");
            td_err err;
            td_err_clear(&err);
            td_case c = fulfilled(db, "2026-03-02");
            td_wf_task t = task_of(db, c.id);
            char sql[512];
            snprintf(sql, sizeof sql, "UPDATE service_requests SET status = '%s' WHERE id = '%s'", statuses[s],
                     t.id);
            wf_sql(db, sql);
            t = task_of(db, c.id);
            long audit = wf_audit_rows(db);
            td_status st = td_wf_task_update(db, &spec, t.id, ops[o].op, "理由", 0, &err);
            td_wf_task after = task_of(db, c.id);
            if (ops[o].allowed[s]) {
                if (st != TD_OK)
                    fail_msg("op %zu from %s: %s", o, statuses[s], err.msg);
                assert_string_equal(after.status, ops[o].to);
                assert_true(after.row_version > t.row_version);
                assert_true(wf_audit_rows(db) > audit);
            } else {
                if (st == TD_OK)
                    fail_msg("op %zu from %s: allowed, want denied", o, statuses[s]);
                assert_true(wf_has_cjk(err.msg));
                assert_string_equal(after.status, statuses[s]);
                assert_int_equal(after.row_version, t.row_version);
                assert_int_equal(wf_audit_rows(db), audit);
            }
            td_db_close(db);
        }
    }
    unsetenv("TALENTDESK_NOW");
}

/* fail/cancel with no reason, an empty one or spaces only: refused. */
static void test_task_reason_blank(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor spec = td_test_actor(db, "r_specialist");
    td_err err;
    td_err_clear(&err);
    td_case c = fulfilled(db, "2026-03-02");
    td_wf_task t = task_of(db, c.id);
    static const char *const blanks[] = { NULL, "", "   ", " \t " };
    long audit = wf_audit_rows(db);
    for (size_t i = 0; i < 4; i++) {
        for (int op = 0; op < 2; op++) {
            td_status st = td_wf_task_update(db, &spec, t.id, op ? TD_TASK_CANCEL : TD_TASK_FAIL, blanks[i], 0,
                                             &err);
            if (st == TD_OK)
                fail_msg("blank reason %zu accepted for %s", i, op ? "cancel" : "fail");
            assert_true(wf_has_cjk(err.msg));
        }
    }
    td_wf_task after = task_of(db, c.id);
    assert_string_equal(after.status, "pending");
    assert_int_equal(after.row_version, t.row_version);
    assert_int_equal(wf_audit_rows(db), audit);
    /* A clerk may not touch tasks at all. */
    td_actor clerk = td_test_actor(db, "r_clerk");
    assert_int_equal(td_wf_task_update(db, &clerk, t.id, TD_TASK_START, NULL, 0, &err), TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    assert_string_equal(task_of(db, c.id).status, "pending");
    /* The reason given is stored (trimmed text, not the blanks). */
    assert_td_ok(td_wf_task_update(db, &spec, t.id, TD_TASK_FAIL, "申请人放弃", 0, &err), &err);
    after = task_of(db, c.id);
    assert_string_equal(after.status, "failed");
    assert_string_equal(after.reason, "申请人放弃");
    td_db_close(db);
    unsetenv("TALENTDESK_NOW");
}

/* Every reason-required transition from each of its from-states: a blank
 * reason is refused and changes nothing; a real one moves the case and is
 * stored on the case_events row. */
static void test_blank_reason_every_transition(void **state)
{
    (void)state;
    static const struct {
        const char *action, *user, *type, *to;
        const char *from[8];
    } rows[] = {
        { "return_intake", "r_reviewer", "service", "intake", { "doc_check", "awaiting_docs" } },
        { "return_check", "r_reviewer", "service", "doc_check", { "recognition", "approval" } },
        { "return_rescore", "r_approver", "recognition", "recognition", { "approval" } },
        { "return_approval", "r_approver", "service", "approval", { "fulfilment" } },
        { "refuse", "r_clerk", "service", "rejected", { "intake" } },
        { "reject", "r_reviewer", "service", "rejected", { "doc_check", "awaiting_docs", "recognition", "approval" } },
        { "withdraw", "r_station", "service", "withdrawn",
          { "intake", "doc_check", "awaiting_docs", "recognition", "approval", "fulfilment", "suspended" } },
        { "suspend", "r_specialist", "service", "suspended",
          { "intake", "doc_check", "awaiting_docs", "recognition", "approval", "fulfilment" } },
        { "exception_approve", "r_approver", "service", "fulfilment", { "recognition", "approval" } },
    };
    static const char *const blanks[] = { NULL, "", "    ", "\t \t" };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        for (int f = 0; rows[r].from[f]; f++) {
            td_db *db = wf_db();
            td_actor by = td_test_actor(db, rows[r].user);
            td_err err;
            td_err_clear(&err);
            td_case c = wf_case(db, rows[r].type);
            const char *from = rows[r].from[f];
            wf_force(db, c.id, !strcmp(from, "suspended") ? "doc_check" : "intake", from);
            td_case before = wf_get(db, c.id);
            char q[256];
            snprintf(q, sizeof q, "SELECT count(*) FROM case_events WHERE case_id = '%s'", c.id);
            long events = wf_count(db, q), audit = wf_audit_rows(db);
            for (size_t b = 0; b < 4; b++) {
                td_status s = td_wf_act(db, &by, c.id, rows[r].action, blanks[b], 0, NULL, &err);
                if (s != TD_EINVALID)
                    fail_msg("%s from %s with blank %zu: status %d (%s)", rows[r].action, from, b, (int)s,
                             err.msg);
                assert_true(wf_has_cjk(err.msg));
                td_case now = wf_get(db, c.id);
                assert_string_equal(now.state, from);
                assert_int_equal(now.row_version, before.row_version);
                assert_int_equal(wf_count(db, q), events);
                assert_int_equal(wf_audit_rows(db), audit);
            }
            td_wf_result res;

            td_status s = td_wf_act(db, &by, c.id, rows[r].action, "  书面理由：情况特殊  ", 0, &res, &err);
            if (s != TD_OK)
                fail_msg("%s from %s with a reason: %s", rows[r].action, from, err.msg);
            assert_string_equal(wf_get(db, c.id).state, rows[r].to);
            assert_int_equal(wf_count(db, q), events + 1);
            char sql[512], got[256];
            snprintf(sql, sizeof sql,
                     "SELECT transition || '|' || from_state || '|' || reason FROM case_events "
                     "WHERE case_id = '%s' ORDER BY seq DESC LIMIT 1",
                     c.id);
            wf_text(db, sql, got, sizeof got);
            char want[256];
            snprintf(want, sizeof want, "%s|%s|书面理由：情况特殊", rows[r].action, from);
            assert_string_equal(got, want);
            td_db_close(db);
        }
    }
}

/* Suspend from every suspendable state and resume: back to exactly that
 * state (@previous), with the events in order. */
static void test_resume_to_previous_everywhere(void **state)
{
    (void)state;
    static const char *const states[] = { "intake", "doc_check", "awaiting_docs", "recognition", "approval",
                                          "fulfilment" };
    for (size_t i = 0; i < 6; i++) {
        td_db *db = wf_db();
        td_actor rev = td_test_actor(db, "r_reviewer"), clerk = td_test_actor(db, "r_clerk");
        td_err err;
        td_err_clear(&err);
        td_case c = wf_case(db, "recognition");
        if (strcmp(states[i], "intake") != 0)
            wf_force(db, c.id, "intake", states[i]);
        assert_td_ok(td_wf_act(db, &clerk, c.id, "suspend", "等待外部材料", 0, NULL, &err), &err);
        td_wf_result res;
        assert_td_ok(td_wf_act(db, &rev, c.id, "resume", NULL, 0, &res, &err), &err);
        assert_string_equal(res.to, states[i]);
        assert_string_equal(wf_get(db, c.id).state, states[i]);
        char sql[256], got[512];
        snprintf(sql, sizeof sql,
                 "SELECT group_concat(seq || ':' || from_state || '>' || to_state, ',') FROM "
                 "(SELECT * FROM case_events WHERE case_id = '%s' AND transition <> 'test' ORDER BY seq)",
                 c.id);
        wf_text(db, sql, got, sizeof got);
        char want[512];
        int base = strcmp(states[i], "intake") != 0 ? 2 : 1;
        snprintf(want, sizeof want, "%d:%s>suspended,%d:suspended>%s", base, states[i], base + 1, states[i]);
        /* intake: the case_new event (if any) precedes. */
        if (!strstr(got, want))
            fail_msg("state %s: events %s, want %s", states[i], got, want);
        td_db_close(db);
    }
}

/* Suspended twice from different states: resume goes back to the latest. */
static void test_resume_after_second_suspension(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "r_clerk"), ap = td_test_actor(db, "r_approver");
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "service");
    wf_verify_docs(db, c.id);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "suspend", "第一次挂起", 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "resume", NULL, 0, NULL, &err), &err);
    assert_string_equal(wf_get(db, c.id).state, "intake");
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "docs_ok_service", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &ap, c.id, "suspend", "第二次挂起", 0, NULL, &err), &err);
    td_wf_action acts[32];
    size_t n = 0;
    assert_td_ok(td_wf_actions(db, &ap, c.id, acts, 32, &n, &err), &err);
    int seen = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(acts[i].name, "resume")) {
            assert_string_equal(acts[i].to, "approval");
            seen = 1;
        }
    assert_true(seen);
    td_wf_result res;
    assert_td_ok(td_wf_act(db, &ap, c.id, "resume", NULL, 0, &res, &err), &err);
    assert_string_equal(res.from, "suspended");
    assert_string_equal(res.to, "approval");
    assert_string_equal(wf_get(db, c.id).state, "approval");
    /* Resuming a case that is not suspended is refused and changes nothing. */
    long v = wf_get(db, c.id).row_version, audit = wf_audit_rows(db);
    assert_int_not_equal(td_wf_act(db, &ap, c.id, "resume", NULL, 0, NULL, &err), TD_OK);
    assert_true(wf_has_cjk(err.msg));
    assert_int_equal(wf_get(db, c.id).row_version, v);
    assert_int_equal(wf_audit_rows(db), audit);
    td_db_close(db);
}

typedef struct {
    int n;
    char ids[32][TD_UUID_LEN];
    char due[32][TD_DATE_LEN];
} idlist;

static int idcollect(const td_wf_task *t, void *ud)
{
    idlist *l = ud;
    if (l->n < 32) {
        memcpy(l->ids[l->n], t->id, TD_UUID_LEN);
        memcpy(l->due[l->n], t->due_date, TD_DATE_LEN);
        l->n++;
    }
    return 0;
}

/* Overdue queue with many equal due dates: paging two at a time returns
 * every open overdue task exactly once, ordered by (due date, id); done
 * and cancelled tasks never appear. */
static void test_overdue_paging_with_ties(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor spec = td_test_actor(db, "r_specialist");
    td_err err;
    td_err_clear(&err);
    static const char *const days[] = { "2026-03-02", "2026-03-02", "2026-03-02", "2026-03-03",
                                        "2026-03-03", "2026-03-02", "2026-03-04" };
    char closed_ids[2][TD_UUID_LEN];
    for (int i = 0; i < 7; i++) {
        td_case c = fulfilled(db, days[i]);
        if (i == 1 || i == 4) {
            td_wf_task t = task_of(db, c.id);
            assert_td_ok(td_wf_task_update(db, &spec, t.id, i == 1 ? TD_TASK_DONE : TD_TASK_CANCEL, "已处理", 0,
                                           &err),
                         &err);
            memcpy(closed_ids[i == 1 ? 0 : 1], t.id, TD_UUID_LEN);
        }
        if (i == 2 || i == 5) /* in progress: still open, merged with the pending ones */
            assert_td_ok(td_wf_task_update(db, &spec, task_of(db, c.id).id, TD_TASK_START, NULL, 0, &err), &err);
    }
    unsetenv("TALENTDESK_NOW");
    idlist all = { 0 };
    assert_td_ok(td_wf_tasks_overdue(db, "2026-04-01", NULL, NULL, 0, idcollect, &all, &err), &err);
    assert_int_equal(all.n, 5);
    for (int i = 1; i < all.n; i++) {
        int c = strcmp(all.due[i - 1], all.due[i]);
        assert_true(c < 0 || (c == 0 && strcmp(all.ids[i - 1], all.ids[i]) < 0));
    }
    for (int i = 0; i < all.n; i++)
        for (int k = 0; k < 2; k++)
            assert_string_not_equal(all.ids[i], closed_ids[k]);
    idlist paged = { 0 };
    const char *ad = NULL, *ai = NULL;
    char lastd[TD_DATE_LEN], lasti[TD_UUID_LEN];
    for (int page = 0; page < 10; page++) {
        idlist p = { 0 };
        assert_td_ok(td_wf_tasks_overdue(db, "2026-04-01", ad, ai, 2, idcollect, &p, &err), &err);
        assert_true(p.n <= 2);
        if (!p.n)
            break;
        for (int i = 0; i < p.n; i++) {
            memcpy(paged.ids[paged.n], p.ids[i], TD_UUID_LEN);
            paged.n++;
        }
        memcpy(lastd, p.due[p.n - 1], TD_DATE_LEN);
        memcpy(lasti, p.ids[p.n - 1], TD_UUID_LEN);
        ad = lastd;
        ai = lasti;
    }
    assert_int_equal(paged.n, all.n);
    for (int i = 0; i < all.n; i++)
        assert_string_equal(paged.ids[i], all.ids[i]);
    /* Before the earliest due date nothing is overdue. */
    idlist none = { 0 };
    assert_td_ok(td_wf_tasks_overdue(db, "2026-03-05", NULL, NULL, 0, idcollect, &none, &err), &err);
    assert_int_equal(none.n, 0);
    td_db_close(db);
}

/* Refused green-channel requests change nothing (flag, version, audit). */
static void test_green_denials_change_nothing(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "recognition");
    long audit = wf_audit_rows(db);
    static const char *const users[] = { "r_clerk", "r_reviewer", "r_signer", "r_specialist", "r_station" };
    for (int i = 0; i < 5; i++) {
        td_actor a = td_test_actor(db, users[i]);
        assert_int_equal(td_wf_green_set(db, &a, c.id, "特殊人才", 0, &err), TD_EDENIED);
        assert_true(wf_has_cjk(err.msg));
    }
    td_actor adm = td_test_actor(db, "r_admin");
    assert_int_equal(td_wf_green_set(db, &adm, c.id, NULL, 0, &err), TD_EINVALID);
    assert_int_equal(td_wf_green_set(db, &adm, c.id, " \t ", 0, &err), TD_EINVALID);
    td_case after = wf_get(db, c.id);
    assert_false(after.green_channel);
    assert_int_equal(after.row_version, c.row_version);
    assert_int_equal(wf_audit_rows(db), audit);
    /* Not on a closed case either. */
    wf_force(db, c.id, "intake", "withdrawn");
    long v = wf_get(db, c.id).row_version;
    assert_int_equal(td_wf_green_set(db, &adm, c.id, "特殊人才", 0, &err), TD_EINVALID);
    assert_false(wf_get(db, c.id).green_channel);
    assert_int_equal(wf_get(db, c.id).row_version, v);
    /* Admin is authorised (green_roles = approver, admin). */
    td_case d = wf_case(db, "service");
    assert_td_ok(td_wf_green_set(db, &adm, d.id, "市级重点引才", 0, &err), &err);
    assert_true(wf_get(db, d.id).green_channel);
    td_db_close(db);
}

/* While 待补正: an invalid or missing mark keeps the case waiting; refused
 * marks change nothing; only a received/verified document returns it. */
static void test_invalid_supply_keeps_waiting(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1"), spec = td_test_actor(db, "r_specialist");
    td_err err;
    td_err_clear(&err);
    setenv("TALENTDESK_NOW", "2026-09-30", 1);
    td_case c = wf_case(db, "recognition");
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    td_wf_check_result r;
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    /* 1–7 Oct National Day; 8, 9, Sat 10, 12, 13 Oct. */
    assert_string_equal(r.deadline, "2026-10-13");
    td_case w = wf_get(db, c.id);
    assert_string_equal(w.state, "awaiting_docs");
    assert_string_equal(w.due_date, "2026-10-13");
    td_wf_doc first;
    memset(&first, 0, sizeof first);
    assert_td_ok(td_wf_docs_each(db, c.id, first_doc, &first, &err), &err);
    assert_true(first.doc_type_id[0] != '\0');
    char q[256];
    snprintf(q, sizeof q, "SELECT count(*) FROM case_events WHERE case_id = '%s'", c.id);
    long events = wf_count(db, q), audit = wf_audit_rows(db);
    bool returned = true;
    /* Refusals: no note for invalid, unknown status, wrong role. */
    assert_int_equal(td_wf_doc_mark(db, &clerk, c.id, first.doc_type_id, "invalid", "   ", 0, &returned, &err),
                     TD_EINVALID);
    assert_true(wf_has_cjk(err.msg));
    assert_int_equal(td_wf_doc_mark(db, &clerk, c.id, first.doc_type_id, "lost", NULL, 0, &returned, &err),
                     TD_EINVALID);
    assert_int_equal(td_wf_doc_mark(db, &spec, c.id, first.doc_type_id, "received", NULL, 0, &returned, &err),
                     TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    assert_int_equal(wf_get(db, c.id).row_version, w.row_version);
    assert_int_equal(wf_count(db, q), events);
    assert_int_equal(wf_audit_rows(db), audit);
    /* An invalid document is recorded but the case keeps waiting. */
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, first.doc_type_id, "invalid", "复印件不清晰", 0, &returned, &err),
                 &err);
    assert_false(returned);
    assert_string_equal(wf_get(db, c.id).state, "awaiting_docs");
    assert_int_equal(wf_count(db, q), events);
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, first.doc_type_id, "missing", NULL, 0, &returned, &err), &err);
    assert_false(returned);
    assert_string_equal(wf_get(db, c.id).state, "awaiting_docs");
    /* A received one sends it back to checking with a new step due date. */
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, first.doc_type_id, "received", NULL, 0, &returned, &err), &err);
    assert_true(returned);
    td_case back = wf_get(db, c.id);
    assert_string_equal(back.state, "doc_check");
    assert_string_equal(back.due_date, "2026-10-13"); /* doc_check: 5 working days */
    assert_int_equal(wf_count(db, q), events + 1);
    /* Documents are frozen outside the editable states. */
    wf_force(db, c.id, "doc_check", "approval");
    long v = wf_get(db, c.id).row_version;
    assert_int_equal(td_wf_doc_mark(db, &clerk, c.id, first.doc_type_id, "verified", NULL, 0, NULL, &err),
                     TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    assert_int_equal(wf_get(db, c.id).row_version, v);
    unsetenv("TALENTDESK_NOW");
    td_db_close(db);
}

/* A case taken intake → closed: its case_events are numbered 1…n without a
 * gap, each leaving the state the previous one entered, each with the user
 * and the case's workflow version. */
static void test_event_history_complete(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_err err;
    td_err_clear(&err);
    td_case c = fulfilled(db, "2026-03-02");
    td_actor spec = td_test_actor(db, "r_specialist");
    td_wf_task t = task_of(db, c.id);
    assert_td_ok(td_wf_task_update(db, &spec, t.id, TD_TASK_DONE, "已办结", 0, &err), &err);
    assert_td_ok(td_wf_act(db, &spec, c.id, "close", NULL, 0, NULL, &err), &err);
    unsetenv("TALENTDESK_NOW");
    td_case done = wf_get(db, c.id);
    assert_string_equal(done.state, "closed");
    char sql[1024], got[1024];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(transition || ':' || from_state || '>' || to_state, ',') FROM "
             "(SELECT * FROM case_events WHERE case_id = '%s' ORDER BY seq)", c.id);
    wf_text(db, sql, got, sizeof got);
    assert_non_null(strstr(got, "submit:intake>doc_check,docs_ok_service:doc_check>approval,"
                                "approve_service:approval>fulfilment,close:fulfilment>closed"));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM case_events WHERE case_id = '%s'", c.id);
    long n = wf_count(db, sql);
    snprintf(sql, sizeof sql, "SELECT max(seq) - min(seq) + 1 FROM case_events WHERE case_id = '%s'", c.id);
    assert_int_equal(wf_count(db, sql), n);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM case_events a JOIN case_events b ON b.case_id = a.case_id AND b.seq = a.seq + 1 "
             "WHERE a.case_id = '%s' AND a.to_state <> b.from_state", c.id);
    assert_int_equal(wf_count(db, sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM case_events WHERE case_id = '%s' AND transition <> 'create' "
             "AND (user_id IS NULL OR workflow_version IS NOT '%s')", c.id, c.workflow_version);
    assert_int_equal(wf_count(db, sql), 0);
    /* Exactly one approval event. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM case_events WHERE case_id = '%s' AND approval = 1", c.id);
    assert_int_equal(wf_count(db, sql), 1);
    td_db_close(db);
}

/* Step due dates and the notice deadline across the Spring Festival
 * (15–23 Feb off, Sat 14 Feb and Sat 28 Feb worked). */
static void test_due_dates_over_spring_festival(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    setenv("TALENTDESK_NOW", "2026-02-13", 1);
    td_case c = wf_case(db, "service");
    td_wf_result res;
    /* doc_check: due_days = 5 → 14, 24, 25, 26, 27 Feb. */
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, &res, &err), &err);
    assert_string_equal(res.due_date, "2026-02-27");
    /* Nothing verified: the check issues a notice due 5 working days later. */
    td_wf_check_result cr;
    memset(&cr, 0, sizeof cr);
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &cr, &err), &err);
    assert_string_equal(wf_get(db, c.id).state, "awaiting_docs");
    td_notice n;
    assert_td_ok(td_notice_get(db, c.id, &n, &err), &err);
    assert_string_equal(n.deadline, "2026-02-27");
    td_notice_free(&n);
    /* Thu 26 Feb: 27, Sat 28 Feb, 2, 3, 4 Mar. */
    setenv("TALENTDESK_NOW", "2026-02-26", 1);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "return_intake", "重新受理", 0, &res, &err), &err);
    /* intake: due_days = 1 → Fri 27 Feb. */
    assert_string_equal(res.due_date, "2026-02-27");
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, &res, &err), &err);
    assert_string_equal(res.due_date, "2026-03-04");
    assert_string_equal(wf_get(db, c.id).due_date, "2026-03-04");
    unsetenv("TALENTDESK_NOW");
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_task_status_matrix),
        cmocka_unit_test(test_task_reason_blank),
        cmocka_unit_test(test_blank_reason_every_transition),
        cmocka_unit_test(test_resume_to_previous_everywhere),
        cmocka_unit_test(test_resume_after_second_suspension),
        cmocka_unit_test(test_due_dates_over_spring_festival),
        cmocka_unit_test(test_overdue_paging_with_ties),
        cmocka_unit_test(test_green_denials_change_nothing),
        cmocka_unit_test(test_invalid_supply_keeps_waiting),
        cmocka_unit_test(test_event_history_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
