/* lines.c — see lines.h. */
#include "lines.h"
#include "draw.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ui_lines_clear(ui_lines *b)
{
    for (int i = 0; i < b->n; i++)
        for (int k = 0; k < b->v[i].n; k++)
            free(b->v[i].cell[k]);
    b->n = 0;
}

void ui_lines_free(ui_lines *b)
{
    ui_lines_clear(b);
    free(b->v);
    b->v = NULL;
    b->cap = 0;
}

static char *dup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

void ui_lines_add(ui_lines *b, enum ui_style st, int n, ...)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 32;
        b->v = realloc(b->v, (size_t)b->cap * sizeof *b->v);
        if (!b->v)
            abort();
    }
    ui_line *l = &b->v[b->n++];
    memset(l, 0, sizeof *l);
    l->style = st;
    if (n > UI_LINE_CELLS)
        n = UI_LINE_CELLS;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        l->cell[i] = dup(va_arg(ap, const char *));
    va_end(ap);
    l->n = n;
}

void ui_lines_pair(ui_lines *b, const char *label, const char *value)
{
    ui_lines_add(b, UI_S_NORMAL, 2, label, value);
}

void ui_lines_draw(ui_lines *b, ui_rect r)
{
    if (b->top > b->n - r.h)
        b->top = b->n - r.h;
    if (b->top < 0)
        b->top = 0;
    for (int i = 0; i < r.h; i++) {
        int k = b->top + i;
        int y = r.y + i;
        if (k >= b->n) {
            ui_blank(y, r.x, r.w, UI_S_NORMAL);
            continue;
        }
        ui_line *l = &b->v[k];
        int widths[UI_LINE_CELLS], fit[UI_LINE_CELLS];
        for (int c = 0; c < l->n; c++)
            widths[c] = c < b->ncols && c < l->n - 1 ? b->widths[c] : 0;
        if (l->n > 1) {
            ui_cols_fit(r.w, l->n, widths, b->fixed, fit);
            memcpy(widths, fit, sizeof(int) * (size_t)l->n);
        }
        ui_put_row(y, r.x, r.w, l->n, (const char *const *)l->cell, widths, l->style);
    }
}

unsigned ui_lines_key(ui_lines *b, ui_action a, int page)
{
    switch (a) {
    case UI_ACT_UP:
        b->top--;
        break;
    case UI_ACT_DOWN:
        b->top++;
        break;
    case UI_ACT_PGUP:
        b->top -= page;
        break;
    case UI_ACT_PGDN:
        b->top += page;
        break;
    case UI_ACT_FIRST:
        b->top = 0;
        break;
    case UI_ACT_LAST:
        b->top = b->n;
        break;
    default:
        return 0;
    }
    if (b->top < 0)
        b->top = 0;
    if (b->top >= b->n)
        b->top = b->n > 0 ? b->n - 1 : 0;
    return UI_HANDLED | UI_REDRAW;
}
