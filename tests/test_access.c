/* test_access.c — issue 10 item 5 in the core: every role × every action
 * refused or allowed by the real core function (table-driven, the expected
 * matrix written out here, not read from src/auth/access.c), each refusal
 * audited exactly once; record scopes (own, station, department, all) in
 * case reads, lists, queues, search, person lists and exports; the one
 * masking rule (td_pii_view) and the audited unmask. */
#include "test_util.h"
#include "wf_fixture.h"

#include "auth/access.h"
#include "cases/scope.h"
#include "io/export.h"
#include "io/import.h"
#include "people/dedupe.h"
#include "people/mask.h"
#include "people/person.h"
#include "people/specialist.h"
#include "recognition/facts.h"
#include "recognition/score.h"
#include "report/rating.h"
#include "search/qlist.h"
#include "search/search.h"
#include "setup/backup.h"
#include "setup/policy_load.h"
#include "workflow/wf_audit.h"
#include "workflow/wf_docs.h"
#include "workflow/wf_due.h"
#include "workflow/wf_signoff.h"
#include "workflow/wf_tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of the matrix: one user per single role (wf_fixture.h). */
static const char *const role_user[] = { "r_clerk", "r_reviewer", "r_approver", "r_signer",
                                         "r_specialist", "r_station", "r_admin" };
#define NR 7

typedef struct fx {
    td_db *db;
    td_actor a;
    td_case c;
    char pid[TD_UUID_LEN];
    char fact_id[TD_UUID_LEN];
    char task_id[TD_UUID_LEN];
    char csv[4096];
    char out[4096];
} fx;

/* ---- one thunk per action: the real core function ----------------------- */

static td_status t_case_read(fx *f, td_err *e)
{
    td_case c;
    return td_case_get_as(f->db, &f->a, f->c.id, &c, e);
}

static td_status t_person_add(fx *f, td_err *e)
{
    static int n;
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "新人%d", ++n);
    snprintf(p.id_type, sizeof p.id_type, "passport");
    snprintf(p.id_no, sizeof p.id_no, "E7%07d", n);
    return td_person_add(f->db, &f->a, &p, e);
}

static td_status t_person_update(fx *f, td_err *e)
{
    td_person p;
    td_status s = td_person_get(f->db, f->pid, &p, e);
    if (s)
        return s;
    snprintf(p.employer, sizeof p.employer, "重庆大学");
    return td_person_update(f->db, &f->a, &p, e);
}

static td_status t_case_new(fx *f, td_err *e)
{
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = f->pid;
    a.services[0] = "enterprise_setup";
    td_case c;
    return td_case_new(f->db, &f->a, &a, &c, e);
}

static td_status t_docs_mark(fx *f, td_err *e)
{
    return td_wf_doc_mark(f->db, &f->a, f->c.id, "id_card", "verified", NULL, 0, NULL, e);
}

static td_status t_docs_check(fx *f, td_err *e)
{
    td_wf_check_result r;
    memset(&r, 0, sizeof r);
    return td_wf_docs_check(f->db, &f->a, f->c.id, 0, &r, e);
}

static td_status t_facts_add(fx *f, td_err *e)
{
    td_fact x;
    memset(&x, 0, sizeof x);
    snprintf(x.person_id, sizeof x.person_id, "%s", f->pid);
    snprintf(x.name, sizeof x.name, "degree");
    snprintf(x.value, sizeof x.value, "master");
    return td_fact_add(f->db, &f->a, &x, e);
}

static td_status t_facts_verify(fx *f, td_err *e)
{
    return td_fact_verify(f->db, &f->a, f->fact_id, "学位证书", 0, e);
}

static td_status t_score_save(fx *f, td_err *e)
{
    td_score_result r;
    memset(&r, 0, sizeof r);
    char snap[TD_UUID_LEN];
    td_score_case_args a = { .case_key = f->c.id, .save = true };
    td_status s = td_score_case(f->db, &f->a, &a, &r, snap, e);
    if (s == TD_OK) /* the caller owns a result only on success */
        td_score_result_free(&r);
    return s;
}

