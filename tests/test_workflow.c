/* test_workflow.c — the workflow engine: loading and validating the data,
 * every allowed and denied transition for every role, four-eyes, guards,
 * effects, green channel, 一事一议, suspend/resume, versions, stale writes. */
#include "wf_fixture.h"

#include "policy/policyfile.h"
#include "workflow/wf_tasks.h"

#define C TD_ROLE_CLERK
#define R TD_ROLE_REVIEWER
#define A TD_ROLE_APPROVER
#define S TD_ROLE_SPECIALIST
#define ST TD_ROLE_STATION

/* The policy as the issue states it, written independently of
 * data/workflow.tdp so that an edit of the data that weakens it fails here.
 * types: "r" recognition only, "s" service only, "rs" both. */
static const struct {
    const char *name;
    const char *from[8];
    const char *to;
    unsigned roles;
    const char *types;
} policy[] = {
    { "submit", { "intake" }, "doc_check", C | ST, "rs" },
    { "supply", { "awaiting_docs" }, "doc_check", C | R | ST, "rs" },
    { "docs_ok", { "doc_check" }, "recognition", C | R, "r" },
    { "docs_ok_service", { "doc_check" }, "approval", C | R, "s" },
    { "submit_approval", { "recognition" }, "approval", R, "r" },
    { "approve", { "approval" }, "fulfilment", A, "r" },
    { "approve_service", { "approval" }, "fulfilment", A, "s" },
    { "close", { "fulfilment" }, "closed", S | C, "rs" },
    { "green_track", { "intake", "doc_check", "awaiting_docs", "recognition" }, "approval", C | R | A, "rs" },
    { "exception_approve", { "recognition", "approval" }, "fulfilment", A, "rs" },
    { "return_intake", { "doc_check", "awaiting_docs" }, "intake", C | R, "rs" },
    { "return_check", { "recognition", "approval" }, "doc_check", R | A, "rs" },
    { "return_rescore", { "approval" }, "recognition", A, "r" },
    { "return_approval", { "fulfilment" }, "approval", A, "rs" },
    { "refuse", { "intake" }, "rejected", C | ST, "rs" },
    { "reject", { "doc_check", "awaiting_docs", "recognition", "approval" }, "rejected", R | A, "rs" },
    { "withdraw", { "intake", "doc_check", "awaiting_docs", "recognition", "approval", "fulfilment", "suspended" },
      "withdrawn", C | ST, "rs" },
    { "suspend", { "intake", "doc_check", "awaiting_docs", "recognition", "approval", "fulfilment" },
      "suspended", C | R | A | S, "rs" },
    { "resume", { "suspended" }, "doc_check", C | R | A | S, "rs" },
};
#define NPOLICY ((int)(sizeof policy / sizeof policy[0]))

static const char *const all_states[] = { "intake", "doc_check", "awaiting_docs", "recognition", "approval",
                                          "fulfilment", "closed", "rejected", "withdrawn", "suspended" };
#define NSTATES ((int)(sizeof all_states / sizeof all_states[0]))

static bool in_from(int p, const char *state)
{
    for (int i = 0; policy[p].from[i]; i++)
        if (!strcmp(policy[p].from[i], state))
            return true;
    return false;
}

/* Puts a fresh case of `type` into `state` with every guard satisfied. */
static td_case primed(td_db *db, const char *type, const char *state)
{
    td_case c = wf_case(db, type);
    char sql[2048];
    wf_verify_docs(db, c.id);
    wf_score(db, c.id);
    snprintf(sql, sizeof sql,
             "UPDATE cases SET green_channel = 1, green_reason = 'test' WHERE id = '%s';"
             "UPDATE service_requests SET status = 'done' WHERE case_id = '%s';"
             "INSERT INTO case_events(id, case_id, seq, transition, from_state, to_state, approval, at, created_at, updated_at) "
             "VALUES('ap-%s', '%s', 0, 'approve', 'approval', 'fulfilment', %d, '2000-01-01T00:00:00.000Z', 'x', 'x');",
             c.id, c.id, c.id, c.id, strcmp(state, "fulfilment") == 0 || strcmp(state, "closed") == 0);
    wf_sql(db, sql);
    wf_force(db, c.id, !strcmp(state, "suspended") ? "doc_check" : "intake", state);
    if (!strcmp(state, "approval")) {
        for (int d = 0; d < 2; d++) {
            char id[TD_UUID_LEN];
            td_uuid7(id);
            snprintf(sql, sizeof sql,
                     "INSERT INTO signoffs(id, case_id, round, transition, department_id, status, created_at, updated_at) "
                     "VALUES('%s', '%s', (SELECT id FROM case_events WHERE case_id = '%s' ORDER BY seq DESC LIMIT 1), "
                     "'approve', '%s', 'approved', 'x', 'x')",
                     id, c.id, c.id, d ? "kjj" : "rsj");
            wf_sql(db, sql);
        }
    }
    return wf_get(db, c.id);
}

