/* inbox.c — verifying and applying received bundles (td_sync_import). */
#include "sync.h"

#include "bundle.h"
#include "keys.h"
#include "sync_internal.h"

#include "base/audit.h"
#include "base/i18n.h"
#include "base/stationkey.h"
#include "base/timeutil.h"
#include "people/dedupe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_ID, O_SEQ, O_TXID, O_TBL, O_ROW, O_COL, O_KIND, O_BASE, O_NEW, O_USER, O_AT, O_AUDIT, O_N };

#define S(o, i) json_string_value(json_array_get((o), (i)))

#define APPLY_CACHE 64
/* A bundle is applied in transactions of about this many ops, each ending at
 * a sender's transaction boundary, so clerks' writes get in between (#14). */
#define APPLY_BATCH 500

typedef struct applier {
    td_db *db;
    struct {
        char *sql;
        sqlite3_stmt *st;
    } cache[APPLY_CACHE];       /* statements built per table and column, kept for the bundle */
    int ncache, next;
    const char *origin;       /* the sender's station id */
    bool policy_wins;         /* we are a station: HQ's policy rows are taken as they come */
    td_sync_import_report *rep;
    const char *hash, *prev;  /* of the bundle being imported */
    const td_actor *by;       /* who imports */
    char now[TD_TS_LEN];
    td_err *err;
    long in_tx;               /* ops applied in the open transaction */
    bool whole;               /* apply in one transaction (no batches) */
    char last_tx[TD_UUID_LEN]; /* the sender's transaction of the last op applied */
    int open_from;            /* open conflicts of the sender's edits here: -1 not known yet, 0 none, 1 some */
} applier;

/* Prepares sql (built per table/column) once per import: compiling an
 * UPDATE of a synchronised table compiles its capture triggers too.  The
 * statement stays owned by the cache; reset, bindings cleared.  NULL on error. */
static sqlite3_stmt *prep(struct applier *a, const char *sql)
{
    for (int i = 0; i < a->ncache; i++)
        if (strcmp(a->cache[i].sql, sql) == 0) {
            sqlite3_reset(a->cache[i].st);
            sqlite3_clear_bindings(a->cache[i].st);
            return a->cache[i].st;
        }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(a->db), sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    char *copy = strdup(sql);
    if (!copy) {
        sqlite3_finalize(st);
        return NULL;
    }
    int k = a->ncache < APPLY_CACHE ? a->ncache++ : a->next++ % APPLY_CACHE;
    if (a->cache[k].st) {
        sqlite3_finalize(a->cache[k].st);
        free(a->cache[k].sql);
    }
    a->cache[k].sql = copy;
    a->cache[k].st = st;
    return st;
}

static void cache_free(struct applier *a)
{
    for (int i = 0; i < a->ncache; i++) {
        sqlite3_finalize(a->cache[i].st);
        free(a->cache[i].sql);
    }
    a->ncache = 0;
}

/* Runs sql (no results) on the handle; false on error (err filled). */
static bool run(applier *a, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return true;
    td_db_fail(a->db, _("applying a bundle"), a->err);
    return false;
}

static int exec(applier *a, const char *sql)
{
    return sqlite3_exec(td_db_handle(a->db), sql, NULL, NULL, NULL);
}

/* Runs sql (a SAVEPOINT or RELEASE around every row and field) from the
 * statement cache, not compiled anew each time; returns the SQLite code. */
static int exec_cached(applier *a, const char *sql)
{
    sqlite3_stmt *st = prep(a, sql);
    if (!st)
        return exec(a, sql);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Records a conflict for op o (the incoming value `theirs`), keeping the value here. */
static bool conflict(applier *a, const json_t *o, const char *col, const char *kind, const json_t *theirs)
{
    const char *tbl = S(o, O_TBL), *row = S(o, O_ROW);
    /* a later edit from the same place replaces its earlier clash on that field */
    sqlite3_stmt *st = td_db_prepare(a->db, "UPDATE local_sync_conflicts SET status = 'superseded' WHERE status = "
                                            "'open' AND tbl = ? AND row_id = ? AND col = ? AND origin = ?", a->err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, row, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, col, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, a->origin, -1, SQLITE_STATIC);
    bool ok = run(a, st);
    sqlite3_reset(st);
    if (!ok)
        return false;
    char sql[700], id[TD_UUID_LEN];
    td_uuid7(id);
    bool exists = td_sync_has_column(a->db, tbl, col);
    snprintf(sql, sizeof sql,
             "INSERT OR IGNORE INTO local_sync_conflicts(id, op_id, tbl, row_id, col, kind, base, mine, theirs, "
             "origin, user_id, at, found_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, %s, ?8, ?9, ?10, ?11, ?12)",
             exists ? "(SELECT \"%s\" FROM \"%s\" WHERE id = ?4)" : "NULL");
    char sql2[900];
    if (exists)
        snprintf(sql2, sizeof sql2, sql, col, tbl);
    else
        snprintf(sql2, sizeof sql2, "%s", sql);
    if (!(st = prep(a, sql2))) {
        td_db_fail(a->db, _("applying a bundle"), a->err);
        return false;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, S(o, O_ID), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, tbl, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, col, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, kind, -1, SQLITE_STATIC);
    if (strcmp(S(o, O_KIND), "U") == 0)
        td_sync_bind_json(st, 7, json_array_get(o, O_BASE));
    td_sync_bind_json(st, 8, theirs);
    sqlite3_bind_text(st, 9, a->origin, -1, SQLITE_STATIC);
    td_bind_text(st, 10, S(o, O_USER));
    sqlite3_bind_text(st, 11, S(o, O_AT) ? S(o, O_AT) : a->now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, a->now, -1, SQLITE_STATIC);
    ok = run(a, st);
    if (ok && sqlite3_changes(td_db_handle(a->db)) > 0) {
        a->rep->conflicts++;
        a->open_from = 1;
    }
    sqlite3_reset(st);
    return ok;
}

/* Writes col = v on the row (bookkeeping: row_version + 1, updated_at no
 * older than the edit).  A constraint refusing it becomes a conflict.  When
 * written is given, it tells whether the value was written. */
static bool write_field_ex(applier *a, const json_t *o, const char *col, const json_t *v, bool *written)
{
    if (written)
        *written = false;
    char sql[400];
    snprintf(sql, sizeof sql,
             "UPDATE \"%s\" SET \"%s\" = ?1, row_version = row_version + 1, updated_at = max(updated_at, ?2) "
             "WHERE id = ?3",
             S(o, O_TBL), col);
    sqlite3_stmt *st = prep(a, sql);
    if (!st) {
        td_db_fail(a->db, _("applying a bundle"), a->err);
        return false;
    }
    td_sync_bind_json(st, 1, v);
    sqlite3_bind_text(st, 2, S(o, O_AT) ? S(o, O_AT) : a->now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, S(o, O_ROW), -1, SQLITE_STATIC);
    exec_cached(a, "SAVEPOINT field");
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        if (written) /* the row's own change, not its triggers' */
            *written = sqlite3_changes(td_db_handle(a->db)) > 0;
        exec_cached(a, "RELEASE field");
        return true;
    }
    exec(a, "ROLLBACK TO field");
    exec_cached(a, "RELEASE field");
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return conflict(a, o, col, "constraint", v);
    td_db_fail(a->db, _("applying a bundle"), a->err);
    return false;
}

