/* intake.c — taking in a new case: the person and services checked, the
 * case number issued from the station's counter, one service request per
 * service and the checklist of required documents (see intake.h). */
#include "intake.h"
#include "auth/access.h"
#include "cases/scope.h"
#include "workflow.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "people/person.h"
#include "people/specialist.h"
#include "policy/refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

static td_status user_id_with_role(td_db *db, const char *username, const char *role, char id[TD_UUID_LEN],
                                   td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id "
                                     "AND r.deleted_at IS NULL AND r.role = ?2 "
                                     "WHERE u.username = ?1 AND u.active = 1 AND u.deleted_at IS NULL",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, username);
    td_bind_text(st, 2, role);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        td_col_copy(st, 0, id, TD_UUID_LEN);
    sqlite3_reset(st);
    return found ? TD_OK
                 : td_err_set(err, TD_ENOTFOUND, _("'%s' is not an active service specialist"), username);
}

td_status td_case_new(td_db *db, const td_actor *by, const td_case_new_args *a, td_case *out,
                      td_err *err)
{
    static const char *const types[] = { "recognition", "service", NULL };
    static const char *const channels[] = { "window", "overseas", "airport", "online", "park", NULL };
    td_status s = td_access_require(db, by, TD_ACT_CASE_NEW, err);
    if (s)
        return s;
    const char *type = a->case_type && *a->case_type ? a->case_type : "recognition";
    if (!one_of(type, types))
        return td_err_set(err, TD_EINVALID, _("Unknown case type '%s' (recognition or service)"), type);
    const char *channel = a->channel && *a->channel ? a->channel
                          : td_actor_has(by, TD_ROLE_STATION) ? "overseas"
                                                              : "window";
    if (!one_of(channel, channels))
        return td_err_set(err, TD_EINVALID,
                          _("Unknown channel '%s' (window, overseas, airport, online, park)"), channel);
    td_person p;
    if ((s = td_person_get(db, a->person_id, &p, err)))
        return s;
    if ((s = td_person_in_scope(db, by, p.id, err))) { /* a registered person outside the scope stays hidden */
        if (s != TD_EDENIED)
            return s;
        td_err_set(err, TD_EDENIED, "%s",
                   _("This person is registered outside your record scope: ask a colleague of the "
                     "registering office (or an administrator) to take the case in"));
        return td_access_denied(db, by, NULL, err);
    }

    td_service svc[TD_MAX_SERVICES];
    int nsvc = 0;
    for (int i = 0; i < TD_MAX_SERVICES && a->services[i]; i++) {
        td_service tmp;
        if ((s = td_service_get(db, a->services[i], &tmp, err)))
            return s;
        bool dup = false;
        for (int j = 0; j < nsvc; j++)
            dup |= strcmp(svc[j].id, tmp.id) == 0;
        if (!dup)
            svc[nsvc++] = tmp;
    }
    if (nsvc == 0)
        return td_err_set(err, TD_EINVALID, "%s", _("Choose at least one service for the case"));

    char specialist[TD_UUID_LEN] = "";
    if (a->specialist && *a->specialist &&
        (s = user_id_with_role(db, a->specialist, "specialist", specialist, err)))
        return s;
    /* No specialist named: the case inherits the person's 人才服务专员. */
    if (!specialist[0] && (s = td_person_specialist(db, p.id, specialist, NULL, 0, err)))
        return s;

    if ((s = td_db_begin(db, err)))
        return s;
    td_case c;
    memset(&c, 0, sizeof c);
    td_uuid7(c.id);
    td_now_utc(c.created_at);
    memcpy(c.updated_at, c.created_at, sizeof c.updated_at);
    memcpy(c.state_since, c.created_at, sizeof c.state_since);
    snprintf(c.person_id, sizeof c.person_id, "%s", p.id);
    snprintf(c.person_name, sizeof c.person_name, "%s", p.name);
    snprintf(c.station_id, sizeof c.station_id, "%s", by->station_id);
    snprintf(c.case_type, sizeof c.case_type, "%s", type);
    snprintf(c.channel, sizeof c.channel, "%s", channel);
    snprintf(c.state, sizeof c.state, "%s",
             a->initial_state && *a->initial_state ? a->initial_state : "intake");
    snprintf(c.intake_by, sizeof c.intake_by, "%s", by->user_id);
    snprintf(c.specialist_id, sizeof c.specialist_id, "%s", specialist);
    c.row_version = 1;

    /* The workflow version in force now: the case keeps it for its life. */
    if ((s = td_wf_current_version(db, c.workflow_version, err)))
        goto fail;

    td_date today = td_today();
    long seq;
    do { /* a number this database already holds (see td_number_taken) is skipped */
        if ((s = td_counter_next(db, by->station_id, today.y, "case", &seq, err)))
            goto fail;
        snprintf(c.case_no, sizeof c.case_no, "%s-%04d-%06ld", by->station_code, today.y, seq);
    } while (td_number_taken(db, "case", c.case_no));

    sqlite3_stmt *st = td_db_prepare(db,
                       "INSERT INTO cases(id, case_no, person_id, station_id, case_type, channel, state, "
                       "workflow_version, specialist_id, intake_by, assignee_id, state_since, created_at, "
                       "updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       err);
    if (!st)
        goto fail_db;
    td_bind_text(st, 1, c.id);
    td_bind_text(st, 2, c.case_no);
    td_bind_text(st, 3, c.person_id);
    td_bind_text(st, 4, c.station_id);
    td_bind_text(st, 5, c.case_type);
    td_bind_text(st, 6, c.channel);
    td_bind_text(st, 7, c.state);
    td_bind_text(st, 8, c.workflow_version[0] ? c.workflow_version : NULL);
    td_bind_text(st, 9, specialist[0] ? specialist : NULL);
    td_bind_text(st, 10, c.intake_by);
    td_bind_text(st, 11, c.intake_by);
    td_bind_text(st, 12, c.state_since);
    td_bind_text(st, 13, c.created_at);
    td_bind_text(st, 14, c.updated_at);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("saving the case"), err);
        goto fail;
    }
    snprintf(c.assignee_id, sizeof c.assignee_id, "%s", c.intake_by);

    for (int i = 0; i < nsvc; i++) {
        char rid[TD_UUID_LEN];
        td_uuid7(rid);
        st = td_db_prepare(db,
                           "INSERT INTO service_requests(id, case_id, service_id, days, created_at, "
                           "updated_at) VALUES(?,?,?,?,?,?)",
                           err);
        if (!st)
            goto fail_db;
        td_bind_text(st, 1, rid);
        td_bind_text(st, 2, c.id);
        td_bind_text(st, 3, svc[i].id);
        sqlite3_bind_int(st, 4, svc[i].days);
        td_bind_text(st, 5, c.created_at);
        td_bind_text(st, 6, c.created_at);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(db, _("saving the case"), err);
            goto fail;
        }
        if ((s = td_audit(db, by, c.id, "service.request", "service_requests", rid, "service_id", NULL,
                          svc[i].id, NULL, err)))
            goto fail;
    }

    /* One checklist row per distinct required document of the services
     * (optional documents are listed by `service show`, never demanded in a
     * 一次性告知书). */
    st = td_db_prepare(db,
                       "SELECT DISTINCT sd.doc_type_id FROM service_docs sd "
                       "JOIN service_requests r ON r.service_id = sd.service_id "
                       "WHERE r.case_id = ? AND sd.required = 1 AND sd.deleted_at IS NULL "
                       "ORDER BY sd.doc_type_id",
                       err);
    if (!st)
        goto fail_db;
    td_bind_text(st, 1, c.id);
    char docs[128][48];
    int ndocs = 0;
    while (ndocs < 128 && sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, docs[ndocs++], sizeof docs[0]);
    sqlite3_reset(st);
    for (int i = 0; i < ndocs; i++) {
        char did[TD_UUID_LEN];
        td_uuid7(did);
        st = td_db_prepare(db,
                           "INSERT INTO case_documents(id, case_id, doc_type_id, created_at, updated_at) "
                           "VALUES(?,?,?,?,?)",
                           err);
        if (!st)
            goto fail_db;
        td_bind_text(st, 1, did);
        td_bind_text(st, 2, c.id);
        td_bind_text(st, 3, docs[i]);
        td_bind_text(st, 4, c.created_at);
        td_bind_text(st, 5, c.created_at);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(db, _("saving the case"), err);
            goto fail;
        }
    }
    if ((s = td_audit(db, by, c.id, "case.new", "cases", c.id, "state", NULL, c.state, NULL, err)))
        goto fail;
    if ((s = td_db_commit(db, err)))
        return s;
    if (out)
        *out = c;
    return TD_OK;
fail_db:
    s = TD_EDB;
fail:
    td_db_rollback(db);
    return s;
}
