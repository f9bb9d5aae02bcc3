/* stats_build.c — rebuilding local_stats from the synchronised rows (the
 * same rules as the triggers of 007_report.sql), and the cases behind a
 * figure (drill-down). */
#include "stats.h"
#include "cases/scope.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>

static const char REBUILD[] =
    "DELETE FROM local_stats;"
    "INSERT INTO local_stats SELECT 'case.state', coalesce(date(created_at, '+8 hours'), ''), station_id, state, count(*) "
    "  FROM cases WHERE deleted_at IS NULL GROUP BY 2, 3, 4;"
    "INSERT INTO local_stats SELECT 'case.channel', coalesce(date(created_at, '+8 hours'), ''), station_id, channel, count(*) "
    "  FROM cases WHERE deleted_at IS NULL GROUP BY 2, 3, 4;"
    "INSERT INTO local_stats SELECT 'case.type', coalesce(date(created_at, '+8 hours'), ''), station_id, case_type, count(*) "
    "  FROM cases WHERE deleted_at IS NULL GROUP BY 2, 3, 4;"
    "INSERT INTO local_stats SELECT 'case.category', coalesce(date(c.created_at, '+8 hours'), ''), c.station_id, "
    "  coalesce(p.category_id, ''), count(*) FROM cases c LEFT JOIN persons p ON p.id = c.person_id "
    "  WHERE c.deleted_at IS NULL GROUP BY 2, 3, 4;"
    "INSERT INTO local_stats SELECT 'case.tier', coalesce(date(created_at, '+8 hours'), ''), station_id, "
    "  coalesce(tier_id, ''), count(*) FROM cases WHERE deleted_at IS NULL GROUP BY 2, 3, 4;"
    "INSERT INTO local_stats SELECT 'case.closed', coalesce(date(state_since, '+8 hours'), ''), station_id, "
    "  coalesce(date(created_at, '+8 hours'), ''), count(*) FROM cases WHERE deleted_at IS NULL AND state = 'closed' "
    "  GROUP BY 2, 3, 4;"
    /* the day the code was issued (its first talent_codes row; the case's
     * last edit only when no row is kept), as the trigger counted it */
    "INSERT INTO local_stats SELECT 'code.tier', coalesce((SELECT date(min(t.created_at), '+8 hours') "
    "  FROM talent_codes t WHERE t.case_id = c.id), date(c.updated_at, '+8 hours'), ''), c.station_id, "
    "  coalesce(c.tier_id, ''), count(*) FROM cases c WHERE c.deleted_at IS NULL AND c.talent_code IS NOT NULL "
    "  GROUP BY 2, 3, 4;"
    "INSERT INTO local_stats SELECT 'svc.requested', coalesce(date(r.created_at, '+8 hours'), ''), c.station_id, "
    "  r.service_id, count(*) FROM service_requests r JOIN cases c ON c.id = r.case_id "
    "  WHERE r.deleted_at IS NULL GROUP BY 2, 3, 4;"
    "INSERT INTO local_stats SELECT 'svc.status', coalesce(date(r.created_at, '+8 hours'), ''), c.station_id, "
    "  r.status, count(*) FROM service_requests r JOIN cases c ON c.id = r.case_id "
    "  WHERE r.deleted_at IS NULL GROUP BY 2, 3, 4;"
    "INSERT INTO local_stats SELECT 'svc.done', coalesce(date(r.finished_at, '+8 hours'), ''), c.station_id, "
    "  r.service_id, count(*) FROM service_requests r JOIN cases c ON c.id = r.case_id "
    "  WHERE r.deleted_at IS NULL AND r.status = 'done' GROUP BY 2, 3, 4;"
    "INSERT INTO local_stats SELECT CASE WHEN r.due_date IS NULL OR date(r.finished_at, '+8 hours') <= "
    "  r.due_date THEN 'svc.ontime' ELSE 'svc.late' END, coalesce(date(r.finished_at, '+8 hours'), ''), c.station_id, "
    "  r.service_id, count(*) FROM service_requests r JOIN cases c ON c.id = r.case_id "
    "  WHERE r.deleted_at IS NULL AND r.status = 'done' GROUP BY 1, 2, 3, 4;"
    "INSERT INTO local_stats SELECT 'svc.open', coalesce(r.due_date, ''), c.station_id, r.service_id, count(*) "
    "  FROM service_requests r JOIN cases c ON c.id = r.case_id WHERE r.deleted_at IS NULL "
    "  AND r.status IN ('pending','in_progress') GROUP BY 2, 3, 4;"
    "INSERT INTO local_stats SELECT 'notice.issued', n.issued_on, c.station_id, '', count(*) "
    "  FROM notices n JOIN cases c ON c.id = n.case_id WHERE n.deleted_at IS NULL GROUP BY 2, 3;"
    "INSERT INTO local_stats SELECT 'notice.supplied', coalesce(date(e.at, '+8 hours'), ''), c.station_id, '', count(*) "
    "  FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.transition = 'supply' GROUP BY 2, 3;"
    "INSERT INTO local_stats SELECT 'rating', rated_on, station_id, CAST(score AS TEXT), count(*) "
    "  FROM ratings WHERE deleted_at IS NULL GROUP BY 2, 3, 4;"
    "INSERT INTO settings(key, value) VALUES('stats_built', '1') "
    "  ON CONFLICT(key) DO UPDATE SET value = '1';";

