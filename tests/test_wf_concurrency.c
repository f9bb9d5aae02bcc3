/* test_wf_concurrency.c — two processes acting on one case at once (exactly
 * one wins), an audit row edited behind the program's back (verify names
 * it), audited identity views, paged queues, and the demo walk. */
#include "wf_fixture.h"

#include "people/person.h"
#include "setup/policy_load.h"
#include "setup/setup.h"
#include "setup/demo.h"
#include "workflow/wf_audit.h"
#include "workflow/wf_docs.h"
#include "search/qlist.h"

#include <sys/wait.h>
#include <unistd.h>

/* A file database (processes cannot share :memory:) with data and users. */
static char *file_db(td_db **out)
{
    char *path = td_test_tmpfile(".db");
    td_db *db = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(path, &db, &err), &err);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data", td_test_src_dir());
    assert_td_ok(td_policy_load_all(db, dir, NULL, &err), &err);
    assert_td_ok(td_setup_local_station(db, "CQ", "测试窗口", "hq", &err), &err);
    assert_td_ok(td_demo_users(db, &err), &err);
    *out = db;
    return path;
}

static void remove_db(char *path)
{
    char buf[4200];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
    free(path);
}

/* Child: open its own connection, read the case, wait for the go signal,
 * then act with the version it read.  Exit status = td_status. */
static int child(const char *path, const char *case_id, const char *user, const char *action,
                 const char *reason, bool use_version, int ready_fd, int go_fd)
{
    td_db *db = NULL;
    td_err err;
    td_err_clear(&err);
    if (td_db_open(path, &db, &err) != TD_OK)
        return 100;
    td_actor a;
    if (td_actor_load(db, user, &a, &err) != TD_OK)
        return 101;
    td_case c;
    if (td_case_get(db, case_id, &c, &err) != TD_OK)
        return 102;
    char ch = 'r';
    if (write(ready_fd, &ch, 1) != 1)
        return 103;
    if (read(go_fd, &ch, 1) != 1)
        return 104;
    td_status s = td_wf_act(db, &a, case_id, action, reason, use_version ? c.row_version : 0, NULL, &err);
    if (s == TD_ECONFLICT && strcmp(err.msg, "此案件已被他人修改，请刷新后重试") != 0)
        s = 105;
    td_db_close(db);
    return (int)s;
}

static void race(const char *path, const char *case_id, const char *u1, const char *a1, const char *u2,
                 const char *a2, bool use_version, int *st1, int *st2)
{
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid_t p[2];
    for (int i = 0; i < 2; i++) {
        p[i] = fork();
        assert_true(p[i] >= 0);
        if (p[i] == 0) {
            close(ready[0]);
            close(go[1]);
            _exit(child(path, case_id, i ? u2 : u1, i ? a2 : a1, "并发测试", use_version, ready[1], go[0]));
        }
    }
    close(ready[1]);
    close(go[0]);
    char ch;
    for (int i = 0; i < 2; i++)
        assert_int_equal(read(ready[0], &ch, 1), 1); /* both have read the case */
    assert_int_equal(write(go[1], "gg", 2), 2);      /* release both at once */
    int status[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(waitpid(p[i], &status[i], 0), p[i]);
        assert_true(WIFEXITED(status[i]));
    }
    close(ready[0]);
    close(go[1]);
    *st1 = WEXITSTATUS(status[0]);
    *st2 = WEXITSTATUS(status[1]);
}

