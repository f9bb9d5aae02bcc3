/* conflicts.c — see conflicts.h. */
#include "conflicts.h"
#include "auth/access.h"

#include "sync_internal.h"

#include "base/audit.h"
#include "base/i18n.h"
#include "base/timeutil.h"

#include <stdio.h>
#include <string.h>

#define SELECT_CONFLICT                                                                                      \
    "SELECT c.id, c.tbl, c.row_id, c.col, c.kind, c.base, c.mine, c.theirs, COALESCE(p.code, s.code, ''), "  \
    "COALESCE(u.display_name, c.user_id, ''), c.at, c.status, c.reason, c.op_id FROM local_sync_conflicts c " \
    "LEFT JOIN local_sync_peers p ON p.station_id = c.origin LEFT JOIN stations s ON s.id = c.origin "       \
    "LEFT JOIN users u ON u.id = c.user_id "

static void fill(td_db *db, sqlite3_stmt *st, td_sync_conflict *c)
{
    memset(c, 0, sizeof *c);
    td_col_copy(st, 0, c->id, sizeof c->id);
    td_col_copy(st, 1, c->tbl, sizeof c->tbl);
    td_col_copy(st, 2, c->row_id, sizeof c->row_id);
    td_col_copy(st, 3, c->col, sizeof c->col);
    td_col_copy(st, 4, c->kind, sizeof c->kind);
    td_col_copy(st, 5, c->base, sizeof c->base);
    td_col_copy(st, 6, c->mine, sizeof c->mine);
    td_col_copy(st, 7, c->theirs, sizeof c->theirs);
    td_col_copy(st, 8, c->station, sizeof c->station);
    td_col_copy(st, 9, c->user, sizeof c->user);
    td_col_copy(st, 10, c->at, sizeof c->at);
    td_col_copy(st, 11, c->status, sizeof c->status);
    td_col_copy(st, 12, c->reason, sizeof c->reason);
    /* who wrote the value here, where and when: the newest operation on the
     * field recorded before the incoming one (a row's insert counts) */
    sqlite3_stmt *m = td_db_prepare(db,
        "SELECT COALESCE(s.code, ''), COALESCE(u.display_name, o.user_id, ''), o.at FROM local_sync_ops o "
        "LEFT JOIN stations s ON s.id = o.origin LEFT JOIN users u ON u.id = o.user_id "
        "WHERE o.tbl = ?1 AND o.row_id = ?2 AND (o.col = ?3 OR o.col = '*') AND o.id <> ?4 "
        "AND o.rowid < COALESCE((SELECT rowid FROM local_sync_ops WHERE id = ?4), 9223372036854775807) "
        "ORDER BY o.rowid DESC LIMIT 1", NULL);
    if (m) {
        sqlite3_bind_text(m, 1, c->tbl, -1, SQLITE_STATIC);
        sqlite3_bind_text(m, 2, c->row_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(m, 3, c->col, -1, SQLITE_STATIC);
        td_bind_text(m, 4, (const char *)sqlite3_column_text(st, 13));
        if (sqlite3_step(m) == SQLITE_ROW) {
            td_col_copy(m, 0, c->mine_station, sizeof c->mine_station);
            td_col_copy(m, 1, c->mine_user, sizeof c->mine_user);
            td_col_copy(m, 2, c->mine_at, sizeof c->mine_at);
        }
        sqlite3_reset(m);
    }
    /* the value now, and the case it belongs to */
    if (!td_sync_has_column(db, c->tbl, NULL))
        return;
    char sql[700];
    bool has_col = td_sync_has_column(db, c->tbl, c->col), has_case = td_sync_has_column(db, c->tbl, "case_id"),
         has_person = td_sync_has_column(db, c->tbl, "person_id");
    const char *case_expr = strcmp(c->tbl, "cases") == 0 ? "t.case_no"
                            : has_case ? "(SELECT case_no FROM cases WHERE id = t.case_id)"
                            : strcmp(c->tbl, "persons") == 0
                                ? "(SELECT case_no FROM cases WHERE person_id = t.id ORDER BY created_at DESC LIMIT 1)"
                            : has_person ? "(SELECT case_no FROM cases WHERE person_id = t.person_id ORDER BY "
                                           "created_at DESC LIMIT 1)"
                                         : "NULL";
    char colexpr[64];
    snprintf(colexpr, sizeof colexpr, has_col ? "t.\"%s\"" : "NULL", c->col);
    snprintf(sql, sizeof sql, "SELECT %s, %s FROM \"%s\" t WHERE t.id = ?", colexpr, case_expr, c->tbl);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, c->row_id, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) {
            td_col_copy(q, 0, c->current, sizeof c->current);
            td_col_copy(q, 1, c->case_no, sizeof c->case_no);
        }
        sqlite3_finalize(q);
    }
}