td_status td_stats_rebuild(td_db *db, td_err *err)
{
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    if ((s = td_db_exec(db, REBUILD, err))) {
        td_db_rollback(db);
        td_err_prefix(err, "%s", _("rebuilding the statistics: "));
        return s;
    }
    return td_db_commit(db, err);
}

td_status td_stats_ensure(td_db *db, td_err *err)
{
    char v[8];
    if (td_db_setting_get(db, "stats_built", v, sizeof v) && strcmp(v, "1") == 0)
        return TD_OK;
    if (td_db_in_tx(db))
        return td_db_exec(db, REBUILD, err);
    return td_stats_rebuild(db, err);
}

/* ── drill-down ──────────────────────────────────────────────────────── */

td_status td_report_cases(td_db *db, const char *drill, const char *key, const td_report_filter *f,
                          int limit, int (*cb)(const char *case_id, void *ud), void *ud, td_err *err)
{
    /* Each kind: cases taken in during the period (China days) with the row's key. */
    static const struct {
        const char *kind, *sql;
    } q[] = {
        { "state", "SELECT c.id FROM cases c WHERE c.state = ?1 AND coalesce(date(c.created_at, '+8 hours'), '') BETWEEN ?2 "
                   "AND ?3 AND (?4 = '' OR c.station_id = ?4) AND c.deleted_at IS NULL "
                   "ORDER BY c.created_at DESC LIMIT ?5" },
        { "channel", "SELECT c.id FROM cases c WHERE c.channel = ?1 AND coalesce(date(c.created_at, '+8 hours'), '') BETWEEN "
                     "?2 AND ?3 AND (?4 = '' OR c.station_id = ?4) AND c.deleted_at IS NULL "
                     "ORDER BY c.created_at DESC LIMIT ?5" },
        { "type", "SELECT c.id FROM cases c WHERE c.case_type = ?1 AND coalesce(date(c.created_at, '+8 hours'), '') BETWEEN "
                  "?2 AND ?3 AND (?4 = '' OR c.station_id = ?4) AND c.deleted_at IS NULL "
                  "ORDER BY c.created_at DESC LIMIT ?5" },
        { "category", "SELECT c.id FROM cases c JOIN persons p ON p.id = c.person_id WHERE "
                      "coalesce(p.category_id, '') = ?1 AND coalesce(date(c.created_at, '+8 hours'), '') BETWEEN ?2 AND ?3 "
                      "AND (?4 = '' OR c.station_id = ?4) AND c.deleted_at IS NULL "
                      "ORDER BY c.created_at DESC LIMIT ?5" },
        { "tier", "SELECT c.id FROM cases c WHERE coalesce(c.tier_id, '') = ?1 AND date(c.created_at, "
                  "'+8 hours') BETWEEN ?2 AND ?3 AND (?4 = '' OR c.station_id = ?4) AND c.deleted_at IS NULL "
                  "ORDER BY c.created_at DESC LIMIT ?5" },
        { "station", "SELECT c.id FROM cases c WHERE c.station_id = ?1 AND coalesce(date(c.created_at, '+8 hours'), '') "
                     "BETWEEN ?2 AND ?3 AND (?4 = '' OR c.station_id = ?4) AND c.deleted_at IS NULL "
                     "ORDER BY c.created_at DESC LIMIT ?5" },
        { "month", "SELECT c.id FROM cases c WHERE substr(coalesce(date(c.created_at, '+8 hours'), ''), 1, 7) = ?1 AND "
                   "coalesce(date(c.created_at, '+8 hours'), '') BETWEEN ?2 AND ?3 AND (?4 = '' OR c.station_id = ?4) "
                   "AND c.deleted_at IS NULL ORDER BY c.created_at DESC LIMIT ?5" },
        { "service", "SELECT DISTINCT c.id FROM service_requests r JOIN cases c ON c.id = r.case_id WHERE "
                     "r.service_id = ?1 AND coalesce(date(r.created_at, '+8 hours'), '') BETWEEN ?2 AND ?3 AND "
                     "(?4 = '' OR c.station_id = ?4) AND r.deleted_at IS NULL "
                     "ORDER BY c.created_at DESC LIMIT ?5" },
        { "department", "SELECT DISTINCT c.id FROM service_requests r JOIN cases c ON c.id = r.case_id "
                        "JOIN services s ON s.id = r.service_id WHERE coalesce(s.department_id, '') = ?1 AND "
                        "coalesce(date(r.created_at, '+8 hours'), '') BETWEEN ?2 AND ?3 AND (?4 = '' OR c.station_id = ?4) "
                        "AND r.deleted_at IS NULL ORDER BY c.created_at DESC LIMIT ?5" },
        /* overdue is as of today, whatever the period */
        { "overdue.service", "SELECT DISTINCT c.id FROM service_requests r JOIN cases c ON c.id = r.case_id "
                             "WHERE r.service_id = ?1 AND r.status IN ('pending','in_progress') AND r.due_date < "
                             "?6 AND (?4 = '' OR c.station_id = ?4) AND r.deleted_at IS NULL AND ?2 = ?2 "
                             "AND ?3 = ?3 ORDER BY r.due_date LIMIT ?5" },
        { "overdue.department", "SELECT DISTINCT c.id FROM service_requests r JOIN cases c ON c.id = r.case_id "
                                "JOIN services s ON s.id = r.service_id WHERE coalesce(s.department_id, '') = ?1 "
                                "AND r.status IN ('pending','in_progress') AND r.due_date < ?6 AND "
                                "(?4 = '' OR c.station_id = ?4) AND r.deleted_at IS NULL AND ?2 = ?2 AND ?3 = ?3 "
                                "ORDER BY r.due_date LIMIT ?5" },
        { "rating", "SELECT r.case_id FROM ratings r WHERE CAST(r.score AS TEXT) = ?1 AND r.rated_on BETWEEN ?2 "
                    "AND ?3 AND (?4 = '' OR r.station_id = ?4) AND r.deleted_at IS NULL "
                    "ORDER BY r.created_at DESC LIMIT ?5" },
    };
    const char *sql = NULL;
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        if (drill && strcmp(q[i].kind, drill) == 0)
            sql = q[i].sql;
    if (!sql)
        return td_err_set(err, TD_EINVALID, "%s", _("There are no cases behind this figure"));
    char from[TD_DATE_LEN], to[TD_DATE_LEN], today[TD_DATE_LEN];
    snprintf(from, sizeof from, "%s", f && f->from[0] ? f->from : "0000-01-01");
    td_date_format(td_today(), today);
    snprintf(to, sizeof to, "%s", f && f->to[0] ? f->to : today);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("reading statistics"), err);
    td_bind_text(st, 1, key ? key : "");
    td_bind_text(st, 2, from);
    td_bind_text(st, 3, to);
    td_bind_text(st, 4, f ? f->station_id : "");
    sqlite3_bind_int(st, 5, limit > 0 ? limit : 1000);
    td_bind_text(st, 6, today);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (cb((const char *)sqlite3_column_text(st, 0), ud))
            break;
    td_status s = rc == SQLITE_DONE || rc == SQLITE_ROW ? TD_OK : td_db_fail(db, _("reading statistics"), err);
    sqlite3_finalize(st);
    return s;
}

typedef struct scoped_drill {
    td_db *db;
    const td_actor *a;
    int (*cb)(const char *case_id, void *ud);
    void *ud;
} scoped_drill;

static int scoped_case(const char *case_id, void *ud)
{
    scoped_drill *x = ud;
    td_case c;
    if (td_case_get(x->db, case_id, &c, NULL) != TD_OK || td_case_in_scope(x->db, x->a, &c, NULL) != TD_OK)
        return 0;
    return x->cb(case_id, x->ud);
}

td_status td_report_cases_as(td_db *db, const td_actor *a, const char *drill, const char *key,
                             const td_report_filter *f, int limit, int (*cb)(const char *case_id, void *ud),
                             void *ud, td_err *err)
{
    scoped_drill x = { db, a, cb, ud };
    return td_report_cases(db, drill, key, f, limit, scoped_case, &x, err);
}
