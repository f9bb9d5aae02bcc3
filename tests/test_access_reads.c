/* test_access_reads.c — issue 10 item 5: the core's reads of case data check
 * role and record scope themselves (cases/scope.h "checked reads").
 *
 * One table: every `_as` read the front ends use, called on a case of the
 * station CQ (its person, fact, snapshot, task, notice) by
 *   - station1 (an operator of LDN, scope station): TD_EDENIED, audited
 *     exactly once ('auth.denied'), nothing of the record handed out;
 *   - clerk1 (scope all): not refused;
 *   - clerk1 with no role at all: TD_EDENIED (the role check).
 * And intake (item 5, "known ID"): a person registered outside the scope is
 * neither offered, nor named, nor taken in. */
#include "test_util.h"
#include "wf_fixture.h"

#include "auth/access.h"
#include "cases/scope.h"
#include "people/dedupe.h"
#include "people/person.h"
#include "print/printdoc.h"
#include "print/spool.h"
#include "recognition/entitlements.h"
#include "recognition/facts.h"
#include "recognition/score.h"
#include "recognition/talentcode.h"
#include "report/rating.h"
#include "workflow/wf_audit.h"
#include "workflow/wf_docs.h"
#include "workflow/wf_signoff.h"
#include "workflow/wf_tasks.h"

#include <stdio.h>
#include <string.h>

typedef struct fx {
    td_db *db;
    td_case c;
    td_person p;
    char fact_id[TD_UUID_LEN];
    char snap_id[TD_UUID_LEN];
    char task_id[TD_UUID_LEN];
    char notice_no[64];
    int calls; /* callbacks reached: nothing is handed out on a refusal */
} fx;

static int any_cb(void *ud)
{
    ((fx *)ud)->calls++;
    return 0;
}
static int doc_cb(const td_wf_doc *d, void *ud) { (void)d; return any_cb(ud); }
static int task_cb(const td_wf_task *t, void *ud) { (void)t; return any_cb(ud); }
static int sign_cb(const td_wf_signoff_row *r, void *ud) { (void)r; return any_cb(ud); }
static int audit_cb(const td_audit_row *r, void *ud) { (void)r; return any_cb(ud); }
static int snap_cb(const td_snapshot *s, void *ud) { (void)s; return any_cb(ud); }
static int case_cb(const td_case *c, void *ud) { (void)c; return any_cb(ud); }
static int svc_cb(const td_service_request *r, void *ud) { (void)r; return any_cb(ud); }

