/* keys.c — see keys.h. */
#include "keys.h"

#include "base/actor.h"
#include "base/atomicfile.h"
#include "base/groupmode.h"
#include "base/i18n.h"
#include "base/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void td_sync_hex(const unsigned char *b, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, b, n);
}

bool td_sync_unhex(const char *s, unsigned char *out, size_t n)
{
    size_t got = 0;
    if (!s || strlen(s) != 2 * n)
        return false;
    return sodium_hex2bin(out, n, s, 2 * n, NULL, &got, NULL) == 0 && got == n;
}

bool td_sync_keys_path(td_db *db, char *buf, size_t len)
{
    const char *f = sqlite3_db_filename(td_db_handle(db), "main");
    if (!f || !*f)
        return false;
    return (size_t)snprintf(buf, len, "%s.keys", f) < len;
}

td_status td_sync_keys_create(td_db *db, td_err *err)
{
    char sid[TD_UUID_LEN], code[12], path[4200], have[80];
    td_status s = td_local_station(db, sid, code, err);
    if (s)
        return s;
    if (!td_sync_keys_path(db, path, sizeof path))
        return td_err_set(err, TD_EINVALID, "%s", _("sync keys need a database file, not an in-memory database"));
    struct stat sb;
    if (td_db_setting_get(db, "sync_sign_pk", have, sizeof have) || stat(path, &sb) == 0)
        return td_err_set(err, TD_ECONFLICT, _("This station already has sync keys (%s)"), path);
    if (td_crypto_init() != 0)
        return td_err_set(err, TD_ERR, "%s", _("the system's random source is unusable"));
    td_sync_keys k;
    crypto_sign_keypair(k.sign_pk, k.sign_sk);
    crypto_box_keypair(k.box_pk, k.box_sk);
    char h1[2 * sizeof k.sign_sk + 1], h2[2 * sizeof k.box_sk + 1];
    char p1[2 * sizeof k.sign_pk + 1], p2[2 * sizeof k.box_pk + 1];
    td_sync_hex(k.sign_sk, sizeof k.sign_sk, h1);
    td_sync_hex(k.box_sk, sizeof k.box_sk, h2);
    td_sync_hex(k.sign_pk, sizeof k.sign_pk, p1);
    td_sync_hex(k.box_pk, sizeof k.box_pk, p2);
    td_afile a;
    bool raised = td_group_raise(path); /* the shared-server mode: 0640 for the group */
    if (!(s = td_afile_open(&a, path, 0600, err))) {
        fprintf(td_afile_stream(&a), "TDKEYS1\nstation %s %s\nsign_sk %s\nbox_sk %s\n", sid, code, h1, h2);
        s = td_afile_commit(&a, err);
    }
    if (!s && td_group_owns(path) && chmod(path, td_group_file_mode(path, 0600)) != 0)
        s = td_err_set(err, TD_EIO, _("cannot set the permissions of %s: %s"), path, strerror(errno));
    td_group_lower(raised);
    sodium_memzero(h1, sizeof h1);
    sodium_memzero(h2, sizeof h2);
    sodium_memzero(&k, sizeof k);
    if (s)
        return s;
    if ((s = td_db_setting_set(db, "sync_sign_pk", p1, err)) || (s = td_db_setting_set(db, "sync_box_pk", p2, err)))
        return s;
    return TD_OK;
}

td_status td_sync_keys_load(td_db *db, td_sync_keys *out, td_err *err)
{
    char path[4200], p1[80], p2[80];
    if (!td_sync_keys_path(db, path, sizeof path) || !td_db_setting_get(db, "sync_sign_pk", p1, sizeof p1) ||
        !td_db_setting_get(db, "sync_box_pk", p2, sizeof p2))
        return td_err_set(err, TD_ENOTFOUND, "%s",
                          _("This station has no sync keys yet; make them with: talentdesk sync keys"));
    bool raised = td_group_raise(path);
    FILE *f = fopen(path, "r");
    td_group_lower(raised);
    if (!f)
        return td_err_set(err, TD_EIO, _("Cannot read the sync keys %s: %s"), path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & (td_group_owns(path) ? 027u : 077u))) {
        fclose(f);
        return td_err_set(err, TD_EDENIED, _("The sync keys %s may be read by others; run chmod 600 on it"), path);
    }
    char line[512];
    bool ok_s = false, ok_b = false;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "sign_sk ", 8) == 0)
            ok_s = td_sync_unhex(line + 8, out->sign_sk, sizeof out->sign_sk);
        else if (strncmp(line, "box_sk ", 7) == 0)
            ok_b = td_sync_unhex(line + 7, out->box_sk, sizeof out->box_sk);
    }
    sodium_memzero(line, sizeof line);
    fclose(f);
    if (!ok_s || !ok_b || !td_sync_unhex(p1, out->sign_pk, sizeof out->sign_pk) ||
        !td_sync_unhex(p2, out->box_pk, sizeof out->box_pk)) {
        sodium_memzero(out, sizeof *out);
        return td_err_set(err, TD_EINVALID, _("The sync keys %s are damaged"), path);
    }
    /* the file must belong to the public keys on record */
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    crypto_scalarmult_base(pk, out->box_sk);
    if (memcmp(pk, out->box_pk, sizeof pk) != 0 ||
        memcmp(out->sign_sk + 32, out->sign_pk, crypto_sign_PUBLICKEYBYTES) != 0) {
        sodium_memzero(out, sizeof *out);
        return td_err_set(err, TD_EINVALID, _("The sync keys %s do not belong to this database"), path);
    }
    return TD_OK;
}