static void test_two_processes_one_wins(void **state)
{
    (void)state;
    td_db *db;
    char *path = file_db(&db);
    td_case c = wf_case(db, "recognition");
    long events0 = wf_count(db, "SELECT count(*) FROM case_events");
    td_db_close(db); /* the children use their own connections */
    int s1, s2;
    /* Clerk 1 submits while clerk 2 withdraws, both from what they saw. */
    race(path, c.id, "clerk1", "submit", "clerk2", "withdraw", true, &s1, &s2);
    assert_true((s1 == TD_OK && s2 == TD_ECONFLICT) || (s1 == TD_ECONFLICT && s2 == TD_OK));
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(path, &db, &err), &err);
    td_case after = wf_get(db, c.id);
    assert_string_equal(after.state, s1 == TD_OK ? "doc_check" : "withdrawn");
    assert_int_equal(wf_count(db, "SELECT count(*) FROM case_events"), events0 + 1);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE case_id = '%s' AND action = 'case.transition'", c.id);
    assert_int_equal(wf_count(db, sql), 1);
    td_audit_report rep;
    assert_td_ok(td_audit_verify(db, &rep, &err), &err);
    /* Same action twice without a version: the second finds the state moved. */
    td_case c2 = wf_case(db, "recognition");
    td_db_close(db);
    race(path, c2.id, "clerk1", "submit", "clerk2", "submit", false, &s1, &s2);
    assert_true((s1 == TD_OK && s2 == TD_EDENIED) || (s1 == TD_EDENIED && s2 == TD_OK));
    assert_td_ok(td_db_open(path, &db, &err), &err);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM case_events WHERE case_id = '%s'", c2.id);
    assert_int_equal(wf_count(db, sql), 1);
    td_db_close(db);
    remove_db(path);
}

static void test_tampered_audit_row_named(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "recognition");
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "suspend", "等待申请人回国", 0, NULL, &err), &err);
    td_audit_report rep;
    assert_td_ok(td_audit_verify(db, &rep, &err), &err);
    assert_string_equal(rep.bad_id, "");
    /* Someone with sqlite3 rewrites the reason of the suspension. */
    char id[64], sql[512];
    snprintf(sql, sizeof sql, "SELECT id FROM audit_log WHERE case_id = '%s' AND reason = '等待申请人回国'", c.id);
    wf_text(db, sql, id, sizeof id);
    assert_true(id[0] != '\0');
    wf_sql(db, "DROP TRIGGER audit_log_no_update");
    snprintf(sql, sizeof sql, "UPDATE audit_log SET reason = '无' WHERE id = '%s'", id);
    wf_sql(db, sql);
    assert_int_equal(td_audit_verify(db, &rep, &err), TD_ECONFLICT);
    assert_string_equal(rep.bad_id, id);
    assert_true(wf_has_cjk(err.msg));
    td_db_close(db);
}

static void test_view_id_audited(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_case c = wf_case(db, "recognition");
    td_err err;
    td_err_clear(&err);
    char idno[TD_IDNO_LEN];
    td_actor nobody;
    memset(&nobody, 0, sizeof nobody);
    assert_int_equal(td_audit_view_id(db, &nobody, c.person_id, c.id, "x", idno, &err), TD_EDENIED);
    assert_int_equal(td_audit_view_id(db, &clerk, c.person_id, c.id, "", idno, &err), TD_EINVALID);
    assert_string_equal(idno, "");
    long before = wf_audit_rows(db);
    assert_td_ok(td_audit_view_id(db, &clerk, c.person_id, c.id, "打印告知书", idno, &err), &err);
    assert_true(idno[0] == 'E');
    assert_int_equal(wf_audit_rows(db), before + 1);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'person.view_id' AND entity_id = '%s' "
                              "AND case_id = '%s' AND user_id = '%s' AND reason = '打印告知书'",
             c.person_id, c.id, clerk.user_id);
    assert_int_equal(wf_count(db, sql), 1);
    td_db_close(db);
}

/* One page of queue q (src/search/qlist.h) for user, after `after` (NULL:
 * the first page). */
static int qpage(td_db *db, int q, const char *user, const td_qlist_row *after, int n, td_qlist_row *out)
{
    td_err err;
    td_err_clear(&err);
    td_qlist *ql = td_qlist_open(db, q, user, "", "2026-01-01", &err);
    assert_non_null(ql);
    int got = after ? td_qlist_after(ql, after, false, n, out, &err) : td_qlist_first(ql, n, out, &err);
    assert_true(got >= 0);
    td_qlist_close(ql);
    return got;
}

