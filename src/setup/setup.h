/* setup.h — first-time set-up of a database: its own station and admin. */
#ifndef TD_SETUP_H
#define TD_SETUP_H

#include "base/db.h"
#include "base/err.h"

/* On a database without a local station: creates station `code` (name, kind
 * as td_station_add), records it as this database's station, creates the
 * user "admin" with the admin role, and audits it — in one transaction.
 * TD_ECONFLICT when the database already has a local station. */
td_status td_setup_local_station(td_db *db, const char *code, const char *name, const char *kind,
                                 td_err *err);

#endif
