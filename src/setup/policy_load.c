/* policy_load.c — see policy_load.h.  Each policy module contributes one loader here. */
#include "policy_load.h"
#include "auth/access.h"
#include "policy/refdata.h"
#include "policy/roles.h"
#include "recognition/entitlements.h"
#include "recognition/rules.h"
#include "report/targets.h"
#include "workflow/workflow.h"
#include "policy/calendar.h"
#include "people/country.h"
#include "workflow/notice_policy.h"

#include <string.h>

#include <stdio.h>
#include <sys/stat.h>

td_status td_policy_load_all(td_db *db, const char *dir, const char *user_id, td_err *err)
{
    /* A malformed workflow file stops the load before anything is written. */
    td_status s = td_wf_check_dir(dir, err);
    if (s)
        return s;
    if ((s = td_refdata_load(db, dir, user_id, err)))
        return s;
    /* The workflow names departments (联审), so it loads after the reference data. */
    char path[4096];
    snprintf(path, sizeof path, "%s/workflow.tdp", dir);
    if ((s = td_wf_load_file(db, path, user_id, NULL, err)))
        return s;
    /* Rule sets (every .tdp under data/rules): versioned so a snapshot's rule hash can
     * always be traced to the text it was scored under. */
    snprintf(path, sizeof path, "%s/rules", dir);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && (s = td_rules_load_dir(db, path, user_id, err)))
        return s;
    /* The plans' targets and the rating policy (src/report/targets.h). */
    if ((s = td_targets_load_dir(db, dir, user_id, err)))
        return s;
    /* The 一次性告知书 rules (they name document types, so after the reference
     * data) and the country names iso-codes lacks: versioned files. */
    if ((s = td_notice_policy_load_dir(db, dir, user_id, err)))
        return s;
    if ((s = td_countries_load_dir(db, dir, user_id, err)))
        return s;
    /* 政策匹配's benefits and amounts: the version in force for entitlements. */
    if ((s = td_entitlements_load_dir(db, dir, user_id, err)))
        return s;
    /* Who may do what (roles.tdp): in force from the next command. */
    if ((s = td_roles_load_dir(db, dir, user_id, err)))
        return s;
    return TD_OK;
}

td_status td_refdata_load_as(td_db *db, const td_actor *by, const char *dir, td_err *err)
{
    return td_policy_load_as(db, by, dir, NULL, err);
}

td_status td_policy_load_as(td_db *db, const td_actor *by, const char *dir, td_due_report *due, td_err *err)
{
    td_due_report scratch;
    if (!due)
        due = &scratch;
    memset(due, 0, sizeof *due);
    td_status s = td_access_require(db, by, TD_ACT_POLICY_LOAD, err);
    if (s)
        return s;
    /* Due dates still to be moved by an earlier load's calendar (killed
     * half-way) are written first: the plan below counts from the dates as
     * they stand. */
    if ((s = td_due_resume(db, NULL, err)))
        return s;
    /* All or nothing: the files are versioned together, and the due dates
     * counted under the calendar change with it — so the recount is planned
     * in the same transaction (every date that moves, with its old and new
     * value: local_due_pending) and only written after it, in short
     * transactions that each remove their part of the plan (wf_due.h).  A
     * kill leaves either the old policy, or the new one with a plan that the
     * next write command or load finishes, each move exactly once.  The
     * transaction stays short: the loaders write only policy rows, and the
     * plan reads only the dates a changed calendar can move and writes rows
     * without triggers (lock hold in bench_lock).
     * Inside a caller's job transaction (TD_ERR: nested) it joins that one. */
    td_status outer = td_db_begin_outer(db, err);
    if (outer && outer != TD_ERR)
        return outer;
    if (outer)
        td_err_clear(err);
    td_calendar *old_cal = NULL, *new_cal = NULL;
    s = td_calendar_load(db, &old_cal, err);
    if (!s)
        s = td_policy_load_all(db, dir, by->user_id, err);
    if (!s)
        s = td_calendar_load(db, &new_cal, err);
    if (!s && !(s = td_db_begin(db, err))) { /* the outer transaction's savepoint */
        if ((s = td_due_plan(db, by, old_cal, new_cal, due, err)))
            td_db_rollback(db);
        else
            s = td_db_commit(db, err);
    }
    td_calendar_free(old_cal);
    td_calendar_free(new_cal);
    if (!outer) {
        if (s) {
            td_db_end_outer(db, false, NULL);
            memset(due, 0, sizeof *due);
        } else {
            s = td_db_end_outer(db, true, err);
        }
    }
    /* The moves, in short transactions (inside a caller's job: savepoints of it). */
    if (!s)
        s = td_due_resume(db, NULL, err);
    return s;
}

td_status td_policy_check_all(const char *dir, td_err *err)
{
    /* Exactly the checks of a load: load into a scratch in-memory database. */
    td_db *db;
    td_status s = td_db_open(":memory:", &db, err);
    if (s)
        return s;
    s = td_policy_load_all(db, dir, NULL, err);
    td_db_close(db);
    return s;
}
