/* case.c — see case.h. */
#include "case.h"
#include "scope.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "people/person.h"
#include "policy/refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *code;
    const char *name;
} state_names[] = {
    { "intake", N_("intake") },
    { "doc_check", N_("document check") },
    { "awaiting_docs", N_("awaiting documents") },
    { "recognition", N_("recognition") },
    { "approval", N_("approval") },
    { "joint_review", N_("joint review") },
    { "fulfilment", N_("fulfilment") },
    { "closed", N_("closed") },
    { "rejected", N_("rejected") },
    { "withdrawn", N_("withdrawn") },
    { "suspended", N_("suspended") },
};

const char *td_state_name(const char *state)
{
    for (size_t i = 0; i < sizeof state_names / sizeof state_names[0]; i++)
        if (strcmp(state, state_names[i].code) == 0)
            return _(state_names[i].name);
    return state;
}

const char *td_request_status_name(const char *status)
{
    static const struct {
        const char *code, *name;
    } names[] = {
        { "pending", N_("pending") },       { "in_progress", N_("in progress") },
        { "done", N_("done") },             { "failed", N_("failed") },
        { "cancelled", N_("cancelled") },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(status, names[i].code) == 0)
            return _(names[i].name);
    return status;
}

td_status td_counter_next(td_db *db, const char *station_id, int year, const char *kind, long *out,
                          td_err *err)
{
    if (!td_db_in_tx(db))
        return td_err_set(err, TD_ERR, "%s", _("internal error: counter outside a transaction"));
    sqlite3_stmt *st = td_db_prepare(
        db,
        "INSERT INTO counters(station_id, year, kind, next) VALUES(?1, ?2, ?3, 2) "
        "ON CONFLICT(station_id, year, kind) DO UPDATE SET next = next + 1 RETURNING next - 1",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, station_id);
    sqlite3_bind_int(st, 2, year);
    td_bind_text(st, 3, kind);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? TD_OK : td_db_fail(db, _("numbering the case"), err);
}

bool td_number_taken(td_db *db, const char *kind, const char *number)
{
    bool notice = strcmp(kind, "notice") == 0;
    sqlite3_stmt *st = td_db_prepare(db, notice ? "SELECT 1 FROM notices WHERE notice_no = ?"
                                                : "SELECT 1 FROM cases WHERE case_no = ?", NULL);
    if (!st)
        return true;
    td_bind_text(st, 1, number);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc != SQLITE_DONE;
}

#define CASE_COLS                                                                                  \
    "c.id, c.case_no, c.person_id, p.name, c.station_id, c.case_type, c.channel, c.state, "         \
    "IFNULL(c.workflow_version,''), c.green_channel, c.green_reason, IFNULL(c.specialist_id,''), "  \
    "c.intake_by, IFNULL(c.assignee_id,''), IFNULL(c.tier_id,''), IFNULL(c.talent_code,''), "       \
    "c.state_since, IFNULL(c.due_date,''), IFNULL(c.closed_at,''), c.created_at, c.updated_at, "    \
    "c.row_version, c.due_approx"

static void read_case(sqlite3_stmt *st, td_case *c)
{
    memset(c, 0, sizeof *c);
    td_col_copy(st, 0, c->id, sizeof c->id);
    td_col_copy(st, 1, c->case_no, sizeof c->case_no);
    td_col_copy(st, 2, c->person_id, sizeof c->person_id);
    td_col_copy(st, 3, c->person_name, sizeof c->person_name);
    td_col_copy(st, 4, c->station_id, sizeof c->station_id);
    td_col_copy(st, 5, c->case_type, sizeof c->case_type);
    td_col_copy(st, 6, c->channel, sizeof c->channel);
    td_col_copy(st, 7, c->state, sizeof c->state);
    td_col_copy(st, 8, c->workflow_version, sizeof c->workflow_version);
    c->green_channel = sqlite3_column_int(st, 9) != 0;
    td_col_copy(st, 10, c->green_reason, sizeof c->green_reason);
    td_col_copy(st, 11, c->specialist_id, sizeof c->specialist_id);
    td_col_copy(st, 12, c->intake_by, sizeof c->intake_by);
    td_col_copy(st, 13, c->assignee_id, sizeof c->assignee_id);
    td_col_copy(st, 14, c->tier_id, sizeof c->tier_id);
    td_col_copy(st, 15, c->talent_code, sizeof c->talent_code);
    td_col_copy(st, 16, c->state_since, sizeof c->state_since);
    td_col_copy(st, 17, c->due_date, sizeof c->due_date);
    td_col_copy(st, 18, c->closed_at, sizeof c->closed_at);
    td_col_copy(st, 19, c->created_at, sizeof c->created_at);
    td_col_copy(st, 20, c->updated_at, sizeof c->updated_at);
    c->row_version = (long)sqlite3_column_int64(st, 21);
    c->due_approx = sqlite3_column_int(st, 22) != 0;
}

td_status td_case_get(td_db *db, const char *key, td_case *out, td_err *err)
{
    if (!key || !*key)
        return td_err_set(err, TD_ENOTFOUND, "%s", _("No case given"));
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT " CASE_COLS " FROM cases c JOIN persons p ON p.id = "
                                     "c.person_id WHERE (c.id = ?1 OR c.case_no = upper(?1)) AND "
                                     "c.deleted_at IS NULL",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_case(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("reading the case"), err);
    return td_err_set(err, TD_ENOTFOUND, _("No case found for '%s'"), key);
}

