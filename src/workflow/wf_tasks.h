/* wf_tasks.h — service fulfilment (服务办理): one task per requested service
 * (a service_requests row), its status, assignee, promised deadline in
 * working days, overdue flag, and escalation (督办).
 *
 * Deadlines are set when the case enters fulfilment (effect start_tasks):
 * due = the service's promised working days counted with the holiday
 * calendar (调休 included) from that day.  A task is overdue when it is
 * pending or in progress and today (China) is after its due date.
 */
#ifndef TD_WF_TASKS_H
#define TD_WF_TASKS_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#include <stdbool.h>

typedef struct td_wf_task {
    char id[TD_UUID_LEN];
    char case_id[TD_UUID_LEN];
    char case_no[32];
    char person_name[256];
    char service_id[48];
    char service_name[128];
    char status[16];             /* pending | in_progress | done | failed | cancelled */
    char assignee_id[TD_UUID_LEN];
    char assignee[40];           /* username, "" when unassigned */
    int days;                    /* promised working days */
    char due_date[TD_DATE_LEN];  /* "" before fulfilment starts */
    bool overdue;
    bool due_approx;             /* counted Monday to Friday: no calendar for its year yet */
    int escalations;             /* 督办 recorded on it */
    char result[512];
    char reason[512];
    char updated_at[TD_TS_LEN];
    long row_version;
} td_wf_task;

/* Calls cb for each task of the case (id or case number) in request order;
 * stops when cb returns non-zero.  Borrowed row.  Read only.
 * Internal to the core: front ends call the checked `_as` variant
 * (cases/scope.h, "checked reads"). */
td_status td_wf_tasks_each(td_db *db, const char *case_key,
                           int (*cb)(const td_wf_task *t, void *ud), void *ud, td_err *err);

/* td_wf_tasks_each for the signed-in user a (role and record scope first:
 * TD_EDENIED, audited). */
td_status td_wf_tasks_each_as(td_db *db, const td_actor *a, const char *case_key,
                              int (*cb)(const td_wf_task *t, void *ud), void *ud, td_err *err);

/* Loads one task by id, by an unambiguous id prefix of at least 8
 * characters, or as CASE-NUMBER:SERVICE-CODE ("CQ-2026-000032:talent_recognition").
 * Internal to the core: front ends call the checked `_as` variant
 * (cases/scope.h, "checked reads"). */
td_status td_wf_task_get(td_db *db, const char *key, td_wf_task *out, td_err *err);

/* td_wf_task_get for the signed-in user a: refused (TD_EDENIED, audited,
 * *out cleared) when the task's case is outside a's record scope. */
td_status td_wf_task_get_as(td_db *db, const td_actor *a, const char *key, td_wf_task *out, td_err *err);

typedef enum td_task_op {
    TD_TASK_START,   /* pending → in_progress */
    TD_TASK_DONE,    /* pending/in_progress → done (arg: result, optional) */
    TD_TASK_FAIL,    /* → failed (arg: reason, required) */
    TD_TASK_CANCEL,  /* → cancelled (arg: reason, required) */
    TD_TASK_ASSIGN,  /* arg: username of a specialist */
} td_task_op;

/* Applies op to task (id) as actor a.  Roles: specialist (the assignee or
 * any specialist) or approver; ASSIGN also admin.  Only while the case is in
 * fulfilment and approved ("no fulfilment before approval").  A specialist
 * who starts, completes or fails an unassigned task becomes its assignee
 * (承办人), audited as task.assign.  Guarded by
 * expected_version of the task (0 = current) → TD_ECONFLICT.  Audited
 * (status old → new, reason).  Manages its own transaction. */
td_status td_wf_task_update(td_db *db, const td_actor *a, const char *task, td_task_op op,
                            const char *arg, long expected_version, td_err *err);

/* Whether actor a may apply op to task now — asked before the clerk types
 * a result or a reason, so that a refusal comes first, not after the typing.
 * op is a td_task_op or TD_TASK_OP_ESCALATE (td_wf_escalate).  TD_OK when
 * the role, the task's status and the case's state allow it; otherwise the
 * error td_wf_task_update (or td_wf_escalate) would give, with the same
 * message.  Changes nothing (a short transaction, rolled back). */
#define TD_TASK_OP_ESCALATE 100
td_status td_wf_task_may(td_db *db, const td_actor *a, const char *task, int op, td_err *err);

/* Records a 督办: actor (approver, admin or specialist) escalates task to user
 * to_username with a mandatory reason; also makes that user the task's
 * assignee.  Audited.  Manages its own transaction. */
td_status td_wf_escalate(td_db *db, const td_actor *a, const char *task, const char *to_username,
                         const char *reason, td_err *err);

/* Overdue queue: open tasks whose due date is before `today` (NULL = today
 * in China), oldest due first, keyset-paged: pass the last row's due_date
 * and id as after_due/after_id (NULL for the first page).  At most limit
 * rows (0 = 50).  Uses the (status, due_date) index: never scans all rows. */
td_status td_wf_tasks_overdue(td_db *db, const char *today, const char *after_due,
                              const char *after_id, int limit,
                              int (*cb)(const td_wf_task *t, void *ud), void *ud, td_err *err);

/* td_wf_tasks_overdue restricted to the record scope of a (cases/scope.h). */
td_status td_wf_tasks_overdue_as(td_db *db, const td_actor *a, const char *today, const char *after_due,
                                 const char *after_id, int limit, int (*cb)(const td_wf_task *t, void *ud),
                                 void *ud, td_err *err);

#endif
