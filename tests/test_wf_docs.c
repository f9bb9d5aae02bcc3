/* test_wf_docs.c — document check and the 一次性告知书: one pass, every
 * missing or invalid item in one numbered notice, deadline in working days,
 * supplying documents returns the case to checking, GB18030 printing. */
#include "wf_fixture.h"

#include "workflow/wf_docs.h"

#include <iconv.h>

/* enterprise_setup needs: application_form, identity, articles, premises_proof. */
static td_case at_check(td_db *db)
{
    td_case c = wf_case(db, "recognition");
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    return wf_get(db, c.id);
}

typedef struct {
    int n;
    char names[8][128];
    char status[8][16];
} doclist;

static int collect_doc(const td_wf_doc *d, void *ud)
{
    doclist *l = ud;
    if (l->n < 8) {
        snprintf(l->names[l->n], sizeof l->names[0], "%s", d->name);
        snprintf(l->status[l->n], sizeof l->status[0], "%s", d->status);
        l->n++;
    }
    return 0;
}

static void test_checklist(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = at_check(db);
    td_err err;
    td_err_clear(&err);
    doclist l = { 0 };
    assert_td_ok(td_wf_docs_each(db, c.case_no, collect_doc, &l, &err), &err);
    assert_int_equal(l.n, 4);
    for (int i = 0; i < l.n; i++)
        assert_string_equal(l.status[i], "missing");
    td_db_close(db);
}

static void test_three_missing_one_notice(void **state)
{
    (void)state;
    setenv("TALENTDESK_NOW", "2026-02-13", 1); /* Friday before the Spring Festival */
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_case c = at_check(db);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, "identity", "verified", NULL, 0, NULL, &err), &err);
    long audit0 = wf_audit_rows(db);
    td_wf_check_result r;
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    assert_false(r.complete);
    assert_int_equal(r.missing, 3);
    assert_int_equal(r.invalid, 0);
    assert_true(r.notice_id[0] != '\0');
    /* 14 Feb is a working Saturday; 15–23 Feb are holidays: 14, 24, 25, 26, 27. */
    assert_string_equal(r.deadline, "2026-02-27");
    assert_string_equal(r.state, "awaiting_docs");
    assert_true(wf_audit_rows(db) > audit0);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notices WHERE case_id = '%s'", c.id);
    assert_int_equal(wf_count(db, sql), 1);
    td_case w = wf_get(db, c.id);
    assert_string_equal(w.state, "awaiting_docs");
    assert_string_equal(w.due_date, "2026-02-27");

    td_notice n;
    assert_td_ok(td_notice_get(db, c.case_no, &n, &err), &err);
    assert_int_equal(n.nitems, 3);
    assert_string_equal(n.notice_no, r.notice_no);
    assert_string_equal(n.issued_on, "2026-02-13");
    assert_string_equal(n.deadline, "2026-02-27");
    assert_string_equal(n.clerk_name, "王芳");
    const char *want[] = { "申请表", "公司章程", "住所（经营场所）证明" };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(n.items[i].n, i + 1);
        assert_string_equal(n.items[i].problem, "missing");
        bool found = false;
        for (int k = 0; k < 3; k++)
            found |= strcmp(n.items[i].doc_name, want[k]) == 0;
        assert_true(found);
        assert_non_null(strstr(n.items[i].services, "企业开办"));
    }
    char *text = td_notice_render(&n);
    assert_non_null(strstr(text, "一次性告知"));
    assert_non_null(strstr(text, "共 3 项"));
    assert_non_null(strstr(text, "  1. "));
    assert_non_null(strstr(text, "  3. "));
    assert_null(strstr(text, "  4. "));
    for (int k = 0; k < 3; k++)
        assert_non_null(strstr(text, want[k]));
    assert_null(strstr(text, "有效身份证件")); /* verified: not listed */
    assert_non_null(strstr(text, "2026-02-27"));
    assert_non_null(strstr(text, "王芳"));
    assert_non_null(strstr(text, "第三十二条"));

    /* GB18030 for the receipt printer: converts back to the same text. */
    char *gb;
    size_t gblen;
    assert_td_ok(td_to_gb18030(text, &gb, &gblen, &err), &err);
    assert_true(gblen > 0 && gblen < strlen(text)); /* CJK: 2 bytes instead of 3 */
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    char back[8192];
    char *in = gb, *out = back;
    size_t inl = gblen, outl = sizeof back - 1;
    assert_true(iconv(cd, &in, &inl, &out, &outl) != (size_t)-1);
    *out = '\0';
    iconv_close(cd);
    assert_string_equal(back, text);
    free(gb);
    free(text);
    td_notice_free(&n);

    /* A second check while waiting is refused: the notice was given once. */
    assert_int_equal(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    assert_int_equal(wf_count(db, sql), 1);
    td_db_close(db);
    unsetenv("TALENTDESK_NOW");
}

