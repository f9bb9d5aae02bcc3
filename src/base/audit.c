/* audit.c — see audit.h.
 *
 * Authenticated rows (hash "k1:<hex>", written since migration 005):
 *   hex(BLAKE2b-256 keyed with the station key over "td-audit-v2\n" and
 *   every column but hash — id, station_id, seq, at, user_id, case_id,
 *   action, entity, entity_id, field, old_value, new_value, reason,
 *   prev_hash, created_at, updated_at, row_version, deleted_at — joined by
 *   US = 0x1F, NULL written as 0x1E).
 * The newest row of the local chain is also recorded in settings
 * "audit.head" as "SEQ HASH MAC" with its own keyed MAC, so that removing the
 * newest rows is seen without an anchor.
 *
 * Legacy rows (before 005; plain 64-hex hash), accepted only before the
 * first authenticated row of a chain: canonical text hashed after prev_hash
 * and '\n':
 *   id US station_id US seq US at US user_id US case_id US action US entity US
 *   entity_id US field US old_value US new_value US reason
 * with US = 0x1F and NULL written as the single byte 0x1E (so that NULL and ""
 * differ).  The chain belongs to the station that owns this database
 * (settings.local_station), so two offline stations never extend the same
 * chain.
 */
#include "audit.h"
#include "i18n.h"
#include "stationkey.h"
#include "timeutil.h"

#include <sodium.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void feed(crypto_hash_sha256_state *h, const char *s, bool last)
{
    if (s)
        crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
    else
        crypto_hash_sha256_update(h, (const unsigned char *)"\x1e", 1);
    if (!last)
        crypto_hash_sha256_update(h, (const unsigned char *)"\x1f", 1);
}

/* fields: id, station, seq (text), at, user, case, action, entity, entity_id,
 * field, old, new, reason */
static void row_hash(const char *prev, const char *const f[13], char out[65])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)prev, strlen(prev));
    crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
    for (int i = 0; i < 13; i++)
        feed(&h, f[i], i == 12);
    unsigned char bin[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, bin);
    sodium_bin2hex(out, 65, bin, sizeof bin);
}


#define NCOLS 18 /* every column of audit_log but hash, in table order */

static void keyed_hash(const unsigned char key[TD_STATION_KEY_BYTES], const char *const f[NCOLS],
                       char out[TD_AUDIT_HASH_LEN])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, key, TD_STATION_KEY_BYTES, 32);
    crypto_generichash_update(&h, (const unsigned char *)"td-audit-v2\n", 12);
    for (int i = 0; i < NCOLS; i++) {
        if (f[i])
            crypto_generichash_update(&h, (const unsigned char *)f[i], strlen(f[i]));
        else
            crypto_generichash_update(&h, (const unsigned char *)"\x1e", 1);
        if (i < NCOLS - 1)
            crypto_generichash_update(&h, (const unsigned char *)"\x1f", 1);
    }
    unsigned char bin[32];
    crypto_generichash_final(&h, bin, sizeof bin);
    memcpy(out, "k1:", 3);
    sodium_bin2hex(out + 3, 65, bin, sizeof bin);
}

static void head_mac(const unsigned char key[TD_STATION_KEY_BYTES], const char *station, long seq,
                     const char *hash, char out[65])
{
    char msg[256];
    int n = snprintf(msg, sizeof msg, "td-audit-head\n%s\n%ld\n%s", station, seq, hash);
    unsigned char bin[32];
    crypto_generichash(bin, sizeof bin, (const unsigned char *)msg, (size_t)n, key, TD_STATION_KEY_BYTES);
    sodium_bin2hex(out, 65, bin, sizeof bin);
}

static td_status write_head(td_db *db, const unsigned char key[TD_STATION_KEY_BYTES], const char *station,
                            long seq, const char *hash, td_err *err)
{
    char mac[65], val[200];
    head_mac(key, station, seq, hash, mac);
    snprintf(val, sizeof val, "%ld %s %s", seq, hash, mac);
    return td_db_setting_set(db, "audit.head", val, err);
}

