/* wf_audit.c — audited reads (see wf_audit.h). */
#include "wf_audit.h"

#include "base/audit.h"
#include "base/i18n.h"
#include "cases/case.h"
#include "people/person.h"

#include <stdlib.h>

#include <string.h>

td_status td_audit_view_id(td_db *db, const td_actor *a, const char *person_key, const char *case_id,
                           const char *purpose, char id_no_out[TD_IDNO_LEN], td_err *err)
{
    id_no_out[0] = '\0';
    if (!a || !a->roles)
        return td_err_set(err, TD_EDENIED, "%s", _("Only a signed-in user may view identity numbers"));
    if (!purpose || !*purpose)
        return td_err_set(err, TD_EINVALID, "%s", _("Say why the full identity number is needed"));
    td_person p;
    td_status s = td_person_get(db, person_key, &p, err);
    if (s)
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    s = td_audit(db, a, case_id, "person.view_id", "persons", p.id, "id_no", NULL, NULL, purpose, err);
    if (!s)
        s = td_db_commit(db, err);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    memcpy(id_no_out, p.id_no, TD_IDNO_LEN);
    id_no_out[TD_IDNO_LEN - 1] = '\0';
    return TD_OK;
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