static td_status r_case_get(fx *f, const td_actor *a, td_err *e)
{
    td_case c;
    return td_case_get_as(f->db, a, f->c.case_no, &c, e);
}
static td_status r_person_get(fx *f, const td_actor *a, td_err *e)
{
    td_person p;
    memset(&p, 0, sizeof p);
    td_status s = td_person_get_as(f->db, a, f->p.id_no, &p, e);
    if (s == TD_EDENIED)
        assert_string_equal(p.name, ""); /* nothing of the person leaves the core */
    return s;
}
static td_status r_case_list(fx *f, const td_actor *a, td_err *e)
{
    td_case_query q = { .person_id = f->c.person_id };
    return td_case_list_as(f->db, a, &q, case_cb, f, e);
}
static td_status r_services(fx *f, const td_actor *a, td_err *e)
{
    return td_case_services_each_as(f->db, a, f->c.id, svc_cb, f, e);
}
static td_status r_docs(fx *f, const td_actor *a, td_err *e)
{
    return td_wf_docs_each_as(f->db, a, f->c.case_no, doc_cb, f, e);
}
static td_status r_notice_case(fx *f, const td_actor *a, td_err *e)
{
    td_notice n;
    td_status s = td_notice_get_as(f->db, a, f->c.id, &n, e);
    if (s == TD_OK)
        td_notice_free(&n);
    return s;
}
static td_status r_notice_no(fx *f, const td_actor *a, td_err *e)
{
    td_notice n;
    td_status s = td_notice_get_as(f->db, a, f->notice_no, &n, e);
    if (s == TD_OK)
        td_notice_free(&n);
    return s;
}
static td_status r_tasks(fx *f, const td_actor *a, td_err *e)
{
    return td_wf_tasks_each_as(f->db, a, f->c.id, task_cb, f, e);
}
static td_status r_task_get(fx *f, const td_actor *a, td_err *e)
{
    td_wf_task t;
    return td_wf_task_get_as(f->db, a, f->task_id, &t, e);
}
static td_status r_signoffs(fx *f, const td_actor *a, td_err *e)
{
    return td_wf_signoffs_each_as(f->db, a, f->c.id, sign_cb, f, e);
}
static td_status r_audit(fx *f, const td_actor *a, td_err *e)
{
    return td_audit_case_each_as(f->db, a, f->c.id, NULL, 0, audit_cb, f, e);
}
static td_status r_facts(fx *f, const td_actor *a, td_err *e)
{
    td_factset fs = { 0 };
    td_status s = td_facts_load_as(f->db, a, f->c.person_id, &fs, e);
    if (s == TD_EDENIED)
        assert_int_equal(fs.n, 0);
    td_factset_free(&fs);
    return s;
}
static td_status r_fact_get(fx *f, const td_actor *a, td_err *e)
{
    td_fact x;
    return td_fact_get_as(f->db, a, f->fact_id, &x, e);
}
static td_status r_snap_latest(fx *f, const td_actor *a, td_err *e)
{
    td_snapshot sn;
    td_status s = td_snapshot_latest_as(f->db, a, f->c.id, &sn, e);
    if (s == TD_OK)
        td_snapshot_free(&sn);
    return s;
}
static td_status r_snap_get(fx *f, const td_actor *a, td_err *e)
{
    td_snapshot sn;
    td_status s = td_snapshot_get_as(f->db, a, f->snap_id, &sn, e);
    if (s == TD_OK)
        td_snapshot_free(&sn);
    return s;
}
static td_status r_snap_each(fx *f, const td_actor *a, td_err *e)
{
    return td_snapshot_each_as(f->db, a, f->c.id, snap_cb, f, e);
}
static td_status r_what_if(fx *f, const td_actor *a, td_err *e)
{
    td_score_result r;
    td_score_case_args args = { .case_key = f->c.id };
    td_status s = td_score_case(f->db, a, &args, &r, NULL, e);
    if (s == TD_OK)
        td_score_result_free(&r);
    return s;
}
static td_status r_code(fx *f, const td_actor *a, td_err *e)
{
    td_talent_code_info i;
    td_status s = td_talent_code_of_case_as(f->db, a, f->c.id, &i, e);
    return s == TD_ENOTFOUND ? TD_OK : s; /* no code issued yet */
}
static td_status r_rating(fx *f, const td_actor *a, td_err *e)
{
    td_rating r;
    td_status s = td_rating_get_as(f->db, a, f->c.id, &r, e);
    return s == TD_ENOTFOUND ? TD_OK : s;
}
static td_status r_entitlements(fx *f, const td_actor *a, td_err *e)
{
    td_entitlement_list l;
    td_status s = td_entitlements_for(f->db, a, f->c.case_no, NULL, &l, e);
    if (s == TD_OK)
        td_entitlement_list_free(&l);
    return s;
}
static td_status r_print_receipt(fx *f, const td_actor *a, td_err *e)
{
    td_printdoc d;
    td_status s = td_print_build_as(f->db, a, "receipt", f->c.case_no, &d, e);
    if (s == TD_OK)
        td_printdoc_free(&d);
    return s;
}
static td_status r_print_notice_no(fx *f, const td_actor *a, td_err *e)
{
    td_printdoc d;
    td_status s = td_print_build_as(f->db, a, "notice", f->notice_no, &d, e);
    if (s == TD_OK)
        td_printdoc_free(&d);
    return s;
}
static td_status r_print_case(fx *f, const td_actor *a, td_err *e)
{
    td_print_result res;
    td_status s = td_print_case_as(f->db, a, "receipt", f->c.id, NULL, NULL, true, &res, e);
    return s == TD_EINVALID ? TD_OK : s; /* an in-memory database keeps no prints */
}

static int fu_cb(const td_followup *x, void *ud) { (void)x; return any_cb(ud); }
static td_status r_specialist(fx *f, const td_actor *a, td_err *e)
{
    char id[TD_UUID_LEN], name[128];
    return td_person_specialist_as(f->db, a, f->c.person_id, id, name, sizeof name, e);
}
static td_status r_followups(fx *f, const td_actor *a, td_err *e)
{
    return td_followups_each_as(f->db, a, f->c.person_id, fu_cb, f, e);
}
static td_status r_followups_due(fx *f, const td_actor *a, td_err *e)
{
    return td_followups_due_as(f->db, a, NULL, "2099-12-31", 0, fu_cb, f, e);
}
static td_status r_reproduce(fx *f, const td_actor *a, td_err *e)
{
    td_snapshot sn;
    td_score_result r;
    bool same;
    td_status s = td_snapshot_reproduce_as(f->db, a, f->snap_id, &sn, &r, &same, e);
    if (s == TD_ENOTFOUND) /* the fixture's snapshot names no stored rule version */
        return TD_OK;
    if (s == TD_OK) {
        td_snapshot_free(&sn);
        td_score_result_free(&r);
    }
    return s;
}