static td_status t_signoff(fx *f, td_err *e)
{
    td_wf_result r;
    memset(&r, 0, sizeof r);
    return td_wf_signoff(f->db, &f->a, f->c.id, "rsj", true, NULL, 0, &r, e);
}

static td_status t_task_work(fx *f, td_err *e)
{
    return td_wf_task_update(f->db, &f->a, f->task_id, TD_TASK_START, NULL, 0, e);
}

static td_status t_task_assign(fx *f, td_err *e)
{
    return td_wf_task_update(f->db, &f->a, f->task_id, TD_TASK_ASSIGN, "spec1", 0, e);
}

static td_status t_escalate(fx *f, td_err *e)
{
    return td_wf_escalate(f->db, &f->a, f->task_id, "spec1", "催办", e);
}

static td_status t_import(fx *f, td_err *e)
{
    td_import_report r;
    return td_import_persons(f->db, &f->a, f->csv, NULL, &r, e);
}

static td_status t_export(fx *f, td_err *e)
{
    long rows;
    return td_export(f->db, &f->a, TD_EXPORT_PERSONS, f->out, NULL, &rows, e);
}

static td_status t_dupes_scan(fx *f, td_err *e)
{
    long n;
    return td_dupe_scan(f->db, &f->a, &n, e);
}

static td_status t_dupes_merge(fx *f, td_err *e)
{
    return td_dupe_dismiss(f->db, &f->a, "00000000-no-such-candidate", "不是同一人", e);
}

static td_status t_specialist_set(fx *f, td_err *e)
{
    return td_person_specialist_set(f->db, &f->a, f->pid, "spec1", "分工调整", e);
}

static td_status t_followup_add(fx *f, td_err *e)
{
    td_followup out;
    return td_followup_add(f->db, &f->a, f->pid, NULL, "phone", "回访", NULL, &out, e);
}

static td_status t_rate(fx *f, td_err *e)
{
    td_rating r;
    return td_rate_case(f->db, &f->a, f->c.id, 5, NULL, &r, e);
}

static td_status t_unmask(fx *f, td_err *e)
{
    char buf[64];
    return td_unmask(f->db, &f->a, TD_PII_ID, f->pid, NULL, "核对身份", buf, sizeof buf, e);
}

static td_status t_policy_load(fx *f, td_err *e)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data", td_test_src_dir());
    td_due_report due;
    memset(&due, 0, sizeof due);
    return td_policy_load_as(f->db, &f->a, dir, &due, e);
}

static td_status t_backup(fx *f, td_err *e)
{
    td_backup_info info;
    return td_backup(f->db, &f->a, f->out, &info, e);
}

static td_status t_user_admin(fx *f, td_err *e)
{
    static int n;
    char name[32], id[TD_UUID_LEN];
    snprintf(name, sizeof name, "newuser%d", ++n);
    return td_user_add(f->db, &f->a, name, "新用户", "CQ", NULL, TD_ROLE_CLERK, id, e);
}

