/* facts.h — raw, dated facts about a person that recognition is judged on.
 *
 * A fact is one (name, value, date) triple — "degree = doctorate",
 * "employment = 2015-03-01..2022-02-28", "annual_salary = 450000" — that is
 * either claimed (typed from what the applicant says) or verified (a clerk
 * saw the evidence: verified_by, verified_at, evidence).  Points are never
 * stored as facts: age, experience and years in China are derived at the
 * as-of date of the case (td_facts_input).  Only verified facts count toward
 * a tier; claimed facts are shown beside them.
 *
 * Fact names and their value types are a fixed registry (td_fact_defs,
 * documented in docs/scoring.md); rule files may only name registered facts
 * and inputs.
 */
#ifndef TD_FACTS_H
#define TD_FACTS_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum td_fact_type {
    TD_FT_DATE,    /* YYYY-MM-DD */
    TD_FT_INT,     /* whole number within [min,max] */
    TD_FT_MONEY,   /* whole yuan, >= 0 */
    TD_FT_ENUM,    /* one code of `values` */
    TD_FT_BOOL,    /* "yes" (a fact that holds); "no" is stored as absence */
    TD_FT_PERIOD,  /* "YYYY-MM-DD..YYYY-MM-DD" or open "YYYY-MM-DD.." */
    TD_FT_TEXT     /* free identifier, e.g. a patent number */
} td_fact_type;

typedef struct td_fact_def {
    const char *name;
    td_fact_type type;
    bool multi;          /* several values may hold at once (degrees, awards, …) */
    const char *values;  /* TD_FT_ENUM: comma-separated codes */
    long long min, max;  /* TD_FT_INT bounds */
    const char *label;   /* N_() English label, translate with _() */
} td_fact_def;

/* The registry: *n gets the count.  Static storage. */
const td_fact_def *td_fact_defs(size_t *n);

/* The definition of `name` — its code ("degree"), its label in the
 * interface language or in English ("学位", "academic degree") or a short
 * name ("学历", "education") — or NULL. */
const td_fact_def *td_fact_def_find(const char *name);

/* The label of a coded value in the interface language ("博士" for degree /
 * doctorate; "是" for a boolean's "yes"), or code itself when it has none.
 * Static storage (the catalogue's). */
const char *td_fact_value_label(const char *name, const char *code);

/* The label of a fact or derived input ("age" → "年龄", "count:patent" →
 * "专利…的数量") into out. */
void td_input_label(const char *input, char *out, size_t len);

/* Rewrites a ledger input or catalogue reason written with codes
 * ("degree=doctorate; age=35 (1990-05-01 生)", "age=35 (age <= 40)") in the
 * interface language: input names as labels, coded values as their labels.
 * Always NUL-terminates out (truncating). */
void td_facts_humanize(const char *coded, char *out, size_t len);

/* True when `input` names a numeric input a rule may band on: an INT or
 * MONEY fact, or a derived input "age" (birth_date), "experience_years"
 * (employment periods), "years_in_china" (china_work_start), "years_in_chongqing"
 * (chongqing_arrival), "enterprise_years" (enterprise_founded),
 * "competition_landing_months" (latest dated competition award to
 * project_landed), or "count:FACT" (number of values of FACT). */
bool td_input_known(const char *input);

/* Validates and normalises a typed value for fact def: dates to YYYY-MM-DD
 * (full-width digits accepted), integers without leading zeros, money also
 * as 45万 / 4.5万 / 450,000元, periods also as 20150301至20220228 or
 * 20150301至今, enum codes as listed or typed as their labels (博士,
 * "doctorate"), booleans "yes"/"是"/"true"/"1" to "yes".  TD_EINVALID with a
 * Chinese message naming the fact otherwise. */
td_status td_fact_normalize(const td_fact_def *def, const char *in, char *out, size_t outlen,
                            td_err *err);

#define TD_FACT_NAME_LEN 40
#define TD_FACT_VALUE_LEN 128

typedef struct td_fact {
    char id[TD_UUID_LEN];        /* "" for facts not stored (CLI, what-if) */
    char person_id[TD_UUID_LEN];
    char name[TD_FACT_NAME_LEN];
    char value[TD_FACT_VALUE_LEN];
    char date[TD_DATE_LEN];      /* when it started to hold ("" = undated) */
    bool verified;
    char verified_by[TD_UUID_LEN];
    char verified_at[TD_TS_LEN];
    char evidence[256];
    char note[256];
    char created_at[TD_TS_LEN];
    long row_version;
} td_fact;

