/* conflicts.h — the review queue of same-field clashes (待处理冲突).
 *
 * A conflict holds the field (table, row, column), the value the other
 * place's clerk saw (base), the value here when the edit arrived (mine) and
 * the incoming value (theirs), with who made the incoming edit, when and at
 * which station.  Resolving writes the chosen value here and records it as an
 * ordinary operation whose base is the other place's value, so the next
 * bundle makes every place hold the same value.  Each resolution is audited.
 */
#ifndef TD_SYNC_CONFLICTS_H
#define TD_SYNC_CONFLICTS_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

typedef struct td_sync_conflict {
    char id[TD_UUID_LEN];
    char tbl[40], row_id[TD_UUID_LEN], col[40];
    char kind[16];               /* field | deleted | missing | constraint */
    char base[512], mine[512], theirs[512];
    char current[512];           /* the value here now */
    char station[12];            /* code of the station the incoming edit came from */
    char user[128];              /* display name of its clerk when known, else the user id */
    char at[32];                 /* when it was made (UTC) */
    char mine_station[12];       /* where the value here was written ("" when not known) */
    char mine_user[128];         /* by whom (display name, else user id) */
    char mine_at[32];            /* when (UTC) */
    char status[16];             /* open | kept | taken | edited | dismissed | superseded */
    char case_no[32];            /* the case it concerns, when one can be told */
    char reason[256];
} td_sync_conflict;

/* Calls cb for every conflict with that status (NULL = all), oldest first;
 * stops when cb returns non-zero. */
td_status td_sync_conflicts_each(td_db *db, const char *status,
                                 int (*cb)(const td_sync_conflict *c, void *ud), void *ud, td_err *err);

/* Number of open conflicts (-1 on error). */
long td_sync_conflicts_open(td_db *db);

/* Number of open conflicts about case case_no (its row, its person's, or a
 * row of the case); 0 when none or on error. */
long td_sync_conflicts_open_for_case(td_db *db, const char *case_no);

/* Loads one by id (or a unique prefix of at least 8 characters).  TD_ENOTFOUND. */
td_status td_sync_conflict_get(td_db *db, const char *id, td_sync_conflict *out, td_err *err);

typedef enum td_sync_resolve {
    TD_RESOLVE_KEEP = 1,   /* keep the value here (ours) */
    TD_RESOLVE_TAKE,       /* take the incoming value (theirs) */
    TD_RESOLVE_EDIT,       /* write another value */
    TD_RESOLVE_DISMISS,    /* close without writing (a reason is required) */
} td_sync_resolve;

/* Resolves an open conflict as `by` (clerk, reviewer, approver, station
 * operator or admin), in one transaction with its audit entry.  value is the
 * text for TD_RESOLVE_EDIT.  TD_ECONFLICT when it is no longer open,
 * TD_EINVALID for a missing value or reason, TD_EDENIED for the role. */
td_status td_sync_conflict_resolve(td_db *db, const td_actor *by, const char *id, td_sync_resolve how,
                                   const char *value, const char *reason, td_err *err);

#endif
