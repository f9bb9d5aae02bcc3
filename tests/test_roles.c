/* test_roles.c — who may do what as policy data (data/roles.tdp,
 * src/policy/roles.h): the shipped file says exactly what the compiled
 * fallback table says (roles of every action, and every combination of
 * roles gets the same default record scope); installing a changed table
 * changes the core's decisions; malformed texts are refused with the line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"
#include "base/paths.h"
#include "policy/roles.h"

static td_pf *shipped(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/roles.tdp", td_data_dir());
    td_pf *pf = NULL;
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_pf_load(path, &pf, &err), TD_OK);
    return pf;
}

static void test_shipped_is_compiled(void **st)
{
    (void)st;
    td_pf *pf = shipped();
    td_roles_policy rp;
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_roles_policy_parse(pf, &rp, &err), TD_OK);
    td_pf_free(pf);
    for (int a = 0; a < TD_ACT_COUNT; a++) {
        if (rp.roles[a] != td_access_roles_compiled((td_action)a))
            fail_msg("roles.tdp and the compiled table differ for %s", td_action_code((td_action)a));
    }
    /* every combination of roles: the same default scope before and after */
    td_scope compiled[1u << TD_ROLE_COUNT];
    for (unsigned m = 0; m < (1u << TD_ROLE_COUNT); m++) {
        td_actor a = { .roles = m };
        compiled[m] = td_actor_scope(&a);
    }
    td_actor_set_scope_defaults(rp.scope);
    for (unsigned m = 0; m < (1u << TD_ROLE_COUNT); m++) {
        td_actor a = { .roles = m };
        assert_int_equal(td_actor_scope(&a), compiled[m]);
        a.scope = TD_SCOPE_OWN; /* the user's own scope wins */
        assert_int_equal(td_actor_scope(&a), TD_SCOPE_OWN);
    }
    td_actor_set_scope_defaults(NULL);
}

/* A copy of s with its one occurrence of from replaced by to (caller frees). */
static char *replaced(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    size_t len = strlen(s) - strlen(from) + strlen(to) + 1;
    char *out = malloc(len);
    assert_non_null(out);
    snprintf(out, len, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return out;
}

static void test_installed_table_decides(void **st)
{
    (void)st;
    td_actor clerk = { .roles = TD_ROLE_CLERK }, op = { .roles = TD_ROLE_STATION };
    assert_true(td_access_allowed(&clerk, TD_ACT_PERSON_ADD));
    assert_int_equal(td_actor_scope(&op), TD_SCOPE_STATION);
    /* the file under the data directory (no database) is what td_roles_use_db installs */
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_roles_use_db(NULL, &err), TD_OK);
    assert_true(td_access_allowed(&clerk, TD_ACT_PERSON_ADD));
    /* a changed table: clerks may not add persons, operators see all */
    td_pf *pf = shipped();
    char *t1 = replaced(pf->content, "[action person.add]\nroles = clerk, station, admin",
                        "[action person.add]\nroles = station, admin");
    char *text = replaced(t1, "[role station]\nscope = station", "[role station]\nscope = all");
    free(t1);
    td_pf_free(pf);
    td_pf *pf2 = NULL;
    assert_int_equal(td_pf_parse("roles.tdp", text, strlen(text), &pf2, &err), TD_OK);
    td_roles_policy rp;
    assert_int_equal(td_roles_policy_parse(pf2, &rp, &err), TD_OK);
    td_pf_free(pf2);
    free(text);
    td_access_set_roles(rp.roles);
    td_actor_set_scope_defaults(rp.scope);
    assert_false(td_access_allowed(&clerk, TD_ACT_PERSON_ADD));
    assert_int_equal(td_access_check(&clerk, TD_ACT_PERSON_ADD, &err), TD_EDENIED);
    assert_true(td_access_allowed(&op, TD_ACT_PERSON_ADD));
    assert_int_equal(td_actor_scope(&op), TD_SCOPE_ALL);
    td_access_set_roles(NULL);
    td_actor_set_scope_defaults(NULL);
    assert_true(td_access_allowed(&clerk, TD_ACT_PERSON_ADD));
    assert_int_equal(td_actor_scope(&op), TD_SCOPE_STATION);
}

/* parse TEXT: the status, and the message must name LINE */
static void refused(const char *text, int line)
{
    td_pf *pf = NULL;
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_pf_parse("roles.tdp", text, strlen(text), &pf, &err), TD_OK);
    td_roles_policy rp;
    assert_int_equal(td_roles_policy_parse(pf, &rp, &err), TD_EPOLICY);
    char want[32];
    snprintf(want, sizeof want, "roles.tdp:%d:", line);
    if (!strstr(err.msg, want))
        fail_msg("'%s' does not name %s", err.msg, want);
    td_pf_free(pf);
}

static void test_refused(void **st)
{
    (void)st;
    refused("[action case.read]\nroles = clerk, wizard\n", 2);
    refused("[action nosuch]\nroles = clerk\n", 1);
    refused("[role clerk]\nscope = galaxy\n", 2);
    refused("[action case.read]\nroles = clerk\n", 1); /* every other action missing */
    refused("[action policy.load]\nroles = clerk\n", 2);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_is_compiled),
        cmocka_unit_test(test_installed_table_decides),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