static const struct {
    const char *name;
    td_status (*fn)(fx *f, const td_actor *a, td_err *e);
    bool list; /* a list leaves out what is out of scope (TD_OK, nothing listed) instead of refusing */
} reads[] = {
    { "td_case_get_as", r_case_get, false },
    { "td_person_get_as", r_person_get, false },
    { "td_case_list_as", r_case_list, true },
    { "td_case_services_each_as", r_services, false },
    { "td_wf_docs_each_as", r_docs, false },
    { "td_notice_get_as (case)", r_notice_case, false },
    { "td_notice_get_as (notice number)", r_notice_no, false },
    { "td_wf_tasks_each_as", r_tasks, false },
    { "td_wf_task_get_as", r_task_get, false },
    { "td_wf_signoffs_each_as", r_signoffs, false },
    { "td_audit_case_each_as", r_audit, false },
    { "td_facts_load_as", r_facts, false },
    { "td_fact_get_as", r_fact_get, false },
    { "td_snapshot_latest_as", r_snap_latest, false },
    { "td_snapshot_get_as", r_snap_get, false },
    { "td_snapshot_each_as", r_snap_each, false },
    { "td_score_case (what-if)", r_what_if, false },
    { "td_talent_code_of_case_as", r_code, false },
    { "td_rating_get_as", r_rating, false },
    { "td_entitlements_for", r_entitlements, false },
    { "td_print_build_as (receipt)", r_print_receipt, false },
    { "td_print_build_as (notice number)", r_print_notice_no, false },
    { "td_print_case_as", r_print_case, false },
    { "td_person_specialist_as", r_specialist, false },
    { "td_followups_each_as", r_followups, false },
    { "td_followups_due_as", r_followups_due, true },
    { "td_snapshot_reproduce_as", r_reproduce, false },
};

static void setup_fx(fx *f)
{
    memset(f, 0, sizeof *f);
    f->db = wf_db();
    td_err err;
    td_err_clear(&err);
    f->c = wf_case(f->db, "recognition");
    wf_score(f->db, f->c.id);
    td_actor clerk = td_test_actor(f->db, "clerk1"), rev = td_test_actor(f->db, "reviewer1"),
             appr = td_test_actor(f->db, "approver1"), spec = td_test_actor(f->db, "spec1");
    /* the document check with documents missing issues a notice */
    assert_td_ok(td_wf_demo_advance(f->db, f->c.id, "awaiting_docs", &clerk, &rev, &appr, &spec, &err), &err);
    assert_td_ok(td_person_get(f->db, f->c.person_id, &f->p, &err), &err);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT notice_no FROM notices WHERE case_id = '%s'", f->c.id);
    wf_text(f->db, sql, f->notice_no, sizeof f->notice_no);
    assert_true(f->notice_no[0]);
    snprintf(sql, sizeof sql, "SELECT id FROM score_snapshots WHERE case_id = '%s'", f->c.id);
    wf_text(f->db, sql, f->snap_id, sizeof f->snap_id);
    snprintf(sql, sizeof sql, "SELECT id FROM service_requests WHERE case_id = '%s'", f->c.id);
    wf_text(f->db, sql, f->task_id, sizeof f->task_id);
    td_fact x;
    memset(&x, 0, sizeof x);
    snprintf(x.person_id, sizeof x.person_id, "%s", f->c.person_id);
    snprintf(x.name, sizeof x.name, "annual_salary");
    snprintf(x.value, sizeof x.value, "600000");
    assert_td_ok(td_fact_add(f->db, &clerk, &x, &err), &err);
    assert_td_ok(td_followup_add(f->db, &clerk, f->c.person_id, "2026-01-10", "phone", "回访", "2026-02-01", NULL, &err), &err);
    snprintf(f->fact_id, sizeof f->fact_id, "%s", x.id);
}

static long denied_rows(td_db *db)
{
    return wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'");
}

