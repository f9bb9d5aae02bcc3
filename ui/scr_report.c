/* scr_report.c — the managers' report screens: a dashboard (targets with
 * progress bars, this month against last, overdue by department, the last
 * twelve months as a sparkline) and one page per report table of
 * src/report/stats.h, each row a bar with its numbers beside it.
 * Tab / ←→ change page, ↑↓ select, Enter opens the cases behind the
 * selected figure, p cycles the period, s the station.  Reads only the core's
 * report API; nothing here counts. */
#include "chart.h"
#include "cases/scope.h"
#include "draw.h"
#include "base/i18n.h"
#include "screens.h"
#include "cases/case.h"
#include "report/stats.h"
#include "report/targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 400
#define MAX_STATIONS 32
#define NUM_W 11 /* columns of one number cell */

typedef struct rrow {
    char label[256];
    char bar[200];       /* chart glyphs (may be "") */
    char nums[800];      /* the numbers beside the chart */
    enum ui_style st;
    char drill[32];      /* "" = not a figure with cases behind it */
    char key[64];
    int month_back;      /* -1 = the screen's filter; 0 = this month, 1 = last month */
    char source[512];    /* a target's seed and clause */
} rrow;

typedef struct report_state {
    ui_app *app;
    int page;            /* 0 = dashboard, 1.. = td_report_ids[page - 1] */
    int npages;
    int period;          /* index into PERIODS */
    int station;         /* 0 = all, 1.. = stations[station - 1] */
    char stations[MAX_STATIONS][2][TD_UUID_LEN + 64];  /* id, "code name" */
    int nstations;
    td_report_filter f;
    rrow *rows;
    int nrows, sel, top;
    char title[256];
    const char *cols[TD_STAT_COLS];  /* column names of a table page (static, translated) */
    int ncols;
    long data_version;
    bool ascii;
} report_state;

static const char *const PERIODS[] = { N_("all time"), N_("this month"), N_("last month"), N_("this year"),
                                       N_("last 12 months") };
#define NPERIODS 5

static rrow *add(report_state *s)
{
    if (s->nrows >= MAX_ROWS)
        return NULL;
    rrow *r = &s->rows[s->nrows++];
    memset(r, 0, sizeof *r);
    r->month_back = -1;
    return r;
}

static void heading(report_state *s, const char *text)
{
    rrow *r = add(s);
    if (r) {
        snprintf(r->label, sizeof r->label, "%s", text);
        r->st = UI_S_HEADER;
    }
}

static void make_filter(report_state *s)
{
    const char *station = s->station > 0 ? s->stations[s->station - 1][0] : "";
    memset(&s->f, 0, sizeof s->f);
    td_date t = td_today();
    switch (s->period) {
    case 1:
    case 2:
        td_report_month(NULL, s->period - 1, &s->f);
        break;
    case 3:
        snprintf(s->f.from, sizeof s->f.from, "%04d-01-01", t.y);
        break;
    case 4: {
        td_report_filter m;
        td_report_month(NULL, 11, &m);
        memcpy(s->f.from, m.from, sizeof s->f.from);
        break;
    }
    default:
        break;
    }
    snprintf(s->f.station_id, sizeof s->f.station_id, "%s", station);
}

static int bar_cols(int w)
{
    return w >= 140 ? 40 : w >= 100 ? 24 : 12;
}

static void fmt_val(const td_stat_table *t, const td_stat_row *r, int c, char *buf, size_t len)
{
    switch (t->kinds[c]) {
    case TD_SK_TEXT:
        snprintf(buf, len, "%s", r->text);
        break;
    case TD_SK_PCT:
        snprintf(buf, len, "%.1f%%", r->v[c] * 100);
        break;
    case TD_SK_DAYS:
        snprintf(buf, len, r->v[c] < 0 ? "-" : "%.0f", r->v[c]);
        break;
    default:
        snprintf(buf, len, "%.0f", r->v[c]);
    }
}

