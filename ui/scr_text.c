/* scr_text.c — a read-only page of text (the rendered 一次性告知书, …),
 * wrapped to the width of the screen (and wrapped again after a resize) so
 * no sentence of a document is cut off at the right edge. */
#include "draw.h"
#include "base/i18n.h"
#include "lines.h"
#include "screens.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct text_state {
    char title[128];
    char *text;
    ui_lines lines;
    int page;
    int wrapped_cols; /* width the lines were wrapped for (0: not yet) */
} text_state;

static int add_line(const char *line, size_t len, void *ud)
{
    char *l = strndup(line, len);
    if (!l)
        abort();
    ui_lines_add(ud, UI_S_NORMAL, 1, l);
    free(l);
    return 0;
}

static void t_draw(ui_app *app, ui_view *v, ui_rect r)
{
    text_state *s = v->state;
    (void)app;
    ui_put(r.y, r.x, r.w, s->title, UI_S_HEADER);
    ui_rect b = { r.y + 1, r.x, r.h - 1, r.w };
    s->page = b.h;
    if (s->wrapped_cols != b.w) {
        ui_lines_clear(&s->lines);
        td_text_wrap(s->text, b.w, add_line, &s->lines);
        s->wrapped_cols = b.w;
    }
    ui_lines_draw(&s->lines, b);
}

static unsigned t_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    text_state *s = v->state;
    (void)app;
    (void)key;
    return ui_lines_key(&s->lines, a, s->page > 1 ? s->page - 1 : 1);
}

static void t_destroy(ui_view *v)
{
    text_state *s = v->state;
    ui_lines_free(&s->lines);
    free(s->text);
    free(s);
}

static const ui_action text_actions[] = { UI_ACT_HELP, UI_ACT_QUIT, UI_ACT_BACK, UI_ACT_UP, UI_ACT_DOWN,
                                          UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_FIRST, UI_ACT_LAST, UI_ACT_NONE };

static const ui_view_ops text_ops = {
    .name = "text",
    .title = N_("Text page"),
    .actions = text_actions,
    .draw = t_draw,
    .key = t_key,
    .destroy = t_destroy,
};

void ui_open_text(ui_app *app, const char *title, const char *text)
{
    text_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    snprintf(s->title, sizeof s->title, "%s", title);
    s->lines.ncols = 1;
    s->text = strdup(text ? text : "");
    if (!s->text)
        abort();
    ui_push(app, ui_view_new(&text_ops, s));
}
