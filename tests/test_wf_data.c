/* test_wf_data.c — the workflow file format in detail (every guard and
 * effect name, every key, value checks, references between sections) and
 * the action list as a screen sees it, state by state and role by role. */
#include "wf_fixture.h"

#include "base/i18n.h"

static const char head[] = "[workflow w]\n"
                           "initial = a\n"
                           "[state a]\n"
                           "name = A\n"
                           "[state z]\n"
                           "name = Z\n"
                           "terminal = yes\n";

/* Parses head + extra; returns the status and keeps the message. */
static td_status parse_with(const char *extra, td_err *err, td_wf **out)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", head, extra);
    td_wf *wf = NULL;
    td_err_clear(err);
    td_status s = td_wf_parse("workflow.tdp", text, strlen(text), &wf, err);
    if (out)
        *out = wf;
    else
        td_wf_free(wf);
    return s;
}

static void test_every_guard_and_effect_name(void **state)
{
    (void)state;
    static const char *const guards[] = { "has_services", "docs_complete", "notice_issued", "green", "has_score",
                                          "four_eyes", "approved", "tasks_finished" };
    static const char *const effects[] = { "set_step_due", "notice_deadline", "start_tasks", "cancel_tasks",
                                           "assign_specialist", "stamp_closed", "issue_talent_code", "reset_tasks" };
    td_err err;
    char extra[512];
    for (size_t i = 0; i < sizeof guards / sizeof guards[0]; i++) {
        snprintf(extra, sizeof extra, "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\nguards = %s\n",
                 guards[i]);
        if (parse_with(extra, &err, NULL) != TD_OK)
            fail_msg("guard %s: %s", guards[i], err.msg);
    }
    for (size_t i = 0; i < sizeof effects / sizeof effects[0]; i++) {
        snprintf(extra, sizeof extra, "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\neffects = %s\n",
                 effects[i]);
        if (parse_with(extra, &err, NULL) != TD_OK)
            fail_msg("effect %s: %s", effects[i], err.msg);
    }
    /* signoffs_complete needs departments, and departments need it. */
    assert_int_equal(parse_with("[transition t]\nlabel = T\nfrom = a\nto = z\nroles = approver\n"
                                "guards = signoffs_complete\nsignoff = rsj, kjj\n",
                                &err, NULL),
                     TD_OK);
}

static void test_every_role_name(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        unsigned bit;
    } roles[] = {
        { "clerk", TD_ROLE_CLERK },       { "reviewer", TD_ROLE_REVIEWER }, { "approver", TD_ROLE_APPROVER },
        { "signer", TD_ROLE_SIGNER },     { "specialist", TD_ROLE_SPECIALIST }, { "station", TD_ROLE_STATION },
        { "admin", TD_ROLE_ADMIN },
    };
    td_err err;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        char extra[256];
        snprintf(extra, sizeof extra, "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = %s\n", roles[i].name);
        td_wf *wf;
        assert_td_ok(parse_with(extra, &err, &wf), &err);
        assert_int_equal(td_wf_transition_roles(wf, "t"), roles[i].bit);
        td_wf_free(wf);
    }
}

