/* read_as.c — the checked reads of recognition records (facts, score
 * snapshots, the talent service code of a case) for a signed-in user: see
 * cases/scope.h ("checked reads"). */
#include "auth/access.h"
#include "cases/scope.h"
#include "facts.h"
#include "score.h"
#include "talentcode.h"

#include <string.h>

td_status td_facts_load_as(td_db *db, const td_actor *a, const char *person_id, td_factset *fs, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s || (s = td_person_check_scope(db, a, person_id, err)))
        return s;
    return td_facts_load(db, person_id, fs, err);
}

td_status td_fact_get_as(td_db *db, const td_actor *a, const char *fact_id, td_fact *out, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s || (s = td_fact_get(db, fact_id, out, err)))
        return s;
    if ((s = td_person_check_scope(db, a, out->person_id, err)))
        memset(out, 0, sizeof *out);
    return s;
}

td_status td_snapshot_latest_as(td_db *db, const td_actor *a, const char *case_id, td_snapshot *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    td_status s = td_read_check(db, a, case_id, err);
    return s ? s : td_snapshot_latest(db, case_id, out, err);
}

td_status td_snapshot_get_as(td_db *db, const td_actor *a, const char *id, td_snapshot *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s || (s = td_snapshot_get(db, id, out, err)))
        return s;
    if ((s = td_read_check_case_id(db, a, out->case_id, err))) {
        td_snapshot_free(out);
        memset(out, 0, sizeof *out);
    }
    return s;
}

td_status td_snapshot_each_as(td_db *db, const td_actor *a, const char *case_id,
                              int (*cb)(const td_snapshot *sn, void *ud), void *ud, td_err *err)
{
    td_status s = td_read_check(db, a, case_id, err);
    return s ? s : td_snapshot_each(db, case_id, cb, ud, err);
}

td_status td_talent_code_of_case_as(td_db *db, const td_actor *a, const char *case_key,
                                    td_talent_code_info *out, td_err *err)
{
    td_status s = td_read_check(db, a, case_key, err);
    return s ? s : td_talent_code_of_case(db, case_key, out, err);
}