static void test_checked_reads(void **state)
{
    (void)state;
    fx f;
    setup_fx(&f);
    td_actor station = td_test_actor(f.db, "station1"); /* LDN */
    td_actor clerk = td_test_actor(f.db, "clerk1");
    td_actor nobody = clerk;
    nobody.roles = 0;
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        td_err err;
        td_err_clear(&err);
        long d0 = denied_rows(f.db);
        int calls = f.calls;
        td_status s = reads[i].fn(&f, &station, &err);
        if (reads[i].list) {
            assert_int_equal(s, TD_OK);
            assert_int_equal(f.calls, calls);
            td_err_clear(&err);
            assert_int_equal(reads[i].fn(&f, &clerk, &err), TD_OK);
            assert_cmp(f.calls, >, calls);
            td_err_clear(&err);
            assert_int_equal(reads[i].fn(&f, &nobody, &err), TD_EDENIED);
            continue;
        }
        if (s != TD_EDENIED)
            fail_msg("%s by another station's operator: expected TD_EDENIED, got %d (%s)", reads[i].name, (int)s,
                     err.msg);
        if (!wf_has_cjk(err.msg))
            fail_msg("%s: the refusal is not in Chinese: %s", reads[i].name, err.msg);
        if (strstr(err.msg, f.p.name))
            fail_msg("%s: the refusal names the person: %s", reads[i].name, err.msg);
        assert_int_equal(f.calls, calls); /* nothing handed to the caller */
        /* audited exactly once, also when a front end shows it again */
        td_access_denied(f.db, &station, NULL, &err);
        if (denied_rows(f.db) != d0 + 1)
            fail_msg("%s: %ld refusal rows audited, expected 1", reads[i].name, denied_rows(f.db) - d0);

        td_err_clear(&err);
        s = reads[i].fn(&f, &clerk, &err);
        if (s != TD_OK)
            fail_msg("%s by a clerk (scope all): expected TD_OK, got %d (%s)", reads[i].name, (int)s, err.msg);

        td_err_clear(&err);
        s = reads[i].fn(&f, &nobody, &err);
        if (s != TD_EDENIED)
            fail_msg("%s by a user without a role: expected TD_EDENIED, got %d (%s)", reads[i].name, (int)s,
                     err.msg);
    }
    td_db_close(f.db);
}

/* Intake of an identity number registered outside the user's scope: the
 * offer (td_person_get_as), the duplicate list, the new person and the new
 * case all keep the person hidden. */
static void test_intake_known_id(void **state)
{
    (void)state;
    fx f;
    setup_fx(&f);
    td_actor station = td_test_actor(f.db, "station1");
    td_err err;
    td_err_clear(&err);

    /* the duplicate check shows only persons in scope */
    td_dup_match m[TD_DUP_MAX];
    int n = -1;
    td_person same = f.p;
    memset(same.id, 0, sizeof same.id);
    assert_td_ok(td_dupe_check_as(f.db, &station, &same, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 0);
    td_actor clerk = td_test_actor(f.db, "clerk1");
    assert_td_ok(td_dupe_check_as(f.db, &clerk, &same, m, TD_DUP_MAX, &n, &err), &err);
    assert_cmp(n, >, 0);

    /* registering the same identity number: refused without the name */
    td_person p = same;
    td_err_clear(&err);
    assert_int_equal(td_person_add(f.db, &station, &p, &err), TD_ECONFLICT);
    assert_null(strstr(err.msg, f.p.name));
    td_err_clear(&err);
    p = same;
    assert_int_equal(td_person_add(f.db, &clerk, &p, &err), TD_ECONFLICT);
    assert_non_null(strstr(err.msg, f.p.name)); /* a clerk who may see the person is told who it is */

    /* a new case for that person: refused, audited once, the person not named */
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = f.p.id;
    a.services[0] = "enterprise_setup";
    td_case c;
    long d0 = denied_rows(f.db);
    td_err_clear(&err);
    assert_int_equal(td_case_new(f.db, &station, &a, &c, &err), TD_EDENIED);
    assert_null(strstr(err.msg, f.p.name));
    assert_true(wf_has_cjk(err.msg));
    td_access_denied(f.db, &station, NULL, &err);
    assert_int_equal(denied_rows(f.db), d0 + 1);
    /* by identity number too (how the intake form names the person) */
    a.person_id = f.p.id_no;
    td_err_clear(&err);
    assert_int_equal(td_case_new(f.db, &station, &a, &c, &err), TD_EDENIED);
    /* the clerk of the registering office may */
    td_err_clear(&err);
    assert_td_ok(td_case_new(f.db, &clerk, &a, &c, &err), &err);
    td_db_close(f.db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checked_reads),
        cmocka_unit_test(test_intake_known_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
