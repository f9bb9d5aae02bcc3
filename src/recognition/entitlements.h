/* entitlements.h — 政策匹配: the benefits a person may claim, from their facts
 * and 金凤凰 tier, with amounts under the seeds' caps (data/entitlements.tdp),
 * and the granted tech-transfer rewards that count toward a unit's yearly cap.
 *
 * Money is integer fen (1 yuan = 100 fen) throughout; no floating point.
 */
#ifndef TD_ENTITLEMENTS_H
#define TD_ENTITLEMENTS_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "facts.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#include <jansson.h>
#include <stdbool.h>

typedef enum td_amount_kind {
    TD_AMT_NONE,     /* non-monetary */
    TD_AMT_MAX,      /* up to max */
    TD_AMT_RANGE,    /* between min and max */
    TD_AMT_PERCENT,  /* bp basis points of a money fact */
    TD_AMT_REWARD    /* bp of each contract, per-contract and per-unit-year caps */
} td_amount_kind;

typedef struct td_entitlement {
    char id[48];
    char title[160];
    char source[160];          /* seed and clause */
    char note[512];
    td_amount_kind kind;
    long long min_fen, max_fen;
    int bp;
    char percent_of[40];
    long long amount_fen;      /* computed (percent), or the maximum; 0 when none */
    char status[16];           /* "eligible" | "unverified" | "not_eligible" */
    char met[512];             /* conditions that hold */
    char missing[512];         /* conditions that do not hold (or only on claimed facts) */
    /* Terms of a benefit in kind, from the keys of the same names; 0 = none:
     * office space at most 3 years and 200 m² (000 §12), visas and residence
     * permits valid 2–5 years (000 §4, 004 §9), 高端人才房 150–240 m² and
     * 人才公寓 about 100 m² (000 §16).  about_area_m2 is shown, never enforced. */
    int min_years, max_years;
    int min_area_m2, max_area_m2;
    int about_area_m2;
} td_entitlement;

typedef struct td_entitlement_list {
    td_entitlement *v;
    size_t n;
    char tier[16];             /* the tier used ("" when none) */
    char as_of[TD_DATE_LEN];
} td_entitlement_list;

void td_entitlement_list_free(td_entitlement_list *l);

/* Validates data/entitlements.tdp (or path) — TD_EPOLICY "file:line: …". */
td_status td_entitlements_check(const char *path, int *count, td_err *err);

/* Matches the facts and tier (may be NULL/"") against every benefit at
 * as_of.  path NULL = <data dir>/entitlements.tdp.  Fills *out. */
td_status td_entitlements_eval(const char *path, const td_factset *fs, const char *tier,
                               td_date as_of, td_entitlement_list *out, td_err *err);

/* As td_entitlements_eval, on the benefits in force for db: the version of
 * kind "entitlements" loaded into it (td_pversion_current), else — none was
 * ever loaded, or db NULL — <data dir>/entitlements.tdp.  TD_EPOLICY when
 * the version or the file does not validate. */
td_status td_entitlements_eval_db(td_db *db, const td_factset *fs, const char *tier, td_date as_of,
                                  td_entitlement_list *out, td_err *err);

/* Validates <dir>/entitlements.tdp and records it in db as a version of kind
 * "entitlements" (td_pversion_put; joins the caller's transaction, as
 * td_policy_load_all does).  TD_OK without writing when the file is absent;
 * TD_EPOLICY "entitlements.tdp:line: …" with nothing written when it is
 * malformed; TD_EDB on a database error.  user_id may be NULL. */
td_status td_entitlements_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err);

/* For a case (id or number) or a person (id, identity number or phone):
 * the person's stored facts, and the tier of the case (its tier_id, else
 * its latest snapshot) or, for a person, of their latest scored case.  Any
 * signed-in user.  as_of NULL = today.  The benefits are those in force for
 * db (td_entitlements_eval_db). */
td_status td_entitlements_for(td_db *db, const td_actor *by, const char *key, const char *as_of,
                              td_entitlement_list *out, td_err *err);

json_t *td_entitlements_json(const td_entitlement_list *l);

/* Checks what is asked of benefit `id` (path NULL = <data dir>/entitlements.tdp)
 * against its terms: years (validity of a visa or permit, length of an office
 * space offer) and area_m2 (office space, housing); 0 = not asked.  TD_OK
 * when within the terms; TD_EINVALID with a Chinese message naming the
 * benefit, the limit and its source ("…最长 3 年（000 §12），所请 4 年超出");
 * TD_EINVALID also when years or area is asked of a benefit without such a
 * term; TD_ENOTFOUND for an unknown id; TD_EPOLICY for a bad file.  *out (may
 * be NULL) receives the benefit's static parts (terms, title, source). */
td_status td_entitlement_check_terms(const char *path, const char *id, int years, int area_m2,
                                     td_entitlement *out, td_err *err);

/* As td_entitlement_check_terms, on the benefits in force for db (see
 * td_entitlements_eval_db; db NULL = the file under the data directory). */
td_status td_entitlement_check_terms_db(td_db *db, const char *id, int years, int area_m2, td_entitlement *out,
                                        td_err *err);

/* The terms of e in words ("2-5 years", "at most 3 years, at most 200 m2",
 * "150-240 m2", "about 100 m2"), or "" when it has none. */
void td_entitlement_terms_text(const td_entitlement *e, char *out, size_t len);

/* Formats fen as yuan: "2,000,000" or "1,234.56".  out ≥ 32 bytes. */
void td_money_format(long long fen, char *out, size_t len);

typedef struct td_reward_calc {
    long long transaction_fen;
    long long percent_fen;        /* bp of the transaction */
    long long per_contract_cap_fen;
    long long unit_year_cap_fen;
    long long granted_before_fen; /* the unit's rewards earlier in the same year */
    long long amount_fen;         /* min(percent, per-contract cap, year cap − granted) */
    int year;
    char source[160];
    char explain[512];
} td_reward_calc;

/* What a tech-transfer reward is asked for. */
typedef struct td_reward_req {
    const char *unit_code;       /* the unit's 统一社会信用代码 (GB 32100, checked): its identity */
    const char *unit_name;       /* for display only (trimmed, spaces collapsed, NFC); may be NULL */
    const char *contract;        /* the technology contract's number; required to grant */
    long long transaction_yuan;  /* > 0 */
    const char *date;            /* "YYYY-MM-DD" (NULL = today) */
    const char *person_id;       /* the offshore talent; required to grant */
} td_reward_req;

/* The tech-transfer reward (000 §15) for one contract of a unit, counting the
 * unit's rewards already granted in the same calendar year (table
 * benefit_grants; the unit is its credit code, so "某某大学 " and 某某大学 share
 * one cap).  The same contract is never rewarded twice (TD_ECONFLICT naming
 * the earlier grant, also when only computing).  When a person is given it
 * must be a verified offshore talent (fact offshore_talent), else
 * TD_EINVALID.  With grant, person, contract and unit are all required and
 * the reward is recorded (clerk, reviewer, approver or admin; own
 * transaction; audited "benefit.grant"; grant_id may be NULL). */
td_status td_tech_transfer_reward(td_db *db, const td_actor *by, const td_reward_req *req, bool grant,
                                  td_reward_calc *out, char grant_id[TD_UUID_LEN], td_err *err);

#endif
