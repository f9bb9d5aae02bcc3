/* demo.h — demonstration and test data: the standard users and a population
 * of realistic persons (Chinese names, valid identity numbers) with cases in
 * every state.  Deterministic for a given seed. */
#ifndef TD_DEMO_H
#define TD_DEMO_H

#include "base/db.h"
#include "base/err.h"

#include <stdint.h>

/* Creates the demo users at the local station (and an overseas station LDN):
 *   admin (exists after init), clerk1 王芳 + clerk2 李强 (clerk), reviewer1 赵敏
 *   (reviewer), approver1 陈静 + approver2 刘洋 (approver), signer_rsj 孙磊
 *   (signer, dept rsj), signer_kjj 周婷 (signer, dept kjj), spec1 吴昊
 *   (specialist), station1 郑丽 (station operator at LDN).
 * Every one of them, admin included, gets the password TD_DEMO_PASSWORD
 * (documented in README; no forced change).
 * Runs its own transaction.  Fails (TD_ECONFLICT) when they already exist. */
td_status td_demo_users(td_db *db, td_err *err);

/* The one documented password of the demo users. */
#define TD_DEMO_PASSWORD "talentdesk-demo"

/* Adds n persons and one case each, spread over the workflow states, acting
 * as the demo users.  Needs reference data and td_demo_users. */
td_status td_demo_populate(td_db *db, int n, uint32_t seed, td_err *err);

/* A deterministic pseudo-random generator shared with benchmarks. */
typedef struct td_rng {
    uint64_t s;
} td_rng;
uint32_t td_rng_next(td_rng *r);

/* Writes a plausible Chinese name (surname + 1–2 given characters). */
void td_demo_name(td_rng *r, char *out, size_t len);

/* Writes a valid 18-character resident ID of a Chongqing district, born
 * between 1960 and 2003, with the given gender. */
void td_demo_resident_id(td_rng *r, char out[19]);

/* Writes a valid mainland mobile number. */
void td_demo_mobile(td_rng *r, char out[12]);

#endif