td_status td_audit(td_db *db, const td_actor *by, const char *case_id, const char *action,
                   const char *entity, const char *entity_id, const char *field,
                   const char *old_value, const char *new_value, const char *reason, td_err *err)
{
    if (!td_db_in_tx(db))
        return td_err_set(err, TD_ERR, "%s", _("internal error: audit outside a transaction"));
    char station[TD_UUID_LEN];
    if (!td_db_setting_get(db, "local_station", station, sizeof station))
        return td_err_set(err, TD_ENOTFOUND, "%s",
                          _("The database is not initialised (run: talentdesk init)"));
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT seq, hash FROM audit_log WHERE station_id = ? ORDER BY seq DESC LIMIT 1", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, station, -1, SQLITE_TRANSIENT);
    long seq = 1;
    char prev[TD_AUDIT_HASH_LEN] = ZERO_HASH;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        seq = (long)sqlite3_column_int64(st, 0) + 1;
        td_col_copy(st, 1, prev, sizeof prev);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return td_db_fail(db, _("writing the audit log"), err);

    char id[TD_UUID_LEN], now[TD_TS_LEN], seqs[24], hash[TD_AUDIT_HASH_LEN];
    td_uuid7(id);
    td_now_utc(now);
    snprintf(seqs, sizeof seqs, "%ld", seq);
    const char *user = by && by->user_id[0] ? by->user_id : NULL;
    /* A chain already authenticated never gets a new key silently. */
    unsigned char key[TD_STATION_KEY_BYTES];
    td_status ks = td_station_key(db, strncmp(prev, "k1:", 3) != 0, key, err);
    if (ks)
        return ks;
    const char *f[NCOLS] = { id,     station, seqs, now,  user, case_id, action, entity ? entity : "",
                             entity_id ? entity_id : "", field ? field : "", old_value, new_value,
                             reason ? reason : "", prev, now, now, "1", NULL };
    keyed_hash(key, f, hash);
    td_status hs = write_head(db, key, station, seq, hash, err);
    sodium_memzero(key, sizeof key);
    if (hs)
        return hs;

    st = td_db_prepare(db,
                       "INSERT INTO audit_log(id, station_id, seq, at, user_id, case_id, action, entity, "
                       "entity_id, field, old_value, new_value, reason, prev_hash, hash, created_at, "
                       "updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, station);
    sqlite3_bind_int64(st, 3, seq);
    td_bind_text(st, 4, now);
    td_bind_text(st, 5, user);
    td_bind_text(st, 6, case_id);
    td_bind_text(st, 7, action);
    td_bind_text(st, 8, f[7]);
    td_bind_text(st, 9, f[8]);
    td_bind_text(st, 10, f[9]);
    td_bind_text(st, 11, old_value);
    td_bind_text(st, 12, new_value);
    td_bind_text(st, 13, f[12]);
    td_bind_text(st, 14, prev);
    td_bind_text(st, 15, hash);
    td_bind_text(st, 16, now);
    td_bind_text(st, 17, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("writing the audit log"), err);
}

static const char *col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static td_status broken(td_audit_report *rep, const char *id, long seq, const char *station_code,
                        const char *problem, td_err *err)
{
    snprintf(rep->bad_id, sizeof rep->bad_id, "%s", id ? id : "");
    rep->bad_seq = seq;
    snprintf(rep->bad_station, sizeof rep->bad_station, "%s", station_code ? station_code : "");
    snprintf(rep->problem, sizeof rep->problem, "%s", problem);
    if (id && *id)
        return td_err_set(err, TD_ECONFLICT, _("Audit log broken at station %s, row %ld (id %s): %s"),
                          rep->bad_station, seq, id, problem);
    return td_err_set(err, TD_ECONFLICT, _("Audit log broken at station %s after row %ld: %s"), rep->bad_station,
                      seq, problem);
}

/* Checks the local chain's end against the authenticated head record. */
static td_status check_head(td_db *db, const char *station, const char *code, long last_seq,
                            const char *last_hash, bool keyed, td_audit_report *rep, td_err *err)
{
    char head[256], kpath[4096];
    bool have_head = td_db_setting_get(db, "audit.head", head, sizeof head);
    td_station_key_path(db, kpath, sizeof kpath);
    bool key_file = kpath[0] && access(kpath, F_OK) == 0;
    if (!have_head) {
        if (keyed || key_file)
            return broken(rep, NULL, last_seq, code,
                          _("the authenticated head record is missing (rows were removed or rewritten)"), err);
        return TD_OK; /* a chain from before authentication, never extended since */
    }
    unsigned char key[TD_STATION_KEY_BYTES];
    td_status s = td_station_key(db, false, key, err);
    if (s)
        return s;
    long hseq = 0;
    char hhash[72] = "", hmac[80] = "", want[65]; /* %70s writes up to 71 bytes */
    if (sscanf(head, "%ld %70s %70s", &hseq, hhash, hmac) != 3) {
        sodium_memzero(key, sizeof key);
        return broken(rep, NULL, last_seq, code, _("the authenticated head record is malformed"), err);
    }
    head_mac(key, station, hseq, hhash, want);
    sodium_memzero(key, sizeof key);
    if (sodium_memcmp(want, hmac, 64) != 0 || strlen(hmac) != 64)
        return broken(rep, NULL, last_seq, code,
                      _("the authenticated head record was forged (its key check fails)"), err);
    if (hseq > last_seq) {
        char msg[256];
        snprintf(msg, sizeof msg, _("the chain was cut short: rows %ld to %ld are missing"), last_seq + 1, hseq);
        return broken(rep, NULL, last_seq, code, msg, err);
    }
    if (hseq != last_seq || strcmp(hhash, last_hash) != 0)
        return broken(rep, NULL, last_seq, code,
                      _("the newest rows do not match the authenticated head (rows were added or "
                        "replaced without the station key)"),
                      err);
    return TD_OK;
}

/* Checks the chains (only that of station `only` when not NULL).  The
 * local chain and every chain whose station's key is kept here
 * (td_station_key_peer: HQ keeps its stations') are checked whole; a chain of
 * another place without its key (HQ's at a station, which holds only the
 * rows of its own cases) is checked as far as it can be: rows that follow
 * one another must link, none may be marked deleted or repeat a sequence
 * number; gaps are expected and the content cannot be recomputed
 * (rep->unverified counts such chains). */
static td_status verify_chains(td_db *db, const char *only, const char *local, td_audit_report *rep, bool *local_keyed,
                               long *local_last, char local_hash[TD_AUDIT_HASH_LEN], td_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db),
                           "SELECT a.id, a.station_id, a.seq, a.at, a.user_id, a.case_id, a.action, "
                           "a.entity, a.entity_id, a.field, a.old_value, a.new_value, a.reason, "
                           "a.prev_hash, a.created_at, a.updated_at, a.row_version, a.deleted_at, a.hash, "
                           "IFNULL(s.code, a.station_id) "
                           "FROM audit_log a LEFT JOIN stations s ON s.id = a.station_id "
                           "WHERE ?1 IS NULL OR a.station_id = ?1 ORDER BY a.station_id, a.seq",
                           -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("reading the audit log"), err);
    if (only)
        sqlite3_bind_text(st, 1, only, -1, SQLITE_TRANSIENT);
    char cur_station[TD_UUID_LEN] = "";
    char prev[TD_AUDIT_HASH_LEN] = ZERO_HASH;
    long expect = 1;
    bool keyed = false, have_key = false, partial = false;
    unsigned char key[TD_STATION_KEY_BYTES];
    int rc;
    td_status s = TD_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *station = col(st, 1);
        if (strcmp(station, cur_station) != 0) {
            snprintf(cur_station, sizeof cur_station, "%s", station);
            strcpy(prev, ZERO_HASH);
            expect = 1;
            keyed = false;
            rep->chains++;
            /* whose key checks this chain: ours, the station's kept here, or none */
            if (have_key)
                sodium_memzero(key, sizeof key);
            have_key = false;
            partial = false;
            if (strcmp(station, local) != 0) {
                td_err kerr;
                td_err_clear(&kerr);
                td_status ks = td_station_key_peer(db, station, key, &kerr);
                if (ks == TD_OK)
                    have_key = true;
                else if (ks == TD_ENOTFOUND) {
                    partial = true;
                    rep->unverified++;
                } else {
                    s = td_err_set(err, ks, "%s", kerr.msg);
                    break;
                }
            }
        }
        rep->rows++;
        long seq = (long)sqlite3_column_int64(st, 2);
        const char *problem = NULL;
        char seqs[24], rv[24], hash[TD_AUDIT_HASH_LEN];
        snprintf(seqs, sizeof seqs, "%ld", seq);
        snprintf(rv, sizeof rv, "%lld", (long long)sqlite3_column_int64(st, 16));
        const char *f[NCOLS];
        for (int i = 0; i < NCOLS; i++)
            f[i] = col(st, i);
        f[2] = seqs;
        f[16] = rv;
        const char *stored = col(st, 18);
        bool is_keyed = strncmp(stored, "k1:", 3) == 0;
        if (partial) { /* another place's rows, as far as they can be checked */
            if (seq < expect)
                problem = _("duplicate sequence number");
            else if (seq == expect && strcmp(f[13], prev) != 0)
                problem = _("its link to the previous row does not match (a row was removed or inserted)");
            else if (f[17])
                problem = _("it was marked deleted (audit rows are never deleted)");
            else if (is_keyed && strcmp(station, local) != 0) {
                /* rows made with this database's own key under another
                 * station's id (a station code taken over here): from the
                 * first that verifies, the chain is checked whole */
                unsigned char lkey[TD_STATION_KEY_BYTES];
                if (td_station_key(db, false, lkey, NULL) == TD_OK) {
                    keyed_hash(lkey, f, hash);
                    if (sodium_memcmp(hash, stored, TD_AUDIT_HASH_LEN - 1) == 0 &&
                        strlen(stored) == TD_AUDIT_HASH_LEN - 1) {
                        memcpy(key, lkey, sizeof key);
                        have_key = true;
                        partial = false;
                        keyed = true;
                        rep->unverified--;
                    }
                }
                sodium_memzero(lkey, sizeof lkey);
            }
        } else if (seq != expect)
            problem = seq > expect ? _("rows are missing before this one (sequence gap)")
                                   : _("duplicate sequence number");
        else if (strcmp(f[13], prev) != 0)
            problem = _("its link to the previous row does not match (a row was removed or inserted)");
        else if (f[17])
            problem = _("it was marked deleted (audit rows are never deleted)");
        else if (is_keyed) {
            if (!have_key) {
                if ((s = td_station_key(db, false, key, err)))
                    break;
                have_key = true;
            }
            keyed_hash(key, f, hash);
            if (sodium_memcmp(hash, stored, TD_AUDIT_HASH_LEN - 1) != 0 || strlen(stored) != TD_AUDIT_HASH_LEN - 1)
                problem = _("its content was changed after it was written, or it was made without the "
                            "station key");
            keyed = true;
        } else if (keyed) {
            problem = _("an unauthenticated row after authenticated ones (forged)");
        } else {
            const char *g[13];
            for (int i = 0; i < 13; i++)
                g[i] = f[i];
            row_hash(prev, g, hash);
            if (strcmp(hash, stored) != 0 || strcmp(rv, "1") != 0 || !f[14] || !f[15] || strcmp(f[14], f[3]) ||
                strcmp(f[15], f[3]))
                problem = _("its content was changed after it was written");
        }
        if (problem) {
            s = broken(rep, f[0], seq, col(st, 19), problem, err);
            break;
        }
        snprintf(prev, sizeof prev, "%s", stored);
        expect = seq + 1;
        if (strcmp(station, local) == 0) {
            *local_last = seq;
            snprintf(local_hash, TD_AUDIT_HASH_LEN, "%s", stored);
            *local_keyed = keyed;
        }
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td_db_fail(db, _("reading the audit log"), err);
    sqlite3_finalize(st);
    if (have_key)
        sodium_memzero(key, sizeof key);
    return s;
}

