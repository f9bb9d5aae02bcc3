/* stationkey.h — the station's secret key that authenticates its audit chain.
 *
 * 32 random bytes kept as 64 hex characters in a file beside the database,
 * "<database>.key", created owner-only (0600) when the station's first
 * authenticated audit row is written; an in-memory database keeps its key in
 * memory.  Whoever cannot read this file cannot forge, edit or append audit
 * rows that verify (src/base/audit.h).  Back it up with the database.
 */
#ifndef TD_STATIONKEY_H
#define TD_STATIONKEY_H

#include "db.h"
#include "err.h"

#include <stdbool.h>
#include <stddef.h>

#define TD_STATION_KEY_BYTES 32

/* Writes the key file's path ("<database>.key") into buf; "" for an
 * in-memory database. */
void td_station_key_path(td_db *db, char *buf, size_t len);

/* Copies the key into out, reading the file once per handle.  When the
 * file does not exist: creates it (create == true) or fails with TD_EIO
 * naming the file.  TD_EIO also for an unreadable or malformed file. */
td_status td_station_key(td_db *db, bool create, unsigned char out[TD_STATION_KEY_BYTES], td_err *err);

/* Forgets the key read for this handle, so that the next use reads the file
 * again (after a restore put the backup's key file in place). */
void td_station_key_forget(td_db *db);

/* The audit keys of other stations, so that headquarters can check their
 * chains as received: rows of the local table local_peer_keys (migration
 * 022; never synchronised, backed up with the database), which only the
 * program can read in the shared-server mode.  Each station sends its own
 * key, encrypted to HQ, in every bundle (src/sync/).  Databases before 022
 * kept them in "<database>.peerkeys" beside the database: that file is
 * moved into the table when the database is opened for writing
 * (td_station_key_peer_migrate), and read as long as it exists. */

/* Copies the key of station station_id into out.  TD_ENOTFOUND when none is
 * kept (or for an in-memory database); TD_EIO when the file is unreadable. */
td_status td_station_key_peer(td_db *db, const char *station_id, unsigned char out[TD_STATION_KEY_BYTES],
                              td_err *err);

/* Keeps key as the audit key of station station_id (a row of
 * local_peer_keys; joins the caller's transaction, else runs its own).
 * TD_OK when it is kept already; TD_ECONFLICT (Chinese message) when another
 * key is kept for that station (never replaced); TD_EIO when the old file
 * cannot be read; TD_EDB on a database error. */
td_status td_station_key_peer_put(td_db *db, const char *station_id, const unsigned char key[TD_STATION_KEY_BYTES],
                                  td_err *err);

/* Moves the keys of "<database>.peerkeys" into local_peer_keys (own
 * transaction; the caller holds none) and removes the file when every line
 * is in the table with the same key.  Best effort: any doubt leaves the file
 * where it is (it is still read).  Nothing for a read-only or in-memory
 * database, or when there is no file. */
void td_station_key_peer_migrate(td_db *db);

#endif