static void test_missing_and_invalid_listed_together(void **state)
{
    (void)state;
    setenv("TALENTDESK_NOW", "2026-09-30", 1); /* day before National Day */
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_case c = at_check(db);
    td_err err;
    td_err_clear(&err);
    /* Invalid needs a note. */
    assert_int_equal(td_wf_doc_mark(db, &clerk, c.id, "identity", "invalid", "", 0, NULL, &err), TD_EINVALID);
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, "有效身份证件", "invalid", "身份证已过期", 0, NULL, &err), &err);
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, "articles", "verified", NULL, 0, NULL, &err), &err);
    td_wf_check_result r;
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    assert_int_equal(r.missing, 2);
    assert_int_equal(r.invalid, 1);
    /* 1–7 Oct off, 10 Oct (Sat) worked: 8, 9, 10, 12, 13. */
    assert_string_equal(r.deadline, "2026-10-13");
    td_notice n;
    assert_td_ok(td_notice_get(db, r.notice_no, &n, &err), &err);
    assert_int_equal(n.nitems, 3);
    int invalid = 0;
    for (int i = 0; i < n.nitems; i++)
        if (!strcmp(n.items[i].problem, "invalid")) {
            invalid++;
            assert_string_equal(n.items[i].note, "身份证已过期");
        }
    assert_int_equal(invalid, 1);
    char *text = td_notice_render(&n);
    assert_non_null(strstr(text, "身份证已过期"));
    free(text);
    td_notice_free(&n);
    td_db_close(db);
    unsetenv("TALENTDESK_NOW");
}

static void test_supply_returns_to_checking(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1"), rev = td_test_actor(db, "reviewer1");
    td_case c = at_check(db);
    td_err err;
    td_err_clear(&err);
    td_wf_check_result r;
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    assert_int_equal(r.missing, 4);
    assert_string_equal(wf_get(db, c.id).state, "awaiting_docs");
    bool returned = false;
    assert_td_ok(td_wf_doc_mark(db, &clerk, c.id, "identity", "received", "原件已核对", 0, &returned, &err), &err);
    assert_true(returned);
    td_case back = wf_get(db, c.id);
    assert_string_equal(back.state, "doc_check");
    assert_true(back.due_date[0] != '\0');
    /* Now verify everything: check is complete, no second notice, docs_ok passes. */
    static const char *const docs[] = { "application_form", "identity", "articles", "premises_proof" };
    for (int i = 0; i < 4; i++) {
        assert_td_ok(td_wf_doc_mark(db, &rev, c.id, docs[i], "received", NULL, 0, &returned, &err), &err);
        assert_false(returned);
    }
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    assert_false(r.complete); /* received but not verified */
    assert_int_equal(r.unverified, 4);
    assert_int_equal(td_wf_act(db, &clerk, c.id, "docs_ok", NULL, 0, NULL, &err), TD_EDENIED);
    for (int i = 0; i < 4; i++)
        assert_td_ok(td_wf_doc_mark(db, &rev, c.id, docs[i], "verified", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_docs_check(db, &clerk, c.id, 0, &r, &err), &err);
    assert_true(r.complete);
    assert_string_equal(r.notice_id, "");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notices WHERE case_id = '%s'", c.id);
    assert_int_equal(wf_count(db, sql), 1);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "docs_ok", NULL, 0, NULL, &err), &err);
    /* Audit: each mark recorded with old → new. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE case_id = '%s' AND action = 'doc.mark' "
                              "AND old_value = 'received' AND new_value = 'verified'", c.id);
    assert_int_equal(wf_count(db, sql), 4);
    td_db_close(db);
}

static void test_mark_refusals(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1"), ap = td_test_actor(db, "approver1");
    td_case c = at_check(db);
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_wf_doc_mark(db, &ap, c.id, "identity", "verified", NULL, 0, NULL, &err), TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    assert_int_equal(td_wf_doc_mark(db, &clerk, c.id, "no_such_doc", "verified", NULL, 0, NULL, &err), TD_ENOTFOUND);
    assert_int_equal(td_wf_doc_mark(db, &clerk, c.id, "identity", "lost", NULL, 0, NULL, &err), TD_EINVALID);
    assert_int_equal(td_wf_doc_mark(db, &clerk, c.id, "identity", "invalid", "bad\x1b]52;c;x\x07", 0, NULL, &err),
                     TD_EINVALID);
    /* Stale checklist row. */
    assert_int_equal(td_wf_doc_mark(db, &clerk, c.id, "identity", "verified", NULL, 42, NULL, &err), TD_ECONFLICT);
    assert_string_equal(err.msg, "此案件已被他人修改，请刷新后重试");
    /* Not in a document state. */
    wf_verify_docs(db, c.id);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "docs_ok", NULL, 0, NULL, &err), &err);
    long audit0 = wf_audit_rows(db);
    assert_int_equal(td_wf_doc_mark(db, &clerk, c.id, "identity", "missing", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "人才认定"));
    assert_int_equal(td_wf_docs_check(db, &clerk, c.id, 0, NULL, &err), TD_EDENIED);
    assert_int_equal(wf_audit_rows(db), audit0);
    td_db_close(db);
}

static void test_gb18030_edge(void **state)
{
    (void)state;
    td_err err;
    td_err_clear(&err);
    char *gb;
    size_t n;
    /* A supplementary-plane name character needs GB18030's 4-byte form. */
    assert_td_ok(td_to_gb18030("𠮷", &gb, &n, &err), &err);
    assert_int_equal(n, 4);
    free(gb);
    assert_td_ok(td_to_gb18030("张三", &gb, &n, &err), &err);
    assert_int_equal(n, 4);
    assert_memory_equal(gb, "\xd5\xc5\xc8\xfd", 4);
    free(gb);
    assert_int_equal(td_to_gb18030("bad \xff utf8", &gb, &n, &err), TD_EINVALID);
    assert_null(gb);
    assert_non_null(strstr(err.msg, "4"));
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checklist),
        cmocka_unit_test(test_three_missing_one_notice),
        cmocka_unit_test(test_missing_and_invalid_listed_together),
        cmocka_unit_test(test_supply_returns_to_checking),
        cmocka_unit_test(test_mark_refusals),
        cmocka_unit_test(test_gb18030_edge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
