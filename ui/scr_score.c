/* scr_score.c — recognition (人才认定) of a case: the ledger of the current
 * facts under the default rule set (every factor: input, band, raw points,
 * cap, final; claimed facts shown beside but never counted), the case's
 * latest saved snapshot, F2 to save a new immutable snapshot, F6 what-if
 * (changed facts scored without saving, per-factor differences). */
#include "draw.h"
#include "cases/scope.h"
#include "pick.h"
#include "recognition/facts.h"
#include "base/i18n.h"
#include "lines.h"
#include "screens.h"
#include "cases/case.h"
#include "recognition/score.h"
#include "base/text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct score_state {
    ui_app *app;
    char case_id[TD_UUID_LEN];
    td_case c;
    ui_lines lines;
    int page;
    char snap[256];
    long data_version;
} score_state;

static void fill(score_state *s, const td_score_result *r)
{
    ui_lines *b = &s->lines;
    ui_lines_clear(b);
    b->ncols = 6;
    b->widths[0] = 20;
    b->widths[1] = 18;
    b->widths[2] = 16;
    b->widths[3] = -4;
    b->widths[4] = -4;
    b->widths[5] = 0;
    char line[512];
    snprintf(line, sizeof line, _("Rule set: %s%s, as of %s"), r->rule_set_title, r->sample ? _(" (sample policy)") : "",
             r->as_of);
    ui_lines_add(b, UI_S_NORMAL, 1, line);
    snprintf(line, sizeof line, _("Total %d of %d points -> tier %s (route: %s)"), r->total, r->max_points,
             r->tier_name[0] ? r->tier_name : r->tier,
             strcmp(r->route, "catalogue") == 0 ? _("catalogue") : _("points"));
    ui_lines_add(b, UI_S_OK, 1, line);
    for (size_t i = 0; i < r->nhits; i++) {
        char tier[64], why[512];
        ui_tier_label(s->app, r->hits[i].tier, tier, sizeof tier);
        td_facts_humanize(r->hits[i].why, why, sizeof why);
        snprintf(line, sizeof line, _("Catalogue: %s -> %s (%s)%s"), r->hits[i].title, tier, why,
                 r->hits[i].claimed_only ? _(" [claimed only: not counted]") : "");
        ui_lines_add(b, r->hits[i].claimed_only ? UI_S_DIM : UI_S_OK, 1, line);
    }
    ui_lines_add(b, UI_S_HEADER, 6, _("Factor"), _("Input"), _("Band"), _("Raw"), _("Pts"), _("Claimed / cap"));
    for (size_t i = 0; i < r->nrows; i++) {
        const td_ledger_row *x = &r->rows[i];
        char raw[16], fin[16], note[256];
        snprintf(raw, sizeof raw, "%d", x->raw);
        snprintf(fin, sizeof fin, "%d", x->final);
        note[0] = 0;
        if (x->capped)
            snprintf(note, sizeof note, _("capped at %d"), x->cap);
        if (x->claimed_final != x->final) {
            size_t l = strlen(note);
            snprintf(note + l, sizeof note - l, _("%sclaimed: %d (%s)"), l ? "; " : "", x->claimed_final,
                     x->claimed_band);
        }
        char input[512];
        td_facts_humanize(x->input, input, sizeof input);
        ui_lines_add(b, x->final > 0 ? UI_S_NORMAL : UI_S_DIM, 6, x->title, input, x->band, raw, fin, note);
    }
    for (size_t i = 0; i < r->ngroups; i++) {
        snprintf(line, sizeof line, _("Group %s: %d, cap %d -> %d"), r->groups[i].title, r->groups[i].sum,
                 r->groups[i].cap, r->groups[i].final);
        ui_lines_add(b, UI_S_DIM, 1, line);
    }
    if (s->snap[0])
        ui_lines_add(b, UI_S_DIM, 1, s->snap);
}

