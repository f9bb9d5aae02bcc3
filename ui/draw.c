/* draw.c — see draw.h.  The text module measures and sanitises; this file
 * only positions. */
#include "draw.h"
#include "base/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_fitted(int y, int x, const char *fitted, enum ui_style st)
{
    attr_t a = ui_style_attr(st);
    short pair = ui_style_pair(st);
    attr_set(a, pair, NULL);
    mvaddstr(y, x, fitted);
    attr_set(A_NORMAL, 0, NULL);
}

static int put_common(int y, int x, int cols, const char *s, enum ui_style st, bool right)
{
    if (cols <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + cols > COLS)
        cols = COLS - x;
    /* fitted text: at most 4 bytes per column plus an escape form per char */
    size_t cap = (size_t)cols * 16 + 16;
    char stackbuf[1024];
    char *buf = cap <= sizeof stackbuf ? stackbuf : malloc(cap);
    if (!buf)
        abort();
    if (right)
        td_text_fit_right(s ? s : "", cols, buf, cap);
    else
        td_text_fit(s ? s : "", cols, true, buf, cap);
    put_fitted(y, x, buf, st);
    if (buf != stackbuf)
        free(buf);
    return cols;
}

int ui_put(int y, int x, int cols, const char *s, enum ui_style st)
{
    return put_common(y, x, cols, s, st, false);
}

int ui_put_right(int y, int x, int cols, const char *s, enum ui_style st)
{
    return put_common(y, x, cols, s, st, true);
}

int ui_putf(int y, int x, int cols, enum ui_style st, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ui_put(y, x, cols, buf, st);
}

void ui_blank(int y, int x, int cols, enum ui_style st)
{
    ui_put(y, x, cols, "", st);
}

int ui_width(const char *s)
{
    return td_text_width(s ? s : "");
}

void ui_put_pair(int y, int x, int label_cols, int cols, const char *label, const char *value)
{
    if (cols <= label_cols) {
        ui_put(y, x, cols, label, UI_S_DIM);
        return;
    }
    ui_put(y, x, label_cols, label, UI_S_DIM);
    ui_put(y, x + label_cols, cols - label_cols, value, UI_S_NORMAL);
}

void ui_hrule(int y, int x, int cols)
{
    char buf[512];
    if (cols > (int)sizeof buf - 1)
        cols = (int)sizeof buf - 1;
    if (cols <= 0)
        return;
    memset(buf, '-', (size_t)cols);
    buf[cols] = 0;
    ui_put(y, x, cols, buf, UI_S_DIM);
}

void ui_put_row(int y, int x, int cols, int n, const char *const *cells, const int *widths,
                enum ui_style st)
{
    int col = x, end = x + cols;
    for (int i = 0; i < n && col < end; i++) {
        int w = widths[i] < 0 ? -widths[i] : widths[i];
        if (w == 0) /* 0 = the rest of the row */
            w = end - col;
        if (col + w > end)
            w = end - col;
        if (widths[i] < 0)
            ui_put_right(y, col, w, cells[i], st);
        else
            ui_put(y, col, w, cells[i], st);
        col += w;
        if (col < end) {
            ui_put(y, col, 1, "", st);
            col++;
        }
    }
    if (col < end)
        ui_blank(y, col, end - col, st);
}

void ui_cols_fit(int cols, int n, const int *min, unsigned fixed, int *out)
{
    int used = n > 0 ? n - 1 : 0; /* separators */
    int rest = -1, grow_sum = 0;
    for (int i = 0; i < n; i++) {
        out[i] = min[i];
        used += min[i] < 0 ? -min[i] : min[i];
        if (min[i] == 0)
            rest = i;
        else if (min[i] > 0 && !(fixed & (1u << i)))
            grow_sum += min[i];
    }
    int extra = cols - (cols > 80 ? 80 : cols);
    if (extra <= 0 || grow_sum == 0)
        return;
    /* the rest column's share is what it had at 80 columns */
    int rest_w = rest >= 0 ? 80 - used : 0;
    if (rest_w < 8)
        rest_w = rest >= 0 ? 8 : 0;
    for (int i = 0; i < n; i++)
        if (min[i] > 0 && !(fixed & (1u << i)))
            out[i] = min[i] + extra * min[i] / (grow_sum + rest_w);
}
