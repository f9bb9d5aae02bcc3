/* cmd_report.c — talentdesk report summary|sla|targets|services|cases|ratings|notices|rebuild
 * [--from D --to D --station CODE] [--json] [--xlsx FILE]. */
#include "cli.h"
#include "base/i18n.h"
#include "base/text.h"
#include "report/report_xlsx.h"
#include "report/stats.h"

#include <stdio.h>
#include <string.h>

static const char *const SUMMARY_IDS[] = { "targets", "cases.state", "cases.month", "cases.station", "cases.channel",
                                           "cases.category", "cases.tier", "cases.type", "services.service",
                                           "services.department", "services.status", "services.month",
                                           "sla.service", "sla.department", "duration", "notices", "ratings",
                                           NULL };
static const char *const SLA_IDS[] = { "sla.department", "sla.service", "duration", NULL };
static const char *const TARGET_IDS[] = { "targets", NULL };
static const char *const SERVICE_IDS[] = { "services.service", "services.department", "services.status",
                                           "services.month", NULL };
static const char *const CASE_IDS[] = { "cases.state", "cases.month", "cases.station", "cases.channel",
                                        "cases.category", "cases.tier", "cases.type", NULL };
static const char *const RATING_IDS[] = { "ratings", NULL };
static const char *const NOTICE_IDS[] = { "notices", NULL };

static void fmt_cell(const td_stat_table *t, const td_stat_row *r, int c, char *buf, size_t len)
{
    switch (t->kinds[c]) {
    case TD_SK_TEXT:
        snprintf(buf, len, "%s", r->text);
        break;
    case TD_SK_PCT:
        snprintf(buf, len, "%.1f%%", r->v[c] * 100.0);
        break;
    case TD_SK_DAYS:
        if (r->v[c] < 0)
            snprintf(buf, len, "-");
        else
            snprintf(buf, len, "%.0f", r->v[c]);
        break;
    default:
        snprintf(buf, len, "%.0f", r->v[c]);
    }
}

static json_t *table_json(const td_stat_table *t)
{
    json_t *cols = json_array(), *rows = json_array();
    for (int c = 0; c < t->ncols; c++)
        json_array_append_new(cols, json_string(t->cols[c]));
    for (int i = 0; i < t->nrows; i++) {
        const td_stat_row *r = &t->rows[i];
        json_t *vals = json_array();
        for (int c = 0; c < t->ncols; c++) {
            if (t->kinds[c] == TD_SK_TEXT)
                json_array_append_new(vals, json_string(r->text));
            else if (t->kinds[c] == TD_SK_INT)
                json_array_append_new(vals, json_integer((json_int_t)r->v[c]));
            else if (t->kinds[c] == TD_SK_DAYS && r->v[c] < 0)
                json_array_append_new(vals, json_null());
            else
                json_array_append_new(vals, json_real(r->v[c]));
        }
        json_array_append_new(rows, json_pack("{s:s,s:s,s:o}", "key", r->key, "label", r->label, "values", vals));
    }
    return json_pack("{s:s,s:s,s:o,s:o}", "id", t->id, "title", t->title ? t->title : "", "columns", cols, "rows",
                     rows);
}

static void table_print(const td_stat_table *t)
{
    printf("%s\n", t->title);
    const char *cells[TD_STAT_COLS + 1];
    int widths[TD_STAT_COLS + 1];
    char buf[TD_STAT_COLS][96];
    cells[0] = "";
    widths[0] = 30;
    for (int c = 0; c < t->ncols; c++) {
        cells[c + 1] = t->cols[c];
        widths[c + 1] = -12;
    }
    td_cli_row(t->ncols + 1, cells, widths);
    for (int i = 0; i < t->nrows; i++) {
        cells[0] = t->rows[i].label;
        for (int c = 0; c < t->ncols; c++) {
            fmt_cell(t, &t->rows[i], c, buf[c], sizeof buf[c]);
            cells[c + 1] = buf[c];
        }
        td_cli_row(t->ncols + 1, cells, widths);
    }
    if (t->nrows == 0)
        printf("  %s\n", _("(nothing counted in this period)"));
    printf("\n");
}

static json_t *summary_json(const td_report_summary *s)
{
    json_t *j = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "cases", (json_int_t)s->cases,
                          "open_cases", (json_int_t)s->open_cases, "closed", (json_int_t)s->closed, "services",
                          (json_int_t)s->services, "person_times", (json_int_t)s->renci, "on_time",
                          (json_int_t)s->ontime, "late", (json_int_t)s->late, "overdue_open",
                          (json_int_t)s->overdue_open, "notices", (json_int_t)s->notices, "supplied",
                          (json_int_t)s->supplied, "ratings", (json_int_t)s->ratings, "bad_ratings",
                          (json_int_t)s->bad_ratings, "satisfied", (json_int_t)s->satisfied);
    json_object_set_new(j, "median_days", s->median_days < 0 ? json_null() : json_real(s->median_days));
    json_object_set_new(j, "p90_days", s->p90_days < 0 ? json_null() : json_real(s->p90_days));
    json_object_set_new(j, "rating_avg", s->ratings ? json_real(s->rating_avg) : json_null());
    return j;
}

