/* policy.h — loads every kind of policy data under data/ (reference data,
 * workflow, rule sets) into the database: the single entry point used by
 * `talentdesk init` and `talentdesk policy load`. */
#ifndef TD_POLICY_H
#define TD_POLICY_H

#include "db.h"
#include "err.h"

/* Validates and loads everything under dir (each loader validates all of
 * its files before writing, and writes in one transaction; the caller must
 * not hold one).  On the first error returns it (err names file and line);
 * loaders that ran before keep their (valid) data.  Order: reference data,
 * workflow.tdp, then the rule sets under dir/rules/ when that directory
 * exists.  user_id may be NULL. */
td_status td_policy_load_all(td_db *db, const char *dir, const char *user_id, td_err *err);

#endif