td_status td_sync_conflicts_each(td_db *db, const char *status,
                                 int (*cb)(const td_sync_conflict *c, void *ud), void *ud, td_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), SELECT_CONFLICT "WHERE ?1 IS NULL OR c.status = ?1 ORDER BY c.found_at, c.id",
                           -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("reading the conflicts"), err);
    td_bind_text(st, 1, status);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_sync_conflict c;
        fill(db, st, &c);
        if (cb(&c, ud)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    td_status s = rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("reading the conflicts"), err);
    sqlite3_finalize(st);
    return s;
}

long td_sync_conflicts_open(td_db *db)
{
    sqlite3_stmt *st = td_db_prepare(db, "SELECT count(*) FROM local_sync_conflicts WHERE status = 'open'", NULL);
    if (!st)
        return -1;
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

typedef struct for_case {
    const char *case_no;
    long n;
} for_case;

static int count_case(const td_sync_conflict *c, void *ud)
{
    for_case *f = ud;
    if (strcmp(c->case_no, f->case_no) == 0)
        f->n++;
    return 0;
}

long td_sync_conflicts_open_for_case(td_db *db, const char *case_no)
{
    for_case f = { case_no, 0 };
    if (!case_no || !*case_no || td_sync_conflicts_open(db) <= 0)
        return 0;
    if (td_sync_conflicts_each(db, "open", count_case, &f, NULL) != TD_OK)
        return 0;
    return f.n;
}

td_status td_sync_conflict_get(td_db *db, const char *id, td_sync_conflict *out, td_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), SELECT_CONFLICT "WHERE c.id = ?1 OR (length(?1) >= 8 AND "
                                                             "c.id LIKE ?1 || '%') LIMIT 2",
                           -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("reading the conflicts"), err);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 2) {
        if (n == 0)
            fill(db, st, out);
        n++;
    }
    sqlite3_finalize(st);
    if (n != 1)
        return td_err_set(err, TD_ENOTFOUND, _("No conflict %s (see: talentdesk sync conflicts list)"), id);
    return TD_OK;
}

static td_status sql_fail(td_db *db, td_err *err)
{
    return td_db_fail(db, _("resolving a conflict"), err);
}