static void test_load_current(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_err err;
    td_err_clear(&err);
    char v[TD_UUID_LEN];
    assert_td_ok(td_wf_current_version(db, v, &err), &err);
    const td_wf *wf;
    assert_td_ok(td_wf_get(db, v, &wf, &err), &err);
    assert_int_equal(td_wf_state_count(wf), NSTATES);
    for (int i = 0; i < NSTATES; i++)
        assert_true(strcmp(td_wf_state_label(wf, all_states[i]), all_states[i]) != 0);
    assert_string_equal(td_wf_initial(wf), "intake");
    assert_string_equal(td_wf_state_label(wf, "awaiting_docs"), "待补正");
    assert_true(td_wf_state_terminal(wf, "closed"));
    assert_false(td_wf_state_terminal(wf, "suspended"));
    assert_int_equal(td_wf_notice_days(wf), 5);
    assert_string_equal(td_wf_on_docs_incomplete(wf), "request_docs");
    assert_string_equal(td_wf_on_docs_supplied(wf), "supply");
    assert_true(td_wf_transition_auto(wf, "request_docs"));
    assert_int_equal(td_wf_green_roles(wf), TD_ROLE_APPROVER | TD_ROLE_ADMIN);
    /* The data matches the policy table above, transition by transition. */
    for (int p = 0; p < NPOLICY; p++) {
        assert_int_equal(td_wf_transition_roles(wf, policy[p].name), policy[p].roles);
        for (int k = 0; k < NSTATES; k++)
            assert_int_equal(td_wf_transition_from(wf, policy[p].name, all_states[k]), in_from(p, all_states[k]));
    }
    /* Same content again: no new version. */
    long before = wf_count(db, "SELECT count(*) FROM policy_versions WHERE kind = 'workflow'");
    char path[4096], v2[TD_UUID_LEN];
    snprintf(path, sizeof path, "%s/data/workflow.tdp", td_test_src_dir());
    assert_td_ok(td_wf_load_file(db, path, NULL, v2, &err), &err);
    assert_string_equal(v, v2);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM policy_versions WHERE kind = 'workflow'"), before);
    td_db_close(db);
}

