/* outbox.c — making bundles (td_sync_export) and the per-peer status. */
#include "sync.h"

#include "bundle.h"
#include "keys.h"
#include "sync_internal.h"

#include "base/i18n.h"
#include "base/stationkey.h"
#include "base/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool td_sync_is_hq(td_db *db)
{
    sqlite3_stmt *st = td_db_prepare(db, "SELECT kind = 'hq' FROM stations WHERE id = "
                                         "(SELECT value FROM settings WHERE key = 'local_station')", NULL);
    if (!st)
        return false;
    bool hq = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return hq;
}

/* 1 when the query (bound with ?1 = row id, ?2 = station id) yields a true row. */
static int ask(td_db *db, const char *sql, const char *row, const char *station)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, row, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, station, -1, SQLITE_STATIC);
    int yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return yes;
}

#define PERSON_AT "(EXISTS (SELECT 1 FROM persons WHERE id = %s AND station_id = ?2) OR " \
                  "EXISTS (SELECT 1 FROM cases WHERE person_id = %s AND station_id = ?2))"

/* May the station `station` (its id here) see row `row` of tbl?  Policy
 * tables: yes.  Case data: when the case (or the person's case) is
 * that station's.  Everything else (imports, duplicate review) stays here. */
static bool in_scope(td_db *db, const char *tbl, const char *row, const char *station)
{
    char sql[1024];
    if (td_sync_policy_table(tbl))
        return true;
    if (strcmp(tbl, "cases") == 0)
        return ask(db, "SELECT station_id = ?2 FROM cases WHERE id = ?1", row, station);
    if (strcmp(tbl, "persons") == 0) {
        snprintf(sql, sizeof sql, "SELECT " PERSON_AT, "?1", "?1");
        return ask(db, sql, row, station);
    }
    if (strcmp(tbl, "notice_items") == 0)
        return ask(db, "SELECT c.station_id = ?2 FROM notice_items i JOIN notices n ON n.id = i.notice_id "
                       "JOIN cases c ON c.id = n.case_id WHERE i.id = ?1", row, station);
    if (strcmp(tbl, "audit_log") == 0)
        return ask(db, "SELECT (SELECT station_id FROM cases WHERE id = a.case_id) = ?2 OR (a.entity = 'persons' "
                       "AND (EXISTS (SELECT 1 FROM persons WHERE id = a.entity_id AND station_id = ?2) OR "
                       "EXISTS (SELECT 1 FROM cases WHERE person_id = a.entity_id AND station_id = ?2))) "
                       "FROM audit_log a WHERE a.id = ?1", row, station);
    bool has_case = td_sync_has_column(db, tbl, "case_id"), has_person = td_sync_has_column(db, tbl, "person_id");
    if (!has_case && !has_person)
        return false;
    char person[300] = "0";
    if (has_person)
        snprintf(person, sizeof person, PERSON_AT, "t.person_id", "t.person_id");
    snprintf(sql, sizeof sql, "SELECT %s OR %s FROM \"%s\" t WHERE t.id = ?1",
             has_case ? "(SELECT station_id FROM cases WHERE id = t.case_id) = ?2" : "0", person, tbl);
    return ask(db, sql, row, station);
}

