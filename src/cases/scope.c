/* scope.c — see scope.h. */
#include "scope.h"
#include "base/i18n.h"

#include <string.h>

bool td_scope_station_only(const td_actor *a)
{
    return a && td_actor_has(a, TD_ROLE_STATION) && !td_actor_has(a, TD_ROLE_ADMIN);
}

td_status td_case_check_scope(const td_actor *a, const td_case *c, td_err *err)
{
    if (td_scope_station_only(a) && strcmp(a->station_id, c->station_id) != 0)
        return td_err_set(err, TD_EDENIED, _("Case %s belongs to another station; you may see only the cases of %s"),
                          c->case_no, a->station_code);
    return TD_OK;
}

td_status td_case_get_as(td_db *db, const td_actor *a, const char *key, td_case *out, td_err *err)
{
    td_status s = td_case_get(db, key, out, err);
    if (s)
        return s;
    return td_case_check_scope(a, out, err);
}

void td_case_query_scope(td_case_query *q, const td_actor *a)
{
    if (td_scope_station_only(a))
        q->station_id = a->station_id;
}
