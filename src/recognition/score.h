/* score.h — the recognition engine ("目录+计分"), its ledger, immutable
 * snapshots and what-if comparisons.
 *
 * td_score_eval is pure: a rule set, a fact list, an as-of date and the local
 * average wage in, a result out.  The catalogue is evaluated first (a listed
 * honour or programme gives a tier directly), then the points; the better of
 * the two tiers decides, a tie going to the catalogue, and the route that
 * decided is recorded.  Only verified facts count; what claimed facts would
 * add is shown beside each ledger row and never counted.
 *
 * A saved score is a row of score_snapshots, never updated: re-scoring a
 * case writes a new row whose prev_id is the case's previous snapshot.
 */
#ifndef TD_SCORE_H
#define TD_SCORE_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "facts.h"
#include "rules.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct td_ledger_row {
    char factor[40];
    char title[128];
    char group[40];           /* "" when not in a group */
    char input[160];          /* what the factor looked at, e.g. "450000" or "35 (1990-05-01)" */
    char band[128];           /* the band / match that gave the points ("" = none) */
    int raw;                  /* points before the factor cap */
    int cap;
    int final;                /* after the factor cap (group caps: see td_group_row) */
    bool capped;
    int claimed_final;        /* points if claimed facts counted too (== final when none differ) */
    char claimed_band[128];
} td_ledger_row;

typedef struct td_group_row {
    char group[40];
    char title[128];
    int sum;                  /* of the members' final points */
    int cap;
    int final;                /* min(sum, cap) */
} td_group_row;

typedef struct td_cat_hit {
    char id[48];
    char title[256];
    char tier[16];
    char why[256];            /* the conditions that held, e.g. "award = nobel" */
    bool claimed_only;        /* would hold only with claimed facts: not counted */
} td_cat_hit;

typedef struct td_score_result {
    char rule_set_id[64];
    char rule_set_title[256];
    char rule_set_hash[65];
    char policy_version[TD_UUID_LEN];
    bool sample;
    char as_of[TD_DATE_LEN];
    long long wage_yuan;      /* 0 when the rule set uses none */
    bool wage_missing;        /* the rule set has wage-multiple routes but no average
                               * wage is in force on as_of: those routes were closed */
    char wage_source[256];
    td_ledger_row *rows;
    size_t nrows;
    td_group_row *groups;
    size_t ngroups;
    td_cat_hit *hits;
    size_t nhits;
    int total;                /* points, all caps applied */
    int max_points;
    char points_tier[16];     /* "" when no threshold is reached */
    char catalogue_tier[16];  /* "" when no catalogue item holds */
    char catalogue_item[48];
    char tier[16];            /* decided tier, "none" when neither route gives one */
    char tier_name[64];
    char route[16];           /* "catalogue" | "points" */
} td_score_result;

void td_score_result_free(td_score_result *r);

/* Scores facts under rs at as_of.  wage_yuan is the local average wage in
 * force (0 when unknown: wage-multiple conditions then never hold).  Fills
 * *out (free with td_score_result_free).  Never fails except on OOM. */
void td_score_eval(const td_ruleset *rs, const td_factset *facts, td_date as_of,
                   long long wage_yuan, const char *wage_source, td_score_result *out);

/* Whether condition c holds on the facts at as_of (verified only when
 * verified_only); when it does, appends "input=value" to why (may be NULL
 * with whylen 0).  wage_yuan <= 0 makes wage multiples fail. */
bool td_cond_eval(const td_cond *c, const td_factset *fs, td_date as_of, bool verified_only,
                  long long wage_yuan, char *why, size_t whylen);

/* Masks the salary amounts quoted in r's ledger inputs and bands and
 * catalogue reasons for viewer (people/mask.h td_salary_mask_buf): done by
 * td_score_case for its actor, so every screen, CLI text, JSON and what-if
 * shows the one rule. */
void td_score_result_mask(const td_actor *viewer, td_score_result *r);

/* The result as JSON (new reference). */
json_t *td_score_result_json(const td_score_result *r);

/* The facts as JSON (new reference): [{name,value,date,verified,…}]. */
json_t *td_facts_json(const td_factset *fs);

/* Resolves the rule set (td_rules_get; rule_set_id NULL = td_rules_default)
 * and the wage for its region at as_of, checks the rule set is in force on
 * as_of (TD_EINVALID otherwise), and scores.  *out filled on TD_OK. */
