/* scope.c — see scope.h. */
#include "scope.h"
#include "auth/access.h"
#include "base/i18n.h"
#include "people/person.h"

#include <stdio.h>

#include <string.h>

bool td_scope_station_only(const td_actor *a)
{
    return a && td_actor_scope(a) == TD_SCOPE_STATION;
}

void td_scope_bind(sqlite3_stmt *st, const td_actor *a)
{
    const char *k = sqlite3_bind_parameter_name(st, 40);
    if (!k || strcmp(k, "?40") != 0) /* the statement has no scope condition */
        return;
    sqlite3_bind_int(st, 40, a ? (int)td_actor_scope(a) : (int)TD_SCOPE_ALL);
    sqlite3_bind_text(st, 41, a ? a->user_id : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 42, a ? a->station_id : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 43, a ? a->department_id : "", -1, SQLITE_TRANSIENT);
}

static td_status refuse(const td_actor *a, const td_case *c, td_err *err)
{
    switch (td_actor_scope(a)) {
    case TD_SCOPE_STATION:
        return td_err_set(err, TD_EDENIED, _("Case %s belongs to another station; you may see only the cases of %s"),
                          c->case_no, a ? a->station_code : "");
    case TD_SCOPE_DEPARTMENT:
        return td_err_set(err, TD_EDENIED,
                          _("Case %s is outside your department; you may see only your own cases and those of %s"),
                          c->case_no, a && a->department_id[0] ? a->department_id : "-");
    default:
        return td_err_set(err, TD_EDENIED, _("Case %s is not one of your cases; you may see only your own cases"),
                          c->case_no);
    }
}

td_status td_case_in_scope(td_db *db, const td_actor *a, const td_case *c, td_err *err)
{
    td_scope k = td_actor_scope(a);
    if (k == TD_SCOPE_ALL)
        return TD_OK;
    if (k == TD_SCOPE_STATION)
        return strcmp(a->station_id, c->station_id) == 0 ? TD_OK : refuse(a, c, err);
    sqlite3_stmt *st = td_db_prepare(db, "SELECT 1 FROM cases c WHERE c.id = ?1 AND " TD_SCOPE_SQL(c), err);
    if (!st)
        return TD_EDB;
    td_scope_bind(st, a);
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("reading the case"), err);
    return refuse(a, c, err);
}

td_status td_case_check_scope(const td_actor *a, const td_case *c, td_err *err)
{
    if (td_scope_station_only(a) && strcmp(a->station_id, c->station_id) != 0)
        return refuse(a, c, err);
    return TD_OK;
}

td_status td_case_check_scope_db(td_db *db, const td_actor *a, const td_case *c, td_err *err)
{
    td_status s = td_case_in_scope(db, a, c, err);
    if (s == TD_EDENIED)
        td_access_denied(db, a, NULL, err);
    return s;
}

td_status td_case_get_as(td_db *db, const td_actor *a, const char *key, td_case *out, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s)
        return s;
    if ((s = td_case_get(db, key, out, err)))
        return s;
    return td_case_check_scope_db(db, a, out, err);
}

td_status td_read_check(td_db *db, const td_actor *a, const char *key, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s)
        return s;
    return td_scope_check_key(db, a, key, err);
}

td_status td_read_check_case_id(td_db *db, const td_actor *a, const char *case_id, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s)
        return s;
    td_case c;
    if (!case_id || !*case_id || td_case_get(db, case_id, &c, NULL) != TD_OK)
        return TD_OK;
    return td_case_check_scope_db(db, a, &c, err);
}

td_status td_person_get_as(td_db *db, const td_actor *a, const char *key, td_person *out, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s)
        return s;
    if ((s = td_person_get(db, key, out, err)))
        return s;
    if ((s = td_person_check_scope(db, a, out->id, err)))
        memset(out, 0, sizeof *out); /* nothing of a person out of scope leaves the core */
    return s;
}

td_status td_case_list_as(td_db *db, const td_actor *a, const td_case_query *q,
                          int (*cb)(const td_case *c, void *ud), void *ud, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s)
        return s;
    td_case_query scoped = *q;
    td_case_query_scope(&scoped, a);
    return td_case_list(db, &scoped, cb, ud, err);
}

td_status td_case_services_each_as(td_db *db, const td_actor *a, const char *case_id,
                                   int (*cb)(const td_service_request *r, void *ud), void *ud, td_err *err)
{
    td_status s = td_read_check_case_id(db, a, case_id, err);
    if (s)
        return s;
    return td_case_services_each(db, case_id, cb, ud, err);
}

void td_case_query_scope(td_case_query *q, const td_actor *a)
{
    q->actor = a;
    if (td_scope_station_only(a))
        q->station_id = a->station_id;
}

