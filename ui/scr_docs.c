/* scr_docs.c — the document check (材料审核): the case's checklist, each
 * document marked received / verified / invalid / missing, and below it the
 * 一次性告知书 as it would be issued now (every missing or invalid item,
 * numbered).  F6 checks all documents in one pass: either they are complete,
 * or ONE notice listing everything is stored and shown for printing. */
#include "draw.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "pick.h"
#include "screens.h"
#include "cases/case.h"
#include "workflow/wf_docs.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DOCS 64

typedef struct docs_state {
    ui_app *app;
    char case_id[TD_UUID_LEN];
    td_case c;
    td_wf_doc docs[MAX_DOCS];
    int n, sel, top;
    char last_notice[160];
    long data_version;
    char omit[512];            /* ",code," of rows a notice never asks for (td_wf_notice_omits) */
} docs_state;

static const char *status_name(const char *s)
{
    if (strcmp(s, "missing") == 0)
        return _("missing");
    if (strcmp(s, "received") == 0)
        return _("received");
    if (strcmp(s, "verified") == 0)
        return _("verified");
    if (strcmp(s, "invalid") == 0)
        return _("invalid");
    return s;
}

static int doc_cb(const td_wf_doc *d, void *ud)
{
    docs_state *s = ud;
    if (s->n < MAX_DOCS)
        s->docs[s->n++] = *d;
    return 0;
}

static bool load(docs_state *s)
{
    td_err err;
    td_err_clear(&err);
    if (td_case_get_as(s->app->db, &s->app->actor, s->case_id, &s->c, &err) != TD_OK) {
        ui_status_err(s->app, &err);
        return false;
    }
    s->n = 0;
    if (td_wf_docs_each_as(s->app->db, &s->app->actor, s->case_id, doc_cb, s, &err) != TD_OK)
        ui_status_err(s->app, &err);
    if (td_wf_notice_omits(s->app->db, s->case_id, s->app->actor.station_code, s->omit, sizeof s->omit, &err) !=
        TD_OK)
        s->omit[0] = '\0';
    if (s->sel >= s->n)
        s->sel = s->n > 0 ? s->n - 1 : 0;
    s->last_notice[0] = 0;
    td_notice nt;
    memset(&nt, 0, sizeof nt);
    if (td_notice_get_as(s->app->db, &s->app->actor, s->case_id, &nt, NULL) == TD_OK) {
        snprintf(s->last_notice, sizeof s->last_notice, _("Last notice %s of %s, documents due %s (%d items)"),
                 nt.notice_no, nt.issued_on, nt.deadline, nt.nitems);
        td_notice_free(&nt);
    }
    s->data_version = ui_data_version(s->app);
    return true;
}

static void d_draw(ui_app *app, ui_view *v, ui_rect r)
{
    docs_state *s = v->state;
    (void)app;
    char head[256];
    snprintf(head, sizeof head, _("Documents of case %s (%s), state %s"), s->c.case_no, s->c.person_name,
             td_state_name(s->c.state));
    ui_put(r.y, r.x, r.w, head, UI_S_HEADER);
    static const int wmin[] = { 4, 26, 8, 10, 0 };
    int widths[5];
    ui_cols_fit(r.w, 5, wmin, 1u << 0, widths);
    const char *hcells[] = { _("No."), _("Document name"), _("Status"), _("Checked by"), _("Note / for services") };
    ui_put_row(r.y + 1, r.x, r.w, 5, hcells, widths, UI_S_HEADER);
    int list_h = r.h / 2 - 2;
    if (list_h < 3)
        list_h = 3;
    if (s->sel < s->top)
        s->top = s->sel;
    if (s->sel >= s->top + list_h)
        s->top = s->sel - list_h + 1;
    for (int i = 0; i < list_h; i++) {
        int k = s->top + i, y = r.y + 2 + i;
        if (k >= s->n) {
            ui_blank(y, r.x, r.w, UI_S_NORMAL);
            continue;
        }
        td_wf_doc *d = &s->docs[k];
        char no[8], note[1100];
        snprintf(no, sizeof no, "%d", k + 1);
        snprintf(note, sizeof note, "%s%s%s", d->note, d->note[0] && d->services[0] ? " / " : "", d->services);
        const char *cells[] = { no, d->name, status_name(d->status), d->checked_by, note };
        enum ui_style st = k == s->sel ? UI_S_SELECTED
                           : strcmp(d->status, "verified") == 0 ? UI_S_OK
                           : strcmp(d->status, "received") == 0 ? UI_S_NORMAL
                                                                : UI_S_ERROR;
        ui_put_row(y, r.x, r.w, 5, cells, widths, st);
    }
    /* the notice as it would be issued now */
    int y = r.y + 2 + list_h;
    ui_hrule(y++, r.x, r.w);
    ui_put(y++, r.x, r.w, _("One-time notice preview (F6 checks and issues it):"), UI_S_HEADER);
    int items = 0;
    for (int k = 0; k < s->n && y < r.y + r.h - 1; k++) {
        td_wf_doc *d = &s->docs[k];
        bool missing = strcmp(d->status, "missing") == 0, invalid = strcmp(d->status, "invalid") == 0;
        if (!missing && !invalid)
            continue;
        char key[52];
        snprintf(key, sizeof key, ",%s,", d->doc_type_id);
        if (strstr(s->omit, key))
            continue; /* the case produces it, or it is the identity document again */
        char line[1200];
        snprintf(line, sizeof line, "  %d. %s: %s%s%s", ++items, d->name, missing ? _("not supplied") : _("invalid"),
                 d->note[0] ? ", " : "", d->note);
        ui_put(y++, r.x, r.w, line, UI_S_NORMAL);
    }
    if (items == 0)
        ui_put(y++, r.x, r.w, _("  nothing missing or invalid: no notice is needed"), UI_S_OK);
    if (s->last_notice[0] && y < r.y + r.h)
        ui_put(r.y + r.h - 1, r.x, r.w, s->last_notice, UI_S_DIM);
}