static void load(score_state *s)
{
    td_err err;
    td_err_clear(&err);
    if (td_case_get_as(s->app->db, &s->app->actor, s->case_id, &s->c, &err) != TD_OK) {
        ui_status_err(s->app, &err);
        return;
    }
    td_snapshot sn;
    memset(&sn, 0, sizeof sn);
    if (td_snapshot_latest_as(s->app->db, &s->app->actor, s->c.id, &sn, NULL) == TD_OK) {
        char tier[64];
        ui_tier_label(s->app, sn.tier_id, tier, sizeof tier);
        snprintf(s->snap, sizeof s->snap, _("Saved snapshot: %d points, tier %s, %s, as of %s (%.10s)"), sn.total,
                 tier, sn.rule_set_id, sn.as_of, sn.created_at);
        td_snapshot_free(&sn);
    } else {
        snprintf(s->snap, sizeof s->snap, "%s", _("No snapshot saved yet: F2 saves one."));
    }
    td_score_case_args a = { .case_key = s->c.id };
    td_score_result r;
    memset(&r, 0, sizeof r);
    if (td_score_case(s->app->db, &s->app->actor, &a, &r, NULL, &err) != TD_OK) {
        ui_lines_clear(&s->lines);
        s->lines.ncols = 1;
        ui_lines_add(&s->lines, UI_S_ERROR, 1, err.msg);
        ui_lines_add(&s->lines, UI_S_DIM, 1, s->snap);
    } else {
        fill(s, &r);
        td_score_result_free(&r);
    }
    s->data_version = ui_data_version(s->app);
}

static void sc_draw(ui_app *app, ui_view *v, ui_rect r)
{
    score_state *s = v->state;
    (void)app;
    char head[256];
    snprintf(head, sizeof head, _("Recognition of case %s (%s): F2 save snapshot, F6 what-if"), s->c.case_no,
             s->c.person_name);
    ui_put(r.y, r.x, r.w, head, UI_S_HEADER);
    ui_rect b = { r.y + 1, r.x, r.h - 1, r.w };
    s->page = b.h;
    ui_lines_draw(&s->lines, b);
}

/* One aligned text line of cells (for the what-if page). */
static void cat_cells(char *out, size_t len, int n, const char *const *cells, const int *w)
{
    size_t o = strlen(out);
    for (int i = 0; i < n && o < len; i++) {
        if (w[i] < 0)
            td_text_fit_right(cells[i], -w[i], out + o, len - o);
        else
            td_text_fit(cells[i], w[i], true, out + o, len - o);
        o = strlen(out);
        if (o + 2 < len) {
            out[o++] = ' ';
            out[o] = 0;
        }
    }
    if (o + 2 < len) {
        out[o++] = '\n';
        out[o] = 0;
    }
}

static void what_if(ui_app *app, score_state *s)
{
    char *in = ui_prompt(app, _("What-if facts (name=value, separated by spaces):"), "");
    if (!in)
        return;
    td_factset fs = { 0 };
    td_err err;
    td_err_clear(&err);
    char *save = NULL;
    for (char *tok = strtok_r(in, " ,，", &save); tok; tok = strtok_r(NULL, " ,，", &save)) {
        td_fact f;
        memset(&f, 0, sizeof f);
        if (td_fact_parse_kv(tok, true, &f, &err) != TD_OK) {
            ui_status_err(app, &err);
            td_factset_free(&fs);
            free(in);
            return;
        }
        td_factset_add(&fs, &f);
    }
    free(in);
    if (fs.n == 0) {
        ui_status(app, true, "%s", _("no facts given"));
        return;
    }
    td_score_case_args base_a = { .case_key = s->c.id }, wi_a = { .case_key = s->c.id, .what_if = &fs };
    td_score_result base, wi;
    memset(&base, 0, sizeof base);
    memset(&wi, 0, sizeof wi);
    if (td_score_case(app->db, &app->actor, &base_a, &base, NULL, &err) != TD_OK ||
        td_score_case(app->db, &app->actor, &wi_a, &wi, NULL, &err) != TD_OK) {
        ui_status_err(app, &err);
        td_score_result_free(&base);
        td_factset_free(&fs);
        return;
    }
    json_t *d = td_score_diff_json(&base, &wi);
    size_t cap = 65536;
    char *text = calloc(1, cap);
    if (!text)
        abort();
    const int w[] = { 24, -6, -6, -6 };
    const char *hc[] = { _("Factor"), _("Now"), _("What-if"), _("Change") };
    cat_cells(text, cap, 4, hc, w);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(d, "factors"), i, row)
    {
        char b[16], x[16], dl[16];
        snprintf(b, sizeof b, "%d", (int)json_integer_value(json_object_get(row, "base")));
        snprintf(x, sizeof x, "%d", (int)json_integer_value(json_object_get(row, "what_if")));
        snprintf(dl, sizeof dl, "%+d", (int)json_integer_value(json_object_get(row, "delta")));
        const char *cells[] = { json_string_value(json_object_get(row, "title")), b, x, dl };
        cat_cells(text, cap, 4, cells, w);
    }
    char tot[512];
    snprintf(tot, sizeof tot, _("\nTotal: %d -> %d; tier: %s -> %s (not saved)\n"), base.total, wi.total,
             base.tier_name[0] ? base.tier_name : base.tier, wi.tier_name[0] ? wi.tier_name : wi.tier);
    strncat(text, tot, cap - strlen(text) - 1);
    ui_open_text(app, _("What-if (nothing was saved; Esc to go back)"), text);
    free(text);
    json_decref(d);
    td_score_result_free(&base);
    td_score_result_free(&wi);
    td_factset_free(&fs);
}