/* The anchors of other places' chains kept here (td_audit_anchor_keep):
 * each anchored row must still be there with its hash. */
static td_status check_kept_anchors(td_db *db, const char *only, td_audit_report *rep, td_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db),
                           "SELECT substr(k.key, 14), k.value, IFNULL(s.code, substr(k.key, 14)), "
                           "(SELECT a.hash FROM audit_log a WHERE a.station_id = substr(k.key, 14) AND "
                           "a.seq = CAST(k.value AS INTEGER)), (SELECT a.id FROM audit_log a WHERE "
                           "a.station_id = substr(k.key, 14) AND a.seq = CAST(k.value AS INTEGER)) "
                           "FROM settings k LEFT JOIN stations s ON s.id = substr(k.key, 14) "
                           "WHERE k.key LIKE 'audit.anchor.%' AND (?1 IS NULL OR substr(k.key, 14) = ?1)",
                           -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("reading the audit log"), err);
    if (only)
        sqlite3_bind_text(st, 1, only, -1, SQLITE_TRANSIENT);
    td_status s = TD_OK;
    int rc;
    while (s == TD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        long seq = 0;
        char hash[96] = "";
        if (sscanf(col(st, 1), "%ld %95s", &seq, hash) != 2)
            continue;
        const char *have = col(st, 3);
        char msg[256];
        if (!have) {
            snprintf(msg, sizeof msg, _("the chain was cut short: the anchored row %ld is missing"), seq);
            s = broken(rep, NULL, seq - 1, col(st, 2), msg, err);
        } else if (strcmp(have, hash) != 0)
            s = broken(rep, col(st, 4), seq, col(st, 2), _("this row differs from the anchor (the chain was rewritten)"),
                       err);
    }
    sqlite3_finalize(st);
    return s;
}

