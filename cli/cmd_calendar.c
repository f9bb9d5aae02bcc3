/* cmd_calendar.c — talentdesk calendar add DATE N | is DATE | between A B:
 * working days under the holiday calendar loaded from data/calendar-*.tdp. */
#include "policy/calendar.h"
#include "cli.h"
#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const WEEKDAYS[7] = { N_("Monday"), N_("Tuesday"),  N_("Wednesday"), N_("Thursday"),
                                         N_("Friday"), N_("Saturday"), N_("Sunday") };

static td_status parse_date(td_cli *c, const char *s, td_date *d)
{
    if (!td_date_parse(s, d))
        return td_cli_usage(c, _("'%s' is not a valid date (write YYYY-MM-DD)"), s);
    return TD_OK;
}

static const char *approx_note(void)
{
    return _("note: no official holiday calendar is loaded for part of this period; counted Monday to "
             "Friday (add data/calendar-YYYY.tdp and run: talentdesk policy load)");
}

static int cal_is(td_cli *c, td_calendar *cal, td_date d)
{
    char ds[TD_DATE_LEN];
    td_date_format(d, ds);
    bool work = td_calendar_is_workday(cal, d);
    const char *name = td_calendar_day_name(cal, d);
    bool approx = !td_calendar_covers(cal, d.y);
    /* what kind of day: a plain working day or weekend, a holiday, a worked weekend day */
    const char *kind = name[0] ? (work ? "work" : "off") : (work ? "weekday" : "weekend");
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:b,s:s,s:o,s:b}", "date", ds, "weekday", _(WEEKDAYS[td_date_weekday(d)]),
                              "workday", work, "kind", kind, "holiday", td_json_str(name), "approx", approx));
        return TD_OK;
    }
    char line[256];
    if (name[0] && work)
        snprintf(line, sizeof line, _("%s %s: working day (weekend day worked for %s)"), ds,
                 _(WEEKDAYS[td_date_weekday(d)]), name);
    else if (name[0])
        snprintf(line, sizeof line, _("%s %s: day off (%s)"), ds, _(WEEKDAYS[td_date_weekday(d)]), name);
    else if (work)
        snprintf(line, sizeof line, _("%s %s: working day"), ds, _(WEEKDAYS[td_date_weekday(d)]));
    else
        snprintf(line, sizeof line, _("%s %s: day off (weekend)"), ds, _(WEEKDAYS[td_date_weekday(d)]));
    td_cli_print(line);
    putchar('\n');
    if (approx)
        printf("%s\n", approx_note());
    return TD_OK;
}

static int cal_add(td_cli *c, td_calendar *cal, td_date start, const char *ns)
{
    char *end;
    long n = strtol(ns, &end, 10);
    if (!*ns || *end || n < 0 || n > 3650)
        return td_cli_usage(c, _("'%s' is not a number of working days (0 to 3650)"), ns);
    bool approx = false;
    td_date r = td_calendar_add_workdays(cal, start, (int)n, &approx);
    char a[TD_DATE_LEN], b[TD_DATE_LEN];
    td_date_format(start, a);
    td_date_format(r, b);
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:i,s:s,s:s,s:b}", "start", a, "days", (int)n, "date", b, "weekday",
                              _(WEEKDAYS[td_date_weekday(r)]), "approx", approx));
        return TD_OK;
    }
    td_cli_printf(_("%s + %ld working days = %s %s\n"), a, n, b, _(WEEKDAYS[td_date_weekday(r)]));
    if (approx)
        printf("%s\n", approx_note());
    return TD_OK;
}

static int cal_between(td_cli *c, td_calendar *cal, td_date a, td_date b)
{
    int n = td_calendar_workdays_between(cal, a, b);
    bool approx = false;
    if (td_date_cmp(a, b) < 0) /* the days counted are (a, b] */
        for (int y = td_date_from_days(td_date_to_days(a) + 1).y; y <= b.y && !approx; y++)
            approx = !td_calendar_covers(cal, y);
    char as[TD_DATE_LEN], bs[TD_DATE_LEN];
    td_date_format(a, as);
    td_date_format(b, bs);
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:i,s:b}", "from", as, "to", bs, "workdays", n, "approx", approx));
        return TD_OK;
    }
    td_cli_printf(_("Working days after %s up to and including %s: %d\n"), as, bs, n);
    if (approx)
        printf("%s\n", approx_note());
    return TD_OK;
}

int cmd_calendar(td_cli *c, int argc, char **argv)
{
    const char *usage = _("usage: talentdesk calendar add DATE N | is DATE | between DATE1 DATE2");
    if (argc < 3)
        return td_cli_usage(c, "%s", usage);
    const char *sub = argv[1];
    td_date a, b;
    td_status s;
    if (!((strcmp(sub, "add") == 0 && argc == 4) || (strcmp(sub, "is") == 0 && argc == 3) ||
          (strcmp(sub, "between") == 0 && argc == 4)))
        return td_cli_usage(c, "%s", usage);
    if ((s = parse_date(c, argv[2], &a)))
        return s;
    if (strcmp(sub, "between") == 0 && (s = parse_date(c, argv[3], &b)))
        return s;
    if ((s = td_cli_open_db(c)))
        return s;
    td_calendar *cal = NULL;
    td_err err;
    td_err_clear(&err);
    if (td_calendar_load(c->db, &cal, &err) != TD_OK)
        return td_cli_fail(c, &err);
    int rc;
    if (strcmp(sub, "is") == 0)
        rc = cal_is(c, cal, a);
    else if (strcmp(sub, "add") == 0)
        rc = cal_add(c, cal, a, argv[3]);
    else
        rc = cal_between(c, cal, a, b);
    td_calendar_free(cal);
    return rc;
}