/* Numbers of a row as fixed-width columns ("%10s" each). */
static void row_nums(const td_stat_table *t, const td_stat_row *r, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int c = 0; c < t->ncols && at + 1 < len; c++) {
        char v[64];
        fmt_val(t, r, c, v, sizeof v);
        int n = snprintf(buf + at, len - at, "%*s", NUM_W, v);
        if (n < 0)
            break;
        at += (size_t)n;
    }
}

static void load_dashboard(report_state *s, int w)
{
    td_err err;
    td_err_clear(&err);
    int bc = bar_cols(w);
    snprintf(s->title, sizeof s->title, "%s", _("Dashboard"));
    s->ncols = 0;
    /* targets */
    heading(s, _("Targets of the plans"));
    td_target_progress *tp = NULL;
    int n = 0;
    if (td_targets_progress_as(s->app->db, &s->app->actor, s->f.station_id, &tp, &n, &err) != TD_OK)
        ui_status_err(s->app, &err);
    for (int i = 0; i < n; i++) {
        rrow *r = add(s);
        if (!r)
            break;
        double frac = tp[i].target > 0 ? (double)tp[i].done / (double)tp[i].target : 0;
        snprintf(r->label, sizeof r->label, "%s", tp[i].name);
        char b[160];
        ui_chart_bar(frac, bc, s->ascii, b, sizeof b);
        snprintf(r->bar, sizeof r->bar, "[%s]", b);
        char pace[96];
        if (tp[i].ended)
            snprintf(pace, sizeof pace, _("ended %s"), tp[i].period_end);
        else
            snprintf(pace, sizeof pace, _("needs %ld a month"), tp[i].per_month_needed);
        /* the source (seed and clause) beside it when there is room; Enter shows it always */
        snprintf(r->nums, sizeof r->nums, "%ld/%ld %5.1f%% %s%s%s", tp[i].done, tp[i].target, frac * 100, pace,
                 w >= 140 ? "  " : "", w >= 140 ? tp[i].source : "");
        snprintf(r->drill, sizeof r->drill, "target");
        snprintf(r->source, sizeof r->source, "%s", tp[i].source);
        r->st = tp[i].ended && tp[i].done < tp[i].target ? UI_S_DIM : frac >= 1 ? UI_S_OK : UI_S_NORMAL;
    }
    free(tp);
    /* this month against last */
    heading(s, _("This month against last"));
    td_report_filter m0, m1;
    td_report_month(&s->f, 0, &m0);
    td_report_month(&s->f, 1, &m1);
    td_report_summary a, b;
    if (td_report_headline_as(s->app->db, &s->app->actor, &m0, &a, &err) != TD_OK ||
        td_report_headline_as(s->app->db, &s->app->actor, &m1, &b, &err) != TD_OK) {
        ui_status_err(s->app, &err);
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
    }
    struct {
        const char *label;
        long now, before;
        const char *drill;
    } cmp[] = {
        { _("Cases taken in"), a.cases, b.cases, "month" },
        { _("Services done (person-times)"), a.renci, b.renci, "" },
        { _("Cases closed"), a.closed, b.closed, "" },
        { _("Ratings"), a.ratings, b.ratings, "" },
    };
    for (size_t i = 0; i < sizeof cmp / sizeof cmp[0]; i++) {
        rrow *r = add(s);
        if (!r)
            break;
        long mx = cmp[i].now > cmp[i].before ? cmp[i].now : cmp[i].before;
        char b1[160];
        ui_chart_bar(mx ? (double)cmp[i].now / (double)mx : 0, bc / 2, s->ascii, b1, sizeof b1);
        snprintf(r->label, sizeof r->label, "%s", cmp[i].label);
        snprintf(r->bar, sizeof r->bar, "[%s]", b1);
        const char *arrow = cmp[i].now > cmp[i].before ? "+" : cmp[i].now < cmp[i].before ? "-" : "=";
        snprintf(r->nums, sizeof r->nums, "%s %ld  %s %ld  %s%ld", _("this"), cmp[i].now, _("last"),
                 cmp[i].before, arrow, labs(cmp[i].now - cmp[i].before));
        if (cmp[i].drill[0]) {
            snprintf(r->drill, sizeof r->drill, "%s", cmp[i].drill);
            snprintf(r->key, sizeof r->key, "%.7s", m0.from);
            r->month_back = 0;
        }
    }
    /* overdue by department */
    heading(s, _("Open overdue by department"));
    td_stat_table t;
    if (td_report_table_as(s->app->db, &s->app->actor, "overdue.department", &s->f, &t, &err) == TD_OK) {
        double mx = 0;
        for (int i = 0; i < t.nrows; i++)
            if (t.rows[i].v[0] > mx)
                mx = t.rows[i].v[0];
        int shown = 0;
        for (int i = 0; i < t.nrows; i++) {
            if (t.rows[i].v[0] <= 0)
                continue;
            rrow *r = add(s);
            if (!r)
                break;
            char b1[160];
            ui_chart_bar(mx > 0 ? t.rows[i].v[0] / mx : 0, bc, s->ascii, b1, sizeof b1);
            snprintf(r->label, sizeof r->label, "%s", t.rows[i].label);
            snprintf(r->bar, sizeof r->bar, "[%s]", b1);
            snprintf(r->nums, sizeof r->nums, "%.0f", t.rows[i].v[0]);
            snprintf(r->drill, sizeof r->drill, "overdue.department");
            snprintf(r->key, sizeof r->key, "%s", t.rows[i].key);
            r->st = UI_S_ERROR;
            shown++;
        }
        if (!shown) {
            rrow *r = add(s);
            if (r) {
                snprintf(r->label, sizeof r->label, "%s", _("(nothing overdue)"));
                r->st = UI_S_OK;
            }
        }
        td_stat_table_free(&t);
    } else {
        ui_status_err(s->app, &err);
    }
    /* the last twelve months */
    heading(s, _("Cases taken in, last 12 months"));
    td_report_filter y;
    td_report_month(&s->f, 11, &y);
    y.to[0] = '\0';
    double v[12] = { 0 };
    char months[12][8];
    for (int i = 0; i < 12; i++) {
        td_report_filter mi;
        td_report_month(&s->f, 11 - i, &mi);
        snprintf(months[i], sizeof months[i], "%.7s", mi.from);
    }
    if (td_report_table_as(s->app->db, &s->app->actor, "cases.month", &y, &t, &err) == TD_OK) {
        for (int i = 0; i < t.nrows; i++)
            for (int k = 0; k < 12; k++)
                if (strcmp(t.rows[i].key, months[k]) == 0)
                    v[k] = t.rows[i].v[0];
        td_stat_table_free(&t);
    }
    rrow *r = add(s);
    if (r) {
        char sp[64];
        ui_chart_spark(v, 12, s->ascii, sp, sizeof sp);
        snprintf(r->label, sizeof r->label, "%s..%s", months[0], months[11]);
        snprintf(r->bar, sizeof r->bar, "%s", sp);
        size_t at = 0;
        for (int k = 0; k < 12 && at + 8 < sizeof r->nums; k++)
            at += (size_t)snprintf(r->nums + at, sizeof r->nums - at, "%s%.0f", k ? " " : "", v[k]);
    }
}

