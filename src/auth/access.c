/* access.c — see access.h. */
#include "access.h"
#include "account.h"

#include <stddef.h>
#include <string.h>

#define R(x) TD_ROLE_##x
#define ANY (R(CLERK) | R(REVIEWER) | R(APPROVER) | R(SIGNER) | R(SPECIALIST) | R(STATION) | R(ADMIN))

static const struct {
    const char *code;
    unsigned roles;
} table[TD_ACT_COUNT] = { /* the compiled fallback: data/roles.tdp says the same (tests/test_roles.c) */
    [TD_ACT_CASE_READ] = { "case.read", ANY },
    [TD_ACT_PERSON_ADD] = { "person.add", R(CLERK) | R(STATION) | R(ADMIN) },
    [TD_ACT_PERSON_UPDATE] = { "person.update", R(CLERK) | R(STATION) | R(ADMIN) },
    [TD_ACT_CASE_NEW] = { "case.new", R(CLERK) | R(STATION) | R(ADMIN) },
    [TD_ACT_DOCS_MARK] = { "docs.mark", R(CLERK) | R(REVIEWER) | R(STATION) },
    [TD_ACT_DOCS_CHECK] = { "docs.check", R(CLERK) | R(REVIEWER) | R(STATION) },
    [TD_ACT_FACTS_ADD] = { "facts.add", R(CLERK) | R(REVIEWER) | R(STATION) | R(SPECIALIST) | R(ADMIN) },
    [TD_ACT_FACTS_VERIFY] = { "facts.verify", R(CLERK) | R(REVIEWER) | R(APPROVER) | R(ADMIN) },
    [TD_ACT_SCORE_SAVE] = { "score.save", R(CLERK) | R(REVIEWER) | R(APPROVER) | R(ADMIN) },
    [TD_ACT_SIGNOFF] = { "signoff", R(SIGNER) },
    [TD_ACT_TASK_WORK] = { "task.work", R(SPECIALIST) | R(APPROVER) },
    [TD_ACT_TASK_ASSIGN] = { "task.assign", R(SPECIALIST) | R(APPROVER) | R(ADMIN) },
    [TD_ACT_ESCALATE] = { "task.escalate", R(APPROVER) | R(ADMIN) | R(SPECIALIST) },
    [TD_ACT_CODE_ISSUE] = { "code.issue", R(APPROVER) | R(ADMIN) },
    [TD_ACT_BENEFIT_GRANT] = { "benefit.grant", R(CLERK) | R(REVIEWER) | R(APPROVER) | R(ADMIN) },
    [TD_ACT_IMPORT] = { "import", R(CLERK) | R(STATION) | R(ADMIN) },
    [TD_ACT_EXPORT] = { "export", R(CLERK) | R(STATION) | R(REVIEWER) | R(APPROVER) | R(ADMIN) },
    [TD_ACT_DUPES_SCAN] = { "dupes.scan", R(CLERK) | R(ADMIN) },
    [TD_ACT_DUPES_MERGE] = { "dupes.merge", R(CLERK) | R(ADMIN) },
    [TD_ACT_SPECIALIST_SET] = { "specialist.set", R(CLERK) | R(STATION) | R(ADMIN) },
    [TD_ACT_FOLLOWUP_ADD] = { "followup.add", R(SPECIALIST) | R(CLERK) | R(STATION) | R(ADMIN) },
    [TD_ACT_RATE] = { "rate", R(CLERK) | R(STATION) | R(SPECIALIST) | R(ADMIN) },
    [TD_ACT_CONFLICT_RESOLVE] = { "conflict.resolve", R(CLERK) | R(REVIEWER) | R(APPROVER) | R(STATION) | R(ADMIN) },
    [TD_ACT_UNMASK] = { "unmask", ANY },
    [TD_ACT_REPORT] = { "report", ANY },
    [TD_ACT_POLICY_LOAD] = { "policy.load", R(ADMIN) },
    [TD_ACT_BACKUP] = { "backup", R(ADMIN) },
    [TD_ACT_USER_ADMIN] = { "user.admin", R(ADMIN) },
    [TD_ACT_SYNC_ADMIN] = { "sync.admin", R(ADMIN) },
};

/* The table installed from policy data (td_access_set_roles), if any. */
static unsigned installed[TD_ACT_COUNT];
static bool have_installed;

void td_access_set_roles(const unsigned roles[TD_ACT_COUNT])
{
    have_installed = roles != NULL;
    if (roles)
        memcpy(installed, roles, sizeof installed);
}

td_action td_action_parse(const char *code)
{
    for (int i = 0; code && i < TD_ACT_COUNT; i++)
        if (strcmp(table[i].code, code) == 0)
            return (td_action)i;
    return (td_action)-1;
}

unsigned td_access_roles(td_action act)
{
    if ((unsigned)act >= TD_ACT_COUNT)
        return 0;
    return have_installed ? installed[act] : table[act].roles;
}

unsigned td_access_roles_compiled(td_action act)
{
    return (unsigned)act < TD_ACT_COUNT ? table[act].roles : 0;
}

const char *td_action_code(td_action act)
{
    return (unsigned)act < TD_ACT_COUNT ? table[act].code : NULL;
}

bool td_access_allowed(const td_actor *a, td_action act)
{
    return td_actor_has(a, td_access_roles(act));
}

td_status td_access_check(const td_actor *a, td_action act, td_err *err)
{
    return td_actor_require(a, td_access_roles(act), err);
}

td_status td_access_require(td_db *db, const td_actor *a, td_action act, td_err *err)
{
    td_status s = td_access_check(a, act, err);
    if (s)
        td_access_denied(db, a, NULL, err);
    return s;
}

td_status td_access_denied(td_db *db, const td_actor *a, const char *username, td_err *err)
{
    if (!err)
        return TD_OK;
    if (err->code != TD_EDENIED || err->audited || !db || td_db_in_tx(db))
        return err->code;
    if (td_auth_audit(db, a, "auth.denied", a ? a->username : (username ? username : ""), err->msg) == TD_OK)
        err->audited = true;
    return err->code;
}
