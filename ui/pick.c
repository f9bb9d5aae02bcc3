/* pick.c — see pick.h. */
#include "pick.h"
#include "draw.h"
#include "base/i18n.h"
#include "base/text.h"

#include <string.h>

static const ui_action pick_actions[] = { UI_ACT_UP, UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_FIRST,
                                          UI_ACT_LAST, UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_NONE };

typedef struct pick_ov {
    const char *title;
    const char *const *items;
    int n, sel, top, rows;
} pick_ov;

static void pick_draw(ui_app *app, void *ud)
{
    (void)app;
    pick_ov *p = ud;
    int w = ui_width(p->title) + 4;
    for (int i = 0; i < p->n; i++) {
        int iw = ui_width(p->items[i]) + 4;
        if (iw > w)
            w = iw;
    }
    int foot = ui_width(_(" Enter: choose   Esc: cancel"));
    if (foot > w)
        w = foot;
    if (w > COLS - 4)
        w = COLS - 4;
    int h = p->n + 2;
    if (h > LINES - 6)
        h = LINES - 6;
    p->rows = h - 2;
    int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
    if (p->sel < p->top)
        p->top = p->sel;
    if (p->sel >= p->top + p->rows)
        p->top = p->sel - p->rows + 1;
    ui_put(y0, x0, w, p->title, UI_S_TITLE);
    for (int i = 0; i < p->rows; i++) {
        int k = p->top + i;
        char line[1024];
        snprintf(line, sizeof line, " %s", k < p->n ? p->items[k] : "");
        ui_put(y0 + 1 + i, x0, w, line, k == p->sel ? UI_S_SELECTED : UI_S_FIELD);
    }
    ui_put(y0 + h - 1, x0, w, _(" Enter: choose   Esc: cancel"), UI_S_TITLE);
    curs_set(0);
}

int ui_pick(ui_app *app, const char *title, const char *const *items, int n, int initial)
{
    if (n <= 0)
        return -1;
    pick_ov p = { title, items, n, initial >= 0 && initial < n ? initial : 0, 0, 1 };
    void (*saved)(ui_app *, void *) = app->overlay;
    void *saved_ud = app->overlay_ud;
    app->overlay = pick_draw;
    app->overlay_ud = &p;
    int result = -1;
    for (;;) {
        ui_repaint(app);
        ui_key key = ui_read_key(app);
        if (key < 0)
            break;
        ui_action a = ui_key_action(key, pick_actions);
        int rows = p.rows > 0 ? p.rows : 1;
        if (a == UI_ACT_OPEN) {
            result = p.sel;
            break;
        }
        if (a == UI_ACT_BACK)
            break;
        switch (a) {
        case UI_ACT_UP:
            if (p.sel > 0)
                p.sel--;
            break;
        case UI_ACT_DOWN:
            if (p.sel < n - 1)
                p.sel++;
            break;
        case UI_ACT_PGUP:
            p.sel = p.sel > rows ? p.sel - rows : 0;
            break;
        case UI_ACT_PGDN:
            p.sel = p.sel + rows < n ? p.sel + rows : n - 1;
            break;
        case UI_ACT_FIRST:
            p.sel = 0;
            break;
        case UI_ACT_LAST:
            p.sel = n - 1;
            break;
        default:
            if (!UI_KEY_IS_CODE(key) && key > ' ') {
                /* jump to the next item starting with this character */
                char b[5] = { 0 };
                td_utf8_encode((uint32_t)key, b);
                for (int d = 1; d <= n; d++) {
                    int k = (p.sel + d) % n;
                    if (strncmp(items[k], b, strlen(b)) == 0) {
                        p.sel = k;
                        break;
                    }
                }
            }
        }
    }
    app->overlay = saved;
    app->overlay_ud = saved_ud;
    return result;
}