static void load_table(report_state *s, const char *id, int w)
{
    td_err err;
    td_err_clear(&err);
    td_stat_table t;
    if (td_report_table_as(s->app->db, &s->app->actor, id, &s->f, &t, &err) != TD_OK) {
        ui_status_err(s->app, &err);
        snprintf(s->title, sizeof s->title, "%s", id);
        return;
    }
    snprintf(s->title, sizeof s->title, "%s", t.title);
    s->ncols = t.ncols;
    for (int c = 0; c < t.ncols; c++)
        s->cols[c] = t.cols[c];
    int bc = bar_cols(w);
    double mx = 0;
    int col = 0;
    if (!strcmp(id, "targets"))
        col = 2;
    for (int i = 0; i < t.nrows; i++)
        if (t.rows[i].v[col] > mx)
            mx = t.rows[i].v[col];
    if (!strcmp(id, "targets"))
        mx = 1;
    bool months = strstr(id, "month") || !strcmp(id, "notices");
    if (months && t.nrows > 1) {
        double v[120];
        int n = t.nrows < 120 ? t.nrows : 120;
        for (int i = 0; i < n; i++)
            v[i] = t.rows[t.nrows - n + i].v[0];
        rrow *r = add(s);
        if (r) {
            ui_chart_spark(v, n < bc ? n : bc, s->ascii, r->bar, sizeof r->bar);
            snprintf(r->label, sizeof r->label, "%s", _("trend"));
            snprintf(r->nums, sizeof r->nums, "%s .. %s", t.rows[0].key, t.rows[t.nrows - 1].key);
            r->st = UI_S_DIM;
        }
    }
    for (int i = 0; i < t.nrows; i++) {
        rrow *r = add(s);
        if (!r)
            break;
        snprintf(r->label, sizeof r->label, "%s", t.rows[i].label);
        char b1[160];
        ui_chart_bar(mx > 0 ? t.rows[i].v[col] / mx : 0, bc, s->ascii, b1, sizeof b1);
        snprintf(r->bar, sizeof r->bar, "[%s]", b1);
        row_nums(&t, &t.rows[i], r->nums, sizeof r->nums);
        snprintf(r->drill, sizeof r->drill, "%s", t.drill);
        snprintf(r->key, sizeof r->key, "%s", t.rows[i].key);
    }
    if (t.nrows == 0) {
        rrow *r = add(s);
        if (r) {
            snprintf(r->label, sizeof r->label, "%s", _("(nothing counted in this period)"));
            r->st = UI_S_DIM;
        }
    }
    td_stat_table_free(&t);
}