td_status td_sync_export(td_db *db, const char *to, const char *path, bool new_only, td_sync_export_report *rep,
                         td_err *err)
{
    memset(rep, 0, sizeof *rep);
    td_sync_columns_forget();
    char sid[TD_UUID_LEN], code[12];
    td_status s = td_local_station(db, sid, code, err);
    if (s)
        return s;
    td_sync_peer peer;
    if ((s = td_sync_peer_get(db, to, &peer, err)))
        return s;
    if (peer.revoked)
        return td_err_set(err, TD_EDENIED, _("Station %s has been revoked; no bundles are made for it"), to);
    td_sync_keys me;
    if ((s = td_sync_keys_load(db, &me, err)))
        return s;
    bool hq = td_sync_is_hq(db);
    /* the recipient as it is known here (HQ scopes by the station's code) */
    char scope[TD_UUID_LEN] = "";
    if (hq) {
        sqlite3_stmt *st = td_db_prepare(db, "SELECT id FROM stations WHERE code = ?", err);
        if (!st) {
            sodium_memzero(&me, sizeof me);
            return TD_EDB;
        }
        sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            td_col_copy(st, 0, scope, sizeof scope);
        sqlite3_reset(st);
    }

    long lo = (new_only ? peer.sent_seq : peer.acked_seq) + 1, hi = lo - 1;
    json_t *ops = json_array();
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT id, seq, txid, tbl, row_id, col, kind, base, new, user_id, at, "
                                     "audit_id FROM local_sync_ops WHERE origin = ? AND seq >= ? ORDER BY seq",
                                     err);
    if (!st || !ops) {
        json_decref(ops);
        sodium_memzero(&me, sizeof me);
        return st ? td_err_set(err, TD_ENOMEM, "%s", _("out of memory")) : TD_EDB;
    }
    sqlite3_bind_text(st, 1, sid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, lo);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hi = (long)sqlite3_column_int64(st, 1);
        const char *tbl = (const char *)sqlite3_column_text(st, 3);
        const char *row = (const char *)sqlite3_column_text(st, 4);
        if (hq ? !in_scope(db, tbl, row, scope) : td_sync_reference_table(tbl))
            continue;
        json_t *o = json_array();
        for (int c = 0; c < 12 && o; c++)
            json_array_append_new(o, td_sync_val_json(st, c));
        json_array_append_new(ops, o);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(ops);
        sodium_memzero(&me, sizeof me);
        return td_db_fail(db, _("reading the changes to send"), err);
    }
    long count = (long)json_array_size(ops);
    json_t *pl = json_pack("{s:o}", "ops", ops);
    /* a station sends HQ its audit key (the bundle is encrypted to HQ), so
     * that HQ can check the station's audit chain as received */
    unsigned char akey[TD_STATION_KEY_BYTES];
    if (pl && !hq && td_station_key(db, false, akey, NULL) == TD_OK) {
        char ahex[2 * TD_STATION_KEY_BYTES + 1];
        td_sync_hex(akey, sizeof akey, ahex);
        json_object_set_new(pl, "audit_key", json_string(ahex));
        sodium_memzero(ahex, sizeof ahex);
    }
    sodium_memzero(akey, sizeof akey);
    char *payload = pl ? json_dumps(pl, JSON_COMPACT) : NULL;
    json_decref(pl);
    if (!payload) {
        sodium_memzero(&me, sizeof me);
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    }

    td_bundle_hdr h;
    memset(&h, 0, sizeof h);
    h.format = TD_BUNDLE_FORMAT;
    td_uuid7(h.id);
    snprintf(h.from, sizeof h.from, "%s", code);
    snprintf(h.from_id, sizeof h.from_id, "%s", sid);
    snprintf(h.to, sizeof h.to, "%s", to);
    h.seq_lo = lo;
    h.seq_hi = hi;
    h.count = count;
    h.ack = peer.recv_seq;
    h.schema = td_db_schema_version(db);
    td_now_utc(h.made_at);
    /* the chain: a --new bundle follows the previous one made for the peer;
     * a full re-export follows the last one the peer says it applied (so a
     * lost bundle never leaves the peer waiting for it) */
    sqlite3_stmt *q = td_db_prepare(db, "SELECT COALESCE((SELECT CASE WHEN ?3 THEN sent_hash ELSE acked_hash END "
                                        "FROM local_sync_peers WHERE code = ?1), ''), "
                                        "COALESCE((SELECT id FROM policy_versions ORDER BY created_at DESC, id DESC "
                                        "LIMIT 1), ''), COALESCE((SELECT hash FROM audit_log WHERE station_id = ?2 "
                                        "ORDER BY seq DESC LIMIT 1), ''), COALESCE((SELECT last_bundle_hash FROM local_sync_peers WHERE "
                                        "code = ?1), ''), COALESCE((SELECT max(seq) FROM audit_log WHERE station_id = ?2), 0)",
                                    err);
    if (q) {
        sqlite3_bind_text(q, 1, to, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, sid, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 3, new_only);
        if (sqlite3_step(q) == SQLITE_ROW) {
            td_col_copy(q, 0, h.prev, sizeof h.prev);
            td_col_copy(q, 1, h.policy, sizeof h.policy);
            td_col_copy(q, 2, h.audit_anchor, sizeof h.audit_anchor);
            td_col_copy(q, 3, h.ack_hash, sizeof h.ack_hash);
            h.audit_seq = (long)sqlite3_column_int64(q, 4);
        }
        sqlite3_reset(q);
    }
    char hash[65];
    size_t plen = strlen(payload);
    s = td_bundle_write(path, &h, payload, plen, &me, peer.box_pk, hash, err);
    sodium_memzero(&me, sizeof me);
    free(payload);
    if (s)
        return s;
    snprintf(rep->bundle, sizeof rep->bundle, "%s", h.id);
    rep->seq_lo = lo;
    rep->seq_hi = hi;
    rep->ops = h.count;
    FILE *f = fopen(path, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        rep->bytes = ftell(f);
        fclose(f);
    }
    if ((s = td_db_begin(db, err)))
        return s;
    st = td_db_prepare(db, "UPDATE local_sync_peers SET sent_seq = max(sent_seq, ?), sent_bundles = sent_bundles + 1, "
                           "sent_hash = ? WHERE code = ?", err);
    if (!st) {
        td_db_rollback(db);
        return TD_EDB;
    }
    sqlite3_bind_int64(st, 1, hi);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("recording the bundle sent"), err);
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

