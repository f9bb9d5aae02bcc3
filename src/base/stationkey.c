/* stationkey.c — see stationkey.h. */
#include "stationkey.h"
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