static int last_cols;

static void load(report_state *s, int w)
{
    make_filter(s);
    s->nrows = 0;
    s->ascii = ui_chart_ascii() || s->app->opt.ambiwidth == 2;
    if (s->page == 0)
        load_dashboard(s, w);
    else
        load_table(s, td_report_ids[s->page - 1], w);
    if (s->sel >= s->nrows)
        s->sel = s->nrows ? s->nrows - 1 : 0;
    s->data_version = ui_data_version(s->app);
    last_cols = w;
}

static void r_draw(ui_app *app, ui_view *v, ui_rect r)
{
    report_state *s = v->state;
    (void)app;
    if (last_cols != r.w || s->nrows == 0)
        load(s, r.w);
    char head[512];
    snprintf(head, sizeof head, _("%s  [%d/%d]  period: %s  station: %s  (Tab page, p period, s station)"), s->title,
             s->page + 1, s->npages, _(PERIODS[s->period]),
             s->station > 0 ? s->stations[s->station - 1][1] : _("all"));
    ui_put(r.y, r.x, r.w, head, UI_S_HEADER);
    int lw = r.w >= 140 ? 36 : r.w >= 100 ? 30 : 24;
    int bw = bar_cols(r.w) + 2;
    int y0 = r.y + 1;
    if (s->ncols) {
        /* the numbers are "%11s" cells (ASCII); their names sit right-aligned above them */
        ui_blank(y0, r.x, r.w, UI_S_DIM);
        int xn = r.x + lw + 1 + bw + 1;
        for (int c = 0; c < s->ncols && xn + (c + 1) * NUM_W <= r.x + r.w; c++)
            ui_put_right(y0, xn + c * NUM_W, NUM_W, s->cols[c], UI_S_DIM);
        y0++;
    }
    int h = r.y + r.h - y0;
    if (s->sel < s->top)
        s->top = s->sel;
    if (s->sel >= s->top + h)
        s->top = s->sel - h + 1;
    for (int i = 0; i < h; i++) {
        int k = s->top + i, y = y0 + i;
        if (k >= s->nrows) {
            ui_blank(y, r.x, r.w, UI_S_NORMAL);
            continue;
        }
        rrow *row = &s->rows[k];
        enum ui_style st = k == s->sel ? UI_S_SELECTED : row->st;
        ui_blank(y, r.x, r.w, st);
        if (row->st == UI_S_HEADER && k != s->sel) {
            ui_put(y, r.x, r.w, row->label, UI_S_HEADER);
            continue;
        }
        ui_put(y, r.x, lw, row->label, st);
        ui_put(y, r.x + lw + 1, bw, row->bar, st);
        ui_put(y, r.x + lw + 1 + bw + 1, r.w - (lw + bw + 2), row->nums, st);
    }
}

