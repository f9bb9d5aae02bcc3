/* test_wf_edges.c — edges of the workflow API: deadlines outside the
 * calendar, notice lookup keys, task ids, audit history paging, queues when
 * every row has the same timestamp, input hygiene, terminal states. */
#include "wf_fixture.h"

#include "workflow/wf_audit.h"
#include "workflow/wf_docs.h"
#include "search/qlist.h"
#include "workflow/wf_tasks.h"

static td_case at_check(td_db *db, const char *type)
{
    td_case c = wf_case(db, type);
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    return wf_get(db, c.id);
}

static void test_deadline_outside_calendar_is_marked(void **state)
{
    (void)state;
    setenv("TALENTDESK_NOW", "2027-12-28", 1); /* the 2027 calendar is not loaded */
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_case c = at_check(db, "recognition");
    td_err err;
    td_err_clear(&err);
    td_wf_check_result r;
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    td_notice n;
    assert_td_ok(td_notice_get(db, r.notice_id, &n, &err), &err);
    assert_true(n.deadline_approx);
    char *text = td_notice_render(&n);
    assert_non_null(strstr(text, "估算"));
    free(text);
    td_notice_free(&n);
    /* The step deadline of a transition into an uncovered year says so too. */
    td_case c2 = wf_case(db, "recognition");
    td_wf_result res;
    assert_td_ok(td_wf_act(db, &clerk, c2.id, "submit", NULL, 0, &res, &err), &err);
    assert_non_null(strstr(res.notes, "估算"));
    td_db_close(db);
    unsetenv("TALENTDESK_NOW");
}

static void test_notice_keys(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_case c = at_check(db, "recognition");
    td_err err;
    td_err_clear(&err);
    td_notice n;
    assert_int_equal(td_notice_get(db, c.id, &n, &err), TD_ENOTFOUND); /* none yet */
    assert_true(wf_has_cjk(err.msg));
    td_wf_check_result r;
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    const char *keys[] = { r.notice_id, r.notice_no, c.id, c.case_no };
    for (int i = 0; i < 4; i++) {
        assert_td_ok(td_notice_get(db, keys[i], &n, &err), &err);
        assert_string_equal(n.notice_no, r.notice_no);
        assert_string_equal(n.case_no, c.case_no);
        assert_int_equal(n.nitems, 4);
        td_notice_free(&n);
    }
    /* Notice numbers: station, year, own sequence. */
    assert_non_null(strstr(r.notice_no, "CQ-"));
    assert_non_null(strstr(r.notice_no, "-N000001"));
    td_case c2 = at_check(db, "service");
    td_wf_check_result r2;
    assert_td_ok(td_wf_docs_check(db, &clerk, c2.id, 0, &r2, &err), &err);
    assert_non_null(strstr(r2.notice_no, "-N000002"));
    assert_int_equal(td_notice_get(db, "CQ-2026-N999999", &n, &err), TD_ENOTFOUND);
    td_db_close(db);
}

static void test_notice_sanitises_stored_text(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_case c = at_check(db, "recognition");
    char sql[512];
    /* A note that slipped in raw (e.g. by an import) must not reach a printer raw. */
    snprintf(sql, sizeof sql,
             "UPDATE case_documents SET status = 'invalid', note = 'bad' || char(27) || '[2J' || char(8238) || 'x' "
             "WHERE case_id = '%s' AND doc_type_id = 'identity'", c.id);
    wf_sql(db, sql);
    td_err err;
    td_err_clear(&err);
    td_wf_check_result r;
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    td_notice n;
    assert_td_ok(td_notice_get(db, r.notice_id, &n, &err), &err);
    char *text = td_notice_render(&n);
    assert_null(strchr(text, 0x1b));
    assert_null(strstr(text, "\xe2\x80\xae")); /* U+202E */
    assert_non_null(strstr(text, "bad"));
    free(text);
    td_notice_free(&n);
    td_db_close(db);
}