static void test_queues_paged(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1"), spec = td_test_actor(db, "spec1"),
             c2 = td_test_actor(db, "clerk2");
    td_err err;
    td_err_clear(&err);
    char ids[7][TD_UUID_LEN];
    for (int i = 0; i < 7; i++) {
        td_case c = wf_case(db, "recognition");
        snprintf(ids[i], TD_UUID_LEN, "%s", c.id);
        if (i < 5)
            assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    }
    /* Page through doc_check two at a time: five distinct cases, newest first. */
    int dc = td_qlist_for_state("doc_check");
    assert_true(dc >= 0);
    td_qlist_row all[16], page[2], last;
    int nall = 0;
    for (int p = 0; p < 5; p++) {
        int n = qpage(db, dc, clerk.user_id, p ? &last : NULL, 2, page);
        for (int i = 0; i < n; i++)
            all[nall++] = page[i];
        if (n < 2)
            break;
        last = page[n - 1];
    }
    assert_int_equal(nall, 5);
    for (int i = 0; i < 5; i++) {
        assert_string_equal(all[i].state, "doc_check");
        for (int j = i + 1; j < 5; j++) {
            assert_string_not_equal(all[i].id, all[j].id);
            assert_true(strcmp(all[i].updated, all[j].updated) >= 0);
        }
    }
    td_qlist_row r[16];
    assert_int_equal(qpage(db, td_qlist_for_state("intake"), clerk.user_id, NULL, 16, r), 2);
    /* Mine: the cases the clerk took in, and the specialist's. */
    int mine = td_qlist_lookup("My cases");
    assert_int_equal(qpage(db, mine, clerk.user_id, NULL, 16, r), 7);
    assert_int_equal(qpage(db, mine, spec.user_id, NULL, 3, r), 3);
    assert_int_equal(qpage(db, mine, c2.user_id, NULL, 16, r), 0);
    /* The queries are index range scans (no full scan of cases). */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db),
                                        "EXPLAIN QUERY PLAN SELECT id FROM cases WHERE state = 'x' "
                                        "AND (updated_at, id) < ('z', 'z') ORDER BY updated_at DESC, id DESC LIMIT 5",
                                        -1, &st, NULL),
                     SQLITE_OK);
    bool uses_index = false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 3);
        uses_index |= strstr(d, "cases_state") != NULL;
        assert_null(strstr(d, "SCAN cases"));
    }
    sqlite3_finalize(st);
    assert_true(uses_index);
    td_db_close(db);
}

static td_status demo_code(td_db *db, const td_actor *by, const char *case_id, char code_out[32], td_err *err)
{
    (void)db;
    (void)by;
    (void)case_id;
    (void)err;
    snprintf(code_out, 32, "DEMO");
    return TD_OK;
}

static void test_demo_advance(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1"), rev = td_test_actor(db, "reviewer1"),
             ap = td_test_actor(db, "approver1"), spec = td_test_actor(db, "spec1");
    td_err err;
    td_err_clear(&err);
    static const char *const targets[] = { "intake", "doc_check", "awaiting_docs", "recognition", "approval",
                                           "fulfilment", "closed", "suspended", "rejected", "withdrawn" };
    td_wf_set_effect_hook("issue_talent_code", demo_code);
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        td_case c = wf_case(db, "recognition");
        wf_score(db, c.id);
        if (td_wf_demo_advance(db, c.id, targets[i], &clerk, &rev, &ap, &spec, &err) != TD_OK)
            fail_msg("demo to %s: %s", targets[i], err.msg);
        assert_string_equal(wf_get(db, c.id).state, targets[i]);
        if (!strcmp(targets[i], "recognition"))
            continue; /* service cases have no recognition step */
        td_case s = wf_case(db, "service");
        if (td_wf_demo_advance(db, s.id, targets[i], &clerk, &rev, &ap, &spec, &err) != TD_OK)
            fail_msg("demo (service) to %s: %s", targets[i], err.msg);
        assert_string_equal(wf_get(db, s.id).state, targets[i]);
    }
    td_wf_set_effect_hook("issue_talent_code", NULL);
    /* Without a score a recognition case stops at recognition. */
    td_case n = wf_case(db, "recognition");
    assert_int_equal(td_wf_demo_advance(db, n.id, "closed", &clerk, &rev, &ap, &spec, &err), TD_EDENIED);
    assert_string_equal(wf_get(db, n.id).state, "recognition");
    td_audit_report rep;
    assert_td_ok(td_audit_verify(db, &rep, &err), &err);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_processes_one_wins),
        cmocka_unit_test(test_tampered_audit_row_named),
        cmocka_unit_test(test_view_id_audited),
        cmocka_unit_test(test_queues_paged),
        cmocka_unit_test(test_demo_advance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
