/* scope.h — which cases an actor may see: the record scope (issue 10 item 5).
 *
 * The scope in force is td_actor_scope (base/actor.h): own cases, own
 * station, own department, or all.  It is one SQL condition, TD_SCOPE_SQL,
 * that every core query over cases ANDs into its WHERE and binds with
 * td_scope_bind — lists, counts, queues (search/qlist.h), search, exports,
 * reports' case lists — and one check of a single case (td_case_in_scope)
 * for reads and changes.  Reading a case out of scope is refused with
 * TD_EDENIED and audited (auth/access.h).
 */
#ifndef TD_SCOPE_H
#define TD_SCOPE_H

#include "case.h"
#include "people/person.h"

/* True when a sees only its own station's cases (scope station). */
bool td_scope_station_only(const td_actor *a);

/* The condition "case row `c` is in the scope bound to ?40, ?41, ?42, ?43"
 * (kind, user id, station id, department: numbered, not named, so that they
 * never collide with a statement's own ?1…?39).  c is the
 * alias of the cases table in the query.  Own cases: taken in, assigned,
 * followed as specialist, or holding a service task of the user;
 * department: own cases and those with a service of the department or a
 * 联审 sign-off row of it. */
#define TD_SCOPE_SQL(c)                                                                                        \
    "(?40 = 4 OR (?40 = 2 AND " #c ".station_id = ?42) OR "                                     \
    "(?40 IN (1, 3) AND (" #c ".intake_by = ?41 OR " #c ".assignee_id = ?41 OR "                \
    #c ".specialist_id = ?41 OR EXISTS (SELECT 1 FROM service_requests sr_ WHERE sr_.case_id = " #c ".id " \
    "AND sr_.assignee_id = ?41 AND sr_.deleted_at IS NULL))) OR "                                         \
    "(?40 = 3 AND ?43 <> '' AND (EXISTS (SELECT 1 FROM service_requests sr_ JOIN services sv_ "     \
    "ON sv_.id = sr_.service_id WHERE sr_.case_id = " #c ".id AND sr_.deleted_at IS NULL "                     \
    "AND sv_.department_id = ?43) OR EXISTS (SELECT 1 FROM signoffs so_ WHERE so_.case_id = " #c ".id "   \
    "AND so_.department_id = ?43 AND so_.deleted_at IS NULL))))"

/* Binds the scope parameters of TD_SCOPE_SQL in st (those st has) for a;
 * a == NULL binds "all" — for the program's own reads (demo, checks,
 * benchmarks), never for a signed-in user. */
void td_scope_bind(sqlite3_stmt *st, const td_actor *a);

/* TD_OK when a may see case c (its id), TD_EDENIED with a Chinese message
 * naming the case and the scope otherwise (not audited: callers go through
 * td_case_check_scope_db or td_case_get_as).  TD_EDB on a database error. */
td_status td_case_in_scope(td_db *db, const td_actor *a, const td_case *c, td_err *err);

/* Station-only check without the database (kept for callers that hold no
 * handle): TD_EDENIED when a is station-scoped and c is another station's. */
td_status td_case_check_scope(const td_actor *a, const td_case *c, td_err *err);

/* td_case_in_scope, and a refusal audited (auth/access.h td_access_denied;
 * inside a transaction the caller's front end audits it after rollback). */
td_status td_case_check_scope_db(td_db *db, const td_actor *a, const td_case *c, td_err *err);

/* td_case_get, then td_case_check_scope_db: the one way to open a case for
 * a signed-in user. */
td_status td_case_get_as(td_db *db, const td_actor *a, const char *key, td_case *out, td_err *err);

/* Restricts q to the cases a may see (sets q->actor and, for station
 * scope, q->station_id). */
void td_case_query_scope(td_case_query *q, const td_actor *a);

/* TD_OK when a may see the person `person_id`: always with scope all;
 * otherwise when one of the person's live cases is in a's scope, or the
 * person has no case yet and was taken in at a's station (a station
 * operator registers the person before the case).  TD_EDENIED (audited)
 * otherwise. */
td_status td_person_check_scope(td_db *db, const td_actor *a, const char *person_id, td_err *err);

/* td_person_check_scope without the audit row (for filtering lists). */
td_status td_person_in_scope(td_db *db, const td_actor *a, const char *person_id, td_err *err);

/* td_person_list for the signed-in user a: persons outside a's scope
 * (td_person_in_scope) are left out; the limit counts before the filter. */
td_status td_person_list_as(td_db *db, const td_actor *a, const td_person_query *q,
                            int (*cb)(const td_person *p, void *ud), void *ud, td_err *err);

/* The gate of every command that names a record: key is a case (id or
 * number), a service task (its id, or CASE:SERVICE), or a person (id,
 * identity number or mobile, as td_person_get).  TD_OK when a may see the
 * record or when key names nothing (the command then reports "not found");
 * TD_EDENIED (audited) when the record is outside a's scope. */
td_status td_scope_check_key(td_db *db, const td_actor *a, const char *key, td_err *err);

/* The condition "person row `p` is visible" for person lists and search,
 * bound by td_scope_bind (same parameters). */
#define TD_SCOPE_PERSON_SQL(p)                                                                                 \
    "(?40 = 4 OR EXISTS (SELECT 1 FROM cases c_ WHERE c_.person_id = " #p ".id AND c_.deleted_at IS NULL " \
    "AND " TD_SCOPE_SQL(c_) ") OR (NOT EXISTS (SELECT 1 FROM cases c2_ WHERE c2_.person_id = " #p ".id "       \
    "AND c2_.deleted_at IS NULL) AND " #p ".station_id = ?42))"

#endif