static bool write_field(applier *a, const json_t *o, const char *col, const json_t *v)
{
    return write_field_ex(a, o, col, v, NULL);
}

/* The row's state for field col: exists, deleted, col IS new, col IS base. */
typedef struct probe {
    bool exists, deleted, is_new, is_base;
} probe;

static bool look(applier *a, const json_t *o, const char *col, const json_t *nv, const json_t *base, probe *p)
{
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT deleted_at IS NOT NULL, \"%s\" IS ?2, \"%s\" IS ?3 FROM \"%s\" WHERE id = ?1",
             col, col, S(o, O_TBL));
    sqlite3_stmt *st = prep(a, sql);
    if (!st) {
        td_db_fail(a->db, _("applying a bundle"), a->err);
        return false;
    }
    sqlite3_bind_text(st, 1, S(o, O_ROW), -1, SQLITE_STATIC);
    td_sync_bind_json(st, 2, nv);
    if (base)
        td_sync_bind_json(st, 3, base);
    memset(p, 0, sizeof *p);
    if (sqlite3_step(st) == SQLITE_ROW) {
        p->exists = true;
        p->deleted = sqlite3_column_int(st, 0);
        p->is_new = sqlite3_column_int(st, 1);
        p->is_base = base && sqlite3_column_int(st, 2);
    }
    sqlite3_reset(st);
    return true;
}

static bool bookkeeping(const char *col)
{
    return strcmp(col, "id") == 0 || strcmp(col, "row_version") == 0 || strcmp(col, "updated_at") == 0 ||
           strcmp(col, "created_at") == 0;
}

/* An updated field: equal to new → nothing; equal to base → write; else a conflict. */
static bool apply_update(applier *a, const json_t *o)
{
    const char *col = S(o, O_COL);
    const json_t *nv = json_array_get(o, O_NEW), *base = json_array_get(o, O_BASE);
    probe p;
    if (!look(a, o, col, nv, base, &p))
        return false;
    if (!p.exists)
        return conflict(a, o, col, "missing", nv);
    bool policy = a->policy_wins && td_sync_policy_table(S(o, O_TBL));
    if (!p.is_new) {
        if (!policy && p.deleted && strcmp(col, "deleted_at") != 0)
            return conflict(a, o, col, "deleted", nv);
        if (!policy && !p.is_base)
            return conflict(a, o, col, "field", nv);
        bool written;
        if (!write_field_ex(a, o, col, nv, &written))
            return false;
        if (!written && !look(a, o, col, nv, NULL, &p))
            return false;
        p.is_new = p.is_new || written;
    }
    if (!p.is_new)
        return true; /* refused by a constraint: recorded as a conflict */
    if (a->open_from < 0) { /* is there any clash of the sender's edits to settle? */
        sqlite3_stmt *q = td_db_prepare(a->db, "SELECT EXISTS (SELECT 1 FROM local_sync_conflicts WHERE status = "
                                               "'open' AND origin = ?)", a->err);
        if (!q)
            return false;
        sqlite3_bind_text(q, 1, a->origin, -1, SQLITE_STATIC);
        a->open_from = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
        sqlite3_reset(q);
    }
    if (!a->open_from)
        return true;
    /* both places now hold the same value: their earlier clash is settled */
    sqlite3_stmt *st = td_db_prepare(a->db, "UPDATE local_sync_conflicts SET status = 'superseded', resolved_at = ? "
                                            "WHERE status = 'open' AND tbl = ? AND row_id = ? AND col = ? AND "
                                            "origin = ?", a->err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, a->now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, S(o, O_TBL), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, S(o, O_ROW), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, col, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, a->origin, -1, SQLITE_STATIC);
    bool ok = run(a, st);
    sqlite3_reset(st);
    return ok;
}

/* A person registered at another place: the same identity document (or a
 * probable match) as a person here goes to the duplicates queue as a
 * candidate pair, an act of this place (captured, audited), for a clerk to
 * merge or dismiss — never merged silently. */
