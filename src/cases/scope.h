/* scope.h — which cases an actor may see (record scope, issue 10 item 5).
 *
 * Station operators (role station, without admin) see only the cases of
 * their own station; everyone else sees all cases for now (own cases and
 * department scopes are still to come).  Reading a case out of scope is
 * refused with TD_EDENIED; lists are restricted in their query.
 */
#ifndef TD_SCOPE_H
#define TD_SCOPE_H

#include "case.h"

/* True when a sees only its own station's cases. */
bool td_scope_station_only(const td_actor *a);

/* TD_OK when a may see c; TD_EDENIED with a Chinese message otherwise. */
td_status td_case_check_scope(const td_actor *a, const td_case *c, td_err *err);

/* td_case_get, then td_case_check_scope. */
td_status td_case_get_as(td_db *db, const td_actor *a, const char *key, td_case *out, td_err *err);

/* Restricts q (its station_id) to the cases a may see. */
void td_case_query_scope(td_case_query *q, const td_actor *a);

#endif
