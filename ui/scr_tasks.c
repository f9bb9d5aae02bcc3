/* scr_tasks.c — service fulfilment (服务办理): one task per requested
 * service with status, assignee, due date (working days) and the overdue
 * flag.  Enter / Space / F3 on a task offers what may be done with it:
 * start, done (with a result), failed or cancelled (with a reason), assign to
 * a specialist, or escalate (督办) with a reason. */
#include "draw.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "pick.h"
#include "screens.h"
#include "cases/case.h"
#include "workflow/wf_tasks.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TASKS 40

typedef struct tasks_state {
    ui_app *app;
    char case_id[TD_UUID_LEN];
    td_case c;
    td_wf_task t[MAX_TASKS];
    int n, sel;
    long data_version;
} tasks_state;

static int task_cb(const td_wf_task *t, void *ud)
{
    tasks_state *s = ud;
    if (s->n < MAX_TASKS)
        s->t[s->n++] = *t;
    return 0;
}

static bool load(tasks_state *s)
{
    td_err err;
    td_err_clear(&err);
    if (td_case_get_as(s->app->db, &s->app->actor, s->case_id, &s->c, &err) != TD_OK) {
        ui_status_err(s->app, &err);
        return false;
    }
    s->n = 0;
    if (td_wf_tasks_each_as(s->app->db, &s->app->actor, s->case_id, task_cb, s, &err) != TD_OK)
        ui_status_err(s->app, &err);
    if (s->sel >= s->n)
        s->sel = s->n > 0 ? s->n - 1 : 0;
    s->data_version = ui_data_version(s->app);
    return true;
}

static void k_draw(ui_app *app, ui_view *v, ui_rect r)
{
    tasks_state *s = v->state;
    (void)app;
    char head[256];
    snprintf(head, sizeof head, _("Service tasks of case %s (%s), state %s"), s->c.case_no, s->c.person_name,
             td_state_name(s->c.state));
    ui_put(r.y, r.x, r.w, head, UI_S_HEADER);
    static const int wmin[] = { 24, 8, 10, 10, 6, 0 };
    int widths[6];
    ui_cols_fit(r.w, 6, wmin, (1u << 3) | (1u << 4), widths); /* service, status, assignee grow */
    const char *hc[] = { _("Service"), _("Status"), _("Assignee"), _("Due"), _("Days"), _("Result / reason") };
    ui_put_row(r.y + 1, r.x, r.w, 6, hc, widths, UI_S_HEADER);
    for (int i = 0; i < r.h - 2; i++) {
        int y = r.y + 2 + i;
        if (i >= s->n) {
            ui_blank(y, r.x, r.w, UI_S_NORMAL);
            continue;
        }
        td_wf_task *t = &s->t[i];
        char days[32], due[32];
        snprintf(days, sizeof days, "%d", t->days);
        snprintf(due, sizeof due, "%s%s", t->due_date, t->overdue ? "!" : "");
        const char *cells[] = { t->service_name, ui_task_status_name(t->status), t->assignee, due, days,
                                t->result[0] ? t->result : t->reason };
        enum ui_style st = i == s->sel ? UI_S_SELECTED
                           : t->overdue ? UI_S_ERROR
                           : strcmp(t->status, "done") == 0 ? UI_S_OK
                                                            : UI_S_NORMAL;
        ui_put_row(y, r.x, r.w, 6, cells, widths, st);
    }
    if (s->n == 0)
        ui_put(r.y + 2, r.x, r.w, _("(no service tasks)"), UI_S_DIM);
}

enum { OP_START, OP_DONE, OP_FAIL, OP_CANCEL, OP_ASSIGN, OP_ESCALATE, NOPS };