/* A minimal valid workflow; each bad case replaces one line. */
static const char base_wf[] =
    "[workflow w]\n"                     /* 1 */
    "initial = a\n"                      /* 2 */
    "[state a]\n"                        /* 3 */
    "name = A\n"                         /* 4 */
    "[state b]\n"                        /* 5 */
    "name = B\n"                         /* 6 */
    "terminal = yes\n"                   /* 7 */
    "[transition go]\n"                  /* 8 */
    "label = 前进\n"                     /* 9 */
    "from = a\n"                         /* 10 */
    "to = b\n"                           /* 11 */
    "roles = clerk\n"                    /* 12 */
    "guards = has_services\n"            /* 13 */
    "effects = stamp_closed\n";          /* 14 */

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *find, *replace, *expect;
    } bad[] = {
        { "to = b\n", "to = nowhere\n", "workflow.tdp:11:" },
        { "from = a\n", "from = a, zz\n", "workflow.tdp:10:" },
        { "roles = clerk\n", "roles = clerk, janitor\n", "workflow.tdp:12:" },
        { "guards = has_services\n", "guards = has_services, is_friday\n", "workflow.tdp:13:" },
        { "effects = stamp_closed\n", "effects = launch_rocket\n", "workflow.tdp:14:" },
        { "initial = a\n", "initial = q\n", "workflow.tdp:2:" },
        { "terminal = yes\n", "terminal = maybe\n", "workflow.tdp:7:" },
        { "label = 前进\n", "label = 前进\nsignoff = rsj\n", "workflow.tdp:10:" },
        { "label = 前进\n", "label = 前进\nexception = yes\n", "workflow.tdp:8:" },
        { "label = 前进\n", "label = 前进\ncolour = red\n", "workflow.tdp:10:" },
        { "[state b]\n", "[state c]\nname = C\n[state b]\n", "workflow.tdp:5:" },            /* unreachable c */
        { "[state b]\n", "[state a]\nname = again\n[state b]\n", "workflow.tdp:5:" },       /* duplicate */
        { "effects = stamp_closed\n", "effects = stamp_closed\n[transition back]\nlabel = x\nfrom = b\nto = a\nroles = clerk\n", "workflow.tdp:15:" },
        { "[workflow w]\n", "[workflow w]\n[widget x]\n", "workflow.tdp:2:" },
        { "roles = clerk\n", "\n", "workflow.tdp:8:" },                                       /* no roles */
    };
    td_err err;
    td_wf *wf = NULL;
    td_err_clear(&err);
    assert_td_ok(td_wf_parse("workflow.tdp", base_wf, strlen(base_wf), &wf, &err), &err);
    td_wf_free(wf);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[4096];
        const char *at = strstr(base_wf, bad[i].find);
        assert_non_null(at);
        snprintf(text, sizeof text, "%.*s%s%s", (int)(at - base_wf), base_wf, bad[i].replace,
                 at + strlen(bad[i].find));
        td_err_clear(&err);
        wf = NULL;
        td_status s = td_wf_parse("workflow.tdp", text, strlen(text), &wf, &err);
        if (s != TD_EPOLICY || strncmp(err.msg, bad[i].expect, strlen(bad[i].expect)) != 0)
            fail_msg("case %zu: got %d '%s', want %s", i, (int)s, err.msg, bad[i].expect);
        assert_null(wf);
        assert_true(wf_has_cjk(err.msg));
    }
}

static void test_load_writes_nothing_on_error(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_err err;
    td_err_clear(&err);
    long before = wf_count(db, "SELECT count(*) FROM policy_versions");
    char v0[TD_UUID_LEN], v1[TD_UUID_LEN];
    assert_td_ok(td_wf_current_version(db, v0, &err), &err);
    /* A department that does not exist. */
    char text[4096];
    snprintf(text, sizeof text, "%s", base_wf);
    char *p = strstr(text, "effects = stamp_closed\n");
    snprintf(p, sizeof text - (size_t)(p - text), "guards = signoffs_complete\nsignoff = rsj, nosuchdept\n");
    td_status s = td_wf_load_text(db, "workflow.tdp", text, strlen(text), NULL, NULL, &err);
    assert_int_equal(s, TD_EPOLICY);
    assert_non_null(strstr(err.msg, "workflow.tdp:15:"));
    assert_non_null(strstr(err.msg, "nosuchdept"));
    assert_int_equal(wf_count(db, "SELECT count(*) FROM policy_versions"), before);
    assert_td_ok(td_wf_current_version(db, v1, &err), &err);
    assert_string_equal(v0, v1);
    td_db_close(db);
}

