/* workflow.h — the case workflow engine: states, transitions, roles, guards
 * and effects, defined as data in data/workflow.tdp.
 *
 * The data names states and transitions; the core owns the meaning of every
 * guard (a condition checked before a transition) and effect (what happens
 * after it) in tables in workflow.c, so a policy file can combine them but
 * never weaken a rule the core enforces (four-eyes, a score before approval,
 * finished tasks before closing …).
 *
 * Versions: every load of changed workflow content becomes a policy_versions
 * row (kind 'workflow').  A case records the version it started on
 * (cases.workflow_version) and is always evaluated under that version, even
 * after a newer workflow is loaded.
 *
 * Concurrency: every change runs inside td_db_begin() (BEGIN IMMEDIATE) and
 * updates the case with "… WHERE id = ? AND row_version = ?".  A caller that
 * shows a case to a person passes the row_version it showed as
 * expected_version; when someone else changed the case in between, the call
 * fails with TD_ECONFLICT ("此案件已被他人修改，请刷新后重试") and changes
 * nothing.  Every change appends audit rows in the same transaction.
 */
#ifndef TD_WORKFLOW_H
#define TD_WORKFLOW_H

#include "base/actor.h"
#include "cases/case.h"
#include "base/db.h"
#include "base/err.h"
#include "base/uuid.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct td_wf td_wf;

#define TD_WF_NAME_LEN 48
#define TD_WF_STATE_LEN 24
#define TD_WF_MAX_ACTIONS 32

/* ── definitions ─────────────────────────────────────────────────────── */

/* Parses and validates a workflow file's text (name is used in messages).
 * Checks: known keys, exactly one [workflow], states and transitions named
 * once, from/to states exist, roles/guards/effects/case types known, reason
 * or signoff lists well formed, the initial state exists, terminal states
 * have no way out, every state reachable from the initial one, every
 * non-terminal state has a way out.  Errors are TD_EPOLICY
 * "workflow.tdp:LINE: problem".  On success *out owns the result (free with
 * td_wf_free). */
td_status td_wf_parse(const char *name, const char *text, size_t len, td_wf **out, td_err *err);

/* Reads path, validates it (td_wf_parse, plus: every signoff department
 * exists in the departments table), and records it as a policy_versions row
 * (kind 'workflow', audited as policy.load) unless the same content is
 * already stored, and makes it the workflow new cases start on: the current
 * version is the one with the latest updated_at, so loading older content
 * again makes it current again (the convention of refdata.c).  Manages
 * its own transaction (the caller must not hold one); on error nothing is
 * written.  version_out (may be NULL) receives the policy_versions id. */
td_status td_wf_load_file(td_db *db, const char *path, const char *user_id,
                          char version_out[TD_UUID_LEN], td_err *err);

/* Same as td_wf_load_file with text in memory (name for messages). */
td_status td_wf_load_text(td_db *db, const char *name, const char *text, size_t len,
                          const char *user_id, char version_out[TD_UUID_LEN], td_err *err);

/* Validates DIR/workflow.tdp without a database (for `policy check`):
 * everything td_wf_parse checks; departments are checked at load.
 * TD_ENOTFOUND when the file is missing, TD_EPOLICY with file:line. */
td_status td_wf_check_dir(const char *dir, td_err *err);

/* The policy_versions id new cases start on (latest updated_at of kind
 * 'workflow').  TD_ENOTFOUND (with a message
 * asking to run init) when no workflow was ever loaded. */
td_status td_wf_current_version(td_db *db, char out[TD_UUID_LEN], td_err *err);

/* The definition stored as policy_versions row `version_id`, parsed once per
 * process and cached: the pointer is borrowed and stays valid until exit.
 * TD_ENOTFOUND when no such workflow version exists. */
td_status td_wf_get(td_db *db, const char *version_id, const td_wf **out, td_err *err);

/* The definition a case is evaluated under (its workflow_version, or the
 * current one when the case has none yet).  Borrowed, as td_wf_get. */
td_status td_wf_for_case(td_db *db, const td_case *c, const td_wf **out, td_err *err);

void td_wf_free(td_wf *wf);

/* Introspection (for screens and tests).  Indices run 0 … count-1; strings
 * are borrowed from wf.  Labels are in the UI language (Chinese, or the
 * name_en/label_en column when the language is English). */
const char *td_wf_initial(const td_wf *wf);
size_t td_wf_state_count(const td_wf *wf);
const char *td_wf_state_code(const td_wf *wf, size_t i);
const char *td_wf_state_label(const td_wf *wf, const char *code); /* code itself when unknown */
bool td_wf_state_terminal(const td_wf *wf, const char *code);
size_t td_wf_transition_count(const td_wf *wf);
const char *td_wf_transition_name(const td_wf *wf, size_t i);
const char *td_wf_transition_label(const td_wf *wf, const char *name);
/* Target of a transition: a state code or "@previous".  NULL when unknown. */
const char *td_wf_transition_to(const td_wf *wf, const char *name);
/* True when transition `name` may leave `state` (ignores case type). */
bool td_wf_transition_from(const td_wf *wf, const char *name, const char *state);
/* Roles (td_role bits) allowed to take it; 0 when unknown. */
unsigned td_wf_transition_roles(const td_wf *wf, const char *name);
/* True for transitions only the engine takes (auto = yes). */
bool td_wf_transition_auto(const td_wf *wf, const char *name);
/* Case types it applies to, as a bit set: 1 = recognition, 2 = service. */
unsigned td_wf_transition_case_types(const td_wf *wf, const char *name);
/* Settings of the [workflow] section. */
int td_wf_notice_days(const td_wf *wf);
const char *td_wf_on_docs_incomplete(const td_wf *wf);
const char *td_wf_on_docs_supplied(const td_wf *wf);
unsigned td_wf_green_roles(const td_wf *wf);

