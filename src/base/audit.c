/* audit.c — see audit.h.
 *
 * Canonical text of a row, hashed after prev_hash and '\n':
 *   id US station_id US seq US at US user_id US case_id US action US entity US
 *   entity_id US field US old_value US new_value US reason
 * with US = 0x1F and NULL written as the single byte 0x1E (so that NULL and ""
 * differ).  The chain belongs to the station that owns this database
 * (settings.local_station), so two offline stations never extend the same
 * chain.
 */
#include "audit.h"
#include "i18n.h"
#include "timeutil.h"

#include <sodium.h>
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
    char prev[65] = ZERO_HASH;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        seq = (long)sqlite3_column_int64(st, 0) + 1;
        td_col_copy(st, 1, prev, sizeof prev);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return td_db_fail(db, _("writing the audit log"), err);

    char id[TD_UUID_LEN], now[TD_TS_LEN], seqs[24], hash[65];
    td_uuid7(id);
    td_now_utc(now);
    snprintf(seqs, sizeof seqs, "%ld", seq);
    const char *user = by && by->user_id[0] ? by->user_id : NULL;
    const char *f[13] = { id,     station,   seqs,  now,       user,      case_id, action,
                          entity ? entity : "", entity_id ? entity_id : "", field ? field : "",
                          old_value, new_value, reason ? reason : "" };
    row_hash(prev, f, hash);

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

td_status td_audit_verify(td_db *db, td_audit_report *rep, td_err *err)
{
    memset(rep, 0, sizeof *rep);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db),
                           "SELECT a.id, a.station_id, a.seq, a.at, a.user_id, a.case_id, a.action, "
                           "a.entity, a.entity_id, a.field, a.old_value, a.new_value, a.reason, "
                           "a.prev_hash, a.hash, IFNULL(s.code, a.station_id) "
                           "FROM audit_log a LEFT JOIN stations s ON s.id = a.station_id "
                           "ORDER BY a.station_id, a.seq",
                           -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("reading the audit log"), err);
    char cur_station[TD_UUID_LEN] = "";
    char prev[65] = ZERO_HASH;
    long expect = 1;
    int rc;
    td_status s = TD_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *station = col(st, 1);
        if (strcmp(station, cur_station) != 0) {
            snprintf(cur_station, sizeof cur_station, "%s", station);
            strcpy(prev, ZERO_HASH);
            expect = 1;
            rep->chains++;
        }
        rep->rows++;
        long seq = (long)sqlite3_column_int64(st, 2);
        const char *problem = NULL;
        char seqs[24], hash[65];
        snprintf(seqs, sizeof seqs, "%ld", seq);
        const char *f[13];
        f[0] = col(st, 0);
        f[1] = station;
        f[2] = seqs;
        for (int i = 3; i < 13; i++)
            f[i] = col(st, i);
        if (seq != expect)
            problem = seq > expect ? _("rows are missing before this one (sequence gap)")
                                   : _("duplicate sequence number");
        else if (strcmp(col(st, 13), prev) != 0)
            problem = _("its link to the previous row does not match (a row was removed or inserted)");
        else {
            row_hash(prev, f, hash);
            if (strcmp(hash, col(st, 14)) != 0)
                problem = _("its content was changed after it was written");
        }
        if (problem) {
            snprintf(rep->bad_id, sizeof rep->bad_id, "%s", f[0]);
            rep->bad_seq = seq;
            snprintf(rep->bad_station, sizeof rep->bad_station, "%s", col(st, 15));
            snprintf(rep->problem, sizeof rep->problem, "%s", problem);
            s = td_err_set(err, TD_ECONFLICT, _("Audit log broken at station %s, row %ld (id %s): %s"),
                           rep->bad_station, seq, f[0], problem);
            break;
        }
        snprintf(prev, sizeof prev, "%s", col(st, 14));
        expect = seq + 1;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td_db_fail(db, _("reading the audit log"), err);
    sqlite3_finalize(st);
    return s;
}
