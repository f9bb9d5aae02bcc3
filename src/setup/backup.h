/* backup.h — backups of the one database file, and restoring one.
 *
 * A backup is taken with VACUUM INTO from one read transaction: a consistent
 * copy while clerks keep writing (readers never block writers in WAL mode),
 * written to a temporary beside the target and renamed when complete and
 * checked (atomicfile).  A restore checks the file first (an SQLite file
 * passing integrity_check, a TalentDesk schema no newer than this program's),
 * keeps the current database aside as <db>.before-restore-<UTC time>, then
 * copies the backup into the live database with SQLite's backup API in one
 * write transaction, so other processes that have the database open see the
 * old content or the restored one, never a mixture.
 */
#ifndef TD_BACKUP_H
#define TD_BACKUP_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

#include <stdbool.h>

typedef struct td_backup_info {
    int schema_version;
    long long bytes;
    long persons, cases, audit_rows;
} td_backup_info;

/* Writes a verified copy of db to path (replacing an older file there only
 * when the new one is complete and passes integrity_check).  Administrator.
 * Records an audit row "db.backup" in db.  info (may be NULL) describes the
 * copy.  TD_EIO for file problems, TD_EDB for database ones; on failure the
 * old file at path is untouched and no temporary is left. */
td_status td_backup(td_db *db, const td_actor *by, const char *path, td_backup_info *info, td_err *err);

/* Checks that path is a restorable backup: TD_OK with info filled; TD_EDB
 * when it is not an SQLite file, fails integrity_check or has no TalentDesk
 * tables; TD_ECONFLICT when its schema is newer than this program's. */
td_status td_backup_inspect(const char *path, td_backup_info *info, td_err *err);

/* Replaces the content of the live database db (whose file is db_path) with
 * the backup at path after td_backup_inspect passes.  The current content is
 * first saved (VACUUM INTO) to "<db_path>.before-restore-<UTC time>", whose
 * name is copied to aside (aside_len bytes).  Administrator.  Waits for other
 * writers (busy) up to about 30 s.  *needs_upgrade is set when the backup's
 * schema is older than this program's (run `talentdesk upgrade`).  Records
 * "db.restore" in the restored audit log.  On failure before the copy
 * nothing changed; the copy itself is one transaction. */
td_status td_restore(td_db *db, const char *db_path, const td_actor *by, const char *path, char *aside,
                     size_t aside_len, bool *needs_upgrade, td_err *err);

/* For a database that cannot be opened at all (damaged beyond reading, or
 * missing): moves the file (and its -wal/-shm) aside as above and puts a
 * copy of the checked backup at db_path (temporary, fsync, rename).  Only
 * when no process uses the database; the file system's permissions are the
 * only guard, as nobody can be signed in. */
td_status td_restore_file(const char *db_path, const char *path, char *aside, size_t aside_len, bool *needs_upgrade,
                          td_err *err);

#endif
