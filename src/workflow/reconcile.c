/* reconcile.c — see reconcile.h. */
#include "reconcile.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>

static td_status mismatch(td_reconcile_report *rep, const char *entity, const char *key, const char *problem,
                          td_err *err)
{
    snprintf(rep->entity, sizeof rep->entity, "%s", entity);
    snprintf(rep->key, sizeof rep->key, "%s", key ? key : "");
    snprintf(rep->problem, sizeof rep->problem, "%s", problem);
    return td_err_set(err, TD_ECONFLICT, _("The data does not match the audit log: %s %s: %s"),
                      strcmp(entity, "cases") == 0 ? _("case") : _("person"), rep->key, problem);
}

static long count(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    long n = 0;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Runs sql; when it yields a row, reports entity col0 with the problem text
 * built from fmt and columns 1.. (as text).  Returns TD_OK when no row. */
static td_status first_bad(td_db *db, const char *sql, const char *entity, const char *fmt, int ncols,
                           td_reconcile_report *rep, td_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("reconciling with the audit log"), err);
    int rc = sqlite3_step(st);
    td_status s = TD_OK;
    if (rc == SQLITE_ROW) {
        const char *v[3] = { "", "", "" };
        for (int i = 0; i < ncols && i < 3; i++) {
            const char *t = (const char *)sqlite3_column_text(st, i + 1);
            v[i] = t ? t : "NULL";
        }
        char msg[256];
        snprintf(msg, sizeof msg, fmt, v[0], v[1], v[2]);
        s = mismatch(rep, entity, (const char *)sqlite3_column_text(st, 0), msg, err);
    } else if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("reconciling with the audit log"), err);
    }
    sqlite3_finalize(st);
    return s;
}

td_status td_reconcile(td_db *db, td_reconcile_report *rep, td_err *err)
{
    memset(rep, 0, sizeof *rep);
    rep->cases = count(db, "SELECT count(*) FROM cases");
    rep->persons = count(db, "SELECT count(*) FROM persons");
    td_status s;
    /* cases: state */
    if ((s = first_bad(db,
                       "SELECT c.case_no, c.state, IFNULL(l.new_value, '') FROM cases c LEFT JOIN ("
                       " SELECT case_id, new_value, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY at DESC, "
                       " station_id, seq DESC) rn FROM audit_log WHERE entity = 'cases' AND field = 'state'"
                       " AND case_id IS NOT NULL) l ON l.case_id = c.id AND l.rn = 1 "
                       "WHERE l.new_value IS NULL OR l.new_value <> c.state ORDER BY c.case_no LIMIT 1",
                       "cases", _("its state is '%s' but the audit log last recorded '%s'"), 2, rep, err)))
        return s;
    if ((s = first_bad(db,
                       "SELECT c.case_no, c.person_id, l.new_value FROM cases c JOIN ("
                       " SELECT case_id, new_value, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY at DESC, "
                       " station_id, seq DESC) rn FROM audit_log WHERE entity = 'cases' AND field = 'person_id'"
                       " AND case_id IS NOT NULL) l ON l.case_id = c.id AND l.rn = 1 "
                       "WHERE l.new_value IS NOT c.person_id ORDER BY c.case_no LIMIT 1",
                       "cases", _("its person is %s but the audit log last recorded %s"), 2, rep, err)))
        return s;
    /* persons: created through an audited path */
    if ((s = first_bad(db,
                       "SELECT p.id FROM persons p WHERE p.id NOT IN (SELECT entity_id FROM audit_log "
                       "WHERE entity = 'persons' AND action IN ('person.add', 'person.import')) LIMIT 1",
                       "persons", _("it has no audit record of its creation"), 0, rep, err)))
        return s;
    /* persons: every audited field holds its latest audited value */
    if ((s = first_bad(db,
                       "WITH l AS (SELECT entity_id, field, new_value, ROW_NUMBER() OVER (PARTITION BY "
                       " entity_id, field ORDER BY at DESC, station_id, seq DESC) rn FROM audit_log "
                       " WHERE entity = 'persons' AND action IN ('person.add', 'person.import', "
                       " 'person.update', 'person.merge', 'person.unmerge')), "
                       "v AS (SELECT p.id, l.field, IFNULL(l.new_value, '') AS logged, IFNULL(CASE l.field "
                       " WHEN 'name' THEN p.name WHEN 'name_latin' THEN p.name_latin WHEN 'gender' THEN p.gender "
                       " WHEN 'birth_date' THEN p.birth_date WHEN 'nationality' THEN p.nationality "
                       " WHEN 'id_type' THEN p.id_type WHEN 'id_no' THEN p.id_no WHEN 'phone' THEN p.phone "
                       " WHEN 'email' THEN p.email WHEN 'category_id' THEN p.category_id "
                       " WHEN 'employer' THEN p.employer WHEN 'field' THEN p.field WHEN 'notes' THEN p.notes "
                       " WHEN 'merged_into' THEN p.merged_into ELSE l.new_value END, '') AS cur "
                       " FROM l JOIN persons p ON p.id = l.entity_id WHERE l.rn = 1) "
                       "SELECT id, field FROM v WHERE cur <> logged ORDER BY id LIMIT 1",
                       "persons", _("its field %s differs from the latest audited value"), 1, rep, err)))
        return s;
    /* persons: row_version moved only with audited changes */
    return first_bad(db,
                     "WITH n AS (SELECT entity_id, count(DISTINCT CASE WHEN action = 'person.update' THEN seq END) "
                     " AS upd, count(CASE WHEN action IN ('person.merge', 'person.unmerge') THEN 1 END) AS mrg "
                     " FROM audit_log WHERE entity = 'persons' GROUP BY entity_id) "
                     "SELECT p.id, p.row_version FROM persons p LEFT JOIN n ON n.entity_id = p.id "
                     "WHERE p.row_version - 1 > IFNULL(n.upd, 0) + IFNULL(n.mrg, 0) "
                     " OR p.row_version - 1 < (IFNULL(n.upd, 0) > 0) + IFNULL(n.mrg, 0) ORDER BY p.id LIMIT 1",
                     "persons", _("its row version %s does not match its audited changes"), 1, rep, err);
}