/* ── the cases behind a figure ───────────────────────────────────────── */

typedef struct drill_state {
    ui_app *app;
    char title[256];
    char (*ids)[TD_UUID_LEN];
    int n, sel, top;
} drill_state;

static int drill_cb(const char *id, void *ud)
{
    drill_state *d = ud;
    snprintf(d->ids[d->n++], TD_UUID_LEN, "%s", id);
    return d->n >= 500;
}

static void d_draw(ui_app *app, ui_view *v, ui_rect r)
{
    drill_state *d = v->state;
    ui_put(r.y, r.x, r.w, d->title, UI_S_HEADER);
    const int widths[] = { 18, 16, 14, 0 };
    const char *hc[] = { _("Case"), _("Applicant"), _("State"), _("Opened") };
    ui_put_row(r.y + 1, r.x, r.w, 4, hc, widths, UI_S_HEADER);
    int h = r.h - 2;
    if (d->sel < d->top)
        d->top = d->sel;
    if (d->sel >= d->top + h)
        d->top = d->sel - h + 1;
    for (int i = 0; i < h; i++) {
        int k = d->top + i;
        if (k >= d->n) {
            ui_blank(r.y + 2 + i, r.x, r.w, UI_S_NORMAL);
            continue;
        }
        td_case c;
        td_err err;
        if (td_case_get_as(app->db, &app->actor, d->ids[k], &c, &err) != TD_OK)
            continue;
        char opened[17];
        snprintf(opened, sizeof opened, "%.16s", c.created_at);
        const char *cells[] = { c.case_no, c.person_name, td_state_name(c.state), opened };
        ui_put_row(r.y + 2 + i, r.x, r.w, 4, cells, widths, k == d->sel ? UI_S_SELECTED : UI_S_NORMAL);
    }
    if (d->n == 0)
        ui_put(r.y + 2, r.x, r.w, _("(no cases)"), UI_S_DIM);
}

static unsigned d_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    drill_state *d = v->state;
    (void)key;
    switch (a) {
    case UI_ACT_UP:
        if (d->sel > 0)
            d->sel--;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DOWN:
        if (d->sel + 1 < d->n)
            d->sel++;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_OPEN:
        if (d->n)
            ui_open_case(app, d->ids[d->sel]);
        return UI_HANDLED | UI_REDRAW;
    default:
        return 0;
    }
}

static void d_destroy(ui_view *v)
{
    drill_state *d = v->state;
    free(d->ids);
    free(d);
}

static const ui_action drill_actions[] = { UI_ACT_HELP, UI_ACT_OPEN, UI_ACT_UP, UI_ACT_DOWN,
                                           UI_ACT_BACK, UI_ACT_QUIT, UI_ACT_NONE };
static const ui_view_ops drill_ops = {
    .name = "report-cases",
    .title = N_("Cases behind a figure"),
    .actions = drill_actions,
    .draw = d_draw,
    .key = d_key,
    .destroy = d_destroy,
};

static void open_drill(report_state *s, const rrow *row)
{
    drill_state *d = calloc(1, sizeof *d);
    if (!d || !(d->ids = calloc(500, TD_UUID_LEN)))
        abort();
    d->app = s->app;
    td_report_filter f = s->f;
    if (row->month_back >= 0)
        td_report_month(&s->f, row->month_back, &f);
    td_err err;
    td_err_clear(&err);
    if (td_report_cases_as(s->app->db, &s->app->actor, row->drill, row->key, &f, 500, drill_cb, d, &err) != TD_OK) {
        ui_status_err(s->app, &err);
        free(d->ids);
        free(d);
        return;
    }
    snprintf(d->title, sizeof d->title, _("%s: %d cases (Enter opens one)"), row->label, d->n);
    ui_push(s->app, ui_view_new(&drill_ops, d));
}

/* ── keys ────────────────────────────────────────────────────────────── */

static void sel_move(report_state *s, int by)
{
    int k = s->sel + by;
    if (k < 0)
        k = 0;
    if (k >= s->nrows)
        k = s->nrows - 1;
    s->sel = k < 0 ? 0 : k;
}

