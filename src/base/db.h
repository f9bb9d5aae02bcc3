/* db.h — the one SQLite file: opening, pragmas, migrations, transactions.
 *
 * Rules every caller follows (README "Database"):
 *  - a write starts with td_db_begin() (BEGIN IMMEDIATE) and ends with
 *    td_db_commit() or td_db_rollback(); no transaction is ever held while the
 *    program waits for a person;
 *  - updates of synchronised rows check row_version (optimistic concurrency):
 *    "UPDATE … SET …, row_version = row_version + 1 WHERE id = ? AND
 *    row_version = ?" and treat 0 changed rows as TD_ECONFLICT.
 */
#ifndef TD_DB_H
#define TD_DB_H

#include "err.h"

#include <sqlite3.h>
#include <stdbool.h>

typedef struct td_db td_db;

/* Opens (creating if needed) the database at path — ":memory:" for tests —
 * sets WAL, foreign_keys=ON, synchronous=FULL and a busy timeout, and applies
 * pending migrations in one transaction.  On success *out owns the handle;
 * free it with td_db_close().  On failure *out is NULL and err says why (a file
 * newer than this program is refused with TD_EDB). */
td_status td_db_open(const char *path, td_db **out, td_err *err);

/* How td_db_open_ex may treat the file (flags, or-ed). */
enum {
    TD_DB_EXISTING = 0,     /* the file must exist and be a TalentDesk database of the current schema;
                               nothing is created, migrated or switched (reading commands) */
    TD_DB_CREATE = 1,       /* create a missing file and switch it to WAL (init) */
    TD_DB_MIGRATE = 2,      /* apply pending migrations (init, upgrade) */
    TD_DB_CHECK_WRITES = 4, /* run PRAGMA quick_check before the first write transaction of this
                               connection and refuse writes when it fails; the result is kept in
                               "<db>.checked" so it runs once per change of the file (dbcheck.h) */
};

/* Opens path as flags allow.  Without TD_DB_CREATE a missing file is TD_ENOTFOUND and a file
 * without TalentDesk tables (e.g. 0 bytes) is TD_EDB, both with a message pointing to `init`;
 * without TD_DB_MIGRATE an older schema is TD_EDB pointing to `upgrade`.  A file or mount that
 * cannot be written is opened read-only (td_db_readonly): reads work, td_db_begin refuses with a
 * clear message.  Ownership and errors as td_db_open. */
td_status td_db_open_ex(const char *path, unsigned flags, td_db **out, td_err *err);

/* True when the database was opened read-only (read-only file or mount). */
bool td_db_readonly(td_db *db);

/* One transaction around a whole job made of functions that each run their own transactions
 * (init, demo data): td_db_begin/commit/rollback inside it become a savepoint and its release or
 * rollback, so a failure or a kill leaves nothing of the job.  td_db_end_outer(db, true, err)
 * commits; (db, false, NULL) rolls everything back. */
td_status td_db_begin_outer(td_db *db, td_err *err);
td_status td_db_end_outer(td_db *db, bool commit, td_err *err);
/* The path db was opened with (":memory:" for tests), borrowed. */
const char *td_db_path(td_db *db);

/* The slot holding the station's 32-byte audit key for this handle, and
 * through *have whether it is filled.  Only src/base/stationkey.c uses it. */
unsigned char *td_db_audit_key(td_db *db, bool **have);

/* How many PRAGMA quick_check runs TD_DB_CHECK_WRITES has made in this process (tests, bench). */
long td_db_quick_checks(void);

/* Closes and frees db (NULL is fine).  Rolls back an open transaction.  A
 * TD_DB_CHECK_WRITES connection whose check passed, and whose file nothing
 * else changed since, records the file as checked (dbcheck.h). */
void td_db_close(td_db *db);

/* The underlying handle, borrowed for as long as db lives. */
sqlite3 *td_db_handle(td_db *db);

/* Schema version after migrations (PRAGMA user_version) and the newest this
 * program knows. */
int td_db_schema_version(td_db *db);
int td_db_schema_latest(void);

/* BEGIN IMMEDIATE.  Waits up to the busy timeout for another writer, retried
 * (TD_DB_BUSY_TRIES times in all), then fails with TD_EDB and a message asking
 * to retry.  On a read-only database, or one that failed its quick_check
 * (TD_DB_CHECK_WRITES), refuses with TD_EDB and a message saying why.  Nested calls are an error
 * (TD_ERR) — a function that needs a transaction either opens it or documents
 * that its caller must. */
td_status td_db_begin(td_db *db, td_err *err);
td_status td_db_commit(td_db *db, td_err *err);
void td_db_rollback(td_db *db);
bool td_db_in_tx(td_db *db);
/* How many write transactions committed on db since it was opened wrote an
 * audit entry (0 for NULL): whether a command changed a case, a person or
 * policy — every such change is audited — rather than only, say, touching
 * its sign-in session. */
long td_db_acts(td_db *db);

/* Runs one or more SQL statements without results. */
td_status td_db_exec(td_db *db, const char *sql, td_err *err);

/* Prepares sql, borrowing a cached statement (reset, bindings cleared) when
 * the same SQL text was prepared before on this handle.  Do not finalize the
 * result; it stays owned by db.  NULL on error (err filled).
 * The cache is keyed by the pointer, so pass a string literal.  Always
 * sqlite3_reset() the statement when done with it: a stepped SELECT that is
 * not reset keeps a read transaction open and pins the WAL. */
sqlite3_stmt *td_db_prepare(td_db *db, const char *sql, td_err *err);

/* Fills err from the handle's last error with a context word; returns TD_EDB
 * (or TD_ECONFLICT for a UNIQUE violation, TD_EDB with a "busy, retry"
 * message when locked). */
td_status td_db_fail(td_db *db, const char *context, td_err *err);

/* Local settings (table settings).  td_db_setting_get copies into buf and
 * returns true when the key exists. */
bool td_db_setting_get(td_db *db, const char *key, char *buf, size_t len);
td_status td_db_setting_set(td_db *db, const char *key, const char *value, td_err *err);

/* Binds a text or NULL when s is NULL. */
int td_bind_text(sqlite3_stmt *st, int idx, const char *s);

/* Copies column text into buf (empty string for NULL), never overflowing and
 * never cutting a UTF-8 sequence. */
void td_col_copy(sqlite3_stmt *st, int col, char *buf, size_t len);

#endif