static bool note_duplicates(applier *a, const char *person_id)
{
    if (exec(a, "UPDATE local_sync_tx SET capture = 1") != SQLITE_OK) {
        td_db_fail(a->db, _("applying a bundle"), a->err);
        return false;
    }
    td_actor sys = *a->by; /* the import is the authorised act; finding candidates is part of it */
    sys.roles |= TD_ROLE_STATION;
    int found = 0;
    bool ok = td_dupe_note(a->db, &sys, person_id, "import", &found, a->err) == TD_OK;
    if (ok)
        a->rep->duplicates += found;
    if (exec(a, "UPDATE local_sync_tx SET capture = 0") != SQLITE_OK && ok) {
        td_db_fail(a->db, _("applying a bundle"), a->err);
        ok = false;
    }
    return ok;
}

/* An inserted row: its fields are the JSON object in the op's new value. */
static bool apply_insert(applier *a, const json_t *o)
{
    const char *tbl = S(o, O_TBL);
    json_error_t je;
    const char *txt = S(o, O_NEW);
    json_t *row = txt ? json_loads(txt, 0, &je) : NULL;
    if (!json_is_object(row) || json_object_size(row) == 0 || json_object_size(row) > 200) {
        json_decref(row);
        td_err_set(a->err, TD_EINVALID, "%s", _("The bundle holds a row that cannot be read"));
        return false;
    }
    probe p;
    if (!look(a, o, "id", json_array_get(o, O_ROW), NULL, &p)) {
        json_decref(row);
        return false;
    }
    const char *col;
    json_t *v;
    if (p.exists) { /* made here too (or restored): field by field */
        bool policy = a->policy_wins && td_sync_policy_table(tbl);
        json_object_foreach(row, col, v) {
            if (bookkeeping(col) || !td_sync_has_column(a->db, tbl, col))
                continue;
            probe q;
            bool ok = look(a, o, col, v, NULL, &q);
            if (ok && !q.is_new)
                ok = policy ? write_field(a, o, col, v) : conflict(a, o, col, "field", v);
            if (!ok) {
                json_decref(row);
                return false;
            }
        }
        json_decref(row);
        return true;
    }
    char cols[8192] = "", qs[1024] = "";
    size_t cl = 0, ql = 0;
    int n = 0;
    json_object_foreach(row, col, v) {
        if (!td_sync_has_column(a->db, tbl, col))
            continue; /* schema_fits checked the tables; a missing column quarantines earlier */
        cl += (size_t)snprintf(cols + cl, sizeof cols - cl, "%s\"%s\"", n ? ", " : "", col);
        ql += (size_t)snprintf(qs + ql, sizeof qs - ql, "%s?", n ? ", " : "");
        n++;
        if (cl >= sizeof cols || ql >= sizeof qs) {
            json_decref(row);
            td_err_set(a->err, TD_EINVALID, "%s", _("The bundle holds a row too wide to apply"));
            return false;
        }
    }
    char sql[9500];
    snprintf(sql, sizeof sql, "INSERT INTO \"%s\" (%s) VALUES (%s)", tbl, cols, qs);
    sqlite3_stmt *st = prep(a, sql);
    if (!st) {
        json_decref(row);
        td_db_fail(a->db, _("applying a bundle"), a->err);
        return false;
    }
    int k = 1;
    json_object_foreach(row, col, v) {
        if (td_sync_has_column(a->db, tbl, col))
            td_sync_bind_json(st, k++, v);
    }
    json_decref(row);
    exec_cached(a, "SAVEPOINT row");
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        exec_cached(a, "RELEASE row");
        return strcmp(tbl, "persons") != 0 || note_duplicates(a, S(o, O_ROW));
    }
    exec(a, "ROLLBACK TO row");
    exec_cached(a, "RELEASE row");
    if ((rc & 0xff) != SQLITE_CONSTRAINT) {
        td_db_fail(a->db, _("applying a bundle"), a->err);
        return false;
    }
    /* e.g. the same person registered at two places (identity number): kept
     * for review, never dropped */
    if (td_sync_policy_table(tbl))
        return true; /* a user name or station code both places made for themselves (each its "admin") */
    return conflict(a, o, "*", "constraint", json_array_get(o, O_NEW));
}

/* Records op o as applied from a->origin; false (and *dup) when it was already. */
static bool record_op(applier *a, const json_t *o, bool *dup)
{
    sqlite3_stmt *st = td_db_prepare(a->db,
                                     "INSERT OR IGNORE INTO local_sync_ops(id, origin, seq, txid, tbl, row_id, col, "
                                     "kind, base, new, user_id, at, audit_id, applied_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                                     "?6, ?7, ?8, ?9, ?10, ?11, COALESCE(?12, ?14), ?13, ?14)",
                                     a->err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, S(o, O_ID), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->origin, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, json_integer_value(json_array_get(o, O_SEQ)));
    td_bind_text(st, 4, S(o, O_TXID));
    sqlite3_bind_text(st, 5, S(o, O_TBL), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, S(o, O_ROW), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, S(o, O_COL), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, S(o, O_KIND), -1, SQLITE_STATIC);
    td_sync_bind_json(st, 9, json_array_get(o, O_BASE));
    td_sync_bind_json(st, 10, json_array_get(o, O_NEW));
    td_bind_text(st, 11, S(o, O_USER));
    td_bind_text(st, 12, S(o, O_AT));
    td_bind_text(st, 13, S(o, O_AUDIT));
    sqlite3_bind_text(st, 14, a->now, -1, SQLITE_STATIC);
    bool ok = run(a, st);
    sqlite3_reset(st);
    *dup = ok && sqlite3_changes(td_db_handle(a->db)) == 0;
    return ok;
}