static void summary_print(const td_report_summary *s)
{
    printf("%s\n", _("Summary"));
    printf("  %-24s %ld\n", _("Cases taken in"), s->cases);
    printf("  %-24s %ld\n", _("still open"), s->open_cases);
    printf("  %-24s %ld\n", _("Cases closed"), s->closed);
    printf("  %-24s %ld\n", _("Services requested"), s->services);
    printf("  %-24s %ld\n", _("Services done (person-times)"), s->renci);
    printf("  %-24s %ld / %ld\n", _("On time / late"), s->ontime, s->late);
    printf("  %-24s %ld\n", _("Open overdue today"), s->overdue_open);
    if (s->median_days >= 0)
        printf("  %-24s %.0f / %.0f\n", _("Working days median / P90"), s->median_days, s->p90_days);
    else
        printf("  %-24s -\n", _("Working days median / P90"));
    printf("  %-24s %ld / %ld\n", _("Notices issued / supplied"), s->notices, s->supplied);
    if (s->ratings)
        printf("  %-24s %ld (%.2f, %s %ld)\n", _("Ratings"), s->ratings, s->rating_avg, _("bad"), s->bad_ratings);
    else
        printf("  %-24s 0\n", _("Ratings"));
    printf("\n");
}

static void xlsx_progress(void *ud, int done, int total)
{
    td_cli *c = ud;
    if (c->quiet || c->json)
        return;
    fprintf(stderr, "\r%s %d/%d", _("sheets written:"), done, total);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

int cmd_report(td_cli *c, int argc, char **argv)
{
    const char *usage = _("usage: talentdesk report summary|sla|targets|services|cases|ratings|notices|rebuild "
                          "[--from DATE] [--to DATE] [--station CODE] [--json] [--xlsx FILE]");
    const char *from = td_cli_opt(&argc, argv, "from");
    const char *to = td_cli_opt(&argc, argv, "to");
    const char *station = td_cli_opt(&argc, argv, "station");
    const char *xlsx = td_cli_opt(&argc, argv, "xlsx");
    if (argc != 2)
        return td_cli_usage(c, "%s", usage);
    const char *sub = argv[1];
    const char *const *ids = !strcmp(sub, "summary")    ? SUMMARY_IDS
                             : !strcmp(sub, "sla")      ? SLA_IDS
                             : !strcmp(sub, "targets")  ? TARGET_IDS
                             : !strcmp(sub, "services") ? SERVICE_IDS
                             : !strcmp(sub, "cases")    ? CASE_IDS
                             : !strcmp(sub, "ratings")  ? RATING_IDS
                             : !strcmp(sub, "notices")  ? NOTICE_IDS
                                                        : NULL;
    if (!ids && strcmp(sub, "rebuild") != 0)
        return td_cli_usage(c, "%s", usage);
    td_status s = td_cli_actor(c);
    if (s)
        return s;
    td_err err;
    td_err_clear(&err);
    if (!strcmp(sub, "rebuild")) {
        if ((s = td_actor_require(&c->actor, TD_ROLE_ADMIN, &err)) || (s = td_stats_rebuild(c->db, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:b}", "ok", 1));
        else if (!c->quiet)
            printf("%s\n", _("Statistics rebuilt."));
        return TD_OK;
    }
    td_report_filter f;
    if ((s = td_report_filter_make(c->db, from, to, station, &f, &err)))
        return td_cli_fail(c, &err);
    int n = 0;
    while (ids[n])
        n++;
    if (xlsx) {
        if ((s = td_report_xlsx_as(c->db, &c->actor, ids, n, &f, xlsx, xlsx_progress, c, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:s,s:i}", "file", xlsx, "sheets", n));
        else if (!c->quiet)
            printf(_("Wrote %d sheets to %s\n"), n, xlsx);
        return TD_OK;
    }
    /* `summary` prints the headline figures and the targets; the others their tables */
    td_report_summary sum;
    bool is_summary = !strcmp(sub, "summary");
    if (is_summary && (s = td_report_summary_get_as(c->db, &c->actor, &f, &sum, &err)))
        return td_cli_fail(c, &err);
    int shown = is_summary ? 1 : n;
    json_t *jt = json_array();
    if (is_summary && !c->json)
        summary_print(&sum);
    for (int i = 0; i < shown; i++) {
        td_stat_table t;
        if ((s = td_report_table_as(c->db, &c->actor, ids[i], &f, &t, &err))) {
            json_decref(jt);
            return td_cli_fail(c, &err);
        }
        if (c->json)
            json_array_append_new(jt, table_json(&t));
        else
            table_print(&t);
        td_stat_table_free(&t);
    }
    if (c->json) {
        json_t *j = json_pack("{s:s,s:s,s:o}", "from", f.from, "to", f.to, "tables", jt);
        if (is_summary)
            json_object_set_new(j, "summary", summary_json(&sum));
        td_cli_json(j);
    } else {
        json_decref(jt);
    }
    return TD_OK;
}
