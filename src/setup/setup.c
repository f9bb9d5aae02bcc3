/* setup.c — see setup.h. */
#include "setup.h"
#include "base/actor.h"
#include "base/audit.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>

td_status td_setup_local_station(td_db *db, const char *code, const char *name, const char *kind,
                                 td_err *err)
{
    char sid[TD_UUID_LEN], scode[12], uid[TD_UUID_LEN];
    if (td_local_station(db, sid, scode, NULL) == TD_OK)
        return td_err_set(err, TD_ECONFLICT, _("This database already belongs to station %s"), scode);
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    if ((s = td_station_add(db, NULL, code, name, kind, sid, err)) ||
        (s = td_db_setting_set(db, "local_station", sid, err)) ||
        (s = td_user_add(db, NULL, "admin", _("System administrator"), code, NULL, TD_ROLE_ADMIN, uid,
                         err))) {
        td_db_rollback(db);
        return s;
    }
    td_actor admin;
    memset(&admin, 0, sizeof admin);
    snprintf(admin.user_id, sizeof admin.user_id, "%s", uid);
    if ((s = td_audit(db, &admin, NULL, "system.init", "stations", sid, "code", NULL, code, NULL, err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}