/* Ends the open transaction and starts the next when it holds APPLY_BATCH
 * ops and o begins another of the sender's transactions (a sender's
 * transaction is never split).  What is committed is recorded op by op in
 * local_sync_ops, so a bundle cut short by a kill or an error is completed,
 * never repeated, when it is imported again; the peer's position and the
 * bundle's record move only in the last transaction. */
static bool batch_point(applier *a, const json_t *o)
{
    const char *tx = S(o, O_TXID);
    if (a->whole || a->in_tx < APPLY_BATCH || (tx && strcmp(tx, a->last_tx) == 0))
        return true;
    a->in_tx = 0;
    if (td_db_commit(a->db, a->err) || td_db_begin(a->db, a->err))
        return false;
    if (exec(a, "UPDATE local_sync_tx SET capture = 0") != SQLITE_OK) {
        td_db_fail(a->db, _("applying a bundle"), a->err);
        return false;
    }
    return true;
}

/* Applies the ops with seq > after, in order. */
static bool apply_ops(applier *a, json_t *ops, long after)
{
    size_t n = json_array_size(ops);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(ops, i);
        if ((long)json_integer_value(json_array_get(o, O_SEQ)) <= after) {
            a->rep->skipped++;
            continue;
        }
        if (!batch_point(a, o))
            return false;
        bool dup;
        if (!record_op(a, o, &dup))
            return false;
        if (dup) {
            a->rep->skipped++;
            continue;
        }
        if (!(strcmp(S(o, O_KIND), "I") == 0 ? apply_insert(a, o) : apply_update(a, o)))
            return false;
        a->rep->applied++;
        a->in_tx++;
        snprintf(a->last_tx, sizeof a->last_tx, "%s", S(o, O_TXID) ? S(o, O_TXID) : "");
    }
    return true;
}

/* The payload's ops, checked: count, shapes, sequence inside the range and
 * ascending.  NULL (err set) when anything is off. */
static json_t *parse_ops(const char *payload, size_t len, const td_bundle_hdr *h, char audit_key[65], td_err *err)
{
    json_error_t je;
    json_t *pl = json_loadb(payload, len, 0, &je);
    json_t *ops = pl ? json_incref(json_object_get(pl, "ops")) : NULL;
    const char *ak = json_string_value(json_object_get(pl, "audit_key"));
    snprintf(audit_key, 65, "%s", ak && strlen(ak) == 64 ? ak : "");
    json_decref(pl);
    bool ok = json_is_array(ops) && (long)json_array_size(ops) == h->count;
    long last = h->seq_lo - 1;
    for (size_t i = 0; ok && i < json_array_size(ops); i++) {
        json_t *o = json_array_get(ops, i);
        long seq = json_is_integer(json_array_get(o, O_SEQ)) ? (long)json_integer_value(json_array_get(o, O_SEQ)) : -1;
        const char *kind = S(o, O_KIND);
        ok = json_is_array(o) && json_array_size(o) == O_N && S(o, O_ID) && S(o, O_TBL) && S(o, O_ROW) &&
             S(o, O_COL) && kind && (strcmp(kind, "I") == 0 || strcmp(kind, "U") == 0) && seq > last &&
             seq <= h->seq_hi;
        last = seq;
    }
    if (!ok) {
        json_decref(ops);
        td_err_set(err, TD_EINVALID, "%s", _("The bundle's contents do not match its header; nothing was imported"));
        return NULL;
    }
    return ops;
}

/* Every table and column of ops exists here (else the bundle is of another schema). */
static bool schema_fits(td_db *db, json_t *ops)
{
    for (size_t i = 0; i < json_array_size(ops); i++) {
        json_t *o = json_array_get(ops, i);
        if (!td_sync_has_column(db, S(o, O_TBL), "row_version"))
            return false;
        if (strcmp(S(o, O_KIND), "U") == 0) {
            if (!td_sync_has_column(db, S(o, O_TBL), S(o, O_COL)))
                return false;
            continue;
        }
        json_error_t je;
        json_t *row = S(o, O_NEW) ? json_loads(S(o, O_NEW), 0, &je) : NULL;
        const char *col;
        json_t *v;
        bool ok = json_is_object(row);
        json_object_foreach(row, col, v) {
            if (!td_sync_has_column(db, S(o, O_TBL), col))
                ok = false;
        }
        json_decref(row);
        if (!ok)
            return false;
    }
    return true;
}

static bool set_peer(applier *a, const char *sql, long v, const char *txt)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(a->db), sql, -1, &st, NULL) != SQLITE_OK) {
        td_db_fail(a->db, _("applying a bundle"), a->err);
        return false;
    }
    sqlite3_bind_int64(st, 1, v);
    td_bind_text(st, 2, txt);
    sqlite3_bind_text(st, 3, a->origin, -1, SQLITE_STATIC);
    bool ok = run(a, st);
    sqlite3_finalize(st);
    return ok;
}

static bool record_bundle(applier *a, const td_bundle_hdr *h, const char *status, const char *payload,
                          const char *note)
{
    sqlite3_stmt *st = td_db_prepare(a->db,
                                     "INSERT INTO local_sync_bundles(id, from_station, seq_lo, seq_hi, ops, status, "
                                     "payload, received_at, note, hash, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                     "ON CONFLICT(id) DO UPDATE SET status = excluded.status, payload = "
                                     "excluded.payload, note = excluded.note",
                                     a->err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, h->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->origin, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, h->seq_lo);
    sqlite3_bind_int64(st, 4, h->seq_hi);
    sqlite3_bind_int64(st, 5, h->count);
    sqlite3_bind_text(st, 6, status, -1, SQLITE_STATIC);
    td_bind_text(st, 7, payload);
    sqlite3_bind_text(st, 8, a->now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, note ? note : "", -1, SQLITE_STATIC);
    td_bind_text(st, 10, a->hash);
    sqlite3_bind_text(st, 11, a->prev ? a->prev : "", -1, SQLITE_STATIC);
    bool ok = run(a, st);
    sqlite3_reset(st);
    return ok;
}

