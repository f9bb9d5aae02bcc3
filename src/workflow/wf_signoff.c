/* wf_signoff.c — 联审 (see wf_signoff.h). */
#include "wf_signoff.h"
#include "cases/scope.h"
#include "auth/access.h"

#include "base/audit.h"
#include "base/i18n.h"
#include "base/text.h"
#include "wf_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIGNOFF_COLS                                                                               \
    "SELECT g.id, g.case_id, c.case_no, coalesce(p.name, ''), g.round, g.transition, "             \
    "g.department_id, coalesce(d.name, g.department_id), g.status, coalesce(u.username, ''), "     \
    "g.reason, coalesce(g.signed_at, ''), g.created_at, g.row_version "                            \
    "FROM signoffs g JOIN cases c ON c.id = g.case_id LEFT JOIN persons p ON p.id = c.person_id "  \
    "LEFT JOIN departments d ON d.id = g.department_id LEFT JOIN users u ON u.id = g.signer_id "

static td_status collect(td_db *db, sqlite3_stmt *st, td_wf_signoff_row **out, int *n, td_err *err)
{
    *out = NULL;
    *n = 0;
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            td_wf_signoff_row *m = realloc(*out, sizeof *m * (size_t)cap);
            if (!m)
                abort();
            *out = m;
        }
        td_wf_signoff_row *g = &(*out)[(*n)++];
        memset(g, 0, sizeof *g);
        td_col_copy(st, 0, g->id, sizeof g->id);
        td_col_copy(st, 1, g->case_id, sizeof g->case_id);
        td_col_copy(st, 2, g->case_no, sizeof g->case_no);
        td_col_copy(st, 3, g->person_name, sizeof g->person_name);
        td_col_copy(st, 4, g->round, sizeof g->round);
        td_col_copy(st, 5, g->transition, sizeof g->transition);
        td_col_copy(st, 6, g->department_id, sizeof g->department_id);
        td_col_copy(st, 7, g->department_name, sizeof g->department_name);
        td_col_copy(st, 8, g->status, sizeof g->status);
        td_col_copy(st, 9, g->signer, sizeof g->signer);
        td_col_copy(st, 10, g->reason, sizeof g->reason);
        td_col_copy(st, 11, g->signed_at, sizeof g->signed_at);
        td_col_copy(st, 12, g->created_at, sizeof g->created_at);
        g->row_version = sqlite3_column_int64(st, 13);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return td_db_fail(db, _("reading joint sign-off"), err);
    }
    return TD_OK;
}

td_status td_wf_signoffs_each(td_db *db, const char *case_key,
                              int (*cb)(const td_wf_signoff_row *s, void *ud), void *ud, td_err *err)
{
    td_case c;
    td_status s = td_case_get(db, case_key, &c, err);
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(
        db, SIGNOFF_COLS "WHERE g.case_id = ? AND g.deleted_at IS NULL ORDER BY g.round, g.created_at, g.id",
        err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, c.id, -1, SQLITE_STATIC);
    td_wf_signoff_row *rows;
    int n;
    if ((s = collect(db, st, &rows, &n, err)))
        return s;
    for (int i = 0; i < n; i++)
        if (cb(&rows[i], ud))
            break;
    free(rows);
    return TD_OK;
}