td_status td_sync_conflict_resolve(td_db *db, const td_actor *by, const char *id, td_sync_resolve how,
                                   const char *value, const char *reason, td_err *err)
{
    td_status s = td_access_require(db, by, TD_ACT_CONFLICT_RESOLVE, err);
    if (s)
        return s;
    if (how == TD_RESOLVE_EDIT && !value)
        return td_err_set(err, TD_EINVALID, "%s", _("Give the value to write (--value)"));
    if (how == TD_RESOLVE_DISMISS && (!reason || !*reason))
        return td_err_set(err, TD_EINVALID, "%s", _("Dismissing a conflict needs a reason (--reason)"));
    td_sync_conflict c;
    if ((s = td_sync_conflict_get(db, id, &c, err)))
        return s;
    if (strcmp(c.status, "open") != 0)
        return td_err_set(err, TD_ECONFLICT, _("Conflict %.8s is no longer open (%s)"), c.id, c.status);
    bool field = td_sync_has_column(db, c.tbl, c.col) && strcmp(c.col, "id") != 0;
    if (!field && how != TD_RESOLVE_DISMISS)
        return td_err_set(err, TD_EINVALID, "%s",
                          _("This conflict is about a whole record; it can only be dismissed (with a reason) "
                            "after the record is dealt with, e.g. in the duplicate queue"));
    if ((s = td_db_begin(db, err)))
        return s;
    char sql[600], now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st;
    const char *status = how == TD_RESOLVE_KEEP ? "kept" : how == TD_RESOLVE_TAKE ? "taken"
                         : how == TD_RESOLVE_EDIT ? "edited" : "dismissed";
    if (how != TD_RESOLVE_DISMISS) {
        /* 1. the chosen value here, without capturing it as a plain edit… */
        if (sqlite3_exec(td_db_handle(db), "UPDATE local_sync_tx SET capture = 0", NULL, NULL, NULL) != SQLITE_OK)
            goto fail;
        if (how != TD_RESOLVE_KEEP) {
            snprintf(sql, sizeof sql,
                     "UPDATE \"%s\" SET \"%s\" = %s, row_version = row_version + 1, updated_at = ?2 WHERE id = ?1",
                     c.tbl, c.col, how == TD_RESOLVE_TAKE ? "(SELECT theirs FROM local_sync_conflicts WHERE id = ?3)"
                                                          : "?4");
            if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
                goto fail;
            sqlite3_bind_text(st, 1, c.row_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, c.id, -1, SQLITE_STATIC);
            td_bind_text(st, 4, value);
            int rc = sqlite3_step(st);
            sqlite3_finalize(st);
            if (rc != SQLITE_DONE)
                goto fail;
        }
        if (sqlite3_exec(td_db_handle(db), "UPDATE local_sync_tx SET capture = 1", NULL, NULL, NULL) != SQLITE_OK)
            goto fail;
        /* 2. …but as an operation based on the other place's value, so that
         * place takes it without a new clash */
        snprintf(sql, sizeof sql,
                 "INSERT INTO local_sync_ops(id, origin, seq, txid, tbl, row_id, col, kind, base, new, user_id, at) "
                 "SELECT ?1, h.origin, h.m + 1, x.txid, ?2, ?3, ?4, 'U', (SELECT theirs FROM local_sync_conflicts "
                 "WHERE id = ?5), (SELECT \"%s\" FROM \"%s\" WHERE id = ?3), ?6, ?7 FROM local_sync_here h "
                 "LEFT JOIN local_sync_tx x",
                 c.col, c.tbl);
        if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
            goto fail;
        char opid[TD_UUID_LEN];
        td_uuid7(opid);
        sqlite3_bind_text(st, 1, opid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c.tbl, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, c.row_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, c.col, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, c.id, -1, SQLITE_STATIC);
        td_bind_text(st, 6, by->user_id[0] ? by->user_id : NULL);
        sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            goto fail;
    }
    st = td_db_prepare(db, "UPDATE local_sync_conflicts SET status = ?, resolved_by = ?, resolved_at = ?, reason = ? "
                           "WHERE id = ?", err);
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    td_bind_text(st, 2, by->user_id[0] ? by->user_id : NULL);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, reason ? reason : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, c.id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        goto fail;
    char action[40];
    snprintf(action, sizeof action, "sync.resolve.%s", status);
    const char *newv = how == TD_RESOLVE_KEEP ? c.current : how == TD_RESOLVE_TAKE ? c.theirs
                       : how == TD_RESOLVE_EDIT ? value : NULL;
    char caseid[TD_UUID_LEN] = "";
    st = td_db_prepare(db, "SELECT id FROM cases WHERE case_no = ?", NULL);
    if (st && c.case_no[0]) {
        sqlite3_bind_text(st, 1, c.case_no, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            td_col_copy(st, 0, caseid, sizeof caseid);
        sqlite3_reset(st);
    }
    if ((s = td_audit(db, by, caseid[0] ? caseid : NULL, action, c.tbl, c.row_id, c.col, c.current, newv, reason,
                      err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
fail:
    s = sql_fail(db, err);
    td_db_rollback(db);
    return s;
}