td_status td_audit_verify(td_db *db, td_audit_report *rep, td_err *err)
{
    memset(rep, 0, sizeof *rep);
    char local[TD_UUID_LEN] = "", local_code[12] = "";
    if (td_db_setting_get(db, "local_station", local, sizeof local))
        td_local_station(db, NULL, local_code, NULL);
    long local_last = 0;
    char local_hash[TD_AUDIT_HASH_LEN] = ZERO_HASH;
    bool local_keyed = false;
    td_status s = verify_chains(db, NULL, local, rep, &local_keyed, &local_last, local_hash, err);
    if (s == TD_OK && local[0])
        s = check_head(db, local, local_code, local_last, local_hash, local_keyed, rep, err);
    if (s == TD_OK)
        s = check_kept_anchors(db, NULL, rep, err);
    return s;
}

td_status td_audit_verify_station(td_db *db, const char *station_id, long anchor_seq, const char *anchor_hash,
                                  td_audit_report *rep, td_err *err)
{
    memset(rep, 0, sizeof *rep);
    char local[TD_UUID_LEN] = "";
    td_db_setting_get(db, "local_station", local, sizeof local);
    unsigned char key[TD_STATION_KEY_BYTES];
    td_status s = td_station_key_peer(db, station_id, key, err);
    sodium_memzero(key, sizeof key);
    if (s)
        return s;
    long last = 0;
    char hash[TD_AUDIT_HASH_LEN] = ZERO_HASH;
    bool keyed = false;
    if ((s = verify_chains(db, station_id, local, rep, &keyed, &last, hash, err)) ||
        (s = check_kept_anchors(db, station_id, rep, err)))
        return s;
    if (anchor_seq <= 0)
        return TD_OK;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT a.hash, a.id, IFNULL(s.code, a.station_id) FROM audit_log a "
                                         "LEFT JOIN stations s ON s.id = a.station_id WHERE a.station_id = ? AND "
                                         "a.seq = ?", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, station_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, anchor_seq);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        char msg[256];
        snprintf(msg, sizeof msg, _("the chain was cut short: the anchored row %ld is missing"), anchor_seq);
        return broken(rep, NULL, anchor_seq - 1, station_id, msg, err);
    }
    if (strcmp(col(st, 0), anchor_hash) != 0) {
        char id[64], code[16];
        snprintf(id, sizeof id, "%s", col(st, 1));
        snprintf(code, sizeof code, "%s", col(st, 2));
        sqlite3_reset(st);
        return broken(rep, id, anchor_seq, code, _("this row differs from the anchor (the chain was rewritten)"), err);
    }
    sqlite3_reset(st);
    return TD_OK;
}

