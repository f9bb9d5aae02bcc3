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

#endif