/* A growable list of facts (value type; zero-initialise, free with
 * td_factset_free). */
typedef struct td_factset {
    td_fact *v;
    size_t n, cap;
} td_factset;

void td_factset_free(td_factset *fs);

/* Appends a copy of f.  Aborts on out-of-memory. */
void td_factset_add(td_factset *fs, const td_fact *f);

/* Parses "name=value" or "name=value@YYYY-MM-DD" (the date the fact began to
 * hold) into f (validated and normalised, not stored; id empty).  verified
 * sets the status.  TD_EINVALID names the problem. */
td_status td_fact_parse_kv(const char *kv, bool verified, td_fact *f, td_err *err);

/* Replaces, in fs, every fact named like one in `over` by those in `over`
 * (what-if: "salary=600000" replaces the stored salary). */
void td_factset_override(td_factset *fs, const td_factset *over);

/* Reads facts from a JSON document: either {"facts":[{"name":…,"value":…,
 * "date":…,"verified":true}, …]} or a flat object {"degree":"doctorate",
 * "award":["nobel","fields"], …} (flat values count as verified).  Appends
 * to fs.  TD_EINVALID / TD_EIO on problems. */
td_status td_facts_from_json_file(const char *path, td_factset *fs, td_err *err);

/* Numeric input at as_of (see td_input_known).  Only facts dated on or
 * before as_of are used; with verified_only, only verified facts.  Returns
 * true and sets *out when the input can be computed; desc (may be NULL) gets a
 * short human description of where it came from (e.g. "1990-05-01 生").
 * Single-valued facts: the latest dated value wins (then the last added). */
bool td_facts_input(const td_factset *fs, const char *input, td_date as_of, bool verified_only,
                    long long *out, char *desc, size_t desclen);

/* True when some applicable fact `name` has a value in the comma-separated
 * list `values`.  `which` (may be NULL) gets the value that matched. */
bool td_facts_match(const td_factset *fs, const char *name, const char *values, td_date as_of,
                    bool verified_only, char *which, size_t whichlen);

/* ---- stored facts (table facts, migration 003) ------------------------- */

/* Adds a fact for a person (clerk, reviewer, station operator, specialist or
 * admin).  f->person_id, name, value (validated here), date optional,
 * evidence optional; verified=true records the actor as verifier (evidence
 * then required).  Manages its own transaction; audits "fact.add".
 * Fills f->id. */
td_status td_fact_add(td_db *db, const td_actor *by, td_fact *f, td_err *err);

/* The same as td_fact_add inside the caller's write transaction (importers
 * that add a person and the facts it claims in one batch): no BEGIN or
 * COMMIT; on error nothing of this fact is written and the caller decides
 * whether to roll back. */
td_status td_fact_insert(td_db *db, const td_actor *by, td_fact *f, td_err *err);

/* Marks a stored fact verified by the actor with the evidence seen
 * (reviewer, approver, clerk or admin).  Guarded by row_version when
 * row_version > 0 (TD_ECONFLICT when stale).  Audits "fact.verify". */
td_status td_fact_verify(td_db *db, const td_actor *by, const char *fact_id, const char *evidence,
                         long row_version, td_err *err);

/* Appends the person's live facts (oldest first) to fs.  When the person
 * has no birth_date fact, the birth date of the person record is added as a
 * claimed fact (evidence "person record").
 * Internal to the core: front ends call td_facts_load_as. */
td_status td_facts_load(td_db *db, const char *person_id, td_factset *fs, td_err *err);

/* td_facts_load for the signed-in user a: the role to read case data and
 * the person's record scope first (TD_EDENIED, audited; fs untouched). */
td_status td_facts_load_as(td_db *db, const td_actor *a, const char *person_id, td_factset *fs, td_err *err);

/* Loads one stored fact.  TD_ENOTFOUND otherwise.  Internal to the core:
 * front ends call td_fact_get_as. */
td_status td_fact_get(td_db *db, const char *fact_id, td_fact *out, td_err *err);

/* td_fact_get for a: refused (TD_EDENIED, audited, *out cleared) when the
 * fact's person is outside a's record scope. */
td_status td_fact_get_as(td_db *db, const td_actor *a, const char *fact_id, td_fact *out, td_err *err);

#endif