td_status td_score_facts(td_db *db, const char *rule_set_id, const td_factset *facts,
                         td_date as_of, td_score_result *out, td_err *err);

typedef struct td_score_case_args {
    const char *case_key;     /* case id or number */
    const char *rule_set_id;  /* NULL = default */
    const char *as_of;        /* "YYYY-MM-DD", NULL = today */
    bool save;                /* write a snapshot */
    const td_factset *what_if;/* facts replacing the stored ones of the same name, or NULL (implies !save) */
} td_score_case_args;

/* Scores a case from its person's stored facts (clerk, reviewer, approver
 * or admin).  With save (and no what_if), writes an immutable snapshot
 * linked to the case's previous one and audits "score.snapshot" in its own
 * transaction; snapshot_id (may be NULL) receives its id. */
td_status td_score_case(td_db *db, const td_actor *by, const td_score_case_args *a,
                        td_score_result *out, char snapshot_id[TD_UUID_LEN], td_err *err);

typedef struct td_snapshot {
    char id[TD_UUID_LEN];
    char case_id[TD_UUID_LEN];
    char person_id[TD_UUID_LEN];
    char rule_set_id[64];
    char rule_set_hash[65];
    char as_of[TD_DATE_LEN];
    char route[16];
    int total;
    char tier_id[16];
    char prev_id[TD_UUID_LEN];
    char created_by[TD_UUID_LEN];
    char created_at[TD_TS_LEN];
    char *inputs_json;        /* owned */
    char *ledger_json;        /* owned */
} td_snapshot;

void td_snapshot_free(td_snapshot *s);

/* The newest snapshot of a case.  TD_ENOTFOUND when it has none.
 * Internal to the core (as td_snapshot_get and td_snapshot_each): front
 * ends call the `_as` variants below. */
td_status td_snapshot_latest(td_db *db, const char *case_id, td_snapshot *out, td_err *err);

/* A snapshot by id.  TD_ENOTFOUND otherwise. */
td_status td_snapshot_get(td_db *db, const char *id, td_snapshot *out, td_err *err);

/* Calls cb for each snapshot of a case, newest first (the td_snapshot is
 * borrowed for the call); stops when cb returns non-zero. */
td_status td_snapshot_each(td_db *db, const char *case_id,
                           int (*cb)(const td_snapshot *s, void *ud), void *ud, td_err *err);

/* The three reads above for the signed-in user a: the role to read case
 * data and the record scope of the snapshot's case first (TD_EDENIED,
 * audited; a refused snapshot is freed and *out cleared). */
td_status td_snapshot_latest_as(td_db *db, const td_actor *a, const char *case_id, td_snapshot *out, td_err *err);
td_status td_snapshot_get_as(td_db *db, const td_actor *a, const char *id, td_snapshot *out, td_err *err);
td_status td_snapshot_each_as(td_db *db, const td_actor *a, const char *case_id,
                              int (*cb)(const td_snapshot *s, void *ud), void *ud, td_err *err);

/* Re-runs a stored snapshot for an appeal: the exact rule-file version (by
 * its sha256, from policy_versions or a data file with that hash), the facts
 * stored in the snapshot, its as-of date and wage.  *out gets the result;
 * *identical is true when the recomputed ledger equals the stored one
 * exactly.  TD_ENOTFOUND when that rule version is no longer available. */
td_status td_snapshot_reproduce(td_db *db, const td_snapshot *snap, td_score_result *out,
                                bool *identical, td_err *err);

/* For the signed-in user a: loads snapshot `id` (role and record scope as
 * td_snapshot_get_as), re-runs it from the stored amounts as
 * td_snapshot_reproduce, then masks both *snap and *out for a
 * (people/mask.h).  On TD_OK the caller frees *snap and *out; on error
 * nothing is left to free.  Internal: td_snapshot_reproduce. */
td_status td_snapshot_reproduce_as(td_db *db, const td_actor *a, const char *id, td_snapshot *snap,
                                   td_score_result *out, bool *identical, td_err *err);

/* Per-factor differences between a base result and a what-if result, as a
 * JSON array [{factor,title,base,what_if,delta}] plus total and tier (new
 * reference).  Factors present in only one result count 0 in the other. */
json_t *td_score_diff_json(const td_score_result *base, const td_score_result *what_if);

#endif