td_status td_sync_status_each(td_db *db, int (*cb)(const td_sync_peer_status *p, void *ud), void *ud, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT p.code, p.revoked_at IS NOT NULL, (SELECT m FROM local_sync_here), p.sent_seq, p.acked_seq, "
        "p.recv_seq, (SELECT count(*) FROM local_sync_bundles b WHERE b.from_station = p.station_id AND "
        "b.status = 'held'), COALESCE((SELECT min(received_at) FROM local_sync_bundles b WHERE b.from_station = "
        "p.station_id AND b.status = 'held'), ''), (SELECT count(*) FROM local_sync_conflicts c WHERE c.origin = "
        "p.station_id AND c.status = 'open'), (SELECT count(*) FROM local_sync_bundles b WHERE b.from_station = "
        "p.station_id AND b.status = 'held' AND julianday(?1) - julianday(b.received_at) > ?2), "
        "(SELECT count(*) FROM local_sync_bundles b WHERE b.from_station = p.station_id AND b.status = 'held' AND "
        "b.note = 'fork') FROM local_sync_peers p ORDER BY p.code",
        err);
    if (!st)
        return TD_EDB;
    char now[TD_TS_LEN], days[16];
    td_now_utc(now);
    int hold = td_db_setting_get(db, "sync_hold_days", days, sizeof days) ? atoi(days) : 5;
    if (hold <= 0)
        hold = 5;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, hold);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_sync_peer_status p;
        memset(&p, 0, sizeof p);
        td_col_copy(st, 0, p.code, sizeof p.code);
        p.revoked = sqlite3_column_int(st, 1);
        p.our_seq = (long)sqlite3_column_int64(st, 2);
        p.sent_seq = (long)sqlite3_column_int64(st, 3);
        p.acked_seq = (long)sqlite3_column_int64(st, 4);
        p.recv_seq = (long)sqlite3_column_int64(st, 5);
        p.held = (long)sqlite3_column_int64(st, 6);
        td_col_copy(st, 7, p.oldest_held, sizeof p.oldest_held);
        p.open_conflicts = (long)sqlite3_column_int64(st, 8);
        p.held_overdue = (long)sqlite3_column_int64(st, 9);
        p.forked = (long)sqlite3_column_int64(st, 10);
        p.hold_days = hold;
        if (cb(&p, ud)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("reading the sync status"), err);
}