/* The sender's sequence number of the first operation of ops (those up to
 * `upto`, ops ascending) that is here from origin under another id: the
 * sender's history forked.  0 when none. */
static long fork_at(td_db *db, const char *origin, json_t *ops, long upto)
{
    sqlite3_stmt *st = td_db_prepare(db, "SELECT id FROM local_sync_ops WHERE origin = ? AND seq = ?", NULL);
    if (!st)
        return 0;
    for (size_t i = 0; i < json_array_size(ops); i++) {
        json_t *o = json_array_get(ops, i);
        long seq = (long)json_integer_value(json_array_get(o, O_SEQ));
        if (seq > upto)
            break;
        sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, seq);
        bool other = sqlite3_step(st) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), S(o, O_ID)) != 0;
        sqlite3_reset(st);
        if (other)
            return seq;
    }
    return 0;
}

/* Did the bundle with hash prev (from origin) arrive here and get applied
 * (or was it last_hash, the last one applied)?  "" (none) counts as known. */
static bool bundle_known(td_db *db, const char *origin, const char *prev, const char *last_hash)
{
    if (!prev[0] || (last_hash && strcmp(prev, last_hash) == 0))
        return true;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT 1 FROM local_sync_bundles WHERE from_station = ? AND hash = ? AND "
                                         "status IN ('applied', 'duplicate')", NULL);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, prev, -1, SQLITE_STATIC);
    bool yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

static td_status fork_error(td_err *err, const char *from, long seq)
{
    return td_err_set(err, TD_ECONFLICT,
                      _("The bundle from %s contradicts what came from there before (sequence number %ld was used by "
                        "another change): that station's database may have been restored from an old copy. It is held, "
                        "not applied; check that station before anything else is exchanged"),
                      from, seq);
}

/* audit_log's columns in the order td_audit_extend_row takes them; NOT NULL
 * marks those the table refuses as NULL, dflt their default when absent. */
static const struct {
    const char *name;
    bool integer, not_null;
    const char *dflt;
} audit_cols[TD_AUDIT_EXT_COLS] = {
    { "id", false, true, NULL },          { "station_id", false, true, NULL }, { "seq", true, true, NULL },
    { "at", false, true, NULL },          { "user_id", false, false, NULL },   { "case_id", false, false, NULL },
    { "action", false, true, NULL },      { "entity", false, true, "" },       { "entity_id", false, true, "" },
    { "field", false, true, "" },         { "old_value", false, false, NULL }, { "new_value", false, false, NULL },
    { "reason", false, true, "" },        { "prev_hash", false, true, NULL },  { "created_at", false, true, NULL },
    { "updated_at", false, true, NULL },  { "row_version", true, true, "1" },  { "deleted_at", false, false, NULL },
    { "hash", false, true, NULL },
};

/* The values of audit row `row` (an op's new value) as stored here, into f
 * (nums holds the text of the integers).  false when a column has a value
 * the table would not store as it is (a type it does not hold, NULL where it
 * refuses one): such a row cannot verify. */
static bool audit_values(const json_t *row, const char *f[TD_AUDIT_EXT_COLS], char nums[2][24])
{
    int k = 0;
    for (int i = 0; i < TD_AUDIT_EXT_COLS; i++) {
        const json_t *v = json_object_get(row, audit_cols[i].name);
        if (!v) {
            f[i] = audit_cols[i].dflt;
            if (audit_cols[i].not_null && !f[i])
                return false;
        } else if (json_is_null(v)) {
            if (audit_cols[i].not_null)
                return false;
            f[i] = NULL;
        } else if (audit_cols[i].integer) {
            if (!json_is_integer(v))
                return false;
            snprintf(nums[k], sizeof nums[k], "%lld", (long long)json_integer_value(v));
            f[i] = nums[k++];
        } else if (json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)) {
            f[i] = json_string_value(v);
        } else
            return false;
    }
    return true;
}

/* At HQ, before anything of ops is applied (in the import's first
 * transaction): the rows of the sender's audit chain that applying ops
 * would add here (ops with seq > after not applied here yet) must extend
 * the chain HQ holds of that station, in the order they come, each checked
 * with the station's kept key, and reach the anchor (anchor_seq 0: none).
 * Only the new rows and the chain's last row are read, not the whole chain
 * (`audit verify` is the full check).  Rows already here with the same hash
 * are passed over.  false with err set (TD_ECONFLICT, naming station `from`)
 * when they do not; nothing is written either way. */
