/* stationkey.c — see stationkey.h. */
#include "stationkey.h"
#include "atomicfile.h"
#include "groupmode.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool in_memory(const char *p)
{
    return !p[0] || strcmp(p, ":memory:") == 0 || strncmp(p, "file::memory:", 13) == 0;
}

void td_station_key_path(td_db *db, char *buf, size_t len)
{
    const char *p = td_db_path(db);
    if (in_memory(p))
        buf[0] = '\0';
    else
        snprintf(buf, len, "%s.key", p);
}

/* 0 ok, ENOENT missing, other errno / EINVAL malformed. */
static int read_key(const char *path, unsigned char out[TD_STATION_KEY_BYTES])
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno;
    char hex[2 * TD_STATION_KEY_BYTES + 8];
    ssize_t n = read(fd, hex, sizeof hex - 1);
    close(fd);
    if (n < 2 * TD_STATION_KEY_BYTES)
        return EINVAL;
    size_t got = 0;
    int rc = sodium_hex2bin(out, TD_STATION_KEY_BYTES, hex, 2 * TD_STATION_KEY_BYTES, NULL, &got, NULL);
    sodium_memzero(hex, sizeof hex);
    return rc == 0 && got == TD_STATION_KEY_BYTES ? 0 : EINVAL;
}

/* Creates the file without ever replacing one: temp file, then link(). */
static int create_key(const char *path, unsigned char out[TD_STATION_KEY_BYTES])
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return errno;
    unsigned char k[TD_STATION_KEY_BYTES];
    randombytes_buf(k, sizeof k);
    char hex[2 * TD_STATION_KEY_BYTES + 2];
    sodium_bin2hex(hex, sizeof hex, k, sizeof k);
    size_t hl = strlen(hex);
    hex[hl] = '\n';
    bool ok = fchmod(fd, td_group_file_mode(path, 0600)) == 0 && write(fd, hex, hl + 1) == (ssize_t)(hl + 1) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    sodium_memzero(hex, sizeof hex);
    int e = 0;
    if (!ok)
        e = errno ? errno : EIO;
    else if (link(tmp, path) != 0)
        e = errno;
    unlink(tmp);
    if (e == EEXIST) /* made meanwhile by another process: use that one */
        e = read_key(path, k);
    if (e == 0)
        memcpy(out, k, sizeof k);
    sodium_memzero(k, sizeof k);
    return e;
}

td_status td_station_key(td_db *db, bool create, unsigned char out[TD_STATION_KEY_BYTES], td_err *err)
{
    bool *have;
    unsigned char *slot = td_db_audit_key(db, &have);
    if (*have) {
        memcpy(out, slot, TD_STATION_KEY_BYTES);
        return TD_OK;
    }
    char path[PATH_MAX];
    td_station_key_path(db, path, sizeof path);
    int e;
    if (!path[0]) {
        if (!create)
            return td_err_set(err, TD_EIO, "%s", _("This in-memory database has no station key yet"));
        randombytes_buf(slot, TD_STATION_KEY_BYTES);
        e = 0;
    } else {
        bool raised = td_group_raise(path); /* the shared-server mode: 0640 for the group */
        e = read_key(path, slot);
        if (e == ENOENT && create)
            e = create_key(path, slot);
        td_group_lower(raised);
    }
    if (e == ENOENT)
        return td_err_set(err, TD_EIO,
                          _("The station key %s is missing: the audit log cannot be written or checked "
                            "(restore the key from the backup made with the database)"),
                          path);
    if (e)
        return td_err_set(err, TD_EIO, _("Cannot read the station key %s: %s"), path,
                          e == EINVAL ? _("malformed") : strerror(e));
    *have = true;
    memcpy(out, slot, TD_STATION_KEY_BYTES);
    return TD_OK;
}

void td_station_key_forget(td_db *db)
{
    bool *have;
    unsigned char *k = td_db_audit_key(db, &have);
    sodium_memzero(k, TD_STATION_KEY_BYTES);
    *have = false;
}

static void peer_path(td_db *db, char *buf, size_t len)
{
    const char *p = td_db_path(db);
    if (in_memory(p))
        buf[0] = '\0';
    else
        snprintf(buf, len, "%s.peerkeys", p);
}

/* Looks station_id up in the old file: 0 found, ENOENT not there, errno otherwise. */
static int peer_find(const char *path, const char *station_id, unsigned char out[TD_STATION_KEY_BYTES])
{
    bool raised = td_group_raise(path);
    FILE *f = fopen(path, "r");
    int e = f ? ENOENT : errno;
    td_group_lower(raised);
    if (!f)
        return e;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char id[64], hex[80];
        size_t got = 0;
        if (sscanf(line, "%63s %79s", id, hex) == 2 && strcmp(id, station_id) == 0 &&
            sodium_hex2bin(out, TD_STATION_KEY_BYTES, hex, strlen(hex), NULL, &got, NULL) == 0 &&
            got == TD_STATION_KEY_BYTES) {
            e = 0;
            sodium_memzero(hex, sizeof hex);
            break;
        }
        sodium_memzero(hex, sizeof hex);
    }
    sodium_memzero(line, sizeof line);
    fclose(f);
    return e;
}

/* Looks station_id up in local_peer_keys: 0 found, ENOENT not there (or no
 * such table: a database older than migration 022), EIO on a database error. */
