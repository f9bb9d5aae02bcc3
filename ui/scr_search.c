/* scr_search.c — find a person by name (prefix), resident ID, passport or
 * other document number, mobile number, or case number.  Type, Enter to
 * search, arrows to choose, Enter again to open the person's latest case. */
#include "draw.h"
#include "field.h"
#include "i18n.h"
#include "screens.h"
#include "case.h"
#include "idcheck.h"
#include "person.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RESULTS 200

typedef struct hit {
    td_person p;
    long ncases;
} hit;

typedef struct search_state {
    ui_app *app;
    ui_field q;
    char last[UI_FIELD_MAX * 4 + 1];
    hit *hits;
    int n, sel, top;
    bool searched;
} search_state;

static void add_hit(search_state *s, const td_person *p)
{
    if (s->n >= MAX_RESULTS)
        return;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->hits[i].p.id, p->id) == 0)
            return;
    hit *h = &s->hits[s->n++];
    h->p = *p;
    td_case_query cq = { .person_id = p->id };
    h->ncases = 0;
    td_case_count(s->app->db, &cq, &h->ncases, NULL);
}

static int list_cb(const td_person *p, void *ud)
{
    search_state *s = ud;
    add_hit(s, p);
    return s->n >= MAX_RESULTS;
}

static void run_search(search_state *s)
{
    s->n = s->sel = s->top = 0;
    s->searched = true;
    ui_field_get(&s->q, s->last, sizeof s->last);
    const char *q = s->last;
    while (*q == ' ')
        q++;
    if (!*q)
        return;
    td_err err;
    td_err_clear(&err);
    td_person p;
    /* a case number */
    td_case c;
    if (td_case_get(s->app->db, q, &c, NULL) == TD_OK && td_person_get(s->app->db, c.person_id, &p, NULL) == TD_OK)
        add_hit(s, &p);
    /* an identity document or phone number, normalised as the validators do */
    td_id_type t;
    char norm[TD_IDNO_LEN];
    if (td_id_guess_type(q, &t) && td_id_validate(t, q, norm, NULL) == TD_OK &&
        td_person_get(s->app->db, norm, &p, NULL) == TD_OK)
        add_hit(s, &p);
    if (td_phone_validate(q, norm, NULL) == TD_OK && td_person_get(s->app->db, norm, &p, NULL) == TD_OK)
        add_hit(s, &p);
    if (td_person_get(s->app->db, q, &p, NULL) == TD_OK)
        add_hit(s, &p);
    /* a name (prefix) */
    td_person_query pq = { .name_prefix = q, .limit = MAX_RESULTS };
    if (td_person_list(s->app->db, &pq, list_cb, s, &err) != TD_OK)
        ui_status_err(s->app, &err);
    if (s->n == 0)
        ui_status(s->app, true, _("nobody found for \"%s\""), q);
    else
        ui_status(s->app, false, _("%d found: arrows choose, Enter opens the latest case"), s->n);
}

static void s_draw(ui_app *app, ui_view *v, ui_rect r)
{
    search_state *s = v->state;
    (void)app;
    ui_put(r.y, r.x, r.w, _("Find a person: name, ID or passport number, mobile, or case number; Enter searches"),
           UI_S_HEADER);
    const char *label = _("Search:");
    int lw = ui_width(label) + 1;
    char view[UI_FIELD_MAX * 4 + 1];
    int cc = 0;
    int bw = r.w - lw - 2;
    ui_field_view(&s->q, bw, view, sizeof view, &cc);
    ui_put(r.y + 1, r.x, lw, label, UI_S_NORMAL);
    ui_put(r.y + 1, r.x + lw, bw, view, UI_S_FIELD_ACTIVE);
    v->cursor_visible = true;
    v->cur_y = r.y + 1;
    v->cur_x = r.x + lw + cc;
    const char *cells[] = { _("Name"), _("Latin name"), _("ID number"), _("Mobile"), _("Cases") };
    const int widths[] = { 14, 18, 20, 12, 0 };
    ui_put_row(r.y + 3, r.x, r.w, 5, cells, widths, UI_S_HEADER);
    int rows = r.h - 4;
    if (s->sel < s->top)
        s->top = s->sel;
    if (s->sel >= s->top + rows)
        s->top = s->sel - rows + 1;
    for (int i = 0; i < rows; i++) {
        int k = s->top + i;
        int y = r.y + 4 + i;
        if (k >= s->n) {
            ui_blank(y, r.x, r.w, UI_S_NORMAL);
            continue;
        }
        hit *h = &s->hits[k];
        char masked[TD_IDNO_LEN], nc[16];
        td_id_mask(h->p.id_no, masked);
        snprintf(nc, sizeof nc, "%ld", h->ncases);
        const char *row[] = { h->p.name, h->p.name_latin, masked, h->p.phone, nc };
        ui_put_row(y, r.x, r.w, 5, row, widths, k == s->sel ? UI_S_SELECTED : UI_S_NORMAL);
    }
}

static int latest_case_cb(const td_case *c, void *ud)
{
    memcpy(ud, c->id, TD_UUID_LEN);
    return 1;
}

static unsigned s_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    search_state *s = v->state;
    switch (a) {
    case UI_ACT_OPEN: {
        char now[sizeof s->last];
        ui_field_get(&s->q, now, sizeof now);
        if (!s->searched || strcmp(now, s->last) != 0 || s->n == 0) {
            run_search(s);
            return UI_HANDLED | UI_REDRAW;
        }
        char id[TD_UUID_LEN] = "";
        td_case_query cq = { .person_id = s->hits[s->sel].p.id, .limit = 1 };
        td_case_list(app->db, &cq, latest_case_cb, id, NULL);
        if (!id[0]) {
            ui_status(app, true, _("%s has no case yet (F2 on the queue screen takes one in)"),
                      s->hits[s->sel].p.name);
            return UI_HANDLED | UI_REDRAW;
        }
        ui_open_case(app, id);
        return UI_HANDLED | UI_FULL;
    }
    case UI_ACT_SEL_UP:
        if (s->sel > 0)
            s->sel--;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_SEL_DOWN:
        if (s->sel < s->n - 1)
            s->sel++;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_CANCEL:
        return UI_HANDLED | UI_POP;
    default:
        return ui_field_key(&s->q, a, key) ? UI_HANDLED | UI_REDRAW : 0;
    }
}

static void s_destroy(ui_view *v)
{
    search_state *s = v->state;
    free(s->hits);
    free(s);
}

static const ui_action search_actions[] = {
    UI_ACT_HELP,    UI_ACT_OPEN,   UI_ACT_CANCEL,  UI_ACT_SEL_UP, UI_ACT_SEL_DOWN, UI_ACT_ED_LEFT,
    UI_ACT_ED_RIGHT, UI_ACT_ED_HOME, UI_ACT_ED_END, UI_ACT_ED_BS,  UI_ACT_ED_DEL,   UI_ACT_ED_KILL,
    UI_ACT_ED_CLEAR, UI_ACT_NONE,
};

static const ui_view_ops search_ops = {
    .text_input = true,
    .name = "search",
    .title = N_("Person search"),
    .actions = search_actions,
    .draw = s_draw,
    .key = s_key,
    .destroy = s_destroy,
};

void ui_open_search(ui_app *app)
{
    search_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->hits = calloc(MAX_RESULTS, sizeof *s->hits);
    if (!s->hits)
        abort();
    s->app = app;
    ui_field_init(&s->q, 60);
    ui_push(app, ui_view_new(&search_ops, s));
}
