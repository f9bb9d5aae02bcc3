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
#include "people/dedupe.h"
#include "people/person.h"
#include "people/specialist.h"

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

/* The checked reads (issue 10 item 5): the front ends read case data only
 * through functions that take the signed-in actor and check, in the core,
 * the role (TD_ACT_CASE_READ) and the record scope — td_case_get_as,
 * td_person_get_as, td_case_list_as, td_case_services_each_as here and the
 * `_as` variants beside each read in workflow/, recognition/, print/ and
 * report/.  A refusal is TD_EDENIED with a Chinese message, audited once
 * ('auth.denied').  The unchecked reads they wrap (td_case_get,
 * td_person_get, td_wf_docs_each, …) are internal to the core: cli/ and ui/
 * never call them (tests/auth_core_reads.sh fails when they do). */

/* The gate of a checked read of the record `key` (a case, task or person,
 * as td_scope_check_key): the role to read case data, then the record
 * scope.  TD_OK when allowed or when key names nothing (the read then
 * reports "not found"); TD_EDENIED (audited) otherwise. */
td_status td_read_check(td_db *db, const td_actor *a, const char *key, td_err *err);

/* td_read_check for the case with id case_id (already loaded by the caller:
 * TD_OK when no such case). */
td_status td_read_check_case_id(td_db *db, const td_actor *a, const char *case_id, td_err *err);

/* td_case_get for a signed-in user: the role to read case data, then
 * td_case_check_scope_db.  TD_ENOTFOUND as td_case_get. */
td_status td_case_get_as(td_db *db, const td_actor *a, const char *key, td_case *out, td_err *err);

/* td_person_get for a signed-in user: the role to read case data, then
 * td_person_check_scope (audited refusal).  TD_ENOTFOUND as td_person_get. */
td_status td_person_get_as(td_db *db, const td_actor *a, const char *key, td_person *out, td_err *err);

/* td_case_list restricted to a's record scope (q->actor is set to a on a
 * copy of q), after the role check. */
td_status td_case_list_as(td_db *db, const td_actor *a, const td_case_query *q,
                          int (*cb)(const td_case *c, void *ud), void *ud, td_err *err);

/* td_case_services_each of a case a may read (td_read_check first). */
td_status td_case_services_each_as(td_db *db, const td_actor *a, const char *case_id,
                                   int (*cb)(const td_service_request *r, void *ud), void *ud, td_err *err);

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

/* td_dupe_check (people/dedupe.h) for the signed-in user a: the possible
 * duplicates outside a's record scope are left out (*n counts the rest), so
 * intake never shows a person the user may not see. */
td_status td_dupe_check_as(td_db *db, const td_actor *a, const td_person *p, td_dup_match *out, int max, int *n,
                           td_err *err);

/* people/specialist.h reads for the signed-in user a: the role to read case
 * data and the person's record scope first (TD_EDENIED, audited); the
 * "follow-ups due" queue leaves out the persons outside a's scope. */
td_status td_person_specialist_as(td_db *db, const td_actor *a, const char *person_id, char id[TD_UUID_LEN],
                                  char *name, size_t len, td_err *err);
td_status td_followups_each_as(td_db *db, const td_actor *a, const char *person_id,
                               int (*cb)(const td_followup *f, void *ud), void *ud, td_err *err);
td_status td_followups_due_as(td_db *db, const td_actor *a, const char *specialist_id, const char *as_of, int limit,
                              int (*cb)(const td_followup *f, void *ud), void *ud, td_err *err);

/* The condition "person row `p` is visible" for person lists and search,
 * bound by td_scope_bind (same parameters). */
#define TD_SCOPE_PERSON_SQL(p)                                                                                 \
    "(?40 = 4 OR EXISTS (SELECT 1 FROM cases c_ WHERE c_.person_id = " #p ".id AND c_.deleted_at IS NULL " \
    "AND " TD_SCOPE_SQL(c_) ") OR (NOT EXISTS (SELECT 1 FROM cases c2_ WHERE c2_.person_id = " #p ".id "       \
    "AND c2_.deleted_at IS NULL) AND " #p ".station_id = ?42))"

#endif