/* Every transition × every role × every from-state (and every other state). */
static void test_transition_matrix(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor actors[WF_NROLES];
    for (int r = 0; r < WF_NROLES; r++)
        actors[r] = td_test_actor(db, wf_role_users[r].user);
    int allowed = 0, denied = 0;
    for (int p = 0; p < NPOLICY; p++) {
        for (int t = 0; t < 2; t++) {
            const char *type = t ? "service" : "recognition";
            bool applies = strchr(policy[p].types, t ? 's' : 'r') != NULL;
            for (int k = 0; k < NSTATES; k++) {
                bool from = in_from(p, all_states[k]);
                for (int r = 0; r < WF_NROLES; r++) {
                    bool role_ok = (policy[p].roles & wf_role_users[r].role) != 0;
                    /* Outside the from-states (or the case type) only the
                     * roles that would be allowed are tried: others are
                     * covered where the state is right. */
                    if ((!from || !applies) && !role_ok)
                        continue;
                    td_case c = primed(db, type, all_states[k]);
                    long audit0 = wf_audit_rows(db);
                    td_err err;
                    td_err_clear(&err);
                    td_wf_result res;
                    td_status s = td_wf_act(db, &actors[r], c.id, policy[p].name, "测试原因", 0, &res, &err);
                    td_case after = wf_get(db, c.id);
                    if (from && applies && role_ok) {
                        if (s != TD_OK)
                            fail_msg("%s from %s (%s) by %s: %d %s", policy[p].name, all_states[k], type,
                                     wf_role_users[r].user, (int)s, err.msg);
                        assert_string_equal(after.state, policy[p].to);
                        assert_string_equal(res.to, policy[p].to);
                        assert_true(after.row_version > c.row_version);
                        assert_true(wf_audit_rows(db) > audit0);
                        allowed++;
                    } else {
                        if (s != TD_EDENIED)
                            fail_msg("%s from %s (%s) by %s: expected denial, got %d %s", policy[p].name,
                                     all_states[k], type, wf_role_users[r].user, (int)s, err.msg);
                        assert_true(wf_has_cjk(err.msg));
                        assert_string_equal(after.state, c.state);
                        assert_int_equal(after.row_version, c.row_version);
                        assert_int_equal(wf_audit_rows(db), audit0);
                        denied++;
                    }
                }
            }
        }
    }
    assert_true(allowed > 50);
    assert_true(denied > 300);
    td_db_close(db);
}

static void test_auto_transition_not_by_hand(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case c = primed(db, "recognition", "doc_check");
    for (int r = 0; r < WF_NROLES; r++) {
        td_actor a = td_test_actor(db, wf_role_users[r].user);
        td_err err;
        td_err_clear(&err);
        assert_int_equal(td_wf_act(db, &a, c.id, "request_docs", NULL, 0, NULL, &err), TD_EDENIED);
        assert_true(wf_has_cjk(err.msg));
    }
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_wf_act(db, &clerk, c.id, "fly_away", NULL, 0, NULL, &err), TD_EINVALID);
    assert_int_equal(td_wf_act(db, &clerk, "CQ-1999-000001", "submit", NULL, 0, NULL, &err), TD_ENOTFOUND);
    td_db_close(db);
}

static void test_four_eyes(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor admin = td_test_actor(db, "admin");
    td_err err;
    td_err_clear(&err);
    char id[TD_UUID_LEN];
    assert_td_ok(td_user_add(db, &admin, "both", "窗口兼审批", "CQ", NULL, TD_ROLE_CLERK | TD_ROLE_APPROVER, id, &err),
                 &err);
    td_actor both = td_test_actor(db, "both");
    static const char *const svc[] = { "enterprise_setup", NULL };
    /* Service case (no score, no 联审): the only obstacle is four-eyes. */
    td_case c = wf_case_with(db, "both", "service", svc);
    wf_verify_docs(db, c.id);
    assert_td_ok(td_wf_act(db, &both, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &both, c.id, "docs_ok_service", NULL, 0, NULL, &err), &err);
    td_case before = wf_get(db, c.id);
    long audit0 = wf_audit_rows(db);
    assert_int_equal(td_wf_act(db, &both, c.id, "approve_service", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "四眼"));
    assert_int_equal(td_wf_act(db, &both, c.id, "exception_approve", "特殊情况", 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "四眼"));
    td_case after = wf_get(db, c.id);
    assert_string_equal(after.state, "approval");
    assert_int_equal(after.row_version, before.row_version);
    assert_int_equal(wf_audit_rows(db), audit0);
    /* The action list says why. */
    td_wf_action acts[TD_WF_MAX_ACTIONS];
    size_t n;
    assert_td_ok(td_wf_actions(db, &both, c.id, acts, TD_WF_MAX_ACTIONS, &n, &err), &err);
    bool seen = false;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(acts[i].name, "approve_service")) {
            seen = true;
            assert_false(acts[i].allowed);
            assert_non_null(strstr(acts[i].why, "四眼"));
        }
    }
    assert_true(seen);
    /* Another approver may. */
    td_actor ap = td_test_actor(db, "approver1");
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve_service", NULL, 0, NULL, &err), &err);
    assert_string_equal(wf_get(db, c.id).state, "fulfilment");
    td_db_close(db);
}