/* Filters as "?n IS NULL OR col = ?n" cannot use an index (SQLite does not
 * fold bound parameters), so the leading filter picks one of three statements
 * written for its index: (state, updated_at), (person_id), (updated_at). */
#define CASE_REST                                                                                  \
    " c.deleted_at IS NULL AND (?1 IS NULL OR c.state = ?1) AND (?2 IS NULL OR "                    \
    "c.person_id = ?2) AND (?3 IS NULL OR c.assignee_id = ?3) AND (?4 IS NULL OR c.intake_by = ?4) AND "     \
    "(?7 IS NULL OR c.station_id = ?7) AND " TD_SCOPE_SQL(c)
#define CASE_BY_STATE " WHERE c.state = ?1 AND" CASE_REST
#define CASE_BY_PERSON " WHERE c.person_id = ?2 AND" CASE_REST
#define CASE_BY_ANY " WHERE" CASE_REST

static void bind_query(sqlite3_stmt *st, const td_case_query *q)
{
    td_bind_text(st, 1, q && q->state && *q->state ? q->state : NULL);
    td_bind_text(st, 2, q && q->person_id && *q->person_id ? q->person_id : NULL);
    td_bind_text(st, 3, q && q->assignee_id && *q->assignee_id ? q->assignee_id : NULL);
    td_bind_text(st, 4, q && q->intake_by && *q->intake_by ? q->intake_by : NULL);
    td_bind_text(st, 7, q && q->station_id && *q->station_id ? q->station_id : NULL);
    td_scope_bind(st, q ? q->actor : NULL);
}

#define LIST_SQL(where)                                                                            \
    "SELECT " CASE_COLS " FROM cases c JOIN persons p ON p.id = c.person_id" where                 \
    " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?5 OFFSET ?6"

td_status td_case_list(td_db *db, const td_case_query *q, int (*cb)(const td_case *c, void *ud),
                       void *ud, td_err *err)
{
    const char *sql = q && q->state && *q->state           ? LIST_SQL(CASE_BY_STATE)
                      : q && q->person_id && *q->person_id ? LIST_SQL(CASE_BY_PERSON)
                                                           : LIST_SQL(CASE_BY_ANY);
    sqlite3_stmt *st = td_db_prepare(db, sql, err);
    if (!st)
        return TD_EDB;
    bind_query(st, q);
    sqlite3_bind_int(st, 5, q && q->limit > 0 ? q->limit : 100);
    sqlite3_bind_int(st, 6, q && q->offset > 0 ? q->offset : 0);
    int rc;
    td_case c;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_case(st, &c);
        if (cb(&c, ud))
            break;
    }
    sqlite3_reset(st);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? TD_OK : td_db_fail(db, _("listing cases"), err);
}

td_status td_case_count(td_db *db, const td_case_query *q, long *out, td_err *err)
{
    const char *sql = q && q->state && *q->state ? "SELECT count(*) FROM cases c" CASE_BY_STATE
                      : q && q->person_id && *q->person_id
                          ? "SELECT count(*) FROM cases c" CASE_BY_PERSON
                          : "SELECT count(*) FROM cases c" CASE_BY_ANY;
    sqlite3_stmt *st = td_db_prepare(db, sql, err);
    if (!st)
        return TD_EDB;
    bind_query(st, q);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? TD_OK : td_db_fail(db, _("counting cases"), err);
}

td_status td_case_services_each(td_db *db, const char *case_id,
                                int (*cb)(const td_service_request *r, void *ud), void *ud,
                                td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT r.id, r.case_id, r.service_id, s.name, r.status, IFNULL(r.assignee_id,''), "
        "IFNULL(r.days, s.days), IFNULL(r.due_date,''), IFNULL(r.started_at,''), "
        "IFNULL(r.finished_at,''), r.result, r.reason, r.row_version "
        "FROM service_requests r JOIN services s ON s.id = r.service_id "
        "WHERE r.case_id = ? AND r.deleted_at IS NULL ORDER BY r.created_at, r.id",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, case_id);
    int rc;
    td_service_request r;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&r, 0, sizeof r);
        td_col_copy(st, 0, r.id, sizeof r.id);
        td_col_copy(st, 1, r.case_id, sizeof r.case_id);
        td_col_copy(st, 2, r.service_id, sizeof r.service_id);
        td_col_copy(st, 3, r.service_name, sizeof r.service_name);
        td_col_copy(st, 4, r.status, sizeof r.status);
        td_col_copy(st, 5, r.assignee_id, sizeof r.assignee_id);
        r.days = sqlite3_column_int(st, 6);
        td_col_copy(st, 7, r.due_date, sizeof r.due_date);
        td_col_copy(st, 8, r.started_at, sizeof r.started_at);
        td_col_copy(st, 9, r.finished_at, sizeof r.finished_at);
        td_col_copy(st, 10, r.result, sizeof r.result);
        td_col_copy(st, 11, r.reason, sizeof r.reason);
        r.row_version = (long)sqlite3_column_int64(st, 12);
        if (cb(&r, ud))
            break;
    }
    sqlite3_reset(st);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? TD_OK
                                                   : td_db_fail(db, _("listing services"), err);
}