static void test_value_checks(void **state)
{
    (void)state;
    static const struct {
        const char *extra;
        const char *expect; /* "" = accepted */
    } cases[] = {
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\nreason_required = yes\n", "" },
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\nreason_required = 是\n", "" },
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\nreason_required = perhaps\n", ":13:" },
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\ncase_types = service\n", "" },
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\ncase_types = visa\n", ":13:" },
        { "[transition t]\nlabel = T\nfrom = *\nto = z\nroles = clerk\n", "" },
        { "[transition t]\nfrom = a\nto = z\nroles = clerk\n", ":8:" },                       /* no label */
        { "[transition t]\nlabel = T\nto = z\nroles = clerk\n", ":8:" },                       /* no from */
        { "[transition t]\nlabel = T\nfrom = a\nroles = clerk\n", ":8:" },                     /* no to */
        { "[transition T-1]\nlabel = T\nfrom = a\nto = z\nroles = clerk\n", ":8:" },           /* bad name */
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\n[transition t]\nlabel = U\nfrom = a\nto = z\nroles = clerk\n",
          ":13:" },                                                                           /* twice */
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\nsignoff = rsj, rsj\nguards = signoffs_complete\n",
          ":13:" },
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\nsignoff = RSJ!\nguards = signoffs_complete\n",
          ":13:" },
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\n[state q]\nname = Q\ndue_days = 0\n", ":15:" },
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\n[state q]\nname = Q\ndue_days = 3x\n", ":15:" },
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\n[state q]\n", ":13:" },  /* no name */
        { "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\non_signoff_return = nowhere\n", ":13:" },
        { "[transition t]\nlabel = T\nfrom = a\nto = @previous\nroles = clerk\n[transition u]\nlabel = U\nfrom = a\nto = z\nroles = clerk\n",
          "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        td_err err;
        td_status s = parse_with(cases[i].extra, &err, NULL);
        if (!cases[i].expect[0]) {
            if (s != TD_OK)
                fail_msg("case %zu rejected: %s", i, err.msg);
        } else if (s != TD_EPOLICY || !strstr(err.msg, cases[i].expect)) {
            fail_msg("case %zu: got %d '%s', want %s", i, (int)s, err.msg, cases[i].expect);
        }
    }
}

static void test_workflow_section_checks(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *expect;
    } cases[] = {
        { "[state a]\nname = A\n", "workflow.tdp:1:" },                                        /* no [workflow] */
        { "[workflow w]\ninitial = a\n[workflow v]\n[state a]\nname = A\n", "workflow.tdp:3:" }, /* two */
        { "[workflow w]\n[state a]\nname = A\nterminal = yes\n", "workflow.tdp:1:" },          /* no initial */
        { "[workflow w]\ninitial = a\n[state a]\nname = A\nterminal = yes\n", "workflow.tdp:2:" }, /* terminal initial */
        { "[workflow w]\ninitial = a\nnotice_days = 0\n[state a]\nname = A\n[state z]\nname = Z\nterminal = yes\n"
          "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\n",
          "workflow.tdp:3:" },
        { "[workflow w]\ninitial = a\non_docs_incomplete = nope\n[state a]\nname = A\n[state z]\nname = Z\nterminal = yes\n"
          "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\n",
          "workflow.tdp:3:" },
        { "[workflow w]\ninitial = a\ngreen_roles = admin, boss\n[state a]\nname = A\n[state z]\nname = Z\nterminal = yes\n"
          "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\n",
          "workflow.tdp:3:" },
        { "[workflow w]\ninitial = a\n[state a]\nname = A\n[state z]\nname = Z\n"
          "[transition t]\nlabel = T\nfrom = a\nto = z\nroles = clerk\n",
          "workflow.tdp:5:" },                                      /* no terminal: z is a dead end */
        { "[workflow w]\ninitial = a\n[state a]\nname = A\n[state b]\nname = B\n[state z]\nname = Z\nterminal = yes\n"
          "[transition t]\nlabel = T\nfrom = a\nto = b\nroles = clerk\n[transition u]\nlabel = U\nfrom = a\nto = z\nroles = clerk\n",
          "workflow.tdp:5:" },                                                                  /* b is a dead end */
        { "[workflow w]\ninitial = a\nshape = round\n", "workflow.tdp:3:" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        td_err err;
        td_err_clear(&err);
        td_wf *wf = NULL;
        td_status s = td_wf_parse("workflow.tdp", cases[i].text, strlen(cases[i].text), &wf, &err);
        if (s != TD_EPOLICY || strncmp(err.msg, cases[i].expect, strlen(cases[i].expect)) != 0)
            fail_msg("case %zu: got %d '%s', want %s", i, (int)s, err.msg, cases[i].expect);
        assert_null(wf);
    }
}