static void test_guards(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1"), rev = td_test_actor(db, "reviewer1"),
             ap = td_test_actor(db, "approver1"), spec = td_test_actor(db, "spec1");
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "recognition");
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    /* Documents not checked: no recognition. */
    assert_int_equal(td_wf_act(db, &clerk, c.id, "docs_ok", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "材料"));
    wf_verify_docs(db, c.id);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "docs_ok", NULL, 0, NULL, &err), &err);
    /* No score: no approval. */
    assert_int_equal(td_wf_act(db, &rev, c.id, "submit_approval", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "评分"));
    /* A deleted snapshot does not count. */
    wf_score(db, c.id);
    wf_sql(db, "DROP TRIGGER score_snapshots_no_update");
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE score_snapshots SET deleted_at = 'x' WHERE case_id = '%s'", c.id);
    wf_sql(db, sql);
    assert_int_equal(td_wf_act(db, &rev, c.id, "submit_approval", NULL, 0, NULL, &err), TD_EDENIED);
    wf_score(db, c.id);
    assert_td_ok(td_wf_act(db, &rev, c.id, "submit_approval", NULL, 0, NULL, &err), &err);
    /* 联审 rows were opened for both departments. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signoffs WHERE case_id = '%s' AND status = 'pending'", c.id);
    assert_int_equal(wf_count(db, sql), 2);
    assert_int_equal(td_wf_act(db, &ap, c.id, "approve", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "联审"));
    wf_sign_all(db, c.id);
    td_wf_result res;
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve", NULL, 0, &res, &err), &err);
    assert_string_equal(res.to, "fulfilment");
    assert_int_equal(res.tasks_started, 1);
    /* Approval issues the 人才服务码 for the scored tier ("leading"). */
    assert_false(res.talent_code_skipped);
    assert_true(res.talent_code_issued);
    assert_true(strncmp(res.talent_code, "CQ-", 3) == 0);
    /* The case is assigned to its specialist. */
    td_case f = wf_get(db, c.id);
    assert_string_equal(f.assignee_id, spec.user_id);
    /* Closing needs every task finished. */
    assert_int_equal(td_wf_act(db, &spec, c.id, "close", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "1"));
    snprintf(sql, sizeof sql, "UPDATE service_requests SET status = 'cancelled', reason = '' WHERE case_id = '%s'", c.id);
    wf_sql(db, sql);
    assert_int_equal(td_wf_act(db, &spec, c.id, "close", NULL, 0, NULL, &err), TD_EDENIED); /* no reason */
    snprintf(sql, sizeof sql, "UPDATE service_requests SET reason = '申请人放弃' WHERE case_id = '%s'", c.id);
    wf_sql(db, sql);
    assert_td_ok(td_wf_act(db, &spec, c.id, "close", NULL, 0, &res, &err), &err);
    f = wf_get(db, c.id);
    assert_string_equal(f.state, "closed");
    assert_true(f.closed_at[0] != '\0');
    assert_string_equal(f.due_date, "");
    /* Terminal: nothing more is possible. */
    td_wf_action acts[TD_WF_MAX_ACTIONS];
    size_t n;
    assert_td_ok(td_wf_actions(db, &clerk, c.id, acts, TD_WF_MAX_ACTIONS, &n, &err), &err);
    assert_int_equal(n, 0);
    td_db_close(db);
}

static td_status fake_code(td_db *db, const td_actor *by, const char *case_id, char code_out[32], td_err *err)
{
    (void)by;
    (void)err;
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE cases SET talent_code = 'TC-TEST-0001' WHERE id = '%s'", case_id);
    sqlite3_exec(td_db_handle(db), sql, NULL, NULL, NULL);
    snprintf(code_out, 32, "TC-TEST-0001");
    return TD_OK;
}

