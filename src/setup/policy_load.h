/* policy_load.h — loads every kind of policy data under data/ (reference data,
 * workflow, rule sets) into the database: the single entry point used by
 * `talentdesk init` and `talentdesk policy load`. */
#ifndef TD_POLICY_LOAD_H
#define TD_POLICY_LOAD_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "workflow/wf_due.h"

/* Validates and loads everything under dir (each loader validates all of
 * its files before writing, and writes in one transaction; the caller must
 * not hold one).  On the first error returns it (err names file and line);
 * loaders that ran before keep their (valid) data.  Order: reference data,
 * workflow.tdp, the rule sets under dir/rules/ when that directory exists,
 * targets.tdp and ratings.tdp, notice.tdp, countries.tdp, entitlements.tdp,
 * roles.tdp (the last four are optional).  user_id may be NULL. */
td_status td_policy_load_all(td_db *db, const char *dir, const char *user_id, td_err *err);

/* Loads every kind of policy data under dir (td_policy_load_all) on behalf
 * of `by`, who must be an administrator: TD_EDENIED otherwise, before
 * anything is read.  Same guarantees and errors as td_policy_load_all. */
td_status td_refdata_load_as(td_db *db, const td_actor *by, const char *dir, td_err *err);

/* Runs exactly the checks td_policy_load_all runs, by loading dir into a
 * scratch in-memory database that is then thrown away; nothing is written
 * anywhere.  TD_OK when a load would succeed, else the load's error (file and
 * line). */
td_status td_policy_check_all(const char *dir, td_err *err);

/* The same, then — the holiday calendar may have changed — recounts every
 * open task's, case's and notice's due date (src/workflow/wf_due.h), audited;
 * due (may be NULL) says how many were examined and changed.  First finishes
 * the moves an earlier, interrupted load left (td_due_resume).  The policy
 * and the plan of the moves are one write transaction (or the caller's,
 * inside td_db_begin_outer): a failure, or a kill, before its commit leaves
 * the policy and the due dates as they were.  The moves are then written in
 * short transactions (other writers are let in between); a kill among them
 * leaves the rest planned, finished by the next write command or load, and
 * the result is the same as if none had been killed.  An error there is
 * returned (the policy is loaded; `talentdesk check` reports the moves left). */
td_status td_policy_load_as(td_db *db, const td_actor *by, const char *dir, td_due_report *due, td_err *err);

#endif