/* The value of fact def as a clerk gives it, into kv as "name=value": coded
 * values from a pick list of their labels (博士, 硕士 …), a boolean as "yes",
 * anything else typed with an example of the form it takes (dates as
 * 20260315, periods as 20150301..20220228 or 20150301至今, money as 45万 or
 * 450000).  False when cancelled. */
static bool fact_value(ui_app *app, const td_fact_def *def, char *kv, size_t len)
{
    char title[200];
    snprintf(title, sizeof title, "%s", _(def->label));
    if (def->type == TD_FT_ENUM) {
        const char *items[64];
        char codes[64][64];
        int n = 0;
        for (const char *p = def->values; *p && n < 64;) {
            size_t l = strcspn(p, ",");
            snprintf(codes[n], sizeof codes[n], "%.*s", (int)l, p);
            items[n] = td_fact_value_label(def->name, codes[n]);
            n++;
            p += l;
            if (*p == ',')
                p++;
        }
        int k = ui_pick(app, title, items, n, 0);
        if (k < 0)
            return false;
        snprintf(kv, len, "%s=%s", def->name, codes[k]);
        return true;
    }
    if (def->type == TD_FT_BOOL) {
        snprintf(kv, len, "%s=yes", def->name);
        return true;
    }
    const char *hint = def->type == TD_FT_DATE     ? _("e.g. 20260315")
                       : def->type == TD_FT_PERIOD ? _("e.g. 20150301..20220228, or 20150301 to now as 20150301..")
                       : def->type == TD_FT_MONEY  ? _("e.g. 450000 (yuan), or in ten-thousands with the wan sign")
                                                   : _("value, or value@date it began (e.g. @20200101)");
    char q[400];
    snprintf(q, sizeof q, _("%s (%s):"), title, hint);
    char *v = ui_prompt(app, q, "");
    if (!v)
        return false;
    snprintf(kv, len, "%s=%s", def->name, v);
    free(v);
    return true;
}

/* F4: pick a fact name from the registry, type its value, say whether the
 * original was seen (verified facts count, claimed ones are only shown). */
/* F4: type "name=value" (or leave it empty to pick the fact from the list
 * and then type its value), then say whether the original was seen:
 * verified facts count, claimed ones are only shown. */
