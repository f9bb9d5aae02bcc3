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

/* Looks station_id up in the file: 0 found, ENOENT not there, errno otherwise. */
static int peer_find(const char *path, const char *station_id, unsigned char out[TD_STATION_KEY_BYTES])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errno;
    char line[256];
    int e = ENOENT;
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

td_status td_station_key_peer(td_db *db, const char *station_id, unsigned char out[TD_STATION_KEY_BYTES],
                              td_err *err)
{
    char path[PATH_MAX];
    peer_path(db, path, sizeof path);
    int e = path[0] ? peer_find(path, station_id, out) : ENOENT;
    if (e == ENOENT)
        return td_err_set(err, TD_ENOTFOUND, _("No audit key of station %s is kept here"), station_id);
    if (e)
        return td_err_set(err, TD_EIO, _("Cannot read the station keys %s: %s"), path, strerror(e));
    return TD_OK;
}

td_status td_station_key_peer_put(td_db *db, const char *station_id, const unsigned char key[TD_STATION_KEY_BYTES],
                                  td_err *err)
{
    char path[PATH_MAX];
    peer_path(db, path, sizeof path);
    if (!path[0])
        return td_err_set(err, TD_EIO, "%s", _("An in-memory database keeps no station keys"));
    unsigned char have[TD_STATION_KEY_BYTES];
    int e = peer_find(path, station_id, have);
    if (e == 0) {
        bool same = sodium_memcmp(have, key, TD_STATION_KEY_BYTES) == 0;
        sodium_memzero(have, sizeof have);
        return same ? TD_OK
                    : td_err_set(err, TD_ECONFLICT,
                                 _("Station %s sent an audit key other than the one kept here: its audit log was "
                                   "made anew or the bundle is forged; nothing was imported"),
                                 station_id);
    }
    if (e != ENOENT)
        return td_err_set(err, TD_EIO, _("Cannot read the station keys %s: %s"), path, strerror(e));
    /* the old lines and the new one, into a new file renamed over the old */
    td_afile a;
    td_status s = td_afile_open(&a, path, 0600, err);
    if (s)
        return s;
    FILE *out = td_afile_stream(&a);
    FILE *in = fopen(path, "r");
    if (in) {
        char line[256];
        while (fgets(line, sizeof line, in))
            fputs(line, out);
        sodium_memzero(line, sizeof line);
        fclose(in);
    }
    char hex[2 * TD_STATION_KEY_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, key, TD_STATION_KEY_BYTES);
    fprintf(out, "%s %s\n", station_id, hex);
    sodium_memzero(hex, sizeof hex);
    return td_afile_commit(&a, err);
}