static unsigned mark(ui_app *app, docs_state *s)
{
    if (s->n == 0)
        return UI_HANDLED;
    td_wf_doc *d = &s->docs[s->sel];
    static const char *const codes[] = { "received", "verified", "invalid", "missing" };
    const char *items[4];
    for (int i = 0; i < 4; i++)
        items[i] = status_name(codes[i]);
    char title[256];
    snprintf(title, sizeof title, _("Mark \"%s\" as"), d->name);
    int k = ui_pick(app, title, items, 4, 0);
    if (k < 0)
        return UI_HANDLED | UI_FULL;
    char *note = NULL;
    if (strcmp(codes[k], "invalid") == 0) {
        note = ui_prompt(app, _("What is wrong with it:"), d->note);
        if (!note)
            return UI_HANDLED | UI_FULL;
    }
    td_err err;
    td_err_clear(&err);
    bool returned = false;
    char doc[48];
    snprintf(doc, sizeof doc, "%s", d->doc_type_id);
    if (td_wf_doc_mark(app->db, &app->actor, s->case_id, doc, codes[k], note, d->row_version, &returned, &err) !=
        TD_OK) {
        ui_status_err(app, &err);
    } else if (returned) {
        ui_status(app, false, "%s", _("Document supplied: the case is back in the document check."));
    } else {
        ui_status(app, false, _("%s: %s"), d->name, items[k]);
    }
    free(note);
    load(s);
    if (s->sel < s->n - 1)
        s->sel++;
    return UI_HANDLED | UI_FULL;
}

/* "Mark all received": every missing row at once (one transaction in the
 * core), after a question naming how many. */
static unsigned mark_all(ui_app *app, docs_state *s)
{
    int missing = 0;
    for (int k = 0; k < s->n; k++)
        missing += strcmp(s->docs[k].status, "missing") == 0;
    if (missing == 0) {
        ui_status(app, false, "%s", _("No document is missing: nothing to mark."));
        return UI_HANDLED | UI_REDRAW;
    }
    char q[300];
    snprintf(q, sizeof q, _("Mark the %d missing document(s) of case %s as received?"), missing, s->c.case_no);
    if (!ui_confirm(app, q)) {
        ui_status(app, false, "%s", _("Nothing was marked."));
        return UI_HANDLED | UI_FULL;
    }
    td_err err;
    td_err_clear(&err);
    int marked = 0;
    bool returned = false;
    if (td_wf_docs_mark_missing(app->db, &app->actor, s->case_id, "received", &marked, &returned, &err) != TD_OK)
        ui_status_err(app, &err);
    else if (returned)
        ui_status(app, false, _("%d document(s) marked received: the case is back in the document check."), marked);
    else
        ui_status(app, false, _("%d document(s) marked received."), marked);
    load(s);
    return UI_HANDLED | UI_FULL;
}

