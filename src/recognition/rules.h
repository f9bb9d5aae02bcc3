/* rules.h — recognition rule sets ("目录+计分") as dated data under
 * data/rules/ (one .tdp file per rule set), their validating loader, and the local average wage
 * table (data/wage.tdp).
 *
 * A rule set file (format in docs/scoring.md):
 *   [ruleset ID]      title, basis, effective_from, [effective_to], sample,
 *                     [wage_region], [note]       (ID == the file's base name)
 *   [tier ID]         name, rank (1 = highest), [min_points]
 *   [catalogue ID]    title, tier, when = INPUT OP VALUE (one or more, all
 *                     must hold), [basis]
 *   [factor ID]       title, cap, aggregate = sum|max, [input],
 *                     band = [LOW,HIGH) POINTS [label]   (on `input`)
 *                     match = FACT=V1,V2 POINTS [label]
 *   [group ID]        title, cap, factors = F1,F2,…
 * The loader rejects band gaps and overlaps, unknown facts, inputs, factors
 * and tiers, missing fields and unknown keys with "file.tdp:LINE: problem"
 * (TD_EPOLICY, in Chinese).
 */
#ifndef TD_RULES_H
#define TD_RULES_H

#include "base/db.h"
#include "base/err.h"
#include "policy/policyfile.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct td_band {
    long long lo, hi;        /* as written */
    bool lo_inf, hi_inf;     /* unbounded side */
    bool lo_incl, hi_incl;
    int points;
    char label[96];
    int line;
} td_band;

typedef struct td_match {
    char fact[40];
    char values[256];        /* comma-separated codes */
    int points;
    char label[96];
    int line;
} td_match;

typedef struct td_factor {
    char id[40];
    char title[128];
    char input[48];          /* numeric input the bands apply to ("" = none) */
    int cap;
    bool agg_max;            /* true: the highest item counts; false: items are summed */
    char group[40];          /* "" or a [group] id */
    td_band *bands;
    size_t nb;
    td_match *matches;
    size_t nm;
    int line;
} td_factor;

typedef struct td_group {
    char id[40];
    char title[128];
    int cap;
    int line;
} td_group;

typedef enum td_op { TD_OP_EQ, TD_OP_IN, TD_OP_GE, TD_OP_GT, TD_OP_LE, TD_OP_LT } td_op;

typedef struct td_cond {
    char input[48];          /* fact (EQ/IN) or numeric input (comparisons) */
    td_op op;
    char values[256];        /* EQ/IN: codes */
    long long num;           /* comparisons: a number … */
    int wage_x100;           /* … or, when > 0, this multiple ×100 of the local average wage */
    char text[256];          /* as written, for explanations */
    int line;
} td_cond;

/* Parses "INPUT OP VALUE" (OP: =, in, >=, >, <=, <; VALUE a code list, a
 * whole number, or wage*N for N times the local average wage).  Syntax only:
 * false when malformed. */
bool td_cond_parse(const char *text, td_cond *out);

/* Checks a parsed condition against the fact registry (unknown fact, value
 * or input; a wage multiple when wage_ok is false): TD_EPOLICY at pf:line. */
td_status td_cond_check(const td_pf *pf, int line, const td_cond *c, bool wage_ok, td_err *err);

typedef struct td_cat_item {
    char id[48];
    char title[256];
    char tier[16];
    char basis[256];
    td_cond *conds;
    size_t nc;
    int line;
    int tier_line;
} td_cat_item;

typedef struct td_tier {
    char id[16];
    char name[64];
    int rank;
    bool has_min;
    int min_points;
    int line;
} td_tier;

