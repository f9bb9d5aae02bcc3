/* pick.c — see pick.h. */
#include "pick.h"
#include "draw.h"
#include "base/i18n.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

static const ui_action pick_actions[] = { UI_ACT_UP, UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_FIRST,
                                          UI_ACT_LAST, UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_NONE };

typedef struct pick_ov {
    const char *title;
    const char *const *items;
    int n;
    int *vis;          /* indices of the items shown (all, or those matching `typed`) */
    int nvis;
    int sel, top, rows; /* sel indexes vis */
    char typed[128];   /* type-ahead text (UTF-8) */
} pick_ov;

/* Items whose text starts with typed come first (in list order), then those
 * containing it; all items when nothing is typed. */
static void refilter(pick_ov *p)
{
    p->nvis = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < p->n; i++) {
            const char *it = p->items[i];
            bool prefix = strncmp(it, p->typed, strlen(p->typed)) == 0;
            bool inside = strstr(it, p->typed) != NULL;
            if ((pass == 0 && prefix) || (pass == 1 && inside && !prefix))
                p->vis[p->nvis++] = i;
        }
    if (p->sel >= p->nvis)
        p->sel = p->nvis > 0 ? p->nvis - 1 : 0;
    p->top = 0;
}

static void pick_draw(ui_app *app, void *ud)
{
    (void)app;
    pick_ov *p = ud;
    const char *foot = _(" Enter: choose   Esc: cancel");
    int w = ui_width(p->title) + 6;
    for (int i = 0; i < p->n; i++) {
        int iw = ui_width(p->items[i]) + 4;
        if (iw > w)
            w = iw;
    }
    if (ui_width(foot) + 12 > w)
        w = ui_width(foot) + 12;
    if (w > COLS - 4)
        w = COLS - 4;
    int h = p->n + 2;
    if (h > LINES - 6)
        h = LINES - 6;
    if (h < 3) /* one item: one row between the borders, no empty row */
        h = 3;
    p->rows = h - 2;
    int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
    if (p->sel < p->top)
        p->top = p->sel;
    if (p->sel >= p->top + p->rows)
        p->top = p->sel - p->rows + 1;
    /* an ASCII border (never ambiguous-width box characters) so the list
     * stands apart from the fields it covers */
    char line[1200];
    snprintf(line, sizeof line, "+ %s ", p->title);
    ui_put(y0, x0, w - 1, line, UI_S_TITLE);
    ui_put(y0, x0 + w - 1, 1, "+", UI_S_TITLE);
    for (int i = 0; i < p->rows; i++) {
        int k = p->top + i;
        bool has = k < p->nvis;
        snprintf(line, sizeof line, " %s", has ? p->items[p->vis[k]] : "");
        ui_put(y0 + 1 + i, x0, 1, "|", UI_S_TITLE);
        ui_put(y0 + 1 + i, x0 + 1, w - 2, line, has && k == p->sel ? UI_S_SELECTED : UI_S_FIELD);
        /* scroll marks in the right border: more above / more below */
        const char *mark = (i == 0 && p->top > 0) ? "^" : (i == p->rows - 1 && p->top + p->rows < p->nvis) ? "v" : "|";
        ui_put(y0 + 1 + i, x0 + w - 1, 1, mark, UI_S_TITLE);
    }
    char pos[64];
    if (p->typed[0])
        snprintf(pos, sizeof pos, _(" %s: %d/%d "), p->typed, p->nvis ? p->sel + 1 : 0, p->nvis);
    else
        snprintf(pos, sizeof pos, " %d/%d ", p->nvis ? p->sel + 1 : 0, p->nvis);
    snprintf(line, sizeof line, "+%s", foot);
    int pw = ui_width(pos);
    ui_put(y0 + h - 1, x0, w - pw - 1, line, UI_S_TITLE);
    ui_put(y0 + h - 1, x0 + w - pw - 1, pw, pos, UI_S_TITLE);
    ui_put(y0 + h - 1, x0 + w - 1, 1, "+", UI_S_TITLE);
    curs_set(0);
}

int ui_pick_typed(ui_app *app, const char *title, const char *const *items, int n, int initial, const char *typed)
{
    if (n <= 0)
        return -1;
    pick_ov p = { title, items, n, NULL, 0, 0, 0, 1, "" };
    p.vis = malloc(sizeof(int) * (size_t)n);
    if (!p.vis)
        abort();
    if (typed)
        snprintf(p.typed, sizeof p.typed, "%s", typed);
    refilter(&p);
    if (!p.typed[0] && initial >= 0 && initial < n)
        p.sel = initial;
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
            if (p.nvis > 0) {
                result = p.vis[p.sel];
                break;
            }
            continue;
        }
        if (a == UI_ACT_BACK) {
            if (p.typed[0] && key == 27) { /* Esc first clears what was typed */
                p.typed[0] = 0;
                refilter(&p);
                continue;
            }
            break;
        }
        switch (a) {
        case UI_ACT_UP:
            if (p.sel > 0)
                p.sel--;
            break;
        case UI_ACT_DOWN:
            if (p.sel < p.nvis - 1)
                p.sel++;
            break;
        case UI_ACT_PGUP:
            p.sel = p.sel > rows ? p.sel - rows : 0;
            break;
        case UI_ACT_PGDN:
            p.sel = p.sel + rows < p.nvis ? p.sel + rows : (p.nvis > 0 ? p.nvis - 1 : 0);
            break;
        case UI_ACT_FIRST:
            p.sel = 0;
            break;
        case UI_ACT_LAST:
            p.sel = p.nvis > 0 ? p.nvis - 1 : 0;
            break;
        default:
            if (key == UK(KEY_BACKSPACE) || key == 127 || key == 8) {
                size_t l = strlen(p.typed);
                if (l) {
                    p.typed[td_text_prev_char(p.typed, l)] = 0;
                    refilter(&p);
                }
            } else if (!UI_KEY_IS_CODE(key) && key > ' ') {
                /* type-ahead: the list narrows to what was typed so far */
                char b[5] = { 0 };
                td_utf8_encode((uint32_t)key, b);
                size_t l = strlen(p.typed);
                if (l + strlen(b) < sizeof p.typed) {
                    memcpy(p.typed + l, b, strlen(b) + 1);
                    p.sel = 0;
                    refilter(&p);
                }
            }
        }
    }
    app->overlay = saved;
    app->overlay_ud = saved_ud;
    free(p.vis);
    return result;
}

int ui_pick(ui_app *app, const char *title, const char *const *items, int n, int initial)
{
    return ui_pick_typed(app, title, items, n, initial, NULL);
}
