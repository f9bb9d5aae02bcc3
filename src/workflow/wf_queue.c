/* wf_queue.c — paged work queues (see wf_queue.h). */
#include "wf_queue.h"
#include "cases/scope.h"

#include "base/i18n.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define QCOLS                                                                                      \
    "SELECT c.id, c.case_no, coalesce(p.name, ''), c.case_type, c.state, coalesce(c.due_date, ''), " \
    "c.green_channel, c.updated_at, c.row_version FROM cases c LEFT JOIN persons p ON p.id = c.person_id "
/* The same through the (state, updated_at) index. */
#define QCOLS_STATE                                                                                \
    "SELECT c.id, c.case_no, coalesce(p.name, ''), c.case_type, c.state, coalesce(c.due_date, ''), " \
    "c.green_channel, c.updated_at, c.row_version FROM cases c INDEXED BY cases_state "              \
    "LEFT JOIN persons p ON p.id = c.person_id "

static td_status run(td_db *db, sqlite3_stmt *st, int (*cb)(const td_wf_qrow *r, void *ud), void *ud,
                     td_err *err)
{
    td_wf_qrow *rows = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            td_wf_qrow *m = realloc(rows, sizeof *m * (size_t)cap);
            if (!m)
                abort();
            rows = m;
        }
        td_wf_qrow *r = &rows[n++];
        memset(r, 0, sizeof *r);
        td_col_copy(st, 0, r->id, sizeof r->id);
        td_col_copy(st, 1, r->case_no, sizeof r->case_no);
        td_col_copy(st, 2, r->person_name, sizeof r->person_name);
        td_col_copy(st, 3, r->case_type, sizeof r->case_type);
        td_col_copy(st, 4, r->state, sizeof r->state);
        td_col_copy(st, 5, r->due_date, sizeof r->due_date);
        r->green_channel = sqlite3_column_int(st, 6) != 0;
        td_col_copy(st, 7, r->updated_at, sizeof r->updated_at);
        r->row_version = sqlite3_column_int64(st, 8);
    }
    sqlite3_reset(st);
    td_status s = TD_OK;
    if (rc != SQLITE_DONE)
        s = td_db_fail(db, _("reading the work queue"), err);
    for (int i = 0; !s && i < n; i++)
        if (cb(&rows[i], ud))
            break;
    free(rows);
    return s;
}

/* Keyset paging: the first page and the next pages are separate statements,
 * because "?2 IS NULL OR (updated_at, id) < (?2, ?3)" cannot seek the index
 * and would walk the queue from its top on every page.  Ties on updated_at
 * are broken by rowid, which the index (state, updated_at) carries: ordering
 * by id instead made every next page sort each updated_at group on top of
 * the seek (issue 9 item 7).  The cursor's rowid comes from its id by
 * primary key. */
static td_status queue_state(td_db *db, const td_actor *a, const char *state, const char *after_updated,
                             const char *after_id, int limit,
                             int (*cb)(const td_wf_qrow *r, void *ud), void *ud, td_err *err)
{
    bool next = after_updated && *after_updated;
    sqlite3_stmt *st = next
        ? td_db_prepare(db, QCOLS_STATE "WHERE c.state = ?1 AND c.deleted_at IS NULL AND " TD_SCOPE_SQL(c) " "
                                  "AND (c.updated_at, c.rowid) < (?2, coalesce((SELECT rowid FROM cases WHERE id = ?3), 0)) "
                                  "ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?4", err)
        : td_db_prepare(db, QCOLS_STATE "WHERE c.state = ?1 AND c.deleted_at IS NULL AND " TD_SCOPE_SQL(c) " "
                                  "ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?4", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
    if (next) {
        td_bind_text(st, 2, after_updated);
        td_bind_text(st, 3, after_id);
    }
    sqlite3_bind_int(st, 4, limit > 0 ? limit : 50);
    td_scope_bind(st, a);
    return run(db, st, cb, ud, err);
}

static td_status queue_mine(td_db *db, const td_actor *a, const char *user_id, const char *after_updated,
                            const char *after_id, int limit,
                            int (*cb)(const td_wf_qrow *r, void *ud), void *ud, td_err *err)
{
    /* Each branch is an index range scan limited to one page; the union
     * of two pages is merged and cut to one page.  First and next pages are
     * separate statements so that the next page seeks to its cursor. */
    bool next = after_updated && *after_updated;
    sqlite3_stmt *st = next
        ? td_db_prepare(
              db, QCOLS "WHERE c.id IN ("
                        " SELECT id FROM (SELECT id FROM cases WHERE assignee_id = ?1 AND closed_at IS NULL "
                        "  AND deleted_at IS NULL AND updated_at <= ?2 AND (updated_at < ?2 OR id < coalesce(?3, '')) "
                        "  ORDER BY updated_at DESC, id DESC LIMIT ?4) "
                        " UNION "
                        " SELECT id FROM (SELECT id FROM cases WHERE specialist_id = ?1 AND closed_at IS NULL "
                        "  AND deleted_at IS NULL AND updated_at <= ?2 AND (updated_at < ?2 OR id < coalesce(?3, '')) "
                        "  ORDER BY updated_at DESC, id DESC LIMIT ?4)) "
                        "AND " TD_SCOPE_SQL(c) " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?4", err)
        : td_db_prepare(
              db, QCOLS "WHERE c.id IN ("
                        " SELECT id FROM (SELECT id FROM cases WHERE assignee_id = ?1 AND closed_at IS NULL "
                        "  AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT ?4) "
                        " UNION "
                        " SELECT id FROM (SELECT id FROM cases WHERE specialist_id = ?1 AND closed_at IS NULL "
                        "  AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT ?4)) "
                        "AND " TD_SCOPE_SQL(c) " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?4", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
    if (next) {
        td_bind_text(st, 2, after_updated);
        td_bind_text(st, 3, after_id);
    }
    sqlite3_bind_int(st, 4, limit > 0 ? limit : 50);
    td_scope_bind(st, a);
    return run(db, st, cb, ud, err);
}

td_status td_wf_queue_state(td_db *db, const char *state, const char *after_updated, const char *after_id,
                            int limit, int (*cb)(const td_wf_qrow *r, void *ud), void *ud, td_err *err)
{
    return queue_state(db, NULL, state, after_updated, after_id, limit, cb, ud, err);
}

td_status td_wf_queue_mine(td_db *db, const char *user_id, const char *after_updated, const char *after_id,
                           int limit, int (*cb)(const td_wf_qrow *r, void *ud), void *ud, td_err *err)
{
    return queue_mine(db, NULL, user_id, after_updated, after_id, limit, cb, ud, err);
}

td_status td_wf_queue_state_as(td_db *db, const td_actor *a, const char *state, const char *after_updated,
                               const char *after_id, int limit, int (*cb)(const td_wf_qrow *r, void *ud),
                               void *ud, td_err *err)
{
    return queue_state(db, a, state, after_updated, after_id, limit, cb, ud, err);
}

td_status td_wf_queue_mine_as(td_db *db, const td_actor *a, const char *after_updated, const char *after_id,
                              int limit, int (*cb)(const td_wf_qrow *r, void *ud), void *ud, td_err *err)
{
    return queue_mine(db, a, a->user_id, after_updated, after_id, limit, cb, ud, err);
}
