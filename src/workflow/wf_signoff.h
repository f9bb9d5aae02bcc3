/* wf_signoff.h — 联审 (joint sign-off by several departments).
 *
 * A transition with a `signoff` list in the workflow data (e.g. approve:
 * rsj, kjj) completes only when every listed department has signed in the
 * current round.  Rows are opened (status 'pending') when the case enters
 * the state the transition leaves; the round is the case_events row that
 * brought the case there, so a case that is returned and comes back is
 * signed afresh.
 * A signer (role signer, users.department_id) approves for their own
 * department, or returns the case with a reason: the transition named by
 * on_signoff_return is then taken at once and the other pending rows are
 * void.
 */
#ifndef TD_WF_SIGNOFF_H
#define TD_WF_SIGNOFF_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/uuid.h"
#include "workflow.h"

#include <stdbool.h>

typedef struct td_wf_signoff_row {
    char id[TD_UUID_LEN];
    char case_id[TD_UUID_LEN];
    char case_no[32];
    char person_name[256];
    char round[TD_UUID_LEN];     /* case_events.id that opened the round */
    char transition[TD_WF_NAME_LEN];
    char department_id[32];
    char department_name[128];
    char status[16];             /* pending | approved | returned | void */
    char signer[40];             /* username */
    char reason[512];
    char signed_at[TD_TS_LEN];
    char created_at[TD_TS_LEN];
    long row_version;
} td_wf_signoff_row;

/* Calls cb for each sign-off row of the case, oldest round first (current
 * round last).  Borrowed row.  Read only.
 * Internal to the core: front ends call the checked `_as` variant
 * (cases/scope.h, "checked reads"). */
td_status td_wf_signoffs_each(td_db *db, const char *case_key,
                              int (*cb)(const td_wf_signoff_row *s, void *ud), void *ud, td_err *err);

/* td_wf_signoffs_each for the signed-in user a (role and record scope of the
 * case first: TD_EDENIED, audited). */
td_status td_wf_signoffs_each_as(td_db *db, const td_actor *a, const char *case_key,
                                 int (*cb)(const td_wf_signoff_row *s, void *ud), void *ud, td_err *err);

/* Signs for the actor's department (role signer; dept may be NULL or must
 * equal the actor's department).  approve: the row becomes approved.
 * !approve: the row becomes returned with the mandatory reason and the
 * case takes the transition's on_signoff_return (res filled).  Guarded by
 * expected_version of the case (0 = current).  Audited; one transaction. */
td_status td_wf_signoff(td_db *db, const td_actor *a, const char *case_key, const char *dept,
                        bool approve, const char *reason, long expected_version, td_wf_result *res,
                        td_err *err);

#endif