static td_status failing_code(td_db *db, const td_actor *by, const char *case_id, char code_out[32], td_err *err)
{
    (void)db;
    (void)by;
    (void)case_id;
    (void)code_out;
    return td_err_set(err, TD_EINVALID, "no tier");
}

static void test_talent_code_hook(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_wf_set_effect_hook("start_tasks", fake_code), TD_EINVALID);
    assert_td_ok(td_wf_set_effect_hook("issue_talent_code", fake_code), &err);
    td_case c = primed(db, "recognition", "approval");
    td_wf_result res;
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve", NULL, 0, &res, &err), &err);
    assert_true(res.talent_code_issued);
    assert_false(res.talent_code_skipped);
    assert_string_equal(res.talent_code, "TC-TEST-0001");
    assert_string_equal(wf_get(db, c.id).talent_code, "TC-TEST-0001");
    assert_int_equal(res.row_version, wf_get(db, c.id).row_version);
    /* A failing hook fails the whole approval: nothing changes. */
    assert_td_ok(td_wf_set_effect_hook("issue_talent_code", failing_code), &err);
    c = primed(db, "recognition", "approval");
    long audit0 = wf_audit_rows(db);
    assert_int_equal(td_wf_act(db, &ap, c.id, "approve", NULL, 0, &res, &err), TD_EINVALID);
    assert_string_equal(wf_get(db, c.id).state, "approval");
    assert_int_equal(wf_audit_rows(db), audit0);
    td_wf_set_effect_hook("issue_talent_code", NULL);
    td_db_close(db);
}

static void test_green_channel(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1"), ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "recognition");
    assert_int_equal(td_wf_act(db, &clerk, c.id, "green_track", NULL, 0, NULL, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "绿色通道"));
    /* Only authorised roles, and only with a reason. */
    assert_int_equal(td_wf_green_set(db, &clerk, c.id, "顶尖人才", 0, &err), TD_EDENIED);
    assert_int_equal(td_wf_green_set(db, &ap, c.id, "  ", 0, &err), TD_EINVALID);
    assert_int_equal(td_wf_green_set(db, &ap, c.id, "顶尖人才", 99, &err), TD_ECONFLICT);
    assert_td_ok(td_wf_green_set(db, &ap, c.id, "顶尖人才，随时认定", 0, &err), &err);
    assert_int_equal(td_wf_green_set(db, &ap, c.id, "again", 0, &err), TD_EINVALID);
    td_case g = wf_get(db, c.id);
    assert_true(g.green_channel);
    assert_string_equal(g.green_reason, "顶尖人才，随时认定");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE case_id = '%s' AND action = 'case.green' "
                              "AND reason = '顶尖人才，随时认定'", c.id);
    assert_int_equal(wf_count(db, sql), 1);
    /* The shorter path: straight from intake to approval. */
    assert_td_ok(td_wf_act(db, &clerk, c.id, "green_track", NULL, 0, NULL, &err), &err);
    assert_string_equal(wf_get(db, c.id).state, "approval");
    td_db_close(db);
}