td_status td_person_in_scope(td_db *db, const td_actor *a, const char *person_id, td_err *err)
{
    if (td_actor_scope(a) == TD_SCOPE_ALL)
        return TD_OK;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT 1 FROM persons p WHERE p.id = ?1 AND " TD_SCOPE_PERSON_SQL(p), err);
    if (!st)
        return TD_EDB;
    td_scope_bind(st, a);
    sqlite3_bind_text(st, 1, person_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("reading the person"), err);
    return td_err_set(err, TD_EDENIED, "%s", _("This person's cases are outside your record scope"));
}

td_status td_person_check_scope(td_db *db, const td_actor *a, const char *person_id, td_err *err)
{
    td_status s = td_person_in_scope(db, a, person_id, err);
    if (s == TD_EDENIED)
        td_access_denied(db, a, NULL, err);
    return s;
}

td_status td_scope_check_key(td_db *db, const td_actor *a, const char *key, td_err *err)
{
    if (!key || !*key || td_actor_scope(a) == TD_SCOPE_ALL)
        return TD_OK;
    td_case c;
    if (td_case_get(db, key, &c, NULL) == TD_OK)
        return td_case_check_scope_db(db, a, &c, err);
    char buf[160];
    const char *colon = strchr(key, ':');
    if (colon && (size_t)(colon - key) < sizeof buf) { /* CASE:SERVICE */
        snprintf(buf, sizeof buf, "%.*s", (int)(colon - key), key);
        if (td_case_get(db, buf, &c, NULL) == TD_OK)
            return td_case_check_scope_db(db, a, &c, err);
    }
    sqlite3_stmt *st = td_db_prepare(db, "SELECT case_id FROM service_requests WHERE id = ?", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, key);
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, buf, sizeof buf);
    sqlite3_reset(st);
    if (buf[0] && td_case_get(db, buf, &c, NULL) == TD_OK)
        return td_case_check_scope_db(db, a, &c, err);
    td_person p;
    if (td_person_get(db, key, &p, NULL) == TD_OK)
        return td_person_check_scope(db, a, p.id, err);
    return TD_OK;
}

typedef struct scoped_people {
    td_db *db;
    const td_actor *a;
    int (*cb)(const td_person *p, void *ud);
    void *ud;
} scoped_people;

static int scoped_person(const td_person *p, void *ud)
{
    scoped_people *x = ud;
    return td_person_in_scope(x->db, x->a, p->id, NULL) == TD_OK ? x->cb(p, x->ud) : 0;
}

td_status td_person_list_as(td_db *db, const td_actor *a, const td_person_query *q,
                            int (*cb)(const td_person *p, void *ud), void *ud, td_err *err)
{
    if (td_actor_scope(a) == TD_SCOPE_ALL)
        return td_person_list(db, q, cb, ud, err);
    scoped_people x = { db, a, cb, ud };
    return td_person_list(db, q, scoped_person, &x, err);
}

td_status td_dupe_check_as(td_db *db, const td_actor *a, const td_person *p, td_dup_match *out, int max, int *n,
                           td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s || (s = td_dupe_check(db, p, out, max, n, err)))
        return s;
    int kept = 0;
    for (int i = 0; i < *n; i++)
        if (td_person_in_scope(db, a, out[i].person_id, NULL) == TD_OK)
            out[kept++] = out[i];
    *n = kept;
    return TD_OK;
}

td_status td_person_specialist_as(td_db *db, const td_actor *a, const char *person_id, char id[TD_UUID_LEN],
                                  char *name, size_t len, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s || (s = td_person_check_scope(db, a, person_id, err)))
        return s;
    return td_person_specialist(db, person_id, id, name, len, err);
}

td_status td_followups_each_as(td_db *db, const td_actor *a, const char *person_id,
                               int (*cb)(const td_followup *f, void *ud), void *ud, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s || (s = td_person_check_scope(db, a, person_id, err)))
        return s;
    return td_followups_each(db, person_id, cb, ud, err);
}

typedef struct scoped_fu {
    td_db *db;
    const td_actor *a;
    int (*cb)(const td_followup *f, void *ud);
    void *ud;
} scoped_fu;

static int scoped_followup(const td_followup *f, void *ud)
{
    scoped_fu *x = ud;
    return td_person_in_scope(x->db, x->a, f->person_id, NULL) == TD_OK ? x->cb(f, x->ud) : 0;
}

td_status td_followups_due_as(td_db *db, const td_actor *a, const char *specialist_id, const char *as_of, int limit,
                              int (*cb)(const td_followup *f, void *ud), void *ud, td_err *err)
{
    td_status s = td_access_require(db, a, TD_ACT_CASE_READ, err);
    if (s)
        return s;
    if (td_actor_scope(a) == TD_SCOPE_ALL)
        return td_followups_due(db, specialist_id, as_of, limit, cb, ud, err);
    scoped_fu x = { db, a, cb, ud };
    return td_followups_due(db, specialist_id, as_of, limit, scoped_followup, &x, err);
}
