/* pick.c — see pick.h. */
#include "pick.h"
#include "draw.h"
#include "i18n.h"
#include "text.h"

#include <string.h>

static const ui_action pick_actions[] = { UI_ACT_UP, UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_FIRST,
                                          UI_ACT_LAST, UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_NONE };

int ui_pick(ui_app *app, const char *title, const char *const *items, int n, int initial)
{
    int sel = initial >= 0 && initial < n ? initial : 0, top = 0;
    if (n <= 0)
        return -1;
    for (;;) {
        ui_repaint(app);
        int w = ui_width(title) + 4;
        for (int i = 0; i < n; i++) {
            int iw = ui_width(items[i]) + 4;
            if (iw > w)
                w = iw;
        }
        if (w > COLS - 4)
            w = COLS - 4;
        int h = n + 2;
        if (h > LINES - 6)
            h = LINES - 6;
        int rows = h - 2;
        int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
        if (sel < top)
            top = sel;
        if (sel >= top + rows)
            top = sel - rows + 1;
        ui_put(y0, x0, w, title, UI_S_TITLE);
        for (int i = 0; i < rows; i++) {
            int k = top + i;
            char line[1024];
            snprintf(line, sizeof line, " %s", k < n ? items[k] : "");
            ui_put(y0 + 1 + i, x0, w, line, k == sel ? UI_S_SELECTED : UI_S_FIELD);
        }
        ui_put(y0 + h - 1, x0, w, _(" Enter: choose   Esc: cancel"), UI_S_TITLE);
        curs_set(0);
        refresh();
        ui_key key = ui_read_key(app);
        if (key < 0)
            return -1;
        ui_action a = ui_key_action(key, pick_actions);
        switch (a) {
        case UI_ACT_UP:
            if (sel > 0)
                sel--;
            break;
        case UI_ACT_DOWN:
            if (sel < n - 1)
                sel++;
            break;
        case UI_ACT_PGUP:
            sel = sel > rows ? sel - rows : 0;
            break;
        case UI_ACT_PGDN:
            sel = sel + rows < n ? sel + rows : n - 1;
            break;
        case UI_ACT_FIRST:
            sel = 0;
            break;
        case UI_ACT_LAST:
            sel = n - 1;
            break;
        case UI_ACT_OPEN:
            return sel;
        case UI_ACT_BACK:
            if (key == 27 || key == 'q')
                return -1;
            break;
        default:
            if (!UI_KEY_IS_CODE(key) && key > ' ') {
                /* jump to the next item starting with this character */
                char b[5] = { 0 };
                td_utf8_encode((uint32_t)key, b);
                for (int d = 1; d <= n; d++) {
                    int k = (sel + d) % n;
                    if (strncmp(items[k], b, strlen(b)) == 0) {
                        sel = k;
                        break;
                    }
                }
            }
        }
    }
}