typedef struct td_ruleset {
    char id[64];
    char title[256];
    char basis[512];
    char note[512];
    char effective_from[TD_DATE_LEN];
    char effective_to[TD_DATE_LEN];   /* "" = open */
    bool sample;                      /* editable sample policy, not an official table */
    char wage_region[32];
    char file[256];                   /* base name */
    char sha256[65];
    char policy_version[TD_UUID_LEN]; /* policy_versions.id when loaded from the database */
    char *content;                    /* the file's text (owned) */
    td_tier *tiers;
    size_t ntiers;
    td_cat_item *items;
    size_t nitems;
    td_factor *factors;
    size_t nfactors;
    td_group *groups;
    size_t ngroups;
    int max_points;                   /* sum of caps, group caps applied */
} td_ruleset;

/* Validates a parsed policy file as a rule set.  On success *out owns a new
 * rule set (free with td_ruleset_free).  TD_EPOLICY "name:line: problem". */
td_status td_ruleset_from_pf(const td_pf *pf, td_ruleset **out, td_err *err);

/* Reads and validates one rule file (td_pf_load + td_ruleset_from_pf). */
td_status td_ruleset_load_file(const char *path, td_ruleset **out, td_err *err);

void td_ruleset_free(td_ruleset *rs);

/* Lookups inside a rule set; NULL when absent. */
const td_tier *td_ruleset_tier(const td_ruleset *rs, const char *id);
const td_factor *td_ruleset_factor(const td_ruleset *rs, const char *id);
const td_group *td_ruleset_group(const td_ruleset *rs, const char *id);

/* True when as_of lies within [effective_from, effective_to]. */
bool td_ruleset_in_force(const td_ruleset *rs, td_date as_of);

/* Validates every .tdp file of the rule directory and records each in
 * policy_versions (kind 'rules', name = file name, sha256, content; audited
 * "policy.load" once the database has a station) unless the same content is
 * already there.  dir is the data directory (its rules/ subdirectory is
 * used) or the rules directory itself.  All or nothing: any invalid file
 * leaves the database untouched.  Opens its own transaction (the caller must
 * not hold one).  user_id may be NULL.  For `talentdesk init` / policy load. */
td_status td_rules_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err);

/* Validates every .tdp file of the rule directory (dir as for
 * td_rules_load_dir) without writing; *checked (may be NULL) gets the count. */
td_status td_rules_check_dir(const char *dir, int *checked, td_err *err);

/* The rule set `id`: the newest version recorded in policy_versions (so a
 * score can be reproduced from the database alone), else
 * <data dir>/rules/<id>.tdp.  With sha256 non-NULL, exactly that version
 * (TD_ENOTFOUND when no such version is stored).  *out owned by caller. */
td_status td_rules_get(td_db *db, const char *id, const char *sha256, td_ruleset **out,
                       td_err *err);

typedef struct td_ruleset_info {
    char id[64];
    char title[256];
    char effective_from[TD_DATE_LEN];
    char effective_to[TD_DATE_LEN];
    bool sample;
    char sha256[65];
    char origin[16];   /* "database" or "file" */
} td_ruleset_info;

/* Calls cb for every known rule set (database versions first, newest per id,
 * then files in the data directory not in the database).  Invalid files are
 * skipped. */
td_status td_rules_list(td_db *db, int (*cb)(const td_ruleset_info *ri, void *ud), void *ud,
                        td_err *err);

/* The rule set used when none is named: setting 'scoring.default_rules',
 * else "cq-recognition-sample".  Writes into buf. */
void td_rules_default(td_db *db, char *buf, size_t len);

/* ---- local average wage (data/wage.tdp) ------------------------------- */

typedef struct td_wage {
    char id[64];
    char region[32];
    long long annual_yuan;
    char effective_from[TD_DATE_LEN];
    char source[256];
    bool sample;
} td_wage;

/* The wage figure of `region` in force at as_of (latest effective_from on
 * or before as_of) from <data dir>/wage.tdp (or `path` when non-NULL).
 * TD_ENOTFOUND when none; TD_EPOLICY for a malformed file. */
td_status td_wage_lookup(const char *path, const char *region, td_date as_of, td_wage *out,
                         td_err *err);

#endif