td_status td_audit_anchor_keep(td_db *db, const char *station_id, long seq, const char *hash, td_err *err)
{
    char key[64], val[128], old[128];
    snprintf(key, sizeof key, "audit.anchor.%s", station_id);
    if (td_db_setting_get(db, key, old, sizeof old) && atol(old) >= seq)
        return TD_OK;
    snprintf(val, sizeof val, "%ld %s", seq, hash);
    return td_db_setting_set(db, key, val, err);
}

td_status td_audit_anchor(td_db *db, int (*fn)(const char *station_code, long seq, const char *hash, void *ud),
                          void *ud, td_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db),
                           "SELECT IFNULL(s.code, a.station_id), a.seq, a.hash FROM audit_log a "
                           "LEFT JOIN stations s ON s.id = a.station_id "
                           "WHERE a.seq = (SELECT max(seq) FROM audit_log b WHERE b.station_id = a.station_id) "
                           "ORDER BY 1",
                           -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("reading the audit log"), err);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(col(st, 0), (long)sqlite3_column_int64(st, 1), col(st, 2), ud))
            break;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("reading the audit log"), err);
}

/* One anchor entry: the row (code, seq) must exist with that hash; with
 * code == NULL some row must carry hash. */
static td_status check_anchor_one(td_db *db, const char *code, long seq, const char *hash, td_audit_report *rep,
                                  td_err *err)
{
    sqlite3_stmt *st;
    const char *sql = code ? "SELECT a.hash, a.id FROM audit_log a JOIN stations s ON s.id = a.station_id "
                             "WHERE s.code = ?1 AND a.seq = ?2"
                           : "SELECT a.hash, a.id FROM audit_log a WHERE a.hash = ?3";
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("reading the audit log"), err);
    if (code) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, seq);
    } else {
        sqlite3_bind_text(st, 3, hash, -1, SQLITE_TRANSIENT);
    }
    int rc = sqlite3_step(st);
    td_status s = TD_OK;
    if (rc == SQLITE_ROW && code && strcmp(col(st, 0), hash) != 0)
        s = broken(rep, col(st, 1), seq, code, _("this row differs from the anchor (the chain was rewritten)"), err);
    else if (rc == SQLITE_DONE) {
        char msg[256];
        if (code)
            snprintf(msg, sizeof msg, _("the chain was cut short: the anchored row %ld is missing"), seq);
        else
            snprintf(msg, sizeof msg, "%s", _("no row carries the anchored hash (the chain was cut short or rewritten)"));
        s = broken(rep, NULL, code ? seq - 1 : 0, code ? code : "", msg, err);
    } else if (rc != SQLITE_ROW)
        s = td_db_fail(db, _("reading the audit log"), err);
    sqlite3_finalize(st);
    return s;
}