static int count_task(const td_wf_task *t, void *ud)
{
    (void)t;
    (*(int *)ud)++;
    return 0;
}

static void test_task_ids(void **state)
{
    (void)state;
    td_db *db = wf_db();
    static const char *const svc[] = { "enterprise_setup", "competition_entry", NULL };
    td_case c = wf_case_with(db, "clerk1", "service", svc);
    td_err err;
    td_err_clear(&err);
    td_wf_task t;
    assert_int_equal(td_wf_task_get(db, "0123", &t, &err), TD_ENOTFOUND);          /* too short */
    assert_int_equal(td_wf_task_get(db, "ffffffff-ffff", &t, &err), TD_ENOTFOUND);  /* no such */
    char prefix[9];
    snprintf(prefix, sizeof prefix, "%.8s", c.id); /* tasks made with the case share the time prefix */
    assert_int_equal(td_wf_task_get(db, prefix, &t, &err), TD_EINVALID);
    assert_true(wf_has_cjk(err.msg));
    int n = 0;
    assert_td_ok(td_wf_tasks_each(db, c.case_no, count_task, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(td_wf_tasks_each(db, "CQ-1999-000001", count_task, &n, &err), TD_ENOTFOUND);
    td_db_close(db);
}

typedef struct {
    int n;
    char last[40];
    char actions[64][48];
} hist;

static int hist_cb(const td_audit_row *r, void *ud)
{
    hist *h = ud;
    if (h->n < 64)
        snprintf(h->actions[h->n], 48, "%s", r->action);
    h->n++;
    snprintf(h->last, sizeof h->last, "%s", r->id);
    return 0;
}

static void test_audit_history_paging(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "recognition");
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "suspend", "等待", 0, NULL, &err), &err);
    hist all = { 0 };
    assert_td_ok(td_audit_case_each(db, c.case_no, NULL, 0, hist_cb, &all, &err), &err);
    assert_true(all.n >= 4);
    bool has_new = false;
    for (int i = 0; i < all.n; i++)
        has_new |= strcmp(all.actions[i], "case.new") == 0;
    assert_true(has_new);
    assert_string_equal(all.actions[all.n - 1], "case.transition");
    /* Two at a time gives the same rows in the same order. */
    hist paged = { 0 };
    const char *after = NULL;
    char last[40];
    for (int guard = 0; guard < 50; guard++) {
        hist page = { 0 };
        assert_td_ok(td_audit_case_each(db, c.id, after, 2, hist_cb, &page, &err), &err);
        for (int i = 0; i < page.n; i++)
            snprintf(paged.actions[paged.n++], 48, "%s", page.actions[i]);
        if (page.n < 2)
            break;
        snprintf(last, sizeof last, "%s", page.last);
        after = last;
    }
    assert_int_equal(paged.n, all.n);
    for (int i = 0; i < all.n; i++)
        assert_string_equal(paged.actions[i], all.actions[i]);
    td_db_close(db);
}

static void test_queue_paging_with_equal_timestamps(void **state)
{
    (void)state;
    setenv("TALENTDESK_NOW", "2026-05-11T02:00:00Z", 1); /* every row gets the same instant */
    td_db *db = wf_db();
    for (int i = 0; i < 9; i++)
        wf_case(db, "service");
    td_err err;
    td_err_clear(&err);
    td_qlist *ql = td_qlist_open(db, td_qlist_for_state("intake"), "", "", "2026-05-11", &err);
    assert_non_null(ql);
    char seen[64][TD_UUID_LEN];
    int nseen = 0;
    td_qlist_row page[4], last;
    for (int guard = 0; guard < 20; guard++) {
        int n = guard ? td_qlist_after(ql, &last, false, 4, page, &err) : td_qlist_first(ql, 4, page, &err);
        assert_true(n >= 0);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < nseen; k++)
                assert_string_not_equal(seen[k], page[i].id);
            snprintf(seen[nseen++], TD_UUID_LEN, "%s", page[i].id);
        }
        if (n < 4)
            break;
        last = page[n - 1];
    }
    assert_int_equal(nseen, 9);
    td_qlist_close(ql);
    td_db_close(db);
    unsetenv("TALENTDESK_NOW");
}