/* Expected, in the order of role_user: Y allowed, . refused. */
static const struct {
    td_action act;
    const char *expect;
    td_status (*run)(fx *f, td_err *e); /* NULL: the table alone (checked below) */
} matrix[] = {
    { TD_ACT_CASE_READ, "YYYYYYY", t_case_read },
    { TD_ACT_PERSON_ADD, "Y....YY", t_person_add },
    { TD_ACT_PERSON_UPDATE, "Y....YY", t_person_update },
    { TD_ACT_CASE_NEW, "Y....YY", t_case_new },
    { TD_ACT_DOCS_MARK, "YY...Y.", t_docs_mark },
    { TD_ACT_DOCS_CHECK, "YY...Y.", t_docs_check },
    { TD_ACT_FACTS_ADD, "YY..YYY", t_facts_add },
    { TD_ACT_FACTS_VERIFY, "YYY...Y", t_facts_verify },
    { TD_ACT_SCORE_SAVE, "YYY...Y", t_score_save },
    { TD_ACT_SIGNOFF, "...Y...", t_signoff },
    { TD_ACT_TASK_WORK, "..Y.Y..", t_task_work },
    { TD_ACT_TASK_ASSIGN, "..Y.Y.Y", t_task_assign },
    { TD_ACT_ESCALATE, "..Y.Y.Y", t_escalate },
    { TD_ACT_CODE_ISSUE, "..Y...Y", NULL },
    { TD_ACT_BENEFIT_GRANT, "YYY...Y", NULL },
    { TD_ACT_IMPORT, "Y....YY", t_import },
    { TD_ACT_EXPORT, "YYY..YY", t_export },
    { TD_ACT_DUPES_SCAN, "Y.....Y", t_dupes_scan },
    { TD_ACT_DUPES_MERGE, "Y.....Y", t_dupes_merge },
    { TD_ACT_SPECIALIST_SET, "Y....YY", t_specialist_set },
    { TD_ACT_FOLLOWUP_ADD, "Y...YYY", t_followup_add },
    { TD_ACT_RATE, "Y...YYY", t_rate },
    { TD_ACT_CONFLICT_RESOLVE, "YYY..YY", NULL },
    { TD_ACT_UNMASK, "YYYYYYY", t_unmask },
    { TD_ACT_REPORT, "YYYYYYY", NULL },
    { TD_ACT_POLICY_LOAD, "......Y", t_policy_load },
    { TD_ACT_BACKUP, "......Y", t_backup },
    { TD_ACT_USER_ADMIN, "......Y", t_user_admin },
    { TD_ACT_SYNC_ADMIN, "......Y", NULL },
};
#define NM ((int)(sizeof matrix / sizeof matrix[0]))

static long denied_rows(td_db *db)
{
    return wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'");
}

/* A fresh database per role: a person, a case of clerk1 in document check
 * with a task, a claimed fact, an import file. */
static void fx_init(fx *f, int role)
{
    memset(f, 0, sizeof *f);
    f->db = wf_db();
    f->c = wf_case(f->db, "recognition");
    wf_force(f->db, f->c.id, "intake", "doc_check");
    snprintf(f->pid, sizeof f->pid, "%s", f->c.person_id);
    /* the tasks' case is in fulfilment (a task outside it is refused for its state) */
    td_case ful = wf_case(f->db, "service");
    wf_force(f->db, ful.id, "intake", "fulfilment");
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE case_events SET approval = 1 WHERE case_id = '%s'", ful.id);
    wf_sql(f->db, sql);
    snprintf(sql, sizeof sql, "SELECT id FROM service_requests WHERE case_id = '%s' LIMIT 1", ful.id);
    wf_text(f->db, sql, f->task_id, sizeof f->task_id);
    td_actor admin = td_test_actor(f->db, "admin");
    td_fact x;
    memset(&x, 0, sizeof x);
    snprintf(x.person_id, sizeof x.person_id, "%s", f->pid);
    snprintf(x.name, sizeof x.name, "degree");
    snprintf(x.value, sizeof x.value, "doctorate");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_fact_add(f->db, &admin, &x, &err), &err);
    snprintf(f->fact_id, sizeof f->fact_id, "%s", x.id);
    char *csv = td_test_tmpfile(".csv"), *out = td_test_tmpfile(".csv");
    snprintf(f->csv, sizeof f->csv, "%s", csv);
    snprintf(f->out, sizeof f->out, "%s", out);
    free(csv);
    free(out);
    FILE *fp = fopen(f->csv, "w");
    assert_non_null(fp);
    fputs("姓名,证件号码\r\n", fp);
    fclose(fp);
    f->a = td_test_actor(f->db, role_user[role]);
}

static void fx_done(fx *f)
{
    remove(f->csv);
    remove(f->out);
    td_db_close(f->db);
}