static void test_exception_decision(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "recognition");
    wf_force(db, c.id, "doc_check", "recognition");
    /* No score, no 联审 — but no written reason either. */
    assert_int_equal(td_wf_act(db, &ap, c.id, "exception_approve", "", 0, NULL, &err), TD_EINVALID);
    assert_true(wf_has_cjk(err.msg));
    assert_int_equal(td_wf_act(db, &ap, c.id, "exception_approve", " \t", 0, NULL, &err), TD_EINVALID);
    assert_int_equal(td_wf_act(db, &ap, c.id, "exception_approve", "bad\x1b[2J", 0, NULL, &err), TD_EINVALID);
    td_wf_result res;
    assert_td_ok(td_wf_act(db, &ap, c.id, "exception_approve", "一人一策：引进急需的领军团队", 0, &res, &err), &err);
    assert_string_equal(res.to, "fulfilment");
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM case_events WHERE case_id = '%s' AND exception = 1 "
                              "AND approval = 1 AND reason = '一人一策：引进急需的领军团队'", c.id);
    assert_int_equal(wf_count(db, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE case_id = '%s' AND action = 'case.exception'", c.id);
    assert_int_equal(wf_count(db, sql), 1);
    td_db_close(db);
}

static void test_suspend_resume_and_returns(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1"), rev = td_test_actor(db, "reviewer1");
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "recognition");
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_int_equal(td_wf_act(db, &clerk, c.id, "suspend", NULL, 0, NULL, &err), TD_EINVALID);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "suspend", "申请人出国", 0, NULL, &err), &err);
    assert_string_equal(wf_get(db, c.id).state, "suspended");
    td_wf_action acts[TD_WF_MAX_ACTIONS];
    size_t n;
    assert_td_ok(td_wf_actions(db, &rev, c.id, acts, TD_WF_MAX_ACTIONS, &n, &err), &err);
    bool seen = false;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(acts[i].name, "resume")) {
            seen = true;
            assert_string_equal(acts[i].to, "doc_check");
            assert_true(acts[i].allowed);
        }
    assert_true(seen);
    assert_td_ok(td_wf_act(db, &rev, c.id, "resume", NULL, 0, NULL, &err), &err);
    td_case r = wf_get(db, c.id);
    assert_string_equal(r.state, "doc_check");
    assert_true(r.due_date[0] != '\0'); /* the step's deadline is set again */
    /* Return with reason from document check back to intake. */
    assert_int_equal(td_wf_act(db, &rev, c.id, "return_intake", NULL, 0, NULL, &err), TD_EINVALID);
    assert_td_ok(td_wf_act(db, &rev, c.id, "return_intake", "照片不清晰，请重新受理", 0, NULL, &err), &err);
    assert_string_equal(wf_get(db, c.id).state, "intake");
    /* Withdraw cancels the open tasks with the reason. */
    assert_td_ok(td_wf_act(db, &clerk, c.id, "withdraw", "申请人撤回申请", 0, NULL, &err), &err);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM service_requests WHERE case_id = '%s' AND status = 'cancelled' "
                              "AND reason LIKE '%%申请人撤回申请%%'", c.id);
    assert_int_equal(wf_count(db, sql), 1);
    td_case w = wf_get(db, c.id);
    assert_string_equal(w.state, "withdrawn");
    assert_true(w.closed_at[0] != '\0');
    /* History: every step recorded with who and why. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM case_events WHERE case_id = '%s'", c.id);
    assert_int_equal(wf_count(db, sql), 5);
    td_db_close(db);
}

static void test_stale_write_refused(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1"), clerk2 = td_test_actor(db, "clerk2");
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "recognition");
    long seen = c.row_version;
    /* Someone else acts first. */
    assert_td_ok(td_wf_act(db, &clerk2, c.id, "suspend", "等待补充信息", seen, NULL, &err), &err);
    td_case mid = wf_get(db, c.id);
    long audit0 = wf_audit_rows(db);
    long events0 = wf_count(db, "SELECT count(*) FROM case_events");
    /* Our clerk acts on what they saw: refused, nothing changed. */
    td_status s = td_wf_act(db, &clerk, c.id, "withdraw", "申请人撤回", seen, NULL, &err);
    assert_int_equal(s, TD_ECONFLICT);
    assert_string_equal(err.msg, "此案件已被他人修改，请刷新后重试");
    td_case after = wf_get(db, c.id);
    assert_string_equal(after.state, mid.state);
    assert_int_equal(after.row_version, mid.row_version);
    assert_int_equal(wf_audit_rows(db), audit0);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM case_events"), events0);
    /* After refreshing, it works. */
    assert_td_ok(td_wf_act(db, &clerk, c.id, "withdraw", "申请人撤回", after.row_version, NULL, &err), &err);
    td_db_close(db);
}

