/* policy.c — see policy.h.  Each policy module contributes one loader here. */
#include "policy.h"
#include "refdata.h"

td_status td_policy_load_all(td_db *db, const char *dir, const char *user_id, td_err *err)
{
    td_status s = td_refdata_load(db, dir, user_id, err);
    if (s)
        return s;
    return TD_OK;
}
