/* case.h — a case: one talent's application from intake to closed, with the
 * services requested (one service_requests row each) and its documents.
 *
 * This module reads cases and issues case numbers; taking a new case in
 * (workflow/intake.h) and moving it between states (workflow/workflow.h)
 * belong to the workflow, which uses td_case_get and the row_version guard
 * here.
 */
#ifndef TD_CASE_H
#define TD_CASE_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#include <stdbool.h>

#define TD_CASE_NO_LEN 32
#define TD_MAX_SERVICES 40

typedef struct td_case {
    char id[TD_UUID_LEN];
    char case_no[TD_CASE_NO_LEN];
    char person_id[TD_UUID_LEN];
    char person_name[256];       /* joined for display */
    char station_id[TD_UUID_LEN];
    char case_type[16];          /* "recognition" | "service" */
    char channel[16];            /* window | overseas | airport | online | park */
    char state[24];
    char workflow_version[TD_UUID_LEN];
    bool green_channel;
    char green_reason[512];
    char specialist_id[TD_UUID_LEN];
    char intake_by[TD_UUID_LEN];
    char assignee_id[TD_UUID_LEN];
    char tier_id[16];
    char talent_code[32];
    char state_since[TD_TS_LEN];
    char due_date[TD_DATE_LEN];
    bool due_approx;           /* counted Monday to Friday: no holiday calendar for its year yet */
    char closed_at[TD_TS_LEN];
    char created_at[TD_TS_LEN];
    char updated_at[TD_TS_LEN];
    long row_version;
} td_case;


/* Loads by id or case number.  TD_ENOTFOUND otherwise. */
td_status td_case_get(td_db *db, const char *key, td_case *out, td_err *err);

typedef struct td_case_query {
    const char *state;           /* or NULL for all */
    const char *person_id;       /* or NULL */
    const char *assignee_id;     /* or NULL */
    const char *intake_by;       /* or NULL */
    int limit;                   /* 0 = 100 */
    int offset;
    const char *station_id;      /* or NULL; set by td_case_query_scope */
    const td_actor *actor;       /* or NULL (unrestricted); record scope, set by td_case_query_scope */
} td_case_query;

/* Calls cb for each matching case, newest first; stops when cb returns
 * non-zero.  The td_case is borrowed for the call. */
td_status td_case_list(td_db *db, const td_case_query *q, int (*cb)(const td_case *c, void *ud),
                       void *ud, td_err *err);

/* Counts matching cases. */
td_status td_case_count(td_db *db, const td_case_query *q, long *out, td_err *err);

/* Issues the next number of `kind` for the station and year from the local
 * counters table.  Must be called inside a write transaction. */
td_status td_counter_next(td_db *db, const char *station_id, int year, const char *kind, long *out,
                          td_err *err);

/* True when `number` is already used as a case number (kind "case") or a
 * notice number (kind "notice") in this database — e.g. one a station made
 * anew had issued before, received back from headquarters.  The callers of
 * td_counter_next skip such numbers.  A database error reads as "taken", so
 * a number is never issued twice (the caller's insert would fail anyway). */
bool td_number_taken(td_db *db, const char *kind, const char *number);

/* Translated display name of a state code ("intake" → "受理登记"), or the
 * code itself when unknown.  Static storage. */
const char *td_state_name(const char *state);

/* Translated name of a service-request status ("pending" → "待办理"), or the
 * code itself when unknown.  Static storage. */
const char *td_request_status_name(const char *status);

typedef struct td_service_request {
    char id[TD_UUID_LEN];
    char case_id[TD_UUID_LEN];
    char service_id[48];
    char service_name[128];
    char status[16];
    char assignee_id[TD_UUID_LEN];
    int days;
    char due_date[TD_DATE_LEN];
    char started_at[TD_TS_LEN];
    char finished_at[TD_TS_LEN];
    char result[512];
    char reason[512];
    long row_version;
} td_service_request;

/* Calls cb for each service request of the case in creation order. */
td_status td_case_services_each(td_db *db, const char *case_id,
                                int (*cb)(const td_service_request *r, void *ud), void *ud,
                                td_err *err);

#endif
