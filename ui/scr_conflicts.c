/* scr_conflicts.c — the review queue of sync conflicts (待处理冲突): the
 * open clashes, oldest first, and for the selected one the value the other
 * place's clerk saw (base), ours and theirs side by side, each with the
 * station, clerk and time it was written (as ODK Central's and SORMAS's
 * review screens show them).  m keeps ours, t takes theirs, e writes another
 * value, d dismisses with a reason; each asks first and is one audited act of
 * the core (td_sync_conflict_resolve), whose result travels to the other
 * place with the next bundle. */
#include "draw.h"
#include "base/i18n.h"
#include "base/text.h"
#include "base/timeutil.h"
#include "screens.h"
#include "sync/conflicts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONFLICTS 500

typedef struct cf_state {
    ui_app *app;
    td_sync_conflict *c;
    int n, sel, top;
    long data_version;
} cf_state;

static int add_cb(const td_sync_conflict *c, void *ud)
{
    cf_state *s = ud;
    s->c[s->n++] = *c;
    return s->n >= MAX_CONFLICTS;
}

static void load(cf_state *s)
{
    td_err err;
    td_err_clear(&err);
    s->n = 0;
    if (td_sync_conflicts_each(s->app->db, "open", add_cb, s, &err) != TD_OK)
        ui_status_err(s->app, &err);
    if (s->sel >= s->n)
        s->sel = s->n ? s->n - 1 : 0;
    s->data_version = ui_data_version(s->app);
}

/* The field in words: person fields by their form labels, else table.column. */
static void field_label(const td_sync_conflict *c, char *out, size_t len)
{
    static const struct { const char *col, *label; } person[] = {
        { "name", N_("Name") },         { "name_latin", N_("Latin name") }, { "id_type", N_("ID type") },
        { "id_no", N_("ID number") },   { "gender", N_("Gender") },         { "birth_date", N_("Birth date") },
        { "nationality", N_("Nationality") }, { "phone", N_("Mobile") },   { "email", N_("E-mail") },
        { "category", N_("Category") }, { "employer", N_("Employer") },     { "field", N_("Field") },
        { "notes", N_("Notes") },
    };
    if (strcmp(c->tbl, "persons") == 0)
        for (size_t i = 0; i < sizeof person / sizeof person[0]; i++)
            if (strcmp(c->col, person[i].col) == 0) {
                snprintf(out, len, "%s", _(person[i].label));
                return;
            }
    if (strcmp(c->col, "*") == 0)
        snprintf(out, len, "%s (%s)", c->tbl, _("whole record"));
    else
        snprintf(out, len, "%s.%s", c->tbl, c->col);
}

static const char *kind_name(const char *k)
{
    if (strcmp(k, "field") == 0)
        return _("same field edited at two places");
    if (strcmp(k, "deleted") == 0)
        return _("edited here, deleted there (or the other way)");
    if (strcmp(k, "missing") == 0)
        return _("the record is not here");
    return _("the record clashes with one here (same identity number or name)");
}

static void when(const char *utc, char *out, size_t len)
{
    if (utc && *utc)
        td_ts_local(utc, out, len);
    else
        snprintf(out, len, "-");
}

/* Draws value wrapped to w columns over at most h rows (y, x). */
typedef struct wrap_ud {
    int y, x, w, left;
    enum ui_style st;
} wrap_ud;

static int wrap_line(const char *line, size_t len, void *ud)
{
    wrap_ud *u = ud;
    char buf[1024];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf - 1 ? len : sizeof buf - 1), line);
    ui_put(u->y++, u->x, u->w, buf, u->st);
    return --u->left <= 0;
}

static void put_value(int y, int x, int w, int h, const char *v, enum ui_style st)
{
    for (int i = 0; i < h; i++)
        ui_blank(y + i, x, w, UI_S_NORMAL);
    if (h <= 0)
        return;
    if (!v || !*v) {
        ui_put(y, x, w, _("(empty)"), UI_S_DIM);
        return;
    }
    char clean[1600];
    td_text_sanitize(v, clean, sizeof clean);
    wrap_ud u = { y, x, w, h, st };
    td_text_wrap(clean, w, wrap_line, &u);
}