static bool audit_rows_extend(applier *a, json_t *ops, long after, const char *from, long anchor_seq,
                              const char *anchor_hash)
{
    size_t n = json_array_size(ops);
    bool any = false;
    for (size_t i = 0; i < n && !any; i++) {
        json_t *o = json_array_get(ops, i);
        any = (long)json_integer_value(json_array_get(o, O_SEQ)) > after && strcmp(S(o, O_TBL), "audit_log") == 0 &&
              strcmp(S(o, O_KIND), "I") == 0;
    }
    if (!any && anchor_seq <= 0)
        return true;
    td_audit_ext x;
    td_audit_report ar;
    td_err aerr;
    td_err_clear(&aerr);
    td_status s = td_audit_extend_open(a->db, a->origin, anchor_seq, anchor_hash, &x, &ar, &aerr);
    bool opened = s == TD_OK;
    sqlite3_stmt *done = NULL, *here = NULL;
    if (!s && any) {
        done = td_db_prepare(a->db, "SELECT 1 FROM local_sync_ops WHERE id = ?1 OR (origin = ?2 AND seq = ?3)", &aerr);
        here = done ? td_db_prepare(a->db, "SELECT hash FROM audit_log WHERE id = ?", &aerr) : NULL;
        if (!here)
            s = TD_EDB;
    }
    for (size_t i = 0; !s && any && i < n; i++) {
        json_t *o = json_array_get(ops, i);
        long seq = (long)json_integer_value(json_array_get(o, O_SEQ));
        if (seq <= after || strcmp(S(o, O_TBL), "audit_log") != 0 || strcmp(S(o, O_KIND), "I") != 0)
            continue;
        sqlite3_bind_text(done, 1, S(o, O_ID), -1, SQLITE_STATIC);
        sqlite3_bind_text(done, 2, a->origin, -1, SQLITE_STATIC);
        sqlite3_bind_int64(done, 3, seq);
        bool applied = sqlite3_step(done) == SQLITE_ROW;
        sqlite3_reset(done);
        if (applied)
            continue; /* applied here before (an import cut short): its row is in the chain */
        json_error_t je;
        json_t *row = S(o, O_NEW) ? json_loads(S(o, O_NEW), 0, &je) : NULL;
        const char *f[TD_AUDIT_EXT_COLS];
        char nums[2][24];
        const char *station = json_string_value(json_object_get(row, "station_id"));
        if (json_is_object(row) && station && strcmp(station, a->origin) != 0) {
            json_decref(row); /* another chain's row: not the sender's to extend */
            continue;
        }
        if (!json_is_object(row) || !audit_values(row, f, nums) || strcmp(f[0], S(o, O_ROW)) != 0) {
            json_decref(row);
            s = td_err_set(&aerr, TD_ECONFLICT, "%s", _("its content was changed after it was written"));
            break;
        }
        sqlite3_bind_text(here, 1, f[0], -1, SQLITE_STATIC);
        const char *had = sqlite3_step(here) == SQLITE_ROW ? (const char *)sqlite3_column_text(here, 0) : NULL;
        bool same = had && strcmp(had, f[TD_AUDIT_EXT_COLS - 1]) == 0;
        sqlite3_reset(here);
        if (had && !same)
            s = td_err_set(&aerr, TD_ECONFLICT, "%s", _("its content was changed after it was written"));
        else if (!had)
            s = td_audit_extend_row(&x, f, &ar, &aerr);
        json_decref(row);
    }
    if (opened) {
        td_status c = td_audit_extend_close(a->db, &x, &ar, s ? NULL : &aerr);
        if (!s)
            s = c;
    }
    if (s)
        td_err_set(a->err, TD_ECONFLICT, _("The audit log of station %s does not verify as received (%s); "
                                           "nothing was imported"), from, aerr.msg);
    return s == TD_OK;
}

/* At HQ: would releasing the peer's held bundles, once the position is at
 * upto, apply anything (ops after upto)?  Then the import is applied in
 * one transaction: each held bundle's audit rows are checked before it is
 * applied, and one that fails must leave nothing of the import behind. */
static bool held_to_apply(td_db *db, const char *origin, long upto)
{
    sqlite3_stmt *st = td_db_prepare(db, "SELECT 1 FROM local_sync_bundles WHERE from_station = ? AND status = "
                                         "'held' AND note <> 'fork' AND seq_lo <= ?2 + 1 AND seq_hi > ?2 LIMIT 1",
                                     NULL);
    if (!st)
        return true;
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, upto);
    bool yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

/* The payload of a bundle held at HQ, with the anchor of its header
 * ("held_audit": [seq, hash]) so that its audit rows are checked against it
 * when it is released.  Malloc'd; NULL when out of memory. */
static char *held_payload(const char *payload, size_t len, const td_bundle_hdr *h)
{
    json_error_t je;
    json_t *pl = json_loadb(payload, len, 0, &je);
    if (!json_is_object(pl) ||
        json_object_set_new(pl, "held_audit", json_pack("[Is]", (json_int_t)h->audit_seq, h->audit_anchor))) {
        json_decref(pl);
        return NULL;
    }
    char *out = json_dumps(pl, JSON_COMPACT);
    json_decref(pl);
    return out;
}

/* Applies the peer's held bundles that the new position reaches. */
static bool release_held(applier *a, long *recv)
{
    for (;;) {
        sqlite3_stmt *st = td_db_prepare(a->db,
                                         "SELECT id, seq_lo, seq_hi, payload FROM local_sync_bundles WHERE "
                                         "from_station = ? AND status = 'held' AND note <> 'fork' AND seq_lo <= ? + 1 "
                                         "ORDER BY seq_lo LIMIT 1",
                                         a->err);
        if (!st)
            return false;
        sqlite3_bind_text(st, 1, a->origin, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, *recv);
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_reset(st);
            return true;
        }
        td_bundle_hdr h;
        memset(&h, 0, sizeof h);
        td_col_copy(st, 0, h.id, sizeof h.id);
        h.seq_lo = (long)sqlite3_column_int64(st, 1);
        h.seq_hi = (long)sqlite3_column_int64(st, 2);
        const char *pl = (const char *)sqlite3_column_text(st, 3);
        json_error_t je;
        json_t *p = pl ? json_loads(pl, 0, &je) : NULL;
        sqlite3_reset(st);
        json_t *ops = json_object_get(p, "ops");
        if (json_is_array(ops) && fork_at(a->db, a->origin, ops, *recv)) { /* never applied */
            json_decref(p);
            st = td_db_prepare(a->db, "UPDATE local_sync_bundles SET note = 'fork' WHERE id = ?", a->err);
            if (!st)
                return false;
            sqlite3_bind_text(st, 1, h.id, -1, SQLITE_STATIC);
            bool ok = run(a, st);
            sqlite3_reset(st);
            if (!ok)
                return false;
            continue;
        }
        /* at HQ its audit rows are checked before anything of it is applied */
        json_t *ha = json_object_get(p, "held_audit");
        bool ok = json_is_array(ops) &&
                  (a->policy_wins || audit_rows_extend(a, ops, *recv, a->rep->from,
                                                       (long)json_integer_value(json_array_get(ha, 0)),
                                                       json_string_value(json_array_get(ha, 1)))) &&
                  apply_ops(a, ops, *recv);
        json_decref(p);
        if (!ok)
            return false;
        if (h.seq_hi > *recv)
            *recv = h.seq_hi;
        st = td_db_prepare(a->db, "UPDATE local_sync_bundles SET status = 'applied', payload = NULL WHERE id = ?",
                           a->err);
        if (!st)
            return false;
        sqlite3_bind_text(st, 1, h.id, -1, SQLITE_STATIC);
        ok = run(a, st);
        sqlite3_reset(st);
        if (!ok)
            return false;
        a->rep->released++;
    }
}