static void test_star_and_previous(void **state)
{
    (void)state;
    td_err err;
    td_wf *wf;
    assert_td_ok(parse_with("[state s]\nname = S\n"
                            "[transition go]\nlabel = G\nfrom = a\nto = z\nroles = clerk\n"
                            "[transition hold]\nlabel = H\nfrom = a\nto = s\nroles = clerk\n"
                            "[transition back]\nlabel = B\nfrom = s\nto = @previous\nroles = clerk\n"
                            "[transition quit]\nlabel = Q\nfrom = *\nto = z\nroles = station\n",
                            &err, &wf),
                 &err);
    assert_true(td_wf_transition_from(wf, "quit", "a"));
    assert_true(td_wf_transition_from(wf, "quit", "s"));
    assert_false(td_wf_transition_from(wf, "quit", "z")); /* * means every non-terminal state */
    assert_string_equal(td_wf_transition_to(wf, "back"), "@previous");
    assert_string_equal(td_wf_transition_to(wf, "go"), "z");
    assert_null(td_wf_transition_to(wf, "nope"));
    assert_int_equal(td_wf_transition_count(wf), 4);
    assert_string_equal(td_wf_transition_name(wf, 0), "go");
    assert_null(td_wf_transition_name(wf, 9));
    assert_string_equal(td_wf_transition_label(wf, "hold"), "H");
    assert_int_equal(td_wf_transition_case_types(wf, "go"), 3);
    assert_int_equal(td_wf_notice_days(wf), 5); /* default */
    assert_null(td_wf_on_docs_incomplete(wf));
    assert_string_equal(td_wf_state_label(wf, "unknown_state"), "unknown_state");
    assert_null(td_wf_state_code(wf, 99));
    td_wf_free(wf);
}

/* The policy of who may do what, state by state (service cases), as the
 * action list must show it: allowed entries for exactly these roles. */
static const struct {
    const char *state;
    const char *action;
    unsigned roles;
} expect_service[] = {
    { "intake", "submit", TD_ROLE_CLERK | TD_ROLE_STATION },
    { "intake", "refuse", TD_ROLE_CLERK | TD_ROLE_STATION },
    { "intake", "withdraw", TD_ROLE_CLERK | TD_ROLE_STATION },
    { "intake", "suspend", TD_ROLE_CLERK | TD_ROLE_REVIEWER | TD_ROLE_APPROVER | TD_ROLE_SPECIALIST },
    { "intake", "green_track", 0 }, /* not green: listed, allowed for nobody */
    { "doc_check", "docs_ok_service", 0 }, /* documents missing: nobody */
    { "doc_check", "return_intake", TD_ROLE_CLERK | TD_ROLE_REVIEWER },
    { "doc_check", "reject", TD_ROLE_REVIEWER | TD_ROLE_APPROVER },
    { "approval", "approve_service", TD_ROLE_APPROVER },
    { "approval", "exception_approve", TD_ROLE_APPROVER },
    { "approval", "return_check", TD_ROLE_REVIEWER | TD_ROLE_APPROVER },
    { "fulfilment", "close", 0 }, /* tasks open */
    { "fulfilment", "return_approval", TD_ROLE_APPROVER },
};

