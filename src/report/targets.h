/* targets.h — the plans' targets as dated data (data/targets.tdp) and their
 * progress; the rating policy (data/ratings.tdp) is loaded beside them.
 * Both files are versioned in policy_versions like every policy file. */
#ifndef TD_REPORT_TARGETS_H
#define TD_REPORT_TARGETS_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"

#include <stdbool.h>

/* Validates DIR/targets.tdp and DIR/ratings.tdp (FILE:LINE errors,
 * TD_EPOLICY) without writing. */
td_status td_targets_check_dir(const char *dir, td_err *err);

/* Validates both files, then in one transaction records their versions,
 * writes report_targets (targets no longer in the file are soft-deleted) and
 * audits new versions.  The caller must not hold a transaction.  A missing
 * file is TD_ENOTFOUND naming it. */
td_status td_targets_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err);

typedef struct td_target_progress {
    char id[48];
    char name[256];
    char metric[24];
    char filter[256];
    char source[512];
    char period[8];                 /* "total" | "yearly" */
    char period_start[TD_DATE_LEN]; /* the window counted now (this year for yearly targets) */
    char period_end[TD_DATE_LEN];
    long target;
    long done;                      /* counted in the window up to today */
    long remaining;                 /* max(0, target - done) */
    long per_month_needed;          /* remaining spread over the months left (ceil); 0 when met */
    long projected;                 /* done extrapolated linearly to the window's end */
    int days_left;                  /* calendar days from today to the window's end, >= 0 */
    bool ended;                     /* the window ended before today */
} td_target_progress;

/* Progress of every live target (in file order) for one station ("" = all).
 * *out is malloc'd (caller frees), *n its length. */
td_status td_targets_progress(td_db *db, const char *station_id, td_target_progress **out, int *n,
                              td_err *err);

/* td_targets_progress for the signed-in user a, the station limited as
 * td_report_filter_scope (stats.h) limits it.  TD_EDENIED (audited) when a
 * may not see these totals. */
td_status td_targets_progress_as(td_db *db, const td_actor *a, const char *station_id, td_target_progress **out,
                                 int *n, td_err *err);

#endif