static unsigned act(ui_app *app, tasks_state *s)
{
    if (s->n == 0)
        return UI_HANDLED;
    td_wf_task *t = &s->t[s->sel];
    const char *items[NOPS] = { _("start"), _("done (with a result)"), _("failed (with a reason)"),
                                _("cancel (with a reason)"), _("assign to a specialist"),
                                _("escalate to a user (supervision)") };
    char title[256];
    snprintf(title, sizeof title, _("Task \"%s\""), t->service_name);
    int k = ui_pick(app, title, items, NOPS, 0);
    if (k < 0)
        return UI_HANDLED | UI_FULL;
    char *arg = NULL, *reason = NULL;
    td_err err;
    td_err_clear(&err);
    td_status st = TD_OK;
    char id[TD_UUID_LEN];
    memcpy(id, t->id, sizeof id);
    /* may this user do it at all?  Asked before the result or reason is
     * typed, so that a refusal never throws typing away */
    static const int core_op[NOPS] = { TD_TASK_START, TD_TASK_DONE,   TD_TASK_FAIL,
                                       TD_TASK_CANCEL, TD_TASK_ASSIGN, TD_TASK_OP_ESCALATE };
    if (td_wf_task_may(app->db, &app->actor, id, core_op[k], &err) != TD_OK) {
        ui_status_err(app, &err);
        return UI_HANDLED | UI_FULL;
    }
    /* done, failed, cancelled and escalated cannot be taken back: the
     * question names the act and the task */
    char q[600];
    snprintf(q, sizeof q, _("Task \"%s\": %s: are you sure?"), t->service_name, items[k]);
    switch (k) {
    case OP_START:
        st = td_wf_task_update(app->db, &app->actor, id, TD_TASK_START, NULL, t->row_version, &err);
        break;
    case OP_DONE:
        arg = ui_prompt(app, _("Result:"), "");
        if (!arg)
            return UI_HANDLED | UI_FULL;
        if (!ui_confirm(app, q)) {
            free(arg);
            return UI_HANDLED | UI_FULL;
        }
        st = td_wf_task_update(app->db, &app->actor, id, TD_TASK_DONE, arg, t->row_version, &err);
        break;
    case OP_FAIL:
    case OP_CANCEL:
        arg = ui_prompt(app, _("Reason:"), "");
        if (!arg)
            return UI_HANDLED | UI_FULL;
        if (!ui_confirm(app, q)) {
            free(arg);
            return UI_HANDLED | UI_FULL;
        }
        st = td_wf_task_update(app->db, &app->actor, id, k == OP_FAIL ? TD_TASK_FAIL : TD_TASK_CANCEL, arg,
                               t->row_version, &err);
        break;
    case OP_ASSIGN:
        arg = ui_prompt(app, _("Specialist (user name):"), t->assignee);
        if (!arg)
            return UI_HANDLED | UI_FULL;
        st = td_wf_task_update(app->db, &app->actor, id, TD_TASK_ASSIGN, arg, t->row_version, &err);
        break;
    case OP_ESCALATE:
        arg = ui_prompt(app, _("Escalate to (user name):"), "");
        if (!arg)
            return UI_HANDLED | UI_FULL;
        reason = ui_prompt(app, _("Reason:"), "");
        if (!reason || !ui_confirm(app, q)) {
            free(arg);
            free(reason);
            return UI_HANDLED | UI_FULL;
        }
        st = td_wf_escalate(app->db, &app->actor, id, arg, reason, &err);
        break;
    }
    if (st != TD_OK)
        ui_status_err(app, &err);
    else
        ui_status(app, false, _("Task \"%s\": %s"), t->service_name, items[k]);
    free(arg);
    free(reason);
    load(s);
    return UI_HANDLED | UI_FULL;
}

static unsigned k_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    tasks_state *s = v->state;
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
    case UI_ACT_TOGGLE:
        return act(app, s);
    case UI_ACT_REFRESH:
        load(s);
        return UI_HANDLED | UI_FULL;
    default:
        return 0;
    }
}

static void k_poll(ui_app *app, ui_view *v)
{
    tasks_state *s = v->state;
    if (ui_data_version(app) != s->data_version || v->resumed)
        load(s);
    v->resumed = false;
}

static void k_destroy(ui_view *v)
{
    free(v->state);
}

static const ui_action tasks_actions[] = { UI_ACT_HELP,  UI_ACT_TOGGLE, UI_ACT_REFRESH, UI_ACT_QUIT,
                                           UI_ACT_BACK,  UI_ACT_UP,     UI_ACT_DOWN,    UI_ACT_NONE };

static const ui_view_ops tasks_ops = {
    .name = "tasks",
    .title = N_("Service tasks"),
    .actions = tasks_actions,
    .draw = k_draw,
    .key = k_key,
    .poll = k_poll,
    .destroy = k_destroy,
};

void ui_open_tasks(ui_app *app, const char *case_id)
{
    tasks_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->app = app;
    snprintf(s->case_id, sizeof s->case_id, "%s", case_id);
    if (!load(s)) {
        free(s);
        return;
    }
    ui_push(app, ui_view_new(&tasks_ops, s));
}

