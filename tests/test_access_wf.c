/* test_access_wf.c — issue 10 item 5: every workflow transition of
 * data/workflow.tdp × every role, tried through the real core call
 * (td_wf_act), allowed or refused as the workflow data says.
 *
 * For each transition, each non-terminal state it leaves and each role, a
 * fresh case is walked through the engine to that state (td_wf_demo_advance,
 * as the demo users), every guard the transition names is then satisfied
 * (documents verified, a score, sign-offs approved, green channel, tasks
 * finished), and the single-role user tries it:
 *   - a role the data lists: TD_OK and the case is in the target state;
 *   - any other role: TD_EDENIED with the role refusal of the core
 *     (td_actor_require's message), case unchanged;
 *   - an automatic transition (auto = yes): refused for every role;
 * and td_wf_actions agrees (the action is offered as allowed exactly to the
 * roles the data lists). */
#include "test_util.h"
#include "wf_fixture.h"

#include "workflow/wf_tasks.h"

#include <stdio.h>
#include <string.h>

static void prepare(td_db *db, const td_case *c)
{
    char sql[512];
    wf_verify_docs(db, c->id);
    wf_sign_all(db, c->id);
    snprintf(sql, sizeof sql,
             "UPDATE cases SET green_channel = 1, green_reason = '测试' WHERE id = '%s';"
             "UPDATE service_requests SET status = 'done' WHERE case_id = '%s' "
             "AND status IN ('pending', 'in_progress')",
             c->id, c->id);
    wf_sql(db, sql);
}

/* A case of type `type` in `state`, walked there by the engine. */
static td_case case_at(td_db *db, const char *type, const char *state)
{
    td_case c = wf_case(db, type);
    if (!strcmp(type, "recognition"))
        wf_score(db, c.id);
    td_actor clerk = td_test_actor(db, "clerk1"), rev = td_test_actor(db, "reviewer1"),
             appr = td_test_actor(db, "approver1"), spec = td_test_actor(db, "spec1");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_demo_advance(db, c.id, state, &clerk, &rev, &appr, &spec, &err), &err);
    c = wf_get(db, c.id);
    assert_string_equal(c.state, state);
    return c;
}

/* Whether td_wf_actions offers `name` on c to a as allowed (-1: not listed). */
static int offered(td_db *db, const td_actor *a, const td_case *c, const char *name)
{
    td_wf_action acts[TD_WF_MAX_ACTIONS];
    size_t n = 0;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_actions(db, a, c->id, acts, TD_WF_MAX_ACTIONS, &n, &err), &err);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(acts[i].name, name))
            return acts[i].allowed ? 1 : 0;
    return -1;
}

static void test_transition_role_matrix(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_case probe = wf_case(db, "recognition");
    const td_wf *wf;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_wf_for_case(db, &probe, &wf, &err), &err);

    int tried = 0, allowed_ok = 0, refused_ok = 0, transitions = 0;
    for (size_t t = 0; t < td_wf_transition_count(wf); t++) {
        const char *name = td_wf_transition_name(wf, t);
        unsigned roles = td_wf_transition_roles(wf, name);
        bool is_auto = td_wf_transition_auto(wf, name);
        unsigned types = td_wf_transition_case_types(wf, name);
        const char *type = (types & 1) ? "recognition" : "service";
        int states = 0;
        transitions++;
        for (size_t k = 0; k < td_wf_state_count(wf); k++) {
            const char *from = td_wf_state_code(wf, k);
            if (td_wf_state_terminal(wf, from) || !td_wf_transition_from(wf, name, from))
                continue;
            if (!strcmp(type, "service") && !strcmp(from, "recognition"))
                continue; /* a service case never passes recognition */
            states++;
            /* one case for every refused role (a refusal changes nothing) */
            td_case shared = case_at(db, type, from);
            prepare(db, &shared);
            for (int r = 0; r < WF_NROLES; r++) {
                td_actor a = td_test_actor(db, wf_role_users[r].user);
                bool allowed = !is_auto && (roles & wf_role_users[r].role);
                td_case c = allowed ? case_at(db, type, from) : shared;
                if (allowed)
                    prepare(db, &c);
                c = wf_get(db, c.id);
                int off = offered(db, &a, &c, name);
                td_wf_result res;
                memset(&res, 0, sizeof res);
                td_err_clear(&err);
                td_status s = td_wf_act(db, &a, c.id, name, "测试理由", 0, &res, &err);
                td_case after = wf_get(db, c.id);
                tried++;
                if (allowed) {
                    if (s != TD_OK)
                        fail_msg("%s from %s by %s: expected allowed, got %d: %s", name, from,
                                 wf_role_users[r].user, (int)s, err.msg);
                    assert_string_equal(res.from, from);
                    assert_string_equal(after.state, res.to);
                    const char *to = td_wf_transition_to(wf, name);
                    if (strcmp(to, "@previous") != 0)
                        assert_string_equal(after.state, to);
                    if (off != 1)
                        fail_msg("%s from %s: td_wf_actions does not offer it to %s", name, from,
                                 wf_role_users[r].user);
                    allowed_ok++;
                } else {
                    if (s != TD_EDENIED)
                        fail_msg("%s from %s by %s: expected refused, got %d (%s)", name, from,
                                 wf_role_users[r].user, (int)s, err.msg);
                    if (!is_auto) {
                        td_err want;
                        td_err_clear(&want);
                        assert_int_equal(td_actor_require(&a, roles, &want), TD_EDENIED);
                        assert_string_equal(err.msg, want.msg); /* refused for the role, not a guard */
                    }
                    assert_string_equal(after.state, c.state);
                    assert_int_equal(after.row_version, c.row_version);
                    if (off == 1)
                        fail_msg("%s from %s: td_wf_actions offers it to %s", name, from, wf_role_users[r].user);
                    refused_ok++;
                }
            }
        }
        if (!states)
            fail_msg("transition %s leaves no state a test case can reach", name);
    }
    print_message("%d transitions, %d tries: %d allowed, %d refused\n", transitions, tried, allowed_ok, refused_ok);
    /* the data has transitions, each allowed to someone and refused to someone */
    assert_cmp(transitions, >=, 20);
    assert_cmp(allowed_ok, >, 0);
    assert_cmp(refused_ok, >, allowed_ok);
    assert_int_equal(tried, allowed_ok + refused_ok);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transition_role_matrix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