static void test_role_action_matrix(void **state)
{
    (void)state;
    for (int r = 0; r < NR; r++) {
        fx f;
        fx_init(&f, r);
        for (int m = 0; m < NM; m++) {
            bool want = matrix[m].expect[r] == 'Y';
            /* the table */
            if (td_access_allowed(&f.a, matrix[m].act) != want)
                fail_msg("%s × %s: table says %s", role_user[r], td_action_code(matrix[m].act),
                         want ? "refused" : "allowed");
            if (!matrix[m].run)
                continue;
            /* the core function itself */
            long d0 = denied_rows(f.db);
            td_err err;
            td_err_clear(&err);
            td_status s = matrix[m].run(&f, &err);
            if (want && s == TD_EDENIED)
                fail_msg("%s × %s: refused by the core: %s", role_user[r], td_action_code(matrix[m].act), err.msg);
            if (!want && s != TD_EDENIED)
                fail_msg("%s × %s: the core allowed it (status %d: %s)", role_user[r],
                         td_action_code(matrix[m].act), (int)s, err.msg);
            if (!want) {
                assert_true(wf_has_cjk(err.msg)); /* a Chinese message */
                /* what every front end does with a refusal: exactly one audit row */
                td_access_denied(f.db, &f.a, NULL, &err);
                td_access_denied(f.db, &f.a, NULL, &err);
                if (denied_rows(f.db) != d0 + 1)
                    fail_msg("%s × %s: %ld refusal rows, want 1", role_user[r], td_action_code(matrix[m].act),
                             denied_rows(f.db) - d0);
            }
        }
        fx_done(&f);
    }
}

/* ---- record scopes -------------------------------------------------------- */

static int count_case(const td_case *c, void *ud)
{
    (void)c;
    (*(int *)ud)++;
    return 0;
}

static int count_hit(const td_search_hit *h, void *ud)
{
    (void)h;
    (*(int *)ud)++;
    return 0;
}

static int qlist_rows(td_db *db, int q, const td_actor *a)
{
    td_err err;
    td_err_clear(&err);
    assert_true(q >= 0);
    td_qlist *ql = a ? td_qlist_open_as(db, q, a, "2026-06-15", &err) : td_qlist_open(db, q, "", "", "2026-06-15", &err);
    assert_non_null(ql);
    td_qlist_row rows[50];
    int n = td_qlist_first(ql, 50, rows, &err);
    long cnt = td_qlist_count(ql, 1000, &err);
    assert_int_equal(cnt, n);
    td_qlist_close(ql);
    return n;
}

static int qlist_all(td_db *db, const td_actor *a) { return qlist_rows(db, td_qlist_lookup("All cases"), a); }