static unsigned r_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    report_state *s = v->state;
    (void)app;
    switch (a) {
    case UI_ACT_TAB_NEXT:
    case UI_ACT_TAB_PREV:
        s->page = (s->page + (a == UI_ACT_TAB_NEXT ? 1 : s->npages - 1)) % s->npages;
        s->sel = s->top = 0;
        s->nrows = 0;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_UP:
        sel_move(s, -1);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DOWN:
        sel_move(s, 1);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_PGUP:
        sel_move(s, -10);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_PGDN:
        sel_move(s, 10);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_FIRST:
        s->sel = 0;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_LAST:
        sel_move(s, MAX_ROWS);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REPORT_PERIOD:
        s->period = (s->period + 1) % NPERIODS;
        s->nrows = 0;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REPORT_STATION:
        if (!td_scope_station_only(&app->actor))
            s->station = (s->station + 1) % (s->nstations + 1);
        s->nrows = 0;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REFRESH:
        s->nrows = 0;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_OPEN:
        if (s->nrows && !strcmp(s->rows[s->sel].drill, "target"))
            ui_status(app, false, "%s: %s", s->rows[s->sel].label, s->rows[s->sel].source);
        else if (s->nrows && s->rows[s->sel].drill[0])
            open_drill(s, &s->rows[s->sel]);
        else
            ui_status(app, false, "%s", _("There are no cases behind this figure"));
        return UI_HANDLED | UI_REDRAW;
    default:
        (void)key;
        return 0;
    }
}

static void r_poll(ui_app *app, ui_view *v)
{
    report_state *s = v->state;
    if (v->resumed || ui_data_version(app) != s->data_version)
        s->nrows = 0;  /* reloaded on the next draw */
}

static void r_destroy(ui_view *v)
{
    report_state *s = v->state;
    free(s->rows);
    free(s);
}

static const ui_action report_actions[] = { UI_ACT_HELP,     UI_ACT_OPEN,           UI_ACT_TAB_NEXT,
                                            UI_ACT_TAB_PREV, UI_ACT_REPORT_PERIOD, UI_ACT_REPORT_STATION,
                                            UI_ACT_REFRESH,  UI_ACT_UP,            UI_ACT_DOWN,
                                            UI_ACT_PGUP,     UI_ACT_PGDN,          UI_ACT_FIRST,
                                            UI_ACT_LAST,     UI_ACT_BACK,          UI_ACT_QUIT,
                                            UI_ACT_NONE };

static const ui_view_ops report_ops = {
    .name = "report",
    .title = N_("Statistics"),
    .actions = report_actions,
    .draw = r_draw,
    .key = r_key,
    .poll = r_poll,
    .destroy = r_destroy,
};

void ui_open_report(ui_app *app)
{
    report_state *s = calloc(1, sizeof *s);
    if (!s || !(s->rows = calloc(MAX_ROWS, sizeof *s->rows)))
        abort();
    s->app = app;
    s->npages = 1;
    while (td_report_ids[s->npages - 1])
        s->npages++;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(app->db),
                           "SELECT id, code || ' ' || name FROM stations WHERE deleted_at IS NULL "
                           "AND (?1 = '' OR id = ?1) ORDER BY code", -1,
                           &st, NULL) == SQLITE_OK) {
        /* a station-scoped user sees the figures of his own station only
         * (report/stats.h td_report_filter_scope): the only choice offered */
        bool own = td_scope_station_only(&app->actor);
        sqlite3_bind_text(st, 1, own ? app->actor.station_id : "", -1, SQLITE_TRANSIENT);
        if (own)
            s->station = 1;
        while (sqlite3_step(st) == SQLITE_ROW && s->nstations < MAX_STATIONS) {
            td_col_copy(st, 0, s->stations[s->nstations][0], sizeof s->stations[0][0]);
            td_col_copy(st, 1, s->stations[s->nstations][1], sizeof s->stations[0][1]);
            s->nstations++;
        }
        sqlite3_finalize(st);
    }
    last_cols = 0;
    ui_push(app, ui_view_new(&report_ops, s));
}
