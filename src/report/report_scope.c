/* report_scope.c — report totals limited to the signed-in user's record
 * scope by station (issue 10 item 5): see stats.h, "reports for a
 * signed-in user". */
#include "auth/access.h"
#include "base/i18n.h"
#include "report_xlsx.h"
#include "stats.h"
#include "targets.h"

#include <stdio.h>
#include <string.h>

td_status td_report_filter_scope(td_db *db, const td_actor *a, const td_report_filter *f, td_report_filter *out,
                                 td_err *err)
{
    memset(out, 0, sizeof *out);
    if (f)
        *out = *f;
    td_status s = td_access_require(db, a, TD_ACT_REPORT, err);
    if (s)
        return s;
    switch (td_actor_scope(a)) {
    case TD_SCOPE_ALL:
        return TD_OK;
    case TD_SCOPE_STATION:
        if (out->station_id[0] && strcmp(out->station_id, a->station_id) != 0) {
            td_err_set(err, TD_EDENIED, _("The figures of another station are outside your record scope; "
                                          "you may see only those of %s"),
                       a->station_code);
            return td_access_denied(db, a, NULL, err);
        }
        snprintf(out->station_id, sizeof out->station_id, "%s", a->station_id);
        return TD_OK;
    default:
        td_err_set(err, TD_EDENIED,
                   _("Report totals count whole stations; your record scope (%s) does not include them"),
                   td_scope_name(td_actor_scope(a)));
        return td_access_denied(db, a, NULL, err);
    }
}

td_status td_report_table_as(td_db *db, const td_actor *a, const char *id, const td_report_filter *f,
                             td_stat_table *out, td_err *err)
{
    td_report_filter g;
    memset(out, 0, sizeof *out);
    td_status s = td_report_filter_scope(db, a, f, &g, err);
    return s ? s : td_report_table(db, id, &g, out, err);
}

td_status td_report_summary_get_as(td_db *db, const td_actor *a, const td_report_filter *f, td_report_summary *out,
                                   td_err *err)
{
    td_report_filter g;
    td_status s = td_report_filter_scope(db, a, f, &g, err);
    return s ? s : td_report_summary_get(db, &g, out, err);
}

td_status td_report_headline_as(td_db *db, const td_actor *a, const td_report_filter *f, td_report_summary *out,
                                td_err *err)
{
    td_report_filter g;
    td_status s = td_report_filter_scope(db, a, f, &g, err);
    return s ? s : td_report_headline(db, &g, out, err);
}

td_status td_targets_progress_as(td_db *db, const td_actor *a, const char *station_id, td_target_progress **out,
                                 int *n, td_err *err)
{
    td_report_filter f, g;
    memset(&f, 0, sizeof f);
    *out = NULL;
    *n = 0;
    snprintf(f.station_id, sizeof f.station_id, "%s", station_id ? station_id : "");
    td_status s = td_report_filter_scope(db, a, &f, &g, err);
    return s ? s : td_targets_progress(db, g.station_id, out, n, err);
}

td_status td_report_xlsx_as(td_db *db, const td_actor *a, const char *const *ids, int n, const td_report_filter *f,
                            const char *path, void (*progress)(void *ud, int done, int total), void *ud, td_err *err)
{
    td_report_filter g;
    td_status s = td_report_filter_scope(db, a, f, &g, err);
    return s ? s : td_report_xlsx(db, ids, n, &g, path, progress, ud, err);
}