td_status td_audit_verify_anchor(td_db *db, const char *anchor, td_audit_report *rep, td_err *err)
{
    memset(rep, 0, sizeof *rep);
    int n = 0;
    const char *p = anchor;
    while (p && *p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[256], code[16], hash[96];
        long seq;
        snprintf(line, sizeof line, "%.*s", (int)(len < 255 ? len : 255), p);
        p = e ? e + 1 : NULL;
        char *c = line;
        while (*c == ' ' || *c == '\t')
            c++;
        if (!*c || *c == '#' || *c == '\r')
            continue;
        td_status s;
        if (sscanf(c, "%15s %ld %95s", code, &seq, hash) == 3)
            s = check_anchor_one(db, code, seq, hash, rep, err);
        else if (sscanf(c, "%95s", hash) == 1 && (strlen(hash) == 64 || strlen(hash) == 67))
            s = check_anchor_one(db, NULL, 0, hash, rep, err);
        else
            return td_err_set(err, TD_EINVALID, _("Not an audit anchor line: %s"), c);
        if (s)
            return s;
        n++;
    }
    if (!n)
        return td_err_set(err, TD_EINVALID, "%s", _("The anchor is empty"));
    return TD_OK;
}

_Static_assert(TD_STATION_KEY_BYTES == sizeof(((td_audit_ext *)0)->key), "td_audit_ext.key");