static void test_input_hygiene_and_terminal_states(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1"), ap = td_test_actor(db, "approver1"),
             rev = td_test_actor(db, "reviewer1");
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "recognition");
    long audit0 = wf_audit_rows(db);
    /* Control characters and bidi overrides in a reason are refused, not stored. */
    assert_int_equal(td_wf_act(db, &clerk, c.id, "refuse", "x\x1b[31m", 0, NULL, &err), TD_EINVALID);
    assert_int_equal(td_wf_green_set(db, &ap, c.id, "ok\x07", 0, &err), TD_EINVALID);
    /* At most 500 characters: 501 CJK characters are refused. */
    char longr[2048] = "";
    for (int i = 0; i < 501; i++)
        strcat(longr, "长");
    assert_int_equal(td_wf_act(db, &clerk, c.id, "refuse", longr, 0, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "500"));
    longr[strlen(longr) - 3] = '\0';
    td_case probe = wf_case(db, "service");
    assert_td_ok(td_wf_act(db, &clerk, probe.id, "refuse", longr, 0, NULL, &err), &err);
    audit0 = wf_audit_rows(db);
    assert_int_equal(wf_audit_rows(db), audit0);
    /* Invisible characters are stripped (NFC, no zero-width). */
    assert_td_ok(td_wf_act(db, &clerk, c.id, "refuse", " 材料\xe2\x80\x8b不全 ", 0, NULL, &err), &err);
    char sql[256], buf[128];
    snprintf(sql, sizeof sql, "SELECT reason FROM case_events WHERE case_id = '%s'", c.id);
    wf_text(db, sql, buf, sizeof buf);
    assert_string_equal(buf, "材料不全");
    /* A finished case: no action, no green channel, no documents. */
    td_case f = wf_get(db, c.id);
    assert_string_equal(f.state, "rejected");
    for (int r = 0; r < WF_NROLES; r++) {
        td_actor a = td_test_actor(db, wf_role_users[r].user);
        assert_int_equal(td_wf_act(db, &a, c.id, "withdraw", "x", 0, NULL, &err), TD_EDENIED);
    }
    assert_int_equal(td_wf_green_set(db, &ap, c.id, "迟到的绿色通道", 0, &err), TD_EINVALID);
    assert_int_equal(td_wf_doc_mark(db, &rev, c.id, "identity", "verified", NULL, 0, NULL, &err), TD_EDENIED);
    /* Resume needs a recorded previous state. */
    td_case s = wf_case(db, "recognition");
    snprintf(sql, sizeof sql, "UPDATE cases SET state = 'suspended' WHERE id = '%s'", s.id);
    wf_sql(db, sql);
    assert_int_equal(td_wf_act(db, &clerk, s.id, "resume", NULL, 0, NULL, &err), TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    td_db_close(db);
}

static void test_case_without_version_gets_current(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_case c = wf_case(db, "recognition");
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE cases SET workflow_version = NULL WHERE id = '%s'", c.id);
    wf_sql(db, sql);
    td_err err;
    td_err_clear(&err);
    char v[TD_UUID_LEN];
    assert_td_ok(td_wf_current_version(db, v, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    /* Stamped with the version it was first evaluated under. */
    assert_string_equal(wf_get(db, c.id).workflow_version, v);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline_outside_calendar_is_marked),
        cmocka_unit_test(test_notice_keys),
        cmocka_unit_test(test_notice_sanitises_stored_text),
        cmocka_unit_test(test_task_ids),
        cmocka_unit_test(test_audit_history_paging),
        cmocka_unit_test(test_queue_paging_with_equal_timestamps),
        cmocka_unit_test(test_input_hygiene_and_terminal_states),
        cmocka_unit_test(test_case_without_version_gets_current),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