static void test_version_pinned(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    td_case old = wf_case(db, "recognition");
    char v1[TD_UUID_LEN];
    assert_td_ok(td_wf_current_version(db, v1, &err), &err);
    assert_string_equal(old.workflow_version, v1);
    /* A new workflow without suspension. */
    char path[4096];
    snprintf(path, sizeof path, "%s/data/workflow.tdp", td_test_src_dir());
    td_pf *pf;
    assert_td_ok(td_pf_load(path, &pf, &err), &err);
    char *text = strdup(pf->content);
    td_pf_free(pf);
    char *cut = strstr(text, "[transition suspend]");
    assert_non_null(cut);
    char *end = strstr(cut, "[transition resume]");
    assert_non_null(end);
    char *resume_end = strstr(end, "effects = set_step_due\n");
    memmove(cut, resume_end + strlen("effects = set_step_due\n"), strlen(resume_end + strlen("effects = set_step_due\n")) + 1);
    /* suspended is now unreachable: the loader must say so. */
    assert_int_equal(td_wf_load_text(db, "workflow.tdp", text, strlen(text), NULL, NULL, &err), TD_EPOLICY);
    assert_non_null(strstr(err.msg, "suspended"));
    char *st = strstr(text, "[state suspended]");
    assert_non_null(st);
    char *st_end = strstr(st, "terminal = no\n");
    memmove(st, st_end + strlen("terminal = no\n"), strlen(st_end + strlen("terminal = no\n")) + 1);
    char v2[TD_UUID_LEN];
    assert_td_ok(td_wf_load_text(db, "workflow.tdp", text, strlen(text), NULL, v2, &err), &err);
    assert_string_not_equal(v1, v2);
    /* A → B → A: loading the first content again makes it current again,
     * without a new version row. */
    long nver = wf_count(db, "SELECT count(*) FROM policy_versions WHERE kind = 'workflow'");
    snprintf(path, sizeof path, "%s/data/workflow.tdp", td_test_src_dir());
    char v3[TD_UUID_LEN], cur[TD_UUID_LEN];
    assert_td_ok(td_wf_load_file(db, path, NULL, v3, &err), &err);
    assert_string_equal(v3, v1);
    assert_td_ok(td_wf_current_version(db, cur, &err), &err);
    assert_string_equal(cur, v1);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM policy_versions WHERE kind = 'workflow'"), nver);
    assert_td_ok(td_wf_load_text(db, "workflow.tdp", text, strlen(text), NULL, v3, &err), &err);
    assert_string_equal(v3, v2);
    assert_td_ok(td_wf_current_version(db, cur, &err), &err);
    assert_string_equal(cur, v2);
    free(text);
    td_case neu = wf_case(db, "recognition");
    assert_string_equal(neu.workflow_version, v2);
    /* The old case keeps its version: it can still be suspended. */
    assert_td_ok(td_wf_act(db, &clerk, old.id, "suspend", "旧流程", 0, NULL, &err), &err);
    assert_int_equal(td_wf_act(db, &clerk, neu.id, "suspend", "新流程", 0, NULL, &err), TD_EINVALID);
    td_db_close(db);
}

static void test_reason_and_audit_recorded(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    td_case c = wf_case(db, "service");
    assert_td_ok(td_wf_act(db, &clerk, c.id, "refuse", "不属于本窗口受理范围", 0, NULL, &err), &err);
    char sql[512], buf[256];
    snprintf(sql, sizeof sql, "SELECT old_value || '>' || new_value || '|' || reason || '|' || user_id FROM audit_log "
                              "WHERE case_id = '%s' AND action = 'case.transition'", c.id);
    wf_text(db, sql, buf, sizeof buf);
    char want[256];
    snprintf(want, sizeof want, "intake>rejected|不属于本窗口受理范围|%s", clerk.user_id);
    assert_string_equal(buf, want);
    td_audit_report rep;
    assert_td_ok(td_audit_verify(db, &rep, &err), &err);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_current),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_load_writes_nothing_on_error),
        cmocka_unit_test(test_transition_matrix),
        cmocka_unit_test(test_auto_transition_not_by_hand),
        cmocka_unit_test(test_four_eyes),
        cmocka_unit_test(test_guards),
        cmocka_unit_test(test_talent_code_hook),
        cmocka_unit_test(test_green_channel),
        cmocka_unit_test(test_exception_decision),
        cmocka_unit_test(test_suspend_resume_and_returns),
        cmocka_unit_test(test_stale_write_refused),
        cmocka_unit_test(test_version_pinned),
        cmocka_unit_test(test_reason_and_audit_recorded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