td_status td_wf_signoff(td_db *db, const td_actor *a, const char *case_key, const char *dept,
                        bool approve, const char *reason, long expected_version, td_wf_result *res,
                        td_err *err)
{
    if (res)
        memset(res, 0, sizeof *res);
    char *r = NULL;
    td_status s = wf_clean_text(reason, &r, err);
    if (s)
        return s;
    if (!approve && (!r || !*r)) {
        free(r);
        return td_err_set(err, TD_EINVALID, "%s", _("Returning a case needs a written reason"));
    }
    s = td_access_require(db, a, TD_ACT_SIGNOFF, err);
    if (!s && !a->department_id[0])
        s = td_err_set(err, TD_EDENIED, "%s", _("You belong to no department, so you cannot sign"));
    if (!s && dept && *dept && strcmp(dept, a->department_id) != 0)
        s = td_err_set(err, TD_EDENIED, _("You can sign only for your own department (%s)"), a->department_id);
    if (s || (s = td_db_begin(db, err))) {
        free(r);
        return s;
    }
    wf_ctx x;
    td_wf_signoff_row *rows = NULL;
    int n = 0;
    if ((s = wf_ctx_open(&x, db, a, case_key, expected_version, err)))
        goto out;
    char round[TD_UUID_LEN];
    if ((s = wf_round(db, x.c.id, round, err)))
        goto out;
    sqlite3_stmt *st = td_db_prepare(
        db, SIGNOFF_COLS "WHERE g.case_id = ? AND g.round = ? AND g.department_id = ? "
                         "AND g.deleted_at IS NULL ORDER BY g.created_at, g.id", err);
    if (!st) {
        s = TD_EDB;
        goto out;
    }
    sqlite3_bind_text(st, 1, x.c.id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, round, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->department_id, -1, SQLITE_STATIC);
    if ((s = collect(db, st, &rows, &n, err)))
        goto out;
    td_wf_signoff_row *g = NULL;
    for (int i = 0; i < n && !g; i++)
        if (!strcmp(rows[i].status, "pending"))
            g = &rows[i];
    td_wf_signoff_row opened;
    if (!g && n == 0) {
        /* The case entered this state without the engine opening the round
         * (imported or demo data): open this department's row now when a
         * transition from here needs it. */
        int k = wf_state_index(x.wf, x.c.state);
        const wf_trans *need = NULL;
        for (int i = 0; k >= 0 && i < x.wf->ntrans && !need; i++) {
            const wf_trans *t = &x.wf->trans[i];
            if (!(t->from >> k & 1) || !(t->case_types & wf_case_type_bit(&x.c)))
                continue;
            for (int d = 0; d < t->ndepts; d++)
                if (!strcmp(t->depts[d], a->department_id))
                    need = t;
        }
        if (need) {
            memset(&opened, 0, sizeof opened);
            td_uuid7(opened.id);
            snprintf(opened.transition, sizeof opened.transition, "%s", need->name);
            opened.row_version = 1;
            char ts[TD_TS_LEN];
            td_now_utc(ts);
            st = td_db_prepare(db,
                               "INSERT INTO signoffs(id, case_id, round, transition, department_id, status, "
                               "created_at, updated_at) VALUES(?, ?, ?, ?, ?, 'pending', ?, ?)",
                               err);
            if (!st) {
                s = TD_EDB;
                goto out;
            }
            sqlite3_bind_text(st, 1, opened.id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, x.c.id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, round, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, need->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, a->department_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 6, ts, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, ts, -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE) {
                s = td_db_fail(db, _("opening joint sign-off"), err);
                goto out;
            }
            g = &opened;
        }
    }
    if (!g) {
        s = n ? td_err_set(err, TD_EINVALID, "%s", _("Your department has already signed in this round"))
              : td_err_set(err, TD_ENOTFOUND, "%s",
                           _("No joint sign-off is pending for your department on this case"));
        goto out;
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    const char *to = approve ? "approved" : "returned";
    st = td_db_prepare(db,
                       "UPDATE signoffs SET status = ?, signer_id = ?, reason = ?, signed_at = ?, "
                       "updated_at = ?, row_version = row_version + 1 WHERE id = ? AND row_version = ?",
                       err);
    if (!st) {
        s = TD_EDB;
        goto out;
    }
    sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->user_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r ? r : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, g->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, g->row_version);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("saving the sign-off"), err);
        goto out;
    }
    if (sqlite3_changes(td_db_handle(db)) != 1) {
        s = wf_conflict(err);
        goto out;
    }
    if ((s = td_audit(db, a, x.c.id, approve ? "signoff.approve" : "signoff.return", "signoffs", g->id,
                      "status", "pending", to, r, err)))
        goto out;
    if (approve) {
        if ((s = wf_touch_case(db, x.c.id, err)))
            goto out;
    } else {
        int ti = wf_trans_index(x.wf, g->transition);
        int ri = ti >= 0 ? x.wf->trans[ti].on_signoff_return : -1;
        if (ri < 0) {
            s = td_err_set(err, TD_EPOLICY, _("The workflow names no transition for a return from joint sign-off of '%s'"),
                           g->transition);
            goto out;
        }
        /* The department's authority to return comes from the sign-off, not
         * from the transition's roles. */
        if ((s = wf_check(&x, &x.wf->trans[ri], r, true, err)) ||
            (s = wf_apply(&x, &x.wf->trans[ri], r, res, err)))
            goto out;
    }
    if (res && approve) {
        td_case c;
        if ((s = td_case_get(db, x.c.id, &c, err)))
            goto out;
        snprintf(res->case_id, sizeof res->case_id, "%s", c.id);
        snprintf(res->case_no, sizeof res->case_no, "%s", c.case_no);
        snprintf(res->from, sizeof res->from, "%s", c.state);
        snprintf(res->to, sizeof res->to, "%s", c.state);
        res->row_version = c.row_version;
    }
    s = td_db_commit(db, err);
out:
    if (s)
        td_db_rollback(db);
    wf_ctx_done(&x);
    free(rows);
    free(r);
    return s;
}
