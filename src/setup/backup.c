/* backup.c — see backup.h. */
#include "backup.h"
#include "auth/access.h"
#include "base/atomicfile.h"
#include "base/audit.h"
#include "base/groupmode.h"
#include "base/stationkey.h"
#include "base/i18n.h"
#include "base/timeutil.h"
#include "search/search.h"

#include <errno.h>
#include <sodium.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long count_of(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return n;
}

td_status td_backup_inspect(const char *path, td_backup_info *info, td_err *err)
{
    td_backup_info tmp;
    if (!info)
        info = &tmp;
    memset(info, 0, sizeof *info);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return td_err_set(err, TD_EIO, _("cannot open %s: %s"), path, strerror(errno));
    info->bytes = (long long)sb.st_size;
    sqlite3 *h = NULL;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        td_err_set(err, TD_EDB, _("%s is not a TalentDesk backup: %s"), path, h ? sqlite3_errmsg(h) : "?");
        sqlite3_close(h);
        return TD_EDB;
    }
    td_status s = TD_OK;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, "PRAGMA integrity_check(5)", -1, &st, NULL) != SQLITE_OK) {
        s = td_err_set(err, TD_EDB, _("%s is not a TalentDesk backup: %s"), path, sqlite3_errmsg(h));
    } else {
        int rc = sqlite3_step(st);
        const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        if (rc != SQLITE_ROW)
            s = td_err_set(err, TD_EDB, _("%s is not a TalentDesk backup: %s"), path, sqlite3_errmsg(h));
        else if (!r || strcmp(r, "ok") != 0)
            s = td_err_set(err, TD_EDB, _("the backup %s is damaged (integrity check: %s)"), path, r ? r : "?");
        sqlite3_finalize(st);
    }
    if (!s) {
        info->schema_version = (int)count_of(h, "PRAGMA user_version");
        long stations = count_of(h, "SELECT count(*) FROM stations");
        if (info->schema_version <= 0 || stations < 0)
            s = td_err_set(err, TD_EDB, _("%s is not a TalentDesk backup (no TalentDesk tables)"), path);
        else if (info->schema_version > td_db_schema_latest())
            s = td_err_set(err, TD_ECONFLICT,
                           _("the backup %s has schema %d, newer than this program's %d: restore it with a newer "
                             "TalentDesk"),
                           path, info->schema_version, td_db_schema_latest());
    }
    if (!s) {
        info->persons = count_of(h, "SELECT count(*) FROM persons");
        info->cases = count_of(h, "SELECT count(*) FROM cases");
        info->audit_rows = count_of(h, "SELECT count(*) FROM audit_log");
    }
    sqlite3_close(h);
    return s;
}

