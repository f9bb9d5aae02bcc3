/* read_as.c — the checked reads of recognition records (facts, score
 * snapshots, the talent service code of a case) for a signed-in user: see
 * cases/scope.h ("checked reads"). */
#include "auth/access.h"
#include "cases/scope.h"
#include "facts.h"
#include "people/mask.h"
#include "score.h"
#include "talentcode.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Salary facts of fs as a may see them (people/mask.h). */
static void mask_facts(const td_actor *a, td_factset *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        if (td_fact_is_salary(fs->v[i].name)) {
            char buf[sizeof fs->v[i].value];
            const char *v = td_pii_view(a, TD_PII_SALARY, fs->v[i].value, buf, sizeof buf);
            if (v == buf)
                snprintf(fs->v[i].value, sizeof fs->v[i].value, "%s", buf);
        }
}

/* The snapshot's stored facts and ledger as a may see them. */
static void mask_snapshot(const td_actor *a, td_snapshot *sn)
{
    if (td_may_see(a, TD_PII_SALARY))
        return;
    if (sn->ledger_json) {
        char *m = td_salary_mask_text(a, sn->ledger_json);
        free(sn->ledger_json);
        sn->ledger_json = m;
    }
    json_error_t je;
    json_t *in = sn->inputs_json ? json_loads(sn->inputs_json, 0, &je) : NULL;
    if (in) {
        json_t *arr = json_is_array(in) ? in : json_object_get(in, "facts");
        size_t i;
        json_t *f;
        json_array_foreach(arr, i, f)
        {
            if (td_fact_is_salary(json_string_value(json_object_get(f, "name"))) && json_object_get(f, "value"))
                json_object_set_new(f, "value", json_string("******"));
        }
        char *m = json_dumps(in, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(in);
        if (m) {
            char *t = td_salary_mask_text(a, m);
            free(m);
            free(sn->inputs_json);
            sn->inputs_json = t;
        }
    } else if (sn->inputs_json) {
        char *t = td_salary_mask_text(a, sn->inputs_json);
        free(sn->inputs_json);
        sn->inputs_json = t;
    }
}

td_status td_facts_load_as(td_db *db, const td_actor *a, const char *person_id, td_factset *fs, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s || (s = td_person_check_scope(db, a, person_id, err)))
        return s;
    size_t from = fs->n;
    if ((s = td_facts_load(db, person_id, fs, err)))
        return s;
    td_factset tail = { fs->v + from, fs->n - from, 0 };
    mask_facts(a, &tail);
    return TD_OK;
}

td_status td_fact_get_as(td_db *db, const td_actor *a, const char *fact_id, td_fact *out, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s || (s = td_fact_get(db, fact_id, out, err)))
        return s;
    if ((s = td_person_check_scope(db, a, out->person_id, err))) {
        memset(out, 0, sizeof *out);
        return s;
    }
    td_factset one = { out, 1, 0 };
    mask_facts(a, &one);
    return TD_OK;
}

td_status td_snapshot_latest_as(td_db *db, const td_actor *a, const char *case_id, td_snapshot *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    td_status s = td_read_check(db, a, case_id, err);
    if (s || (s = td_snapshot_latest(db, case_id, out, err)))
        return s;
    mask_snapshot(a, out);
    return TD_OK;
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
        return s;
    }
    mask_snapshot(a, out);
    return TD_OK;
}

typedef struct masked_each {
    const td_actor *a;
    int (*cb)(const td_snapshot *sn, void *ud);
    void *ud;
} masked_each;

static int masked_snap(const td_snapshot *sn, void *ud)
{
    masked_each *m = ud;
    td_snapshot copy = *sn;
    copy.inputs_json = sn->inputs_json ? strdup(sn->inputs_json) : NULL;
    copy.ledger_json = sn->ledger_json ? strdup(sn->ledger_json) : NULL;
    mask_snapshot(m->a, &copy);
    int r = m->cb(&copy, m->ud);
    td_snapshot_free(&copy);
    return r;
}

td_status td_snapshot_each_as(td_db *db, const td_actor *a, const char *case_id,
                              int (*cb)(const td_snapshot *sn, void *ud), void *ud, td_err *err)
{
    td_status s = td_read_check(db, a, case_id, err);
    if (s)
        return s;
    masked_each m = { a, cb, ud };
    return td_snapshot_each(db, case_id, masked_snap, &m, err);
}

td_status td_talent_code_of_case_as(td_db *db, const td_actor *a, const char *case_key,
                                    td_talent_code_info *out, td_err *err)
{
    td_status s = td_read_check(db, a, case_key, err);
    return s ? s : td_talent_code_of_case(db, case_key, out, err);
}

td_status td_snapshot_reproduce_as(td_db *db, const td_actor *a, const char *id, td_snapshot *snap,
                                   td_score_result *out, bool *identical, td_err *err)
{
    memset(snap, 0, sizeof *snap);
    memset(out, 0, sizeof *out);
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s || (s = td_snapshot_get(db, id, snap, err)))
        return s;
    if ((s = td_read_check_case_id(db, a, snap->case_id, err)) ||
        (s = td_snapshot_reproduce(db, snap, out, identical, err))) {
        td_snapshot_free(snap);
        memset(snap, 0, sizeof *snap);
        return s;
    }
    mask_snapshot(a, snap);
    td_score_result_mask(a, out);
    return TD_OK;
}