td_status td_sync_import(td_db *db, const td_actor *by, const char *path, td_sync_import_report *rep,
                         td_err *err)
{
    memset(rep, 0, sizeof *rep);
    td_sync_columns_forget();
    char sid[TD_UUID_LEN], code[12];
    td_status s = td_local_station(db, sid, code, err);
    if (s)
        return s;
    td_bundle_file bf;
    if ((s = td_bundle_read(path, &bf, err)))
        return s;
    const td_bundle_hdr *h = &bf.hdr;
    snprintf(rep->from, sizeof rep->from, "%s", h->from);
    snprintf(rep->bundle, sizeof rep->bundle, "%s", h->id);
    rep->seq_lo = h->seq_lo;
    rep->seq_hi = h->seq_hi;
    td_sync_peer peer;
    if (td_sync_peer_get(db, h->from, &peer, NULL) != TD_OK || strcmp(peer.station_id, h->from_id) != 0) {
        td_bundle_free(&bf);
        return td_err_set(err, TD_EDENIED, _("The bundle comes from %s, a station not enrolled here; nothing was "
                                             "imported"), h->from);
    }
    if (peer.revoked) {
        td_bundle_free(&bf);
        return td_err_set(err, TD_EDENIED, _("Station %s has been revoked; its bundle was refused"), h->from);
    }
    if (strcmp(h->to, code) != 0) {
        td_bundle_free(&bf);
        return td_err_set(err, TD_EINVALID, _("The bundle is addressed to %s, not to this station (%s); nothing "
                                              "was imported"), h->to, code);
    }
    td_sync_keys me;
    if ((s = td_sync_keys_load(db, &me, err))) {
        td_bundle_free(&bf);
        return s;
    }
    char *payload = NULL;
    size_t plen = 0;
    s = td_bundle_open(&bf, peer.sign_pk, &me, &payload, &plen, err);
    sodium_memzero(&me, sizeof me);
    if (s) {
        td_bundle_free(&bf);
        return s;
    }
    td_bundle_hdr hdr = *h;
    char hash[65];
    snprintf(hash, sizeof hash, "%s", bf.hash);
    td_bundle_free(&bf);
    h = &hdr;
    char akey_hex[65];
    json_t *ops = parse_ops(payload, plen, h, akey_hex, err);
    if (!ops) {
        free(payload);
        return TD_EINVALID;
    }
    /* HQ keeps each station's audit key, to check its chain (never replaced) */
    bool hq = td_sync_is_hq(db);
    if (hq && akey_hex[0]) {
        unsigned char ak[TD_STATION_KEY_BYTES];
        s = td_sync_unhex(akey_hex, ak, sizeof ak) ? td_station_key_peer_put(db, peer.station_id, ak, err)
                                                  : td_err_set(err, TD_EINVALID, "%s",
                                                               _("The bundle's contents do not match its header; "
                                                                 "nothing was imported"));
        sodium_memzero(ak, sizeof ak);
        sodium_memzero(akey_hex, sizeof akey_hex);
        if (s) {
            json_decref(ops);
            free(payload);
            return s;
        }
    }

    /* seen before? then nothing changes at all */
    sqlite3_stmt *st = td_db_prepare(db, "SELECT status, note FROM local_sync_bundles WHERE id = ?", err);
    char was[16] = "", wnote[16] = "";
    if (st) {
        sqlite3_bind_text(st, 1, h->id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            td_col_copy(st, 0, was, sizeof was);
            td_col_copy(st, 1, wnote, sizeof wnote);
        }
        sqlite3_reset(st);
    }
    if (was[0] && strcmp(was, "held") == 0 && strcmp(wnote, "fork") == 0) {
        long f = fork_at(db, peer.station_id, ops, peer.recv_seq);
        json_decref(ops);
        free(payload);
        rep->outcome = TD_SYNC_FORKED;
        rep->fork_seq = f;
        return fork_error(err, h->from, f);
    }
    if (was[0]) {
        json_decref(ops);
        free(payload);
        rep->outcome = strcmp(was, "held") == 0 ? TD_SYNC_HELD : strcmp(was, "quarantined") == 0
                                                                     ? TD_SYNC_QUARANTINED
                                                                     : TD_SYNC_DUPLICATE;
        if (rep->outcome == TD_SYNC_HELD) {
            rep->gap_lo = peer.recv_seq + 1;
            rep->gap_hi = h->seq_lo - 1;
        }
        return TD_OK;
    }
    bool quarantine = h->format != TD_BUNDLE_FORMAT || h->schema != td_db_schema_version(db) || !schema_fits(db, ops);
    long fseq = quarantine ? 0 : fork_at(db, peer.station_id, ops, peer.recv_seq);
    if (!bundle_known(db, peer.station_id, h->prev, peer.last_bundle_hash))
        snprintf(rep->missing, sizeof rep->missing, "%s", h->prev);
    if (!quarantine && !fseq && h->seq_hi <= peer.recv_seq && h->ack <= peer.acked_seq) {
        /* an overlapping re-export of what is here already */
        json_decref(ops);
        free(payload);
        rep->outcome = TD_SYNC_DUPLICATE;
        rep->skipped = h->count;
        return TD_OK;
    }

    applier a = { .db = db, .origin = peer.station_id, .policy_wins = !hq, .rep = rep, .err = err,
                  .hash = hash, .prev = h->prev, .by = by, .open_from = -1 };
    /* A station's bundle at HQ is accepted only if its audit rows extend the
     * station's chain held here; they are checked before anything is applied
     * (audit_rows_extend), so it is applied in batches like any other —
     * unless held bundles it releases bring ops too (held_to_apply). */
    a.whole = hq && held_to_apply(db, peer.station_id, h->seq_hi > peer.recv_seq ? h->seq_hi : peer.recv_seq);
    td_now_utc(a.now);
    /* Rows may refer to rows that arrive later (or live only at the sender):
     * foreign keys are not enforced while a bundle is applied. */
    sqlite3_exec(td_db_handle(db), "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    if ((s = td_db_begin(db, err))) {
        sqlite3_exec(td_db_handle(db), "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
        json_decref(ops);
        free(payload);
        return s;
    }
    bool ok = exec(&a, "UPDATE local_sync_tx SET capture = 0") == SQLITE_OK;
    if (!ok)
        td_db_fail(db, _("applying a bundle"), err);
    ok = ok && set_peer(&a, "UPDATE local_sync_peers SET acked_hash = CASE WHEN ?1 >= acked_seq AND ?2 <> '' "
                            "THEN ?2 ELSE acked_hash END, acked_seq = max(acked_seq, ?1) WHERE station_id = ?3",
                        h->ack, h->ack_hash);
    ok = ok && set_peer(&a, "UPDATE local_sync_peers SET last_bundle = ?2 WHERE station_id = ?3 AND ?1 >= 0", 0, h->id);
    long recv = peer.recv_seq;
    if (ok && fseq) {
        ok = record_bundle(&a, h, "held", payload, "fork");
        rep->outcome = TD_SYNC_FORKED;
        rep->fork_seq = fseq;
    } else if (ok && quarantine) {
        ok = record_bundle(&a, h, "quarantined", payload, "schema");
        rep->outcome = TD_SYNC_QUARANTINED;
    } else if (ok && h->seq_lo > recv + 1) {
        char *kept = hq ? held_payload(payload, plen, h) : NULL;
        if (hq && !kept)
            ok = td_err_set(err, TD_ENOMEM, "%s", _("out of memory")) == TD_OK;
        ok = ok && record_bundle(&a, h, "held", kept ? kept : payload, NULL);
        free(kept);
        rep->outcome = TD_SYNC_HELD;
        rep->gap_lo = recv + 1;
        rep->gap_hi = h->seq_lo - 1;
    } else if (ok) {
        /* at HQ: the station's audit rows it brings extend its chain, checked
         * before anything of it is applied (and committed) */
        ok = !hq || audit_rows_extend(&a, ops, recv, h->from, h->audit_seq, h->audit_anchor);
        ok = ok && apply_ops(&a, ops, recv) && record_bundle(&a, h, "applied", NULL, NULL);
        if (h->seq_hi > recv)
            recv = h->seq_hi;
        ok = ok && release_held(&a, &recv);
        ok = ok && set_peer(&a, "UPDATE local_sync_peers SET recv_seq = ?1, last_bundle_hash = ?2 WHERE "
                                "station_id = ?3", recv, hash);
        rep->outcome = TD_SYNC_APPLIED;
        /* at HQ: the anchor the bundle carries (its rows checked above) is
         * kept, in the last transaction, so that a chain cut short later is
         * seen by audit verify */
        if (ok && hq && h->audit_seq > 0)
            ok = td_audit_anchor_keep(db, peer.station_id, h->audit_seq, h->audit_anchor, err) == TD_OK;
    }
    if (ok) { /* the import itself is an audited act made here */
        ok = exec(&a, "UPDATE local_sync_tx SET capture = 1") == SQLITE_OK;
        char what[160];
        if (fseq)
            snprintf(what, sizeof what, "%s %ld-%ld: fork at %ld, held", h->from, h->seq_lo, h->seq_hi, fseq);
        else
            snprintf(what, sizeof what, "%s %ld-%ld: %ld applied, %ld conflicts", h->from, h->seq_lo, h->seq_hi,
                     rep->applied, rep->conflicts);
        ok = ok && td_audit(db, by, NULL, fseq ? "sync.fork" : "sync.import", "bundle", h->id, "", NULL, what, "",
                            err) == TD_OK;
    }
    json_decref(ops);
    free(payload);
    cache_free(&a);
    if (!ok) {
        td_db_rollback(db);
        sqlite3_exec(td_db_handle(db), "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
        memset(rep, 0, sizeof *rep);
        return err && err->code ? err->code : TD_EDB;
    }
    s = td_db_commit(db, err);
    sqlite3_exec(td_db_handle(db), "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    if (s == TD_OK && fseq)
        return fork_error(err, h->from, fseq);
    return s;
}
