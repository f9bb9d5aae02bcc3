/* test_wf_notice_rules.c — the 一次性告知书 rules of data/notice.tdp (issue
 * 13, item 6): nothing the case produces itself, the passport not asked twice,
 * no notice while an item is only received, the applicant's period not
 * shorter than the longest service limit, receipt date, office and contact on
 * the notice, and a second notice that keeps the first one's numbers and
 * marks what is new. */
#include "wf_fixture.h"

#include "workflow/wf_docs.h"

typedef struct {
    int n;
    char doc[16][48];
    char status[16][16];
} doclist;

static int collect_doc(const td_wf_doc *d, void *ud)
{
    doclist *l = ud;
    if (l->n < 16) {
        snprintf(l->doc[l->n], sizeof l->doc[0], "%s", d->doc_type_id);
        snprintf(l->status[l->n], sizeof l->status[0], "%s", d->status);
        l->n++;
    }
    return 0;
}

static bool has_item(const td_notice *n, const char *doc, int *no, bool *is_new)
{
    for (int i = 0; i < n->nitems; i++) {
        if (!strcmp(n->items[i].doc_type_id, doc)) {
            if (no)
                *no = n->items[i].n;
            if (is_new)
                *is_new = n->items[i].is_new;
            return true;
        }
    }
    return false;
}

static void test_notice_rules(void **state)
{
    (void)state;
    setenv("TALENTDESK_NOW", "2026-03-02", 1); /* a Monday */
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    /* a recognition case of a passport holder (wf_person) also asking for the
     * talent card (needs 人才认定证明, which this case produces) and a work
     * permit (needs the passport, and the identity document) */
    const char *svc[] = { "talent_card", "work_permit", NULL };
    td_case c = wf_case_with(db, "clerk1", "recognition", svc);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    doclist l = { 0 };
    assert_td_ok(td_wf_docs_each(db, c.id, collect_doc, &l, &err), &err);
    bool has_identity = false, has_passport = false, has_cert = false;
    for (int i = 0; i < l.n; i++) {
        has_identity |= !strcmp(l.doc[i], "identity");
        has_passport |= !strcmp(l.doc[i], "passport");
        has_cert |= !strcmp(l.doc[i], "talent_cert");
    }
    assert_true(has_identity && has_passport && has_cert); /* the checklist has them … */
    char omit[256];
    assert_td_ok(td_wf_notice_omits(db, c.id, clerk.station_code, omit, sizeof omit, &err), &err);
    assert_non_null(strstr(omit, ",talent_cert,")); /* previews (TUI) leave them out too */
    assert_non_null(strstr(omit, ",identity,"));
    assert_null(strstr(omit, ",passport,"));

    /* a document only received: no notice yet, the message names it */
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, "photo", "received", NULL, 0, NULL, &err), &err);
    td_wf_check_result r;
    assert_int_equal(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "照片"));
    char sql[600];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notices WHERE case_id = '%s'", c.id);
    assert_int_equal(wf_count(db, sql), 0);
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, "photo", "verified", NULL, 0, NULL, &err), &err);

    setenv("TALENTDESK_NOW", "2026-03-12", 1); /* 8 working days after receipt: late */
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    td_notice n1;
    assert_td_ok(td_notice_get(db, r.notice_no, &n1, &err), &err);
    /* … but the notice asks neither for what the case produces nor for the
     * identity document besides the passport */
    assert_false(has_item(&n1, "talent_cert", NULL, NULL));
    assert_false(has_item(&n1, "identity", NULL, NULL));
    int pno = 0;
    assert_true(has_item(&n1, "passport", &pno, NULL));
    for (int i = 0; i < n1.nitems; i++)
        assert_int_equal(n1.items[i].n, i + 1);
    assert_string_equal(n1.received_on, "2026-03-02");
    assert_string_equal(n1.office_due, "2026-03-09");
    assert_true(n1.late);
    assert_false(n1.followup);
    /* the applicant's period: the longest service limit (work permit) wins over 5 days */
    snprintf(sql, sizeof sql, "SELECT max(days) FROM services WHERE id IN ('talent_card','work_permit')");
    long longest = wf_count(db, sql);
    assert_true(longest > 5);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notices WHERE id = '%s' AND deadline > '2026-03-19'", n1.id);
    assert_int_equal(wf_count(db, sql), 1);
    char *text = td_notice_render(&n1);
    assert_non_null(strstr(text, "2026-03-02"));      /* date of receipt */
    assert_non_null(strstr(text, "受理窗口"));        /* the office's contact (data/notice.tdp) */
    assert_non_null(strstr(text, "2026-03-09"));      /* late: the office's deadline is named */
    assert_null(strstr(text, "人才认定证明"));
    free(text);

    /* the passport arrives; the photo, verified before, is now found invalid */
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, "passport", "verified", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, "photo", "invalid", "背景不是白色", 0, NULL, &err), &err);
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    td_notice n2;
    assert_td_ok(td_notice_get(db, r.notice_no, &n2, &err), &err);
    assert_true(n2.followup);
    assert_int_equal(n2.nitems, n1.nitems); /* one fewer (passport), one more (photo) */
    assert_false(has_item(&n2, "passport", NULL, NULL));
    int no = 0;
    bool is_new = false;
    assert_true(has_item(&n2, "photo", &no, &is_new));
    assert_int_equal(no, n1.nitems + 1); /* numbers go on after the first notice's */
    assert_true(is_new);
    for (int i = 0; i < n2.nitems; i++) {
        if (!strcmp(n2.items[i].doc_type_id, "photo"))
            continue;
        int first = 0;
        assert_true(has_item(&n1, n2.items[i].doc_type_id, &first, NULL));
        assert_int_equal(n2.items[i].n, first); /* the first notice's number */
        assert_false(n2.items[i].is_new);
    }
    text = td_notice_render(&n2);
    assert_non_null(strstr(text, "背景不是白色"));
    assert_non_null(strstr(text, "新增"));
    free(text);
    td_notice_free(&n1);
    td_notice_free(&n2);
    unsetenv("TALENTDESK_NOW");
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notice_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
