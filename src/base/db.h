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

/* The path db was opened with (":memory:" for tests), borrowed. */
const char *td_db_path(td_db *db);

/* The slot holding the station's 32-byte audit key for this handle, and
 * through *have whether it is filled.  Only src/base/stationkey.c uses it. */
unsigned char *td_db_audit_key(td_db *db, bool **have);

/* Closes and frees db (NULL is fine).  Rolls back an open transaction. */
void td_db_close(td_db *db);

/* The underlying handle, borrowed for as long as db lives. */
sqlite3 *td_db_handle(td_db *db);

/* Schema version after migrations (PRAGMA user_version) and the newest this
 * program knows. */
int td_db_schema_version(td_db *db);
int td_db_schema_latest(void);

/* BEGIN IMMEDIATE.  Waits up to the busy timeout for another writer, then
 * fails with TD_EDB and a message asking to retry.  Nested calls are an error
 * (TD_ERR) — a function that needs a transaction either opens it or documents
 * that its caller must. */
td_status td_db_begin(td_db *db, td_err *err);
td_status td_db_commit(td_db *db, td_err *err);
void td_db_rollback(td_db *db);
bool td_db_in_tx(td_db *db);

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