/* Checks row f (NCOLS columns, then the stored hash) as the successor of
 * (prev_seq, prev_hash); keyed: an authenticated row came before.  The
 * problem (translated), or NULL when the row follows. */
static const char *follows(const unsigned char key[TD_STATION_KEY_BYTES], long prev_seq, const char *prev_hash,
                           bool keyed, const char *const f[TD_AUDIT_EXT_COLS], long seq)
{
    const char *stored = f[NCOLS];
    char hash[TD_AUDIT_HASH_LEN];
    if (seq != prev_seq + 1)
        return seq > prev_seq + 1 ? _("rows are missing before this one (sequence gap)")
                                  : _("duplicate sequence number");
    if (!f[13] || strcmp(f[13], prev_hash) != 0)
        return _("its link to the previous row does not match (a row was removed or inserted)");
    if (f[17])
        return _("it was marked deleted (audit rows are never deleted)");
    if (!stored)
        return _("its content was changed after it was written");
    if (strncmp(stored, "k1:", 3) == 0) {
        keyed_hash(key, f, hash);
        if (sodium_memcmp(hash, stored, TD_AUDIT_HASH_LEN - 1) != 0 || strlen(stored) != TD_AUDIT_HASH_LEN - 1)
            return _("its content was changed after it was written, or it was made without the station key");
        return NULL;
    }
    if (keyed)
        return _("an unauthenticated row after authenticated ones (forged)");
    row_hash(prev_hash, f, hash);
    if (strcmp(hash, stored) != 0 || !f[16] || strcmp(f[16], "1") != 0 || !f[3] || !f[14] || !f[15] ||
        strcmp(f[14], f[3]) || strcmp(f[15], f[3]))
        return _("its content was changed after it was written");
    return NULL;
}

td_status td_audit_extend_open(td_db *db, const char *station_id, long anchor_seq, const char *anchor_hash,
                               td_audit_ext *x, td_audit_report *rep, td_err *err)
{
    memset(x, 0, sizeof *x);
    memset(rep, 0, sizeof *rep);
    snprintf(x->station, sizeof x->station, "%s", station_id);
    strcpy(x->hash, ZERO_HASH);
    x->anchor_seq = anchor_seq > 0 ? anchor_seq : 0;
    snprintf(x->anchor_hash, sizeof x->anchor_hash, "%s", anchor_seq > 0 && anchor_hash ? anchor_hash : "");
    td_status s = td_station_key_peer(db, station_id, x->key, err);
    if (s)
        return s;
    /* the chain's last row here, re-hashed (its predecessor's hash is its prev_hash) */
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT a.id, a.station_id, a.seq, a.at, a.user_id, a.case_id, a.action, "
                                     "a.entity, a.entity_id, a.field, a.old_value, a.new_value, a.reason, "
                                     "a.prev_hash, a.created_at, a.updated_at, a.row_version, a.deleted_at, a.hash, "
                                     "IFNULL((SELECT code FROM stations WHERE id = a.station_id), a.station_id) "
                                     "FROM audit_log a WHERE a.station_id = ? ORDER BY a.seq DESC LIMIT 1",
                                     err);
    if (!st) {
        sodium_memzero(x->key, sizeof x->key);
        return TD_EDB;
    }
    sqlite3_bind_text(st, 1, station_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    snprintf(x->code, sizeof x->code, "%s", station_id);
    if (rc == SQLITE_ROW) {
        char seqs[24], rv[24];
        long seq = (long)sqlite3_column_int64(st, 2);
        snprintf(seqs, sizeof seqs, "%ld", seq);
        snprintf(rv, sizeof rv, "%lld", (long long)sqlite3_column_int64(st, 16));
        const char *f[TD_AUDIT_EXT_COLS];
        for (int i = 0; i < TD_AUDIT_EXT_COLS; i++)
            f[i] = col(st, i);
        f[2] = seqs;
        f[16] = rv;
        snprintf(x->code, sizeof x->code, "%s", col(st, 19));
        const char *prev = f[13] ? f[13] : "";
        bool keyed_before = strncmp(prev, "k1:", 3) == 0;
        const char *problem = follows(x->key, seq - 1, prev, keyed_before, f, seq);
        if (problem) {
            s = broken(rep, f[0], seq, x->code, problem, err);
            sqlite3_reset(st);
            sodium_memzero(x->key, sizeof x->key);
            return s;
        }
        x->seq = seq;
        snprintf(x->hash, sizeof x->hash, "%s", f[NCOLS]);
        x->keyed = strncmp(x->hash, "k1:", 3) == 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sodium_memzero(x->key, sizeof x->key);
        return td_db_fail(db, _("reading the audit log"), err);
    }
    if ((s = check_kept_anchors(db, station_id, rep, err)))
        sodium_memzero(x->key, sizeof x->key);
    return s;
}