static unsigned check(ui_app *app, docs_state *s)
{
    td_err err;
    td_err_clear(&err);
    /* Issuing the 一次性告知书 is a legal act (it sets the deadline and moves
     * the case to 待补正): when the check would issue one, ask first, naming
     * it.  F6 opens this screen from the case, so a doubled F6 lands here. */
    int bad = 0;
    for (int k = 0; k < s->n; k++)
        if (strcmp(s->docs[k].status, "missing") == 0 || strcmp(s->docs[k].status, "invalid") == 0)
            bad++;
    if (bad > 0) {
        char q[400];
        snprintf(q, sizeof q, _("Issue the one-time notice for case %s (%d items to supply)?"), s->c.case_no, bad);
        if (!ui_confirm(app, q)) {
            ui_status(app, false, "%s", _("No notice was issued."));
            return UI_HANDLED | UI_FULL;
        }
    }
    td_wf_check_result res;
    memset(&res, 0, sizeof res);
    if (td_wf_docs_check(app->db, &app->actor, s->case_id, s->c.row_version, &res, &err) != TD_OK) {
        ui_status_err(app, &err);
        load(s);
        return UI_HANDLED | UI_FULL;
    }
    load(s);
    if (res.notice_no[0]) {
        td_notice nt;
        memset(&nt, 0, sizeof nt);
        if (td_notice_get_as(app->db, &app->actor, res.notice_id, &nt, &err) == TD_OK) {
            char *text = td_notice_render(&nt);
            char title[160];
            snprintf(title, sizeof title, _("One-time notice %s (Esc to go back)"), nt.notice_no);
            ui_open_text(app, title, text);
            free(text);
            td_notice_free(&nt);
        }
        ui_status(app, false, _("Notice %s issued: %d missing, %d invalid; documents due %s."), res.notice_no,
                  res.missing, res.invalid, res.deadline);
    } else if (res.complete) {
        ui_status(app, false, "%s", _("All documents verified: nothing to notify."));
    } else {
        ui_status(app, false, _("Nothing missing or invalid; %d not verified yet."), res.unverified);
    }
    return UI_HANDLED | UI_FULL;
}

static unsigned d_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    docs_state *s = v->state;
    (void)key;
    switch (a) {
    case UI_ACT_UP:
        if (s->sel > 0)
            s->sel--;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DOWN:
        if (s->sel < s->n - 1)
            s->sel++;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_FIRST:
        s->sel = 0;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_LAST:
        s->sel = s->n > 0 ? s->n - 1 : 0;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_TOGGLE:
        return mark(app, s);
    case UI_ACT_NOTICE:
        return check(app, s);
    case UI_ACT_MARK_ALL:
        return mark_all(app, s);
    case UI_ACT_PRINT:
        ui_print_doc(app, "notice", s->case_id);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_REFRESH:
        load(s);
        return UI_HANDLED | UI_FULL;
    default:
        return 0;
    }
}

static void d_poll(ui_app *app, ui_view *v)
{
    docs_state *s = v->state;
    if (ui_data_version(app) == s->data_version && !v->resumed)
        return;
    v->resumed = false;
    long before = s->c.row_version;
    load(s);
    if (s->c.row_version != before)
        ui_status(app, true, _("This case was changed by someone else (now version %ld): reloaded."),
                  s->c.row_version);
}

static void d_destroy(ui_view *v)
{
    free(v->state);
}

static const ui_action docs_actions[] = { UI_ACT_HELP, UI_ACT_TOGGLE, UI_ACT_REFRESH, UI_ACT_NOTICE, UI_ACT_QUIT,
                                          UI_ACT_BACK, UI_ACT_UP, UI_ACT_DOWN, UI_ACT_FIRST, UI_ACT_LAST,
                                          UI_ACT_PRINT, UI_ACT_MARK_ALL, UI_ACT_NONE };

static const ui_view_ops docs_ops = {
    .name = "documents",
    .title = N_("Document check"),
    .actions = docs_actions,
    .draw = d_draw,
    .key = d_key,
    .poll = d_poll,
    .destroy = d_destroy,
};

void ui_open_docs(ui_app *app, const char *case_id)
{
    docs_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->app = app;
    snprintf(s->case_id, sizeof s->case_id, "%s", case_id);
    if (!load(s)) {
        free(s);
        return;
    }
    ui_push(app, ui_view_new(&docs_ops, s));
}