static void draw_detail(cf_state *s, ui_rect r)
{
    for (int i = 0; i < r.h; i++)
        ui_blank(r.y + i, r.x, r.w, UI_S_NORMAL);
    if (!s->n || r.h < 6)
        return;
    const td_sync_conflict *c = &s->c[s->sel];
    char fl[160], line[700];
    field_label(c, fl, sizeof fl);
    snprintf(line, sizeof line, _("Case %s  Field: %s  (%s)"), c->case_no[0] ? c->case_no : "-", fl,
             kind_name(c->kind));
    ui_put(r.y, r.x, r.w, line, UI_S_HEADER);
    /* the label column and three value columns, one blank between (as ui_put_row) */
    int lw = 8, avail = r.w - lw - 3, cw = avail / 3, w2 = avail - 2 * cw;
    int x0 = r.x + lw + 1, x1 = x0 + cw + 1, x2 = x1 + cw + 1;
    char theirs_head[80];
    snprintf(theirs_head, sizeof theirs_head, _("Theirs (from %s)"), c->station[0] ? c->station : "?");
    const char *heads[4] = { "", _("Base (what they saw)"), _("Ours (here)"), theirs_head };
    const int widths[4] = { lw, cw, cw, w2 };
    ui_put_row(r.y + 1, r.x, r.w, 4, heads, widths, UI_S_HEADER);
    char mt[40], tt[40];
    when(c->mine_at, mt, sizeof mt);
    when(c->at, tt, sizeof tt);
    const char *st_row[4] = { _("Station"), "", c->mine_station[0] ? c->mine_station : _("here"), c->station };
    const char *us_row[4] = { _("Clerk"), "", c->mine_user[0] ? c->mine_user : "-", c->user[0] ? c->user : "-" };
    const char *at_row[4] = { _("Time"), "", mt, tt };
    ui_put_row(r.y + 2, r.x, r.w, 4, st_row, widths, UI_S_NORMAL);
    ui_put_row(r.y + 3, r.x, r.w, 4, us_row, widths, UI_S_NORMAL);
    ui_put_row(r.y + 4, r.x, r.w, 4, at_row, widths, UI_S_NORMAL);
    int vh = r.h - 5;
    bool moved = strcmp(c->current, c->mine) != 0;
    if (moved)
        vh--;
    ui_put(r.y + 5, r.x, lw, _("Value"), UI_S_NORMAL);
    for (int i = 1; i < vh; i++)
        ui_blank(r.y + 5 + i, r.x, lw, UI_S_NORMAL);
    put_value(r.y + 5, x0, cw, vh, c->base, UI_S_DIM);
    put_value(r.y + 5, x1, cw, vh, c->mine, UI_S_NORMAL);
    put_value(r.y + 5, x2, w2, vh, c->theirs, UI_S_OK);
    if (moved) {
        snprintf(line, sizeof line, _("The value here has changed since: %s"), c->current[0] ? c->current : _("(empty)"));
        ui_put(r.y + r.h - 1, r.x, r.w, line, UI_S_ERROR);
    }
}

static void cf_draw(ui_app *app, ui_view *v, ui_rect r)
{
    cf_state *s = v->state;
    (void)app;
    char head[256];
    snprintf(head, sizeof head, _("Conflicts to review: %d   m keep ours  t take theirs  e edit  d dismiss"), s->n);
    ui_put(r.y, r.x, r.w, head, UI_S_HEADER);
    int lh = s->n < 3 ? 3 : s->n;
    int cap = (r.h - 2) / 3;
    if (cap < 3)
        cap = 3;
    if (lh > cap)
        lh = cap;
    int min[5] = { 16, 14, 6, 16, 0 };
    int widths[5];
    ui_cols_fit(r.w, 5, min, 1u << 0, widths);
    const char *hc[5] = { _("Case"), _("Changed field"), _("From"), _("Their time"), _("Ours / theirs") };
    ui_put_row(r.y + 1, r.x, r.w, 5, hc, widths, UI_S_HEADER);
    if (s->sel < s->top)
        s->top = s->sel;
    if (s->sel >= s->top + lh)
        s->top = s->sel - lh + 1;
    for (int i = 0; i < lh; i++) {
        int k = s->top + i;
        if (k >= s->n) {
            ui_blank(r.y + 2 + i, r.x, r.w, UI_S_NORMAL);
            continue;
        }
        const td_sync_conflict *c = &s->c[k];
        char fl[160], tt[40], both[1100];
        field_label(c, fl, sizeof fl);
        when(c->at, tt, sizeof tt);
        snprintf(both, sizeof both, "%s / %s", c->mine[0] ? c->mine : _("(empty)"), c->theirs[0] ? c->theirs : _("(empty)"));
        const char *cells[5] = { c->case_no[0] ? c->case_no : "-", fl, c->station, tt, both };
        ui_put_row(r.y + 2 + i, r.x, r.w, 5, cells, widths, k == s->sel ? UI_S_SELECTED : UI_S_NORMAL);
    }
    if (s->n == 0)
        ui_put(r.y + 2, r.x, r.w, _("(no open conflicts)"), UI_S_DIM);
    ui_hrule(r.y + 2 + lh, r.x, r.w);
    ui_rect d = { r.y + 3 + lh, r.x, r.h - 3 - lh, r.w };
    draw_detail(s, d);
}