td_status td_audit_extend_row(td_audit_ext *x, const char *const f[TD_AUDIT_EXT_COLS], td_audit_report *rep,
                              td_err *err)
{
    char *end = NULL;
    long seq = f[2] ? strtol(f[2], &end, 10) : 0;
    const char *problem = !end || *end || !f[1] || strcmp(f[1], x->station) != 0
                              ? _("its content was changed after it was written")
                              : follows(x->key, x->seq, x->hash, x->keyed, f, seq);
    if (problem)
        return broken(rep, f[0], seq, x->code, problem, err);
    x->seq = seq;
    snprintf(x->hash, sizeof x->hash, "%s", f[NCOLS]);
    x->keyed = x->keyed || strncmp(x->hash, "k1:", 3) == 0;
    x->checked++;
    rep->rows++;
    if (seq == x->anchor_seq) {
        x->anchor_seen = true;
        x->anchor_bad = strcmp(x->hash, x->anchor_hash) != 0;
        if (x->anchor_bad)
            return broken(rep, f[0], seq, x->code, _("this row differs from the anchor (the chain was rewritten)"),
                          err);
    }
    return TD_OK;
}

td_status td_audit_extend_close(td_db *db, td_audit_ext *x, td_audit_report *rep, td_err *err)
{
    sodium_memzero(x->key, sizeof x->key);
    if (x->anchor_seq <= 0 || x->anchor_seen)
        return x->anchor_bad ? TD_ECONFLICT : TD_OK;
    char msg[256];
    if (x->anchor_seq > x->seq) {
        snprintf(msg, sizeof msg, _("the chain was cut short: the anchored row %ld is missing"), x->anchor_seq);
        return broken(rep, NULL, x->seq, x->code, msg, err);
    }
    /* an anchor among the rows held here already */
    sqlite3_stmt *st = td_db_prepare(db, "SELECT hash, id FROM audit_log WHERE station_id = ? AND seq = ?", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, x->station, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, x->anchor_seq);
    td_status s = TD_OK;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        snprintf(msg, sizeof msg, _("the chain was cut short: the anchored row %ld is missing"), x->anchor_seq);
        s = broken(rep, NULL, x->anchor_seq - 1, x->code, msg, err);
    } else if (strcmp(col(st, 0), x->anchor_hash) != 0) {
        char id[64];
        snprintf(id, sizeof id, "%s", col(st, 1));
        sqlite3_reset(st);
        return broken(rep, id, x->anchor_seq, x->code, _("this row differs from the anchor (the chain was rewritten)"),
                      err);
    }
    sqlite3_reset(st);
    return s;
}
