/* sync_internal.h — helpers shared by the files of src/sync/ (not API). */
#ifndef TD_SYNC_INTERNAL_H
#define TD_SYNC_INTERNAL_H

#include "base/db.h"

#include <jansson.h>
#include <stdbool.h>

/* Column col of st as JSON keeping its type: integer, real, string, null,
 * a blob as {"x": "<hex>"}.  New reference (NULL only when out of memory). */
json_t *td_sync_val_json(sqlite3_stmt *st, int col);

/* Binds a value made by td_sync_val_json. */
int td_sync_bind_json(sqlite3_stmt *st, int idx, const json_t *v);

/* Tables owned by HQ (policy, stations, users): sent to every station,
 * taken as they come there. */
bool td_sync_policy_table(const char *tbl);

/* The policy tables proper (not stations, users, user_roles, which stations
 * also add to): a station never sends its copy of them. */
bool td_sync_reference_table(const char *tbl);

/* True when table tbl exists and (col == NULL or) has column col.  tbl and
 * col must be plain identifiers (letters, digits, _) — false otherwise. */
bool td_sync_has_column(td_db *db, const char *tbl, const char *col);

/* Forgets the remembered answers of td_sync_has_column (call when a bundle
 * is made or applied: the schema may have changed since). */
void td_sync_columns_forget(void);

/* The text of a value for display ("" for NULL). */
void td_sync_val_text(const json_t *v, char *buf, size_t len);

#endif