/* VACUUM INTO a temporary beside path, checked, then renamed over path. */
static td_status vacuum_into(td_db *db, const char *path, td_backup_info *info, td_err *err)
{
    td_afile af;
    td_status s = td_afile_open(&af, path, 0600, err);
    if (s)
        return s;
    /* VACUUM INTO wants a missing or empty file: the temporary is empty */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), "VACUUM INTO ?", -1, &st, NULL) != SQLITE_OK) {
        s = td_db_fail(db, _("making the backup"), err);
        td_afile_abort(&af);
        return s;
    }
    sqlite3_bind_text(st, 1, td_afile_tmp_path(&af), -1, SQLITE_STATIC);
    int rc;
    for (int tries = 0; (rc = sqlite3_step(st)) == SQLITE_BUSY && tries < 6; tries++)
        sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("making the backup"), err);
        sqlite3_finalize(st);
        td_afile_abort(&af);
        return s;
    }
    sqlite3_finalize(st);
    /* VACUUM may renumber rowids of tables without an INTEGER PRIMARY KEY
     * (cases): the find keys that name case rowids are rebuilt in the copy */
    sqlite3 *h = NULL;
    char *msg = NULL;
    if (sqlite3_open_v2(td_afile_tmp_path(&af), &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(h, td_search_case_keys_sql(), NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(h, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
        s = td_err_set(err, TD_EDB, "%s: %s", _("making the backup"), msg ? msg : h ? sqlite3_errmsg(h) : "?");
        sqlite3_free(msg);
        sqlite3_close(h);
        td_afile_abort(&af);
        return s;
    }
    sqlite3_close(h);
    if ((s = td_backup_inspect(td_afile_tmp_path(&af), info, err))) {
        td_afile_abort(&af);
        return s;
    }
    return td_afile_commit(&af, err);
}

/* The key files kept beside a database: the station's audit key (.key),
 * its sync signing and encryption keys (.keys) and, at HQ, the stations'
 * audit keys received in their bundles (.peerkeys: kept in the database
 * since migration 022, copied for backups made before it). */
static const char *const key_suffixes[] = { ".key", ".keys", ".peerkeys" };

/* Copies one key file "<src_db><suffix>" to "<dst_db><suffix>" (owner-only,
 * atomically).  No such file: nothing to copy, TD_OK. */
static td_status copy_key_file(const char *src_db, const char *dst_db, const char *suffix, td_err *err)
{
    char src[4200], dst[4200];
    snprintf(src, sizeof src, "%s%s", src_db, suffix);
    snprintf(dst, sizeof dst, "%s%s", dst_db, suffix);
    FILE *in = fopen(src, "rb");
    if (!in)
        return errno == ENOENT ? TD_OK : td_err_set(err, TD_EIO, _("cannot read %s: %s"), src, strerror(errno));
    td_afile a;
    td_status s = td_afile_open(&a, dst, td_group_file_mode(dst, 0600), err);
    if (s) {
        fclose(in);
        return s;
    }
    char buf[256];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, td_afile_stream(&a));
    bool bad = ferror(in);
    fclose(in);
    sodium_memzero(buf, sizeof buf);
    if (bad) {
        td_afile_abort(&a);
        return td_err_set(err, TD_EIO, _("cannot read %s: %s"), src, strerror(EIO));
    }
    return td_afile_commit(&a, err);
}

/* Copies every key file of src_db (key_suffixes) beside dst_db, so that a
 * backup's audit chain can be verified and extended after a restore and a
 * restored station or HQ can still sign, open and check bundles.  Files that
 * do not exist are skipped.  TD_OK, or the first error. */
static td_status copy_key(const char *src_db, const char *dst_db, td_err *err)
{
    for (size_t i = 0; i < sizeof key_suffixes / sizeof key_suffixes[0]; i++) {
        td_status s = copy_key_file(src_db, dst_db, key_suffixes[i], err);
        if (s)
            return s;
    }
    return TD_OK;
}

td_status td_backup(td_db *db, const td_actor *by, const char *path, td_backup_info *info, td_err *err)
{
    td_status s = td_access_check(by, TD_ACT_BACKUP, err);
    if (s)
        return s;
    if (td_db_in_tx(db))
        return td_err_set(err, TD_ERR, "%s", _("internal error: nested transaction"));
    td_backup_info tmp;
    if (!info)
        info = &tmp;
    if ((s = vacuum_into(db, path, info, err)))
        return s;
    if ((s = copy_key(td_db_path(db), path, err)))
        return s;
    if (td_db_readonly(db))
        return TD_OK; /* a backup of a read-only database: nothing to record it in */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char val[96];
    snprintf(val, sizeof val, "schema=%d bytes=%lld", info->schema_version, info->bytes);
    if ((s = td_db_begin(db, err)))
        return s;
    if ((s = td_audit(db, by, NULL, "db.backup", "", "", "file", NULL, base, val, err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

static void aside_name(const char *db_path, char *aside, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(aside, len, "%s.before-restore-%s", db_path, ts);
    /* two restores in one second: add a counter */
    for (int i = 2; access(aside, F_OK) == 0 && i < 100; i++)
        snprintf(aside, len, "%s.before-restore-%s-%d", db_path, ts, i);
}

td_status td_restore(td_db *db, const char *db_path, const td_actor *by, const char *path, char *aside,
                     size_t aside_len, bool *needs_upgrade, td_err *err)
{
    *needs_upgrade = false;
    if (aside_len)
        aside[0] = '\0';
    td_status s = td_access_check(by, TD_ACT_BACKUP, err);
    if (s)
        return s;
    if (td_db_readonly(db))
        return td_err_set(err, TD_EDB, "%s",
                          _("The database is opened read-only (the file or its disk cannot be written): "
                            "nothing can be saved"));
    td_backup_info info;
    if ((s = td_backup_inspect(path, &info, err)))
        return s;
    char keep[4200];
    aside_name(db_path, keep, sizeof keep);
    /* the current content, whole, beside it */
    td_backup_info cur;
    if ((s = vacuum_into(db, keep, &cur, err))) {
        /* a damaged current database cannot be vacuumed: keep its file bytes */
        td_err_prefix(err, _("keeping the current database aside: "));
        return s;
    }
    snprintf(aside, aside_len, "%s", keep);
    if ((s = copy_key(db_path, keep, err)))
        return s;
    sqlite3 *src = NULL;
    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        td_err_set(err, TD_EDB, _("%s is not a TalentDesk backup: %s"), path, src ? sqlite3_errmsg(src) : "?");
        sqlite3_close(src);
        return TD_EDB;
    }
    sqlite3_backup *b = sqlite3_backup_init(td_db_handle(db), "main", src, "main");
    if (!b) {
        s = td_db_fail(db, _("restoring"), err);
        sqlite3_close(src);
        return s;
    }
    int rc;
    for (int tries = 0; tries < 300; tries++) {
        rc = sqlite3_backup_step(b, -1); /* everything in one step: one write transaction */
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        sqlite3_sleep(100);
    }
    sqlite3_backup_finish(b);
    sqlite3_close(src);
    if (rc != SQLITE_DONE)
        return td_err_set(err, TD_EDB, _("restoring: database error: %s"), sqlite3_errstr(rc));
    /* the backup's audit chain is authenticated with the key saved beside it */
    char bkey[4200];
    snprintf(bkey, sizeof bkey, "%s.key", path);
    if (access(bkey, F_OK) == 0) {
        if ((s = copy_key(path, db_path, err)))
            return s;
        td_station_key_forget(db);
    }
    *needs_upgrade = info.schema_version < td_db_schema_latest();
    if (*needs_upgrade)
        return TD_OK; /* the audit table of an older schema may differ: record after the upgrade */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *kb = strrchr(keep, '/');
    kb = kb ? kb + 1 : keep;
    if ((s = td_db_begin(db, err)))
        return s;
    /* the restoring user may not exist in the backup: record as the system */
    if ((s = td_audit(db, NULL, NULL, "db.restore", "", "", "file", kb, base, by->username, err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

/* Copies src to a temporary beside dst, fsynced, renamed over dst. */
static td_status copy_file(const char *src, const char *dst, td_err *err)
{
    FILE *in = fopen(src, "rb");
    if (!in)
        return td_err_set(err, TD_EIO, _("cannot open %s: %s"), src, strerror(errno));
    td_afile af;
    td_status s = td_afile_open(&af, dst, 0600, err);
    if (s) {
        fclose(in);
        return s;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, td_afile_stream(&af)) != n)
            break;
    bool rerr = ferror(in) != 0;
    fclose(in);
    if (rerr) {
        td_afile_abort(&af);
        return td_err_set(err, TD_EIO, _("%s: read error"), src);
    }
    return td_afile_commit(&af, err);
}

td_status td_restore_file(const char *db_path, const char *path, char *aside, size_t aside_len, bool *needs_upgrade,
                          td_err *err)
{
    *needs_upgrade = false;
    if (aside_len)
        aside[0] = '\0';
    td_backup_info info;
    td_status s = td_backup_inspect(path, &info, err);
    if (s)
        return s;
    char keep[4200], a[4300], b[4300];
    aside_name(db_path, keep, sizeof keep);
    if (access(db_path, F_OK) == 0) {
        if (rename(db_path, keep) != 0)
            return td_err_set(err, TD_EIO, _("cannot move %s aside: %s"), db_path, strerror(errno));
        snprintf(aside, aside_len, "%s", keep);
    }
    /* a stale WAL must never be replayed onto the restored file */
    for (int i = 0; i < 2; i++) {
        snprintf(a, sizeof a, "%s%s", db_path, i ? "-shm" : "-wal");
        snprintf(b, sizeof b, "%s%s", keep, i ? "-shm" : "-wal");
        if (access(a, F_OK) == 0 && rename(a, b) != 0)
            return td_err_set(err, TD_EIO, _("cannot move %s aside: %s"), a, strerror(errno));
    }
    if ((s = copy_file(path, db_path, err)))
        return s;
    char bkey[4200];
    snprintf(bkey, sizeof bkey, "%s.key", path);
    if (access(bkey, F_OK) == 0 && (s = copy_key(path, db_path, err)))
        return s;
    *needs_upgrade = info.schema_version < td_db_schema_latest();
    return TD_OK;
}
