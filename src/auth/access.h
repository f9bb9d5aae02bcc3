/* access.h — who may do what: the actions and the roles that may take them
 * (issue 10 item 5; policy data in data/roles.tdp), and the audited refusal.
 *
 * Every core function that changes case data checks its action here
 * (td_access_check), so front ends never decide permissions themselves.
 * Workflow transitions (case act …) take their roles from data/workflow.tdp
 * instead; which *records* an actor may touch is the record scope
 * (cases/scope.h).
 *
 * A refusal is written to the audit log ('auth.denied', who and the
 * message) exactly once: by td_access_denied, which core checks call when no
 * transaction is open and which every front end calls again when it shows a
 * TD_EDENIED (a refusal inside a transaction is rolled back with it, so the
 * front end writes it after the rollback).  td_err.audited marks it done.
 */
#ifndef TD_ACCESS_H
#define TD_ACCESS_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

#include <stdbool.h>

typedef enum td_action {
    TD_ACT_CASE_READ = 0,   /* open, list and search cases and persons (within scope) */
    TD_ACT_PERSON_ADD,
    TD_ACT_PERSON_UPDATE,
    TD_ACT_CASE_NEW,        /* intake */
    TD_ACT_DOCS_MARK,       /* document check: mark documents */
    TD_ACT_DOCS_CHECK,      /* document check: decide, issue the 一次性告知书 */
    TD_ACT_FACTS_ADD,
    TD_ACT_FACTS_VERIFY,
    TD_ACT_SCORE_SAVE,      /* save a score snapshot (what-if is TD_ACT_CASE_READ) */
    TD_ACT_SIGNOFF,         /* 联审 sign-off for one's department */
    TD_ACT_TASK_WORK,       /* start, finish, fail a service task */
    TD_ACT_TASK_ASSIGN,
    TD_ACT_ESCALATE,        /* 督办 */
    TD_ACT_CODE_ISSUE,      /* 人才服务码 */
    TD_ACT_BENEFIT_GRANT,
    TD_ACT_IMPORT,
    TD_ACT_EXPORT,          /* personal data out to a file */
    TD_ACT_DUPES_SCAN,
    TD_ACT_DUPES_MERGE,     /* merge, unmerge, dismiss */
    TD_ACT_SPECIALIST_SET,
    TD_ACT_FOLLOWUP_ADD,
    TD_ACT_RATE,
    TD_ACT_CONFLICT_RESOLVE,
    TD_ACT_UNMASK,          /* show a masked identity number, mobile or salary (purpose required, audited) */
    TD_ACT_REPORT,          /* statistics */
    TD_ACT_POLICY_LOAD,
    TD_ACT_BACKUP,          /* backup and restore */
    TD_ACT_USER_ADMIN,      /* users, stations, unlock, sign-in settings, scopes */
    TD_ACT_SYNC_ADMIN,      /* sync keys, enrolment, revocation */
    TD_ACT_COUNT
} td_action;

/* The roles (td_role bits) that may take act; 0 for an unknown action.
 * They come from the table installed from data/roles.tdp
 * (td_access_set_roles, called by policy/roles.h td_roles_use_db when a
 * front end opens the database), else from the compiled table below, which
 * says the same as the shipped file and is used before any is installed
 * (unit tests, a database that never loaded roles.tdp and no file) — as
 * notice.tdp has built-in defaults. */
unsigned td_access_roles(td_action act);

/* The compiled table's roles for act (0 for an unknown action). */
unsigned td_access_roles_compiled(td_action act);

/* Makes roles[act] the roles that may take each action, for the rest of
 * the process (the array is copied); NULL goes back to the compiled table. */
void td_access_set_roles(const unsigned roles[TD_ACT_COUNT]);

/* The action whose code is `code` ("case.read", …); (td_action)-1 when
 * there is none. */
td_action td_action_parse(const char *code);

/* Stable code ("case.read", "person.add", …) of act; NULL when unknown.
 * Static storage. */
const char *td_action_code(td_action act);

/* True when a holds a role that may take act. */
bool td_access_allowed(const td_actor *a, td_action act);

/* TD_OK when a may take act; otherwise TD_EDENIED with the message of
 * td_actor_require (the roles needed, in Chinese).  Writes nothing. */
td_status td_access_check(const td_actor *a, td_action act, td_err *err);

/* td_access_check, and on refusal td_access_denied(db, a, err). */
td_status td_access_require(td_db *db, const td_actor *a, td_action act, td_err *err);

/* Audits the refusal in err ('auth.denied' with a's user, or the bare name
 * `username` when a is NULL, and err->msg as reason) unless err is not a
 * TD_EDENIED, was audited already, or a transaction is open on db (then the
 * caller calls again after its rollback).  Own transaction.  Sets
 * err->audited.  Returns err->code (TD_OK when err is NULL). */
td_status td_access_denied(td_db *db, const td_actor *a, const char *username, td_err *err);

#endif