static void test_action_list_by_role(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_actor actors[WF_NROLES];
    for (int r = 0; r < WF_NROLES; r++)
        actors[r] = td_test_actor(db, wf_role_users[r].user);
    const char *states[] = { "intake", "doc_check", "approval", "fulfilment" };
    for (size_t si = 0; si < 4; si++) {
        td_case c = wf_case(db, "service");
        if (strcmp(states[si], "intake") != 0)
            wf_force(db, c.id, "intake", states[si]);
        if (!strcmp(states[si], "fulfilment")) {
            char sql[512];
            snprintf(sql, sizeof sql,
                     "INSERT INTO case_events(id, case_id, seq, transition, from_state, to_state, approval, at, "
                     "created_at, updated_at) VALUES('ap-%s', '%s', 0, 'approve_service', 'approval', 'fulfilment', 1, "
                     "'2000-01-01T00:00:00.000Z', 'x', 'x')",
                     c.id, c.id);
            wf_sql(db, sql);
        }
        for (int r = 0; r < WF_NROLES; r++) {
            td_wf_action acts[TD_WF_MAX_ACTIONS];
            size_t n;
            td_err err;
            td_err_clear(&err);
            assert_td_ok(td_wf_actions(db, &actors[r], c.id, acts, TD_WF_MAX_ACTIONS, &n, &err), &err);
            for (size_t e = 0; e < sizeof expect_service / sizeof expect_service[0]; e++) {
                if (strcmp(expect_service[e].state, states[si]) != 0)
                    continue;
                bool listed = false;
                for (size_t i = 0; i < n; i++) {
                    if (strcmp(acts[i].name, expect_service[e].action) != 0)
                        continue;
                    listed = true;
                    bool want = (expect_service[e].roles & wf_role_users[r].role) != 0;
                    if (acts[i].allowed != want)
                        fail_msg("%s/%s for %s: allowed=%d (%s)", states[si], acts[i].name, wf_role_users[r].user,
                                 acts[i].allowed, acts[i].why);
                    if (!acts[i].allowed)
                        assert_true(wf_has_cjk(acts[i].why));
                    else
                        assert_string_equal(acts[i].why, "");
                }
                if (!listed)
                    fail_msg("%s: %s not listed", states[si], expect_service[e].action);
            }
            /* Never listed: recognition-only and automatic transitions. */
            for (size_t i = 0; i < n; i++) {
                assert_string_not_equal(acts[i].name, "request_docs");
                assert_string_not_equal(acts[i].name, "docs_ok");
                assert_string_not_equal(acts[i].name, "approve");
                assert_string_not_equal(acts[i].name, "return_rescore");
            }
        }
    }
    /* The list is read-only. */
    assert_int_equal(wf_count(db, "SELECT count(*) FROM case_events WHERE transition NOT IN ('test', 'approve_service')"), 0);
    td_db_close(db);
}

static void test_english_labels(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_err err;
    td_err_clear(&err);
    char v[TD_UUID_LEN];
    const td_wf *wf;
    assert_td_ok(td_wf_current_version(db, v, &err), &err);
    assert_td_ok(td_wf_get(db, v, &wf, &err), &err);
    assert_string_equal(td_wf_state_label(wf, "closed"), "办结");
    assert_string_equal(td_wf_transition_label(wf, "approve"), "审批通过（联审）");
    char loc[4096];
    snprintf(loc, sizeof loc, "%s/locale", td_test_build_dir());
    td_i18n_init("en", loc);
    assert_string_equal(td_wf_state_label(wf, "closed"), "Closed");
    assert_string_equal(td_wf_transition_label(wf, "approve"), "Approve (joint sign-off)");
    td_i18n_init("zh_CN", loc);
    assert_string_equal(td_wf_state_label(wf, "closed"), "办结");
    /* An unknown version is reported, not guessed. */
    assert_int_equal(td_wf_get(db, "00000000-0000-7000-8000-000000000000", &wf, &err), TD_ENOTFOUND);
    td_db_close(db);
}

static void test_no_workflow_loaded(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    char v[TD_UUID_LEN];
    assert_int_equal(td_wf_current_version(db, v, &err), TD_ENOTFOUND);
    assert_true(wf_has_cjk(err.msg));
    /* Missing file: not found, nothing written. */
    assert_int_equal(td_wf_load_file(db, "/nonexistent/workflow.tdp", NULL, NULL, &err), TD_ENOTFOUND);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM policy_versions"), 0);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_guard_and_effect_name),
        cmocka_unit_test(test_every_role_name),
        cmocka_unit_test(test_value_checks),
        cmocka_unit_test(test_workflow_section_checks),
        cmocka_unit_test(test_star_and_previous),
        cmocka_unit_test(test_action_list_by_role),
        cmocka_unit_test(test_english_labels),
        cmocka_unit_test(test_no_workflow_loaded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