/* Asks, then resolves the selected conflict; the status line says what happened. */
static void resolve(ui_app *app, cf_state *s, td_sync_resolve how)
{
    if (!s->n)
        return;
    td_sync_conflict c = s->c[s->sel];
    char fl[160], q[1400];
    field_label(&c, fl, sizeof fl);
    char *value = NULL, *reason = NULL;
    if (how == TD_RESOLVE_EDIT) {
        value = ui_prompt(app, _("New value:"), c.current);
        if (!value)
            return;
    }
    reason = ui_prompt(app, how == TD_RESOLVE_DISMISS ? _("Reason for dismissing (required):") : _("Reason (optional):"),
                       "");
    if (!reason) {
        free(value);
        return;
    }
    switch (how) {
    case TD_RESOLVE_KEEP:
        snprintf(q, sizeof q, _("Keep ours (%s) for %s of case %s?"), c.current, fl, c.case_no);
        break;
    case TD_RESOLVE_TAKE:
        snprintf(q, sizeof q, _("Take theirs (%s, from %s) for %s of case %s?"), c.theirs, c.station, fl, c.case_no);
        break;
    case TD_RESOLVE_EDIT:
        snprintf(q, sizeof q, _("Write %s for %s of case %s?"), value, fl, c.case_no);
        break;
    default:
        snprintf(q, sizeof q, _("Dismiss the conflict on %s of case %s without writing a value?"), fl, c.case_no);
    }
    char clean[1400];
    td_text_sanitize(q, clean, sizeof clean);
    if (ui_confirm(app, clean)) {
        td_err err;
        td_err_clear(&err);
        if (td_sync_conflict_resolve(app->db, &app->actor, c.id, how, value, reason, &err) != TD_OK)
            ui_status_err(app, &err);
        else
            ui_status(app, false, "%s", _("Conflict resolved; the choice travels to the other place with the next bundle"));
        load(s);
    } else {
        ui_status(app, false, "%s", _("Nothing changed"));
    }
    free(value);
    free(reason);
}

static unsigned cf_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    cf_state *s = v->state;
    (void)key;
    switch (a) {
    case UI_ACT_UP:
        if (s->sel > 0)
            s->sel--;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DOWN:
        if (s->sel + 1 < s->n)
            s->sel++;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_KEEP_OURS:
        resolve(app, s, TD_RESOLVE_KEEP);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_TAKE_THEIRS:
        resolve(app, s, TD_RESOLVE_TAKE);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_RESOLVE_EDIT:
        resolve(app, s, TD_RESOLVE_EDIT);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_DISMISS:
        resolve(app, s, TD_RESOLVE_DISMISS);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_OPEN:
        if (s->n && s->c[s->sel].case_no[0]) {
            char no[32];
            snprintf(no, sizeof no, "%s", s->c[s->sel].case_no);
            ui_open_case(app, no);
        }
        return UI_HANDLED | UI_FULL;
    case UI_ACT_REFRESH:
        load(s);
        return UI_HANDLED | UI_REDRAW;
    default:
        return 0;
    }
}

static void cf_poll(ui_app *app, ui_view *v)
{
    cf_state *s = v->state;
    if (v->resumed || ui_data_version(app) != s->data_version) {
        v->resumed = false;
        load(s);
    }
}

static void cf_destroy(ui_view *v)
{
    cf_state *s = v->state;
    free(s->c);
    free(s);
}

static const ui_action cf_actions[] = { UI_ACT_HELP, UI_ACT_KEEP_OURS, UI_ACT_TAKE_THEIRS, UI_ACT_RESOLVE_EDIT,
                                        UI_ACT_REFRESH, UI_ACT_DISMISS, UI_ACT_OPEN, UI_ACT_UP, UI_ACT_DOWN,
                                        UI_ACT_BACK, UI_ACT_QUIT, UI_ACT_NONE };

static const ui_view_ops cf_ops = {
    .name = "conflicts",
    .title = N_("Sync conflicts"),
    .actions = cf_actions,
    .draw = cf_draw,
    .key = cf_key,
    .poll = cf_poll,
    .destroy = cf_destroy,
};

void ui_open_conflicts(ui_app *app)
{
    cf_state *s = calloc(1, sizeof *s);
    if (!s || !(s->c = calloc(MAX_CONFLICTS, sizeof *s->c)))
        abort();
    s->app = app;
    load(s);
    ui_push(app, ui_view_new(&cf_ops, s));
}
