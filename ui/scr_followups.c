/* scr_followups.c — the "follow-ups due" queue of the 人才服务专员: open
 * follow-ups whose next contact is today or earlier, of the persons the
 * current user follows (a toggles every specialist's).  Enter logs the
 * contact (channel, note, next date), which takes the row off the queue. */
#include "draw.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "pick.h"
#include "screens.h"
#include "people/specialist.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DUE 500

typedef struct fu_state {
    ui_app *app;
    td_followup *f;
    int n, sel, top;
    bool all;
    long data_version;
} fu_state;

static int due_cb(const td_followup *f, void *ud)
{
    fu_state *s = ud;
    s->f[s->n++] = *f;
    return s->n >= MAX_DUE;
}

static void load(fu_state *s)
{
    td_err err;
    td_err_clear(&err);
    s->n = 0;
    if (td_followups_due_as(s->app->db, &s->app->actor, s->all ? NULL : s->app->actor.user_id, NULL, MAX_DUE, due_cb, s, &err) != TD_OK)
        ui_status_err(s->app, &err);
    if (s->sel >= s->n)
        s->sel = s->n ? s->n - 1 : 0;
    s->data_version = ui_data_version(s->app);
}

static void f_draw(ui_app *app, ui_view *v, ui_rect r)
{
    fu_state *s = v->state;
    (void)app;
    char head[256];
    snprintf(head, sizeof head, _("Follow-ups due: %d (%s; a: mine/all, Enter: log the contact)"), s->n,
             s->all ? _("every specialist") : _("my persons"));
    ui_put(r.y, r.x, r.w, head, UI_S_HEADER);
    const int widths[] = { 10, 16, 10, 10, 8, 0 };
    const char *hc[] = { _("Due"), _("Person"), _("Specialist"), _("Last"), _("Channel"), _("Note") };
    ui_put_row(r.y + 1, r.x, r.w, 6, hc, widths, UI_S_HEADER);
    int h = r.h - 2;
    if (s->sel < s->top)
        s->top = s->sel;
    if (s->sel >= s->top + h)
        s->top = s->sel - h + 1;
    for (int i = 0; i < h; i++) {
        int k = s->top + i;
        if (k >= s->n) {
            ui_blank(r.y + 2 + i, r.x, r.w, UI_S_NORMAL);
            continue;
        }
        const td_followup *f = &s->f[k];
        const char *cells[] = { f->next_date, f->person_name, f->specialist, f->on_date,
                                td_followup_channel_name(f->channel), f->note };
        ui_put_row(r.y + 2 + i, r.x, r.w, 6, cells, widths, k == s->sel ? UI_S_SELECTED : UI_S_NORMAL);
    }
    if (s->n == 0)
        ui_put(r.y + 2, r.x, r.w, _("(no follow-ups due)"), UI_S_DIM);
}

static void log_contact(ui_app *app, fu_state *s)
{
    if (!s->n)
        return;
    static const char *const codes[] = { "phone", "visit", "wechat", "email", "video", "other" };
    const char *items[6];
    for (int i = 0; i < 6; i++)
        items[i] = td_followup_channel_name(codes[i]);
    int k = ui_pick(app, _("How was the person contacted?"), items, 6, 0);
    if (k < 0)
        return;
    char *note = ui_prompt(app, _("Note:"), "");
    if (!note)
        return;
    char *next = ui_prompt(app, _("Next contact (YYYY-MM-DD, empty for none):"), "");
    if (!next) {
        free(note);
        return;
    }
    td_err err;
    td_err_clear(&err);
    td_followup out;
    char pid[TD_UUID_LEN];
    memcpy(pid, s->f[s->sel].person_id, sizeof pid);
    if (td_followup_add(app->db, &app->actor, pid, NULL, codes[k], note, next, &out, &err) != TD_OK)
        ui_status_err(app, &err);
    else
        ui_status(app, false, _("Follow-up logged; next contact: %s"), out.next_date[0] ? out.next_date : "-");
    free(note);
    free(next);
    load(s);
}

static unsigned f_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    fu_state *s = v->state;
    switch (a) {
    case UI_ACT_UP:
        if (s->sel > 0)
            s->sel--;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DOWN:
        if (s->sel + 1 < s->n)
            s->sel++;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_OPEN:
        log_contact(app, s);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_REFRESH:
        load(s);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_NONE:
        if (key == 'a') {
            s->all = !s->all;
            load(s);
            return UI_HANDLED | UI_REDRAW;
        }
        return 0;
    default:
        return 0;
    }
}

static void f_poll(ui_app *app, ui_view *v)
{
    fu_state *s = v->state;
    if (v->resumed || ui_data_version(app) != s->data_version)
        load(s);
}

static void f_destroy(ui_view *v)
{
    fu_state *s = v->state;
    free(s->f);
    free(s);
}

static const ui_action fu_actions[] = { UI_ACT_HELP, UI_ACT_OPEN, UI_ACT_REFRESH, UI_ACT_UP, UI_ACT_DOWN,
                                        UI_ACT_BACK, UI_ACT_QUIT, UI_ACT_NONE };

static const ui_view_ops fu_ops = {
    .name = "followups",
    .title = N_("Follow-ups due"),
    .actions = fu_actions,
    .draw = f_draw,
    .key = f_key,
    .poll = f_poll,
    .destroy = f_destroy,
};

void ui_open_followups(ui_app *app)
{
    fu_state *s = calloc(1, sizeof *s);
    if (!s || !(s->f = calloc(MAX_DUE, sizeof *s->f)))
        abort();
    s->app = app;
    load(s);
    ui_push(app, ui_view_new(&fu_ops, s));
}
