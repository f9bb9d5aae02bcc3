/* wf_queue.h — work queues over cases for screens and the CLI, as paged
 * index range scans usable at a million cases: never loads everything.
 *
 * Paging is by keyset: pass the updated_at and id of the last row of the
 * previous page (NULL for the first page); rows come newest first.
 * Other queues: overdue tasks (td_wf_tasks_overdue, wf_tasks.h), pending
 * 联审 of a department (td_wf_signoff_queue, wf_signoff.h); "awaiting
 * documents" is the state queue of state awaiting_docs.
 */
#ifndef TD_WF_QUEUE_H
#define TD_WF_QUEUE_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#include <stdbool.h>

typedef struct td_wf_qrow {
    char id[TD_UUID_LEN];
    char case_no[32];
    char person_name[256];
    char case_type[16];
    char state[24];
    char due_date[TD_DATE_LEN];
    bool green_channel;
    char updated_at[TD_TS_LEN];
    long row_version;
} td_wf_qrow;

/* Cases in `state` (cases_state index on (state, updated_at)). */
td_status td_wf_queue_state(td_db *db, const char *state, const char *after_updated,
                            const char *after_id, int limit,
                            int (*cb)(const td_wf_qrow *r, void *ud), void *ud, td_err *err);

/* Open cases (not closed) assigned to user_id or followed by them as
 * service specialist (indexes on (assignee_id, updated_at) and
 * (specialist_id, updated_at)). */
td_status td_wf_queue_mine(td_db *db, const char *user_id, const char *after_updated,
                           const char *after_id, int limit,
                           int (*cb)(const td_wf_qrow *r, void *ud), void *ud, td_err *err);

/* The same for the signed-in user a, restricted to a's record scope
 * (cases/scope.h); "mine" is a's own queue.  What front ends call. */
td_status td_wf_queue_state_as(td_db *db, const td_actor *a, const char *state, const char *after_updated,
                               const char *after_id, int limit, int (*cb)(const td_wf_qrow *r, void *ud),
                               void *ud, td_err *err);
td_status td_wf_queue_mine_as(td_db *db, const td_actor *a, const char *after_updated, const char *after_id,
                              int limit, int (*cb)(const td_wf_qrow *r, void *ud), void *ud, td_err *err);

#endif