td_status td_sync_card_write(td_db *db, const char *path, td_err *err)
{
    char sid[TD_UUID_LEN], code[12], p1[80], p2[80];
    td_status s = td_local_station(db, sid, code, err);
    if (s)
        return s;
    if (!td_db_setting_get(db, "sync_sign_pk", p1, sizeof p1) || !td_db_setting_get(db, "sync_box_pk", p2, sizeof p2))
        return td_err_set(err, TD_ENOTFOUND, "%s",
                          _("This station has no sync keys yet; make them with: talentdesk sync keys"));
    td_afile a;
    if ((s = td_afile_open(&a, path, 0644, err)))
        return s;
    fprintf(td_afile_stream(&a), "TDCARD1 %s %s %s %s\n", sid, code, p1, p2);
    return td_afile_commit(&a, err);
}

td_status td_sync_peer_add_line(td_db *db, const char *line, char code_out[12], td_err *err)
{
    char magic[16], sid[64], code[16], p1[100], p2[100];
    unsigned char spk[crypto_sign_PUBLICKEYBYTES], bpk[crypto_box_PUBLICKEYBYTES];
    if (sscanf(line, "%15s %63s %15s %99s %99s", magic, sid, code, p1, p2) != 5 || strcmp(magic, "TDCARD1") != 0 ||
        !td_uuid_valid(sid) || strlen(code) > 8 || !td_sync_unhex(p1, spk, sizeof spk) ||
        !td_sync_unhex(p2, bpk, sizeof bpk))
        return td_err_set(err, TD_EINVALID, "%s", _("This is not a station card (talentdesk sync card FILE)"));
    char mine[TD_UUID_LEN];
    if (td_local_station(db, mine, NULL, NULL) == TD_OK && strcmp(mine, sid) == 0)
        return td_err_set(err, TD_EINVALID, "%s", _("This is the card of this very station"));
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(
        db, "INSERT INTO local_sync_peers(station_id, code, sign_pk, box_pk, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(station_id) DO UPDATE SET code = excluded.code, sign_pk = excluded.sign_pk, "
            "box_pk = excluded.box_pk, revoked_at = NULL",
        err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, sid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p1, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p2, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("enrolling a station"), err);
    snprintf(code_out, 12, "%s", code);
    return TD_OK;
}

td_status td_sync_peer_add(td_db *db, const char *path, char code_out[12], td_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return td_err_set(err, TD_EIO, _("Cannot read %s: %s"), path, strerror(errno));
    char line[600] = "";
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    td_status s = td_sync_peer_add_line(db, line, code_out, err);
    if (s == TD_EINVALID && strncmp(line, "TDCARD1 ", 8) != 0)
        return td_err_set(err, TD_EINVALID, _("%s is not a station card (talentdesk sync card FILE)"), path);
    return s;
}

td_status td_sync_peer_revoke(td_db *db, const char *code, td_err *err)
{
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(db, "UPDATE local_sync_peers SET revoked_at = ? WHERE code = ?", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("revoking a station"), err);
    if (sqlite3_changes(td_db_handle(db)) == 0)
        return td_err_set(err, TD_ENOTFOUND, _("No enrolled station with code %s"), code);
    return TD_OK;
}

td_status td_sync_peer_get(td_db *db, const char *code, td_sync_peer *out, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT station_id, code, sign_pk, box_pk, revoked_at IS NOT NULL, sent_seq, "
                                     "acked_seq, recv_seq, COALESCE(last_bundle_hash, '') FROM local_sync_peers "
                                     "WHERE code = ?",
                                     err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    td_status s = TD_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        td_col_copy(st, 0, out->station_id, sizeof out->station_id);
        td_col_copy(st, 1, out->code, sizeof out->code);
        if (!td_sync_unhex((const char *)sqlite3_column_text(st, 2), out->sign_pk, sizeof out->sign_pk) ||
            !td_sync_unhex((const char *)sqlite3_column_text(st, 3), out->box_pk, sizeof out->box_pk))
            s = td_err_set(err, TD_EINVALID, _("The keys on record for station %s are damaged"), code);
        out->revoked = sqlite3_column_int(st, 4);
        out->sent_seq = sqlite3_column_int64(st, 5);
        out->acked_seq = sqlite3_column_int64(st, 6);
        out->recv_seq = sqlite3_column_int64(st, 7);
        td_col_copy(st, 8, out->last_bundle_hash, sizeof out->last_bundle_hash);
    } else {
        s = td_err_set(err, TD_ENOTFOUND, _("Station %s is not enrolled here (talentdesk sync enrol CARD)"), code);
    }
    sqlite3_reset(st);
    return s;
}