static void add_fact(ui_app *app, score_state *s)
{
    char *typed = ui_prompt(app, _("Fact (name=value; empty: choose from the list):"), "");
    if (!typed)
        return;
    char kv[300];
    snprintf(kv, sizeof kv, "%s", typed);
    free(typed);
    if (!strchr(kv, '=')) {
        size_t n = 0;
        const td_fact_def *defs = td_fact_defs(&n);
        const char **items = calloc(n ? n : 1, sizeof *items);
        char (*labels)[200] = calloc(n ? n : 1, sizeof *labels);
        if (!items || !labels)
            abort();
        for (size_t i = 0; i < n; i++) {
            snprintf(labels[i], sizeof labels[i], "%s (%s)", _(defs[i].label), defs[i].name);
            items[i] = labels[i];
        }
        int k = ui_pick(app, _("Fact"), items, (int)n, 0);
        free(items);
        free(labels);
        if (k < 0)
            return;
        if (!fact_value(app, &defs[k], kv, sizeof kv))
            return;
    }
    td_fact f;
    memset(&f, 0, sizeof f);
    td_err err;
    td_err_clear(&err);
    if (td_fact_parse_kv(kv, false, &f, &err) != TD_OK) {
        ui_status_err(app, &err);
        return;
    }
    snprintf(f.person_id, sizeof f.person_id, "%s", s->c.person_id);
    if (ui_confirm(app, _("Was the original document seen (verified)?"))) {
        char *ev = ui_prompt(app, _("Evidence seen:"), "");
        if (!ev)
            return;
        f.verified = true;
        snprintf(f.evidence, sizeof f.evidence, "%s", ev);
        free(ev);
    }
    if (td_fact_add(app->db, &app->actor, &f, &err) != TD_OK)
        ui_status_err(app, &err);
    else
    {
        char lab[200];
        td_input_label(f.name, lab, sizeof lab);
        ui_status(app, false, _("Fact recorded: %s = %s%s"), lab, td_fact_value_label(f.name, f.value),
                  f.verified ? _(" (verified)") : _(" (claimed)"));
    }
    load(s);
}

static unsigned sc_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    score_state *s = v->state;
    (void)key;
    unsigned fl = ui_lines_key(&s->lines, a, s->page > 1 ? s->page - 1 : 1);
    if (fl)
        return fl;
    switch (a) {
    case UI_ACT_RESCORE: {
        char q[400];
        if (strcmp(s->c.state, "closed") == 0)
            snprintf(q, sizeof q, _("Case %s is closed: save a new immutable score snapshot anyway?"), s->c.case_no);
        else
            snprintf(q, sizeof q, _("Save an immutable score snapshot for case %s?"), s->c.case_no);
        if (!ui_confirm(app, q)) {
            ui_status(app, false, "%s", _("No snapshot was saved."));
            return UI_HANDLED | UI_FULL;
        }
        td_score_case_args sa = { .case_key = s->c.id, .save = true };
        td_score_result r;
        memset(&r, 0, sizeof r);
        td_err err;
        td_err_clear(&err);
        char id[TD_UUID_LEN];
        if (td_score_case(app->db, &app->actor, &sa, &r, id, &err) != TD_OK) {
            ui_status_err(app, &err);
        } else {
            ui_status(app, false, _("Snapshot saved: %d points, tier %s."), r.total,
                      r.tier_name[0] ? r.tier_name : r.tier);
            td_score_result_free(&r);
        }
        load(s);
        return UI_HANDLED | UI_FULL;
    }
    case UI_ACT_FACT:
        add_fact(app, s);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_WHATIF:
        what_if(app, s);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_REFRESH:
        load(s);
        return UI_HANDLED | UI_FULL;
    default:
        return 0;
    }
}

static void sc_poll(ui_app *app, ui_view *v)
{
    score_state *s = v->state;
    if (ui_data_version(app) != s->data_version || v->resumed)
        load(s);
    v->resumed = false;
}

static void sc_destroy(ui_view *v)
{
    score_state *s = v->state;
    ui_lines_free(&s->lines);
    free(s);
}

static const ui_action score_actions[] = { UI_ACT_HELP, UI_ACT_RESCORE, UI_ACT_FACT, UI_ACT_REFRESH, UI_ACT_WHATIF,
                                           UI_ACT_QUIT, UI_ACT_BACK,    UI_ACT_UP,      UI_ACT_DOWN,
                                           UI_ACT_PGUP, UI_ACT_PGDN,    UI_ACT_NONE };

static const ui_view_ops score_ops = {
    .name = "score",
    .title = N_("Recognition score"),
    .actions = score_actions,
    .draw = sc_draw,
    .key = sc_key,
    .poll = sc_poll,
    .destroy = sc_destroy,
};

void ui_open_score(ui_app *app, const char *case_id)
{
    score_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->app = app;
    snprintf(s->case_id, sizeof s->case_id, "%s", case_id);
    load(s);
    ui_push(app, ui_view_new(&score_ops, s));
}

