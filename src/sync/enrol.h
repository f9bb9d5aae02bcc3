/* enrol.h — setting up a station from headquarters.
 *
 * HQ: td_sync_enrol_station makes (or reuses) the station's row and writes a
 * join file: HQ's card and the station's id, code, kind and name.  The
 * station's database is created from it with td_sync_join, so that both
 * places know the station by the same id; the station then makes its keys
 * and sends its card back (td_sync_card_write), which HQ enrols
 * (td_sync_peer_add).  Join file:
 *     TDJOIN1
 *     TDCARD1 <hq id> <hq code> <sign pk> <box pk>
 *     station <id> <code> <kind>
 *     name <name>
 */
#ifndef TD_SYNC_ENROL_H
#define TD_SYNC_ENROL_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

/* At HQ (admin only; needs HQ's keys): writes the join file for station
 * `code` to path, creating the station (name, kind as td_station_add) when
 * it does not exist yet.  TD_EDENIED outside HQ. */
td_status td_sync_enrol_station(td_db *db, const td_actor *by, const char *code, const char *name,
                                const char *kind, const char *path, td_err *err);

/* On a database without a station: becomes the station of the join file
 * (same id as at HQ) with its user "admin", makes the station's keys and
 * enrols HQ — one transaction for the rows.  Fills code_out.  TD_ECONFLICT
 * when the database already belongs to a station. */
td_status td_sync_join(td_db *db, const char *path, char code_out[12], td_err *err);

#endif