/* ── actions on a case ───────────────────────────────────────────────── */

typedef struct td_wf_action {
    char name[TD_WF_NAME_LEN];     /* transition name, e.g. "approve" */
    char label[160];               /* on-screen label in the UI language */
    char to[TD_WF_STATE_LEN];      /* target state ("@previous" resolved) */
    bool allowed;                  /* the actor may take it now */
    bool reason_required;
    bool exception;                /* 一事一议 */
    char why[256];                 /* when !allowed: why not (translated) */
} td_wf_action;

/* Lists every action leaving the case's current state that applies to its
 * case type (auto transitions excluded), each marked allowed or not with
 * the reason it is denied (role missing, a guard failing, …).  Read only.
 * Fills out[0 … *n-1] (at most cap entries) in the order of the data file.
 * TD_ENOTFOUND for an unknown case. */
td_status td_wf_actions(td_db *db, const td_actor *a, const char *case_key, td_wf_action *out,
                        size_t cap, size_t *n, td_err *err);

typedef struct td_wf_result {
    char case_id[TD_UUID_LEN];
    char case_no[TD_CASE_NO_LEN];
    char action[TD_WF_NAME_LEN];
    char from[TD_WF_STATE_LEN];
    char to[TD_WF_STATE_LEN];
    long row_version;              /* the case's row version afterwards */
    char due_date[TD_DATE_LEN];    /* the case's step deadline afterwards ("" none) */
    int tasks_started;             /* start_tasks: service tasks given a due date */
    int tasks_cancelled;           /* cancel_tasks */
    int signoffs_opened;           /* 联审 rows opened for the new state */
    bool talent_code_issued;       /* issue_talent_code ran and returned a code */
    bool talent_code_skipped;      /* issue_talent_code had no hook: "服务码未签发" */
    char talent_code[32];
    char notes[512];               /* translated remarks for the status line */
} td_wf_result;

/* Takes transition `action` on the case (id or case number) as actor a.
 * reason may be NULL/"" unless the transition requires one.
 * expected_version: the row_version the actor saw, or 0 to accept the
 * current one.  In one transaction: checks the state, case type, roles,
 * reason and every guard; moves the case; records a case_events row and
 * audit rows (state old → new, reason; 一事一议 marked); runs the effects;
 * opens 联审 sign-off rows for the new state.  Errors (nothing changed):
 * TD_ENOTFOUND, TD_EINVALID (unknown action, missing reason), TD_EDENIED
 * (wrong state, role, or a guard — with a Chinese message saying why),
 * TD_ECONFLICT (stale expected_version), TD_EDB.  res may be NULL. */
td_status td_wf_act(td_db *db, const td_actor *a, const char *case_key, const char *action,
                    const char *reason, long expected_version, td_wf_result *res, td_err *err);

/* Sets the 绿色通道 flag (roles from the data's green_roles) with a
 * mandatory reason, guarded by expected_version (0 = current), audited.
 * TD_EINVALID when already set or the case is closed. */
td_status td_wf_green_set(td_db *db, const td_actor *a, const char *case_key, const char *reason,
                          long expected_version, td_err *err);

/* ── effects provided by other modules ───────────────────────────────── */

/* An effect implemented outside the engine.  Called inside the engine's
 * write transaction after the case moved; may update the case row (the
 * engine re-reads it).  Fills code_out (NUL-terminated) on success. */
typedef td_status (*td_wf_effect_hook)(td_db *db, const td_actor *by, const char *case_id,
                                       char code_out[32], td_err *err);

/* Registers fn for the hookable effect `name` (only "issue_talent_code" so
 * far; fn == NULL unsets it).  While unset, the effect calls
 * td_talent_code_issue; when the case's latest score is not a 金凤凰 tier the
 * code is skipped and the result says so (talent_code_skipped, note
 * "服务码未签发" and why).  Process-wide; for tests.
 * TD_EINVALID for an effect that cannot be hooked. */
td_status td_wf_set_effect_hook(const char *name, td_wf_effect_hook fn);

/* ── demo support ────────────────────────────────────────────────────── */

/* Moves a case through the engine towards target_state along the main path
 * (submit, docs_ok…, approve, close), marking documents verified, recording
 * sign-offs and finishing tasks as the named users would, so demo cases in
 * every state are real.  Users: clerk (intake side), reviewer, approver
 * (not the intake clerk), specialist; signers are looked up by department.
 * A recognition case needs a score snapshot to pass approval: when none
 * exists the walk stops at "recognition" with TD_EDENIED.  Suspended,
 * rejected and withdrawn are reached from the main path with a demo reason.
 * Each step is its own transaction. */
td_status td_wf_demo_advance(td_db *db, const char *case_key, const char *target_state,
                             const td_actor *clerk, const td_actor *reviewer,
                             const td_actor *approver, const td_actor *specialist, td_err *err);

#endif