static void test_scopes(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_err err;
    td_err_clear(&err);
    /* three cases at CQ: clerk1's, clerk2's, clerk2's with spec1 holding a task */
    td_case c1 = wf_case_with(db, "clerk1", "recognition", NULL);
    td_case c2 = wf_case_with(db, "clerk2", "recognition", NULL);
    static const char *const rsj_service[] = { "talent_recognition", NULL };
    td_case c3 = wf_case_with(db, "clerk2", "recognition", rsj_service);
    (void)c3;
    td_actor admin = td_test_actor(db, "admin");
    td_actor clerk1 = td_test_actor(db, "clerk1");
    td_actor station = td_test_actor(db, "station1"); /* LDN: default scope station */
    assert_int_equal(td_actor_scope(&station), TD_SCOPE_STATION);
    assert_int_equal(td_actor_scope(&clerk1), TD_SCOPE_ALL);

    /* station: another station's case refused (audited), lists empty */
    long d0 = denied_rows(db);
    td_case got;
    assert_int_equal(td_case_get_as(db, &station, c1.case_no, &got, &err), TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    assert_int_equal(denied_rows(db), d0 + 1);
    assert_int_equal(td_scope_check_key(db, &station, c1.case_no, &err), TD_EDENIED);
    assert_int_equal(td_scope_check_key(db, &station, c1.person_id, &err), TD_EDENIED);
    char key[128];
    snprintf(key, sizeof key, "%s:enterprise_setup", c1.case_no);
    assert_int_equal(td_scope_check_key(db, &station, key, &err), TD_EDENIED);
    assert_int_equal(td_scope_check_key(db, &station, "no-such-thing", &err), TD_OK);
    int n = 0;
    td_case_query q = { 0 };
    td_case_query_scope(&q, &station);
    assert_td_ok(td_case_list(db, &q, count_case, &n, &err), &err);
    assert_int_equal(n, 0);
    assert_int_equal(qlist_all(db, &station), 0);
    assert_int_equal(qlist_all(db, &admin), qlist_all(db, NULL));
    assert_int_equal(qlist_rows(db, td_qlist_for_state("intake"), &station), 0);
    assert_true(qlist_rows(db, td_qlist_for_state("intake"), &admin) >= 1);
    n = 0;
    assert_td_ok(td_search_as(db, &station, c1.case_no, TD_SEARCH_AUTO, 0, count_hit, &n, NULL, &err), &err);
    assert_int_equal(n, 0);
    n = 0;
    assert_td_ok(td_search_as(db, &admin, c1.case_no, TD_SEARCH_AUTO, 0, count_hit, &n, NULL, &err), &err);
    assert_true(n >= 1);
    char *out = td_test_tmpfile(".csv");
    long rows = -1;
    assert_td_ok(td_export(db, &station, TD_EXPORT_CASES, out, NULL, &rows, &err), &err);
    assert_int_equal(rows, 0);
    assert_td_ok(td_export(db, &admin, TD_EXPORT_CASES, out, NULL, &rows, &err), &err);
    assert_true(rows >= 3);

    /* own: clerk1 narrowed to own cases sees c1, not c2 */
    assert_td_ok(td_user_set_scope(db, &admin, "clerk1", TD_SCOPE_OWN, &err), &err);
    clerk1 = td_test_actor(db, "clerk1");
    assert_int_equal(td_actor_scope(&clerk1), TD_SCOPE_OWN);
    assert_td_ok(td_case_get_as(db, &clerk1, c1.id, &got, &err), &err);
    assert_int_equal(td_case_get_as(db, &clerk1, c2.id, &got, &err), TD_EDENIED);
    n = 0;
    td_case_query q2 = { 0 };
    td_case_query_scope(&q2, &clerk1);
    assert_td_ok(td_case_list(db, &q2, count_case, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(qlist_all(db, &clerk1), 1);
    /* a task of the user makes the case one's own */
    td_actor spec = td_test_actor(db, "spec1");
    assert_td_ok(td_user_set_scope(db, &admin, "spec1", TD_SCOPE_OWN, &err), &err);
    spec = td_test_actor(db, "spec1");
    assert_int_equal(qlist_all(db, &spec), 3); /* wf_case_with makes spec1 the specialist of all three */

    /* department: a signer of rsj sees the case with an rsj service only */
    assert_td_ok(td_user_set_scope(db, &admin, "signer_rsj", TD_SCOPE_DEPARTMENT, &err), &err);
    td_actor signer = td_test_actor(db, "signer_rsj");
    char dept[32];
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT IFNULL(department_id,'') FROM services WHERE id = 'talent_recognition'");
    wf_text(db, sql, dept, sizeof dept);
    snprintf(sql, sizeof sql, "SELECT IFNULL(department_id,'') FROM services WHERE id = 'enterprise_setup'");
    char dept2[32];
    wf_text(db, sql, dept2, sizeof dept2);
    int want = (strcmp(dept, "rsj") == 0) + 2 * (strcmp(dept2, "rsj") == 0);
    assert_int_equal(qlist_all(db, &signer), want);
    /* back to the role's default */
    assert_td_ok(td_user_set_scope(db, &admin, "clerk1", TD_SCOPE_DEFAULT, &err), &err);
    clerk1 = td_test_actor(db, "clerk1");
    assert_int_equal(td_actor_scope(&clerk1), TD_SCOPE_ALL);
    /* only an administrator sets scopes */
    assert_int_equal(td_user_set_scope(db, &clerk1, "clerk2", TD_SCOPE_ALL, &err), TD_EDENIED);
    remove(out);
    free(out);
    td_db_close(db);
}

/* ---- masking -------------------------------------------------------------- */

static void test_masking_rule(void **state)
{
    (void)state;
    td_db *db = wf_db();
    /* which role sees what in full by default */
    static const char *const see[TD_PII_COUNT] = { ".......", "Y...Y.Y", ".YY...Y" };
    for (int r = 0; r < NR; r++) {
        td_actor a = td_test_actor(db, role_user[r]);
        for (int k = 0; k < TD_PII_COUNT; k++) {
            bool want = see[k][r] == 'Y';
            assert_int_equal(td_may_see(&a, (td_pii)k), want);
            char buf[64];
            const char *v = td_pii_view(&a, (td_pii)k, k == TD_PII_ID ? "11010519491231002X"
                                                      : k == TD_PII_PHONE ? "13800138000" : "600000",
                                        buf, sizeof buf);
            const char *full = k == TD_PII_ID ? "11010519491231002X" : k == TD_PII_PHONE ? "13800138000" : "600000";
            if (want)
                assert_string_equal(v, full);
            else
                assert_true(strcmp(v, full) != 0 && strchr(v, '*'));
        }
    }
    char buf[64];
    td_pii_mask(TD_PII_PHONE, "13800138000", buf, sizeof buf);
    assert_string_equal(buf, "138****8000");
    td_pii_mask(TD_PII_SALARY, "600000", buf, sizeof buf);
    assert_null(strpbrk(buf, "0123456789"));
    td_pii_view(NULL, TD_PII_PHONE, "13800138000", buf, sizeof buf);
    assert_string_equal(buf, "138****8000");

    /* the audited unmask: purpose required, one row per read */
    td_case c = wf_case(db, "recognition");
    td_actor rev = td_test_actor(db, "reviewer1");
    td_err err;
    td_err_clear(&err);
    char v[64];
    assert_int_equal(td_unmask(db, &rev, TD_PII_PHONE, c.person_id, c.id, "", v, sizeof v, &err), TD_EINVALID);
    long a0 = wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'person.view_phone'");
    assert_td_ok(td_unmask(db, &rev, TD_PII_PHONE, c.person_id, c.id, "回电核实", v, sizeof v, &err), &err);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'person.view_phone'"), a0 + 1);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'person.view_phone' "
                                  "AND reason = '回电核实'"), 1);
    /* out of scope: refused even with a purpose */
    td_actor station = td_test_actor(db, "station1");
    assert_int_equal(td_unmask(db, &station, TD_PII_ID, c.person_id, NULL, "核对", v, sizeof v, &err), TD_EDENIED);

    /* exports: masked without a purpose, full with one; both audited with rows and file */
    char *out = td_test_tmpfile(".csv");
    wf_sql(db, "UPDATE persons SET phone = '13912345678' WHERE name LIKE '测试人%'");
    td_actor clerk = td_test_actor(db, "clerk1");
    long rows;
    assert_td_ok(td_export(db, &clerk, TD_EXPORT_PERSONS, out, NULL, &rows, &err), &err);
    FILE *fp = fopen(out, "rb");
    char text[65536];
    size_t got = fread(text, 1, sizeof text - 1, fp);
    text[got] = '\0';
    fclose(fp);
    assert_non_null(strstr(text, "13912345678"));   /* clerks see mobiles */
    assert_null(strstr(text, "E0000"));             /* identity numbers masked */
    assert_td_ok(td_export(db, &rev, TD_EXPORT_PERSONS, out, NULL, &rows, &err), &err);
    fp = fopen(out, "rb");
    got = fread(text, 1, sizeof text - 1, fp);
    text[got] = '\0';
    fclose(fp);
    assert_null(strstr(text, "13912345678"));       /* reviewers do not */
    assert_non_null(strstr(text, "139****5678"));
    td_export_opts full = { .purpose = "年度核对" };
    assert_td_ok(td_export(db, &rev, TD_EXPORT_PERSONS, out, &full, &rows, &err), &err);
    fp = fopen(out, "rb");
    got = fread(text, 1, sizeof text - 1, fp);
    text[got] = '\0';
    fclose(fp);
    assert_non_null(strstr(text, "13912345678"));
    assert_non_null(strstr(text, "E0000"));
    const char *base = strrchr(out, '/') + 1;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE action = 'export.persons' AND new_value = '%ld' "
             "AND reason LIKE '%s%%' AND reason LIKE '%%年度核对'", rows, base);
    assert_int_equal(wf_count(db, sql), 1);
    remove(out);
    free(out);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_action_matrix),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_masking_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