static int peer_find_db(td_db *db, const char *station_id, unsigned char out[TD_STATION_KEY_BYTES])
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), "SELECT key_hex FROM local_peer_keys WHERE station_id = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return ENOENT;
    sqlite3_bind_text(st, 1, station_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), e = EIO;
    if (rc == SQLITE_ROW) {
        const char *hex = (const char *)sqlite3_column_text(st, 0);
        size_t got = 0;
        e = hex && sodium_hex2bin(out, TD_STATION_KEY_BYTES, hex, strlen(hex), NULL, &got, NULL) == 0 &&
                    got == TD_STATION_KEY_BYTES
                ? 0
                : EINVAL;
    } else if (rc == SQLITE_DONE) {
        e = ENOENT;
    }
    sqlite3_finalize(st);
    return e;
}

/* The key kept for station_id: the table, else the old file (not yet
 * migrated: a read-only open, or a backup's file restored). */
static int peer_lookup(td_db *db, const char *station_id, unsigned char out[TD_STATION_KEY_BYTES], char *path,
                       size_t plen)
{
    peer_path(db, path, plen);
    if (!path[0])
        return ENOENT;
    int e = peer_find_db(db, station_id, out);
    if (e == ENOENT)
        e = peer_find(path, station_id, out);
    return e;
}

td_status td_station_key_peer(td_db *db, const char *station_id, unsigned char out[TD_STATION_KEY_BYTES],
                              td_err *err)
{
    char path[PATH_MAX];
    int e = peer_lookup(db, station_id, out, path, sizeof path);
    if (e == ENOENT)
        return td_err_set(err, TD_ENOTFOUND, _("No audit key of station %s is kept here"), station_id);
    if (e)
        return td_err_set(err, TD_EIO, _("Cannot read the station keys %s: %s"), path, strerror(e));
    return TD_OK;
}

/* INSERT of one key (joins the caller's transaction, else its own). */
static td_status peer_insert(td_db *db, const char *station_id, const unsigned char key[TD_STATION_KEY_BYTES],
                             td_err *err)
{
    bool own = !td_db_in_tx(db);
    td_status s = own ? td_db_begin(db, err) : TD_OK;
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(db, "INSERT INTO local_peer_keys(station_id, key_hex, created_at) "
                                         "VALUES(?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                                     err);
    if (!st) {
        if (own)
            td_db_rollback(db);
        return TD_EDB;
    }
    char hex[2 * TD_STATION_KEY_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, key, TD_STATION_KEY_BYTES);
    sqlite3_bind_text(st, 1, station_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hex, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sodium_memzero(hex, sizeof hex);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("keeping the station's audit key"), err);
        if (own)
            td_db_rollback(db);
        return s;
    }
    return own ? td_db_commit(db, err) : TD_OK;
}

td_status td_station_key_peer_put(td_db *db, const char *station_id, const unsigned char key[TD_STATION_KEY_BYTES],
                                  td_err *err)
{
    char path[PATH_MAX];
    peer_path(db, path, sizeof path);
    if (!path[0])
        return td_err_set(err, TD_EIO, "%s", _("An in-memory database keeps no station keys"));
    unsigned char have[TD_STATION_KEY_BYTES];
    int e = peer_lookup(db, station_id, have, path, sizeof path);
    if (e == 0) {
        bool same = sodium_memcmp(have, key, TD_STATION_KEY_BYTES) == 0;
        sodium_memzero(have, sizeof have);
        if (!same)
            return td_err_set(err, TD_ECONFLICT,
                              _("Station %s sent an audit key other than the one kept here: its audit log was "
                                "made anew or the bundle is forged; nothing was imported"),
                              station_id);
        if (peer_find_db(db, station_id, have) == 0) {
            sodium_memzero(have, sizeof have);
            return TD_OK;
        }
        /* kept in the old file only: into the table too (below) */
    } else if (e != ENOENT) {
        return td_err_set(err, TD_EIO, _("Cannot read the station keys %s: %s"), path, strerror(e));
    }
    return peer_insert(db, station_id, key, err);
}

void td_station_key_peer_migrate(td_db *db)
{
    char path[PATH_MAX];
    peer_path(db, path, sizeof path);
    if (!path[0] || td_db_readonly(db))
        return;
    bool raised = td_group_raise(path);
    FILE *f = fopen(path, "r");
    td_group_lower(raised);
    if (!f)
        return;
    td_err err;
    td_err_clear(&err);
    bool all = td_db_begin(db, &err) == TD_OK, began = all;
    char line[256];
    while (all && fgets(line, sizeof line, f)) {
        char id[64], hex[80];
        unsigned char k[TD_STATION_KEY_BYTES], have[TD_STATION_KEY_BYTES];
        size_t got = 0;
        if (sscanf(line, "%63s %79s", id, hex) != 2 ||
            sodium_hex2bin(k, sizeof k, hex, strlen(hex), NULL, &got, NULL) != 0 || got != sizeof k) {
            all = false; /* not understood: keep the file */
        } else {
            int e = peer_find_db(db, id, have);
            if (e == ENOENT)
                all = peer_insert(db, id, k, &err) == TD_OK;
            else if (e != 0 || sodium_memcmp(have, k, sizeof k) != 0)
                all = false; /* another key kept for it: the file stays for an administrator to see */
        }
        sodium_memzero(k, sizeof k);
        sodium_memzero(have, sizeof have);
        sodium_memzero(hex, sizeof hex);
    }
    sodium_memzero(line, sizeof line);
    fclose(f);
    if (began && td_db_commit(db, &err) != TD_OK)
        all = false;
    /* Every line is in the table: the file goes (in the shared-server
     * mode only root may remove it; then it stays, and is read no more). */
    if (all)
        unlink(path);
}
