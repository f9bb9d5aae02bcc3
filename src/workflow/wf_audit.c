/* wf_audit.c — audited reads (see wf_audit.h). */
#include "wf_audit.h"

#include "auth/access.h"
#include "base/audit.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "base/text.h"
#include "cases/case.h"
#include "people/person.h"

#include <stdio.h>
#include <stdlib.h>

#include <string.h>

td_status td_unmask(td_db *db, const td_actor *a, td_pii kind, const char *person_key, const char *case_id,
                     const char *purpose, char *out, size_t len, td_err *err)
{
    static const char *const action[TD_PII_COUNT] = { "person.view_id", "person.view_phone", "person.view_salary" };
    static const char *const field[TD_PII_COUNT] = { "id_no", "phone", "annual_salary" };
    if (len)
        out[0] = '\0';
    if ((unsigned)kind >= TD_PII_COUNT)
        return td_err_set(err, TD_EINVALID, "%s", _("Nothing of that kind is masked"));
    if (!a || !a->roles)
        return td_err_set(err, TD_EDENIED, "%s", _("Only a signed-in user may view identity numbers"));
    td_status s = td_access_require(db, a, TD_ACT_UNMASK, err);
    if (s)
        return s;
    if (!purpose || !*purpose)
        return td_err_set(err, TD_EINVALID, "%s", kind == TD_PII_ID ? _("Say why the full identity number is needed")
                                                                   : _("Say why the full value is needed"));
    td_person p;
    if ((s = td_person_get(db, person_key, &p, err)) || (s = td_person_check_scope(db, a, p.id, err)))
        return s;
    char value[128] = "";
    if (kind == TD_PII_ID)
        snprintf(value, sizeof value, "%s", p.id_no);
    else if (kind == TD_PII_PHONE)
        snprintf(value, sizeof value, "%s", p.phone);
    else {
        sqlite3_stmt *st = td_db_prepare(db,
                                         "SELECT value FROM facts WHERE person_id = ? AND name = 'annual_salary' "
                                         "AND deleted_at IS NULL ORDER BY IFNULL(fact_date, ''), created_at DESC "
                                         "LIMIT 1",
                                         err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, p.id);
        if (sqlite3_step(st) == SQLITE_ROW)
            td_col_copy(st, 0, value, sizeof value);
        sqlite3_reset(st);
    }
    if ((s = td_db_begin(db, err)))
        return s;
    s = td_audit(db, a, case_id, action[kind], "persons", p.id, field[kind], NULL, NULL, purpose, err);
    if (!s)
        s = td_db_commit(db, err);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    snprintf(out, len, "%s", value);
    return TD_OK;
}

td_status td_audit_view_id(td_db *db, const td_actor *a, const char *person_key, const char *case_id,
                           const char *purpose, char id_no_out[TD_IDNO_LEN], td_err *err)
{
    return td_unmask(db, a, TD_PII_ID, person_key, case_id, purpose, id_no_out, TD_IDNO_LEN, err);
}

td_status td_audit_case_each(td_db *db, const char *case_key, const char *after_id, int limit,
                             int (*cb)(const td_audit_row *r, void *ud), void *ud, td_err *err)
{
    td_case c;
    td_status s = td_case_get(db, case_key, &c, err);
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT a.id, a.seq, coalesce(s.code, ''), a.at, coalesce(u.username, ''), a.action, a.entity, "
            "a.entity_id, a.field, coalesce(a.old_value, ''), coalesce(a.new_value, ''), a.reason "
            "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN stations s ON s.id = a.station_id "
            "WHERE a.case_id = ?1 AND (?2 IS NULL OR (a.at, a.station_id, a.seq) > "
            "(SELECT b.at, b.station_id, b.seq FROM audit_log b WHERE b.id = ?2)) "
            "ORDER BY a.at, a.station_id, a.seq LIMIT ?3", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, c.id, -1, SQLITE_STATIC);
    td_bind_text(st, 2, after_id);
    sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
    td_audit_row *rows = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            td_audit_row *m = realloc(rows, sizeof *m * (size_t)cap);
            if (!m)
                abort();
            rows = m;
        }
        td_audit_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        td_col_copy(st, 0, r->id, sizeof r->id);
        r->seq = sqlite3_column_int64(st, 1);
        td_col_copy(st, 2, r->station_code, sizeof r->station_code);
        td_col_copy(st, 3, r->at, sizeof r->at);
        td_col_copy(st, 4, r->username, sizeof r->username);
        td_col_copy(st, 5, r->action, sizeof r->action);
        td_col_copy(st, 6, r->entity, sizeof r->entity);
        td_col_copy(st, 7, r->entity_id, sizeof r->entity_id);
        td_col_copy(st, 8, r->field, sizeof r->field);
        td_col_copy(st, 9, r->old_value, sizeof r->old_value);
        td_col_copy(st, 10, r->new_value, sizeof r->new_value);
        td_col_copy(st, 11, r->reason, sizeof r->reason);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        s = td_db_fail(db, _("reading the audit log"), err);
    for (int i = 0; !s && i < n; i++)
        if (cb(&rows[i], ud))
            break;
    free(rows);
    return s;
}

