/* rating.h — 好差评: the applicant's rating of a closed case, and the 整改
 * (rectification) task a bad rating creates for the station's lead.  The
 * policy (period, what is bad, who leads a station) is data/ratings.tdp. */
#ifndef TD_REPORT_RATING_H
#define TD_REPORT_RATING_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/uuid.h"
#include "policy/policyfile.h"

#include <stdbool.h>

#define TD_RATING_MAX_LEADS 32

typedef struct td_rating_policy {
    int period_days;       /* calendar days after closing a rating may still be recorded */
    int bad_at_most;       /* scores 1..bad_at_most are bad (差评) */
    int rectify_days;      /* working days the lead has to deal with a bad rating */
    char lead_role[16];    /* role code of a station's lead when no `lead` line names one */
    struct {
        char station[12];
        char username[40];
    } leads[TD_RATING_MAX_LEADS];
    int nleads;
} td_rating_policy;

/* Checks and reads a parsed ratings.tdp ([ratings] section).  TD_EPOLICY
 * with FILE:LINE on an error. */
td_status td_rating_policy_parse(const td_pf *pf, td_rating_policy *out, td_err *err);

/* The policy in force: the current 'ratings' version in the database, or
 * the defaults (15 days, bad ≤ 2, 5 working days, role admin) when none was
 * loaded or it cannot be read. */
void td_rating_policy_get(td_db *db, td_rating_policy *out);
int td_rating_bad_threshold(td_db *db);

/* "非常满意" … "非常不满意" for 5 … 1 (translated, static); "" otherwise. */
const char *td_rating_name(int score);

typedef struct td_rating {
    char id[TD_UUID_LEN];
    char case_id[TD_UUID_LEN];
    int score;
    char comment[1024];
    char rated_on[TD_DATE_LEN];
    char rectification_id[TD_UUID_LEN];   /* "" unless the rating was bad */
    char rectification_status[8];
    char lead_name[128];
} td_rating;

/* Records the rating of a case (key: id or case number) on behalf of the
 * applicant (clerk, station operator, specialist or admin): the case must
 * have been closed (closed_at set) no more than period_days ago and not be
 * rated yet; score 1..5; comment optional (NULL ok).  A bad score creates a
 * rectification for the station's lead, due rectify_days working days later.
 * One transaction, audited.  TD_EINVALID / TD_ECONFLICT / TD_EDENIED with a
 * Chinese message.  Fills *out when not NULL. */
td_status td_rate_case(td_db *db, const td_actor *by, const char *case_key, int score, const char *comment,
                       td_rating *out, td_err *err);

/* The rating of a case; TD_ENOTFOUND when it has none.  Internal to the
 * core: front ends call td_rating_get_as. */
td_status td_rating_get(td_db *db, const char *case_id, td_rating *out, td_err *err);

/* td_rating_get for the signed-in user a (role and record scope of the case
 * first: TD_EDENIED, audited). */
td_status td_rating_get_as(td_db *db, const td_actor *a, const char *case_id, td_rating *out, td_err *err);

typedef struct td_rectification {
    char id[TD_UUID_LEN];
    char case_id[TD_UUID_LEN];
    char case_no[32];
    int score;
    char comment[1024];
    char assignee[40];     /* username */
    char status[8];
    char due_date[TD_DATE_LEN];
    char result[512];
} td_rectification;

/* Calls cb for each rectification (open ones only when open_only), assigned
 * to user_id (NULL = everyone), oldest due first. */
td_status td_rectifications_each(td_db *db, const char *user_id, bool open_only,
                                 int (*cb)(const td_rectification *r, void *ud), void *ud, td_err *err);

/* Closes a rectification with its result (required): the assignee or an
 * admin.  Audited. */
td_status td_rectification_done(td_db *db, const td_actor *by, const char *id, const char *result, td_err *err);

#endif
