/* scr_help.c — F1 / ?: the keys of the screen below, generated from the one
 * key table (keys.def), so help never drifts from the code. */
#include "draw.h"
#include "base/i18n.h"
#include "screens.h"

#include <stdlib.h>
#include <string.h>

typedef struct help_state {
    const ui_view_ops *for_view;
    int top;
    int rows;
} help_state;

static int count_actions(const ui_action *a)
{
    int n = 0;
    while (a && a[n])
        n++;
    return n;
}

static void h_draw(ui_app *app, ui_view *v, ui_rect r)
{
    help_state *s = v->state;
    (void)app;
    char head[256];
    snprintf(head, sizeof head, _("Keys on the screen \"%s\" (Esc or q to close, j/k to scroll)"),
             s->for_view ? _(s->for_view->title) : "");
    ui_put(r.y, r.x, r.w, head, UI_S_HEADER);
    const ui_action *acts = s->for_view ? s->for_view->actions : NULL;
    int n = count_actions(acts);
    s->rows = n;
    int h = r.h - 2;
    if (s->top > n - h)
        s->top = n - h;
    if (s->top < 0)
        s->top = 0;
    int kw = 26;
    for (int i = 0; i < h && s->top + i < n; i++) {
        const ui_action_info *in = ui_action_get(acts[s->top + i]);
        char keys[128] = "";
        for (int k = 0; k < 4 && in->keys[k]; k++) {
            char nm[32];
            ui_key_name(in->keys[k], nm, sizeof nm);
            if (strstr(keys, nm))
                continue; /* Enter twice (\n and \r) */
            if (keys[0])
                strncat(keys, " ", sizeof keys - strlen(keys) - 1);
            strncat(keys, nm, sizeof keys - strlen(keys) - 1);
        }
        ui_put(r.y + 2 + i, r.x + 1, kw, keys, UI_S_KEYNUM);
        ui_put(r.y + 2 + i, r.x + 1 + kw, r.w - kw - 1, _(in->help), UI_S_NORMAL);
    }
}

static unsigned h_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    help_state *s = v->state;
    (void)app;
    (void)key;
    switch (a) {
    case UI_ACT_DOWN:
        s->top++;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_UP:
        if (s->top > 0)
            s->top--;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_BACK:
    case UI_ACT_HELP:
        return UI_HANDLED | UI_POP;
    default:
        return 0;
    }
}

static void h_destroy(ui_view *v)
{
    free(v->state);
}

static const ui_action help_actions[] = { UI_ACT_BACK, UI_ACT_UP, UI_ACT_DOWN, UI_ACT_HELP, UI_ACT_QUIT,
                                          UI_ACT_NONE };

static const ui_view_ops help_ops = {
    .name = "help",
    .title = N_("Help"),
    .actions = help_actions,
    .draw = h_draw,
    .key = h_key,
    .destroy = h_destroy,
};

void ui_open_help(ui_app *app, const ui_view_ops *for_view)
{
    if (for_view == &help_ops)
        return;
    help_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->for_view = for_view;
    ui_push(app, ui_view_new(&help_ops, s));
}