static const struct {
    const char *action, *what;
} actions[] = {
    { "case.new", N_("case taken in") },
    { "case.transition", N_("workflow step") },
    { "case.assign", N_("case assigned") },
    { "case.due", N_("deadline set") },
    { "case.closed_at", N_("case closed") },
    { "case.exception", N_("exception with a written reason") },
    { "case.green", N_("green channel") },
    { "case.person", N_("applicant changed") },
    { "doc.mark", N_("document checked") },
    { "notice.issue", N_("one-time notice issued") },
    { "signoff.approve", N_("joint sign-off: agreed") },
    { "signoff.return", N_("joint sign-off: returned") },
    { "talent_code.issue", N_("talent service code issued") },
    { "score.snapshot", N_("score snapshot saved") },
    { "fact.add", N_("fact recorded") },
    { "fact.verify", N_("fact verified") },
    { "task.start", N_("service started") },
    { "task.done", N_("service done") },
    { "task.fail", N_("service failed") },
    { "task.cancel", N_("service cancelled") },
    { "task.assign", N_("service assigned") },
    { "task.escalate", N_("service escalated (supervision)") },
    { "task.reset", N_("service reset") },
    { "task.schedule", N_("service scheduled") },
    { "person.view_id", N_("full identity number viewed") },
    { "person.update", N_("person edited") },
    { "person.add", N_("person registered") },
    { "benefit.grant", N_("benefit granted") },
    { "service.request", N_("service requested") },
};

static const struct {
    const char *code, *label;
} values[] = {
    { "missing", N_("missing") },     { "received", N_("received") },   { "verified", N_("verified") },
    { "invalid", N_("invalid") },     { "pending", N_("pending") },     { "in_progress", N_("in progress") },
    { "done", N_("done") },           { "failed", N_("failed") },       { "cancelled", N_("cancelled") },
    { "approved", N_("agreed") },     { "returned", N_("returned") },
};

static const struct {
    const char *field, *label;
} fields[] = {
    { "state", N_("state") },     { "status", N_("status") },   { "assignee", N_("handled by") },
    { "due_date", N_("deadline") }, { "green_channel", N_("green channel") }, { "talent_code", N_("talent service code") },
};

static const char *value_label(const char *field, const char *v)
{
    if (!v[0])
        return "";
    if (strcmp(field, "state") == 0)
        return td_state_name(v);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        if (strcmp(values[i].code, v) == 0)
            return _(values[i].label);
    return v;
}

void td_audit_describe(const td_audit_row *r, char *what, size_t wlen, char *change, size_t clen)
{
    snprintf(what, wlen, "%s", r->action);
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (strcmp(actions[i].action, r->action) == 0)
            snprintf(what, wlen, "%s", _(actions[i].what));
    change[0] = 0;
    if (!r->field[0] && !r->new_value[0])
        return;
    char ov[512], nv[512];
    td_text_sanitize(value_label(r->field, r->old_value), ov, sizeof ov);
    td_text_sanitize(value_label(r->field, r->new_value), nv, sizeof nv);
    const char *fl = r->field;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(fields[i].field, r->field) == 0)
            fl = _(fields[i].label);
    char fs[96];
    td_text_sanitize(fl, fs, sizeof fs);
    if (strcmp(r->field, "state") == 0) /* the event says it is a step: from -> to */
        snprintf(change, clen, ov[0] ? _("%s -> %s") : "%s%s", ov, nv);
    else if (ov[0])
        snprintf(change, clen, _("%s: %s -> %s"), fs, ov, nv);
    else if (fs[0])
        snprintf(change, clen, _("%s: %s"), fs, nv);
    else
        snprintf(change, clen, "%s", nv);
}
