/* scr_search.c — find a person or case from one search box (src/search/search.h):
 * a name or its prefix, pinyin (zs → 张三, zhangsan), an identity or passport
 * number, a mobile number, a case number, or a 人才服务码.  Type, Enter to
 * search, arrows to choose, Enter again to open the case (or the person's
 * latest case). */
#include "draw.h"
#include "field.h"
#include "base/i18n.h"
#include "screens.h"
#include "cases/case.h"
#include "cases/scope.h"
#include "search/search.h"
#include "recognition/talentcode.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RESULTS 200

typedef struct hit {
    td_search_hit h;
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

static int hit_cb(const td_search_hit *h, void *ud)
{
    search_state *s = ud;
    if (s->n >= MAX_RESULTS)
        return 1;
    for (int i = 0; i < s->n; i++) /* one row per person, or per case for case hits */
        if (strcmp(s->hits[i].h.person_id, h->person_id) == 0 && strcmp(s->hits[i].h.case_id, h->case_id) == 0)
            return 0;
    hit *x = &s->hits[s->n++];
    x->h = *h;
    x->ncases = 0; /* counted for every hit at once (count_cases) */
    return s->n >= MAX_RESULTS;
}

/* Case counts of every hit in one query. */
static void count_cases(search_state *s)
{
    const char **ids = calloc((size_t)s->n + 1, sizeof *ids);
    long *counts = calloc((size_t)s->n + 1, sizeof *counts);
    if (!ids || !counts)
        abort();
    for (int i = 0; i < s->n; i++)
        ids[i] = s->hits[i].h.person_id;
    td_err err;
    td_err_clear(&err);
    if (td_search_case_counts(s->app->db, ids, s->n, counts, &err) != TD_OK)
        ui_status_err(s->app, &err);
    for (int i = 0; i < s->n; i++)
        s->hits[i].ncases = counts[i];
    free(ids);
    free(counts);
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
    /* a 人才服务码 (validated: a mistyped code says so) leads to its case */
    char code[TD_TALENT_CODE_LEN];
    if (td_talent_code_normalize(q, code) && strlen(code) >= 10 && strchr(q, '-')) {
        td_talent_code_info info;
        if (td_talent_code_lookup(s->app->db, q, &info, NULL) == TD_OK) {
            td_search_hit h;
            memset(&h, 0, sizeof h);
            h.is_case = true;
            snprintf(h.person_id, sizeof h.person_id, "%s", info.person_id);
            snprintf(h.name, sizeof h.name, "%s", info.person_name);
            snprintf(h.case_id, sizeof h.case_id, "%s", info.case_id);
            snprintf(h.case_no, sizeof h.case_no, "%s", info.case_no);
            hit_cb(&h, s);
        }
    }
    if (td_search_as(s->app->db, &s->app->actor, q, TD_SEARCH_AUTO, MAX_RESULTS, hit_cb, s, NULL, &err) != TD_OK) {
        ui_status_err(s->app, &err);
        return;
    }
    count_cases(s);
    if (s->n == 0)
        ui_status(s->app, true, _("nobody found for \"%s\""), q);
    else
        ui_status(s->app, false, _("%d found: arrows choose, Enter opens the latest case"), s->n);
}

static void s_draw(ui_app *app, ui_view *v, ui_rect r)
{
    search_state *s = v->state;
    (void)app;
    ui_put(r.y, r.x, r.w,
           _("Find a person: name or pinyin, ID or passport no., mobile, case no. or talent code; Enter searches"),
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
    const char *cells[] = { _("Name"), _("ID number"), _("Mobile"), _("Case no."), _("Cases") };
    static const int wmin[] = { 14, 20, 12, 16, 0 };
    int widths[5];
    ui_cols_fit(r.w, 5, wmin, (1u << 1) | (1u << 2) | (1u << 3), widths); /* the name grows */
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
        char nc[16];
        snprintf(nc, sizeof nc, "%ld", h->ncases);
        const char *row[] = { h->h.name, h->h.id_no_masked, h->h.phone, h->h.is_case ? h->h.case_no : "", nc };
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
        hit *h = &s->hits[s->sel];
        char id[TD_UUID_LEN] = "";
        if (h->h.is_case && h->h.case_id[0]) {
            memcpy(id, h->h.case_id, sizeof id);
        } else {
            td_case_query cq = { .person_id = h->h.person_id, .limit = 1 };
            td_case_query_scope(&cq, &app->actor);
            td_case_list_as(app->db, &app->actor, &cq, latest_case_cb, id, NULL);
        }
        if (!id[0]) {
            ui_status(app, true, _("%s has no case yet (F2 takes one in)"), h->h.name);
            return UI_HANDLED | UI_REDRAW;
        }
        ui_open_case(app, id);
        return UI_HANDLED | UI_FULL;
    }
    case UI_ACT_NEW_CASE: { /* a new case for the selected person */
        if (!s->searched || s->n == 0) {
            ui_status(app, true, "%s", _("Search first, then F2 takes a new case in for the selected person"));
            return UI_HANDLED | UI_REDRAW;
        }
        char pid[TD_UUID_LEN];
        memcpy(pid, s->hits[s->sel].h.person_id, sizeof pid);
        ui_open_intake_for(app, pid);
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
    UI_ACT_HELP,    UI_ACT_OPEN,   UI_ACT_NEW_CASE, UI_ACT_CANCEL,  UI_ACT_SEL_UP, UI_ACT_SEL_DOWN, UI_ACT_ED_LEFT,
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
