/* listview.c — see listview.h. */
#include "listview.h"
#include "draw.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>

void ui_list_init(ui_list *l, const ui_list_source *src, void *ud, size_t row_size)
{
    memset(l, 0, sizeof *l);
    l->src = src;
    l->ud = ud;
    l->row_size = row_size;
    l->count = src->count(ud, UI_LIST_COUNT_CAP, &l->exact);
}

void ui_list_free(ui_list *l)
{
    free(l->cache);
    free(l->scratch);
    l->cache = l->scratch = NULL;
    l->cache_n = l->cache_cap = 0;
}

void ui_list_reload(ui_list *l)
{
    l->cache_n = 0;
    l->count = l->src->count(l->ud, UI_LIST_COUNT_CAP, &l->exact);
    if (l->sel >= l->count)
        l->sel = l->count > 0 ? l->count - 1 : 0;
    if (l->top > l->sel)
        l->top = l->sel;
}

static void ensure_cap(ui_list *l, int n)
{
    if (n <= l->cache_cap)
        return;
    l->cache = realloc(l->cache, (size_t)n * l->row_size);
    l->scratch = realloc(l->scratch, (size_t)n * l->row_size);
    if (!l->cache || !l->scratch)
        abort();
    l->cache_cap = n;
}

/* Makes rows [first, first+n) available in the cache. */
static void load(ui_list *l, long first, int n)
{
    if (first < 0)
        first = 0;
    if (first + n > l->count)
        n = (int)(l->count - first);
    if (n <= 0)
        return;
    if (first >= l->cache_first && first + n <= l->cache_first + l->cache_n)
        return;
    ensure_cap(l, n);
    int got = l->src->fetch(l->ud, first, n, l->scratch, l->cache, l->cache_first, l->cache_n);
    if (got < 0)
        got = 0;
    char *t = l->cache;
    l->cache = l->scratch;
    l->scratch = t;
    l->cache_first = first;
    l->cache_n = got;
    if (got < n) /* rows vanished since counting: shrink */
        l->count = first + got;
}

static const void *row_at(ui_list *l, long i)
{
    if (i < l->cache_first || i >= l->cache_first + l->cache_n)
        return NULL;
    return l->cache + (size_t)(i - l->cache_first) * l->row_size;
}

/* When the count is only a lower bound and the window nears it, counts on
 * from the last cached row (keyset) by another UI_LIST_COUNT_CAP rows. */
static void extend(ui_list *l, long want)
{
    while (!l->exact && want >= l->count - 1) {
        if (!l->src->count_after) {
            l->count = l->src->count(l->ud, 0, &l->exact);
            l->exact = true;
            return;
        }
        if (l->cache_n == 0)
            load(l, l->top, l->height > 0 ? l->height : 1);
        if (l->cache_n == 0)
            return;
        /* any cached row anchors the count: rows after it, plus its index */
        long last = l->cache_first + l->cache_n - 1;
        long more = l->src->count_after(l->ud, row_at(l, last), UI_LIST_COUNT_CAP);
        l->count = last + 1 + more;
        l->exact = more < UI_LIST_COUNT_CAP;
    }
}

static void clamp(ui_list *l)
{
    if (l->sel >= l->count)
        l->sel = l->count - 1;
    if (l->sel < 0)
        l->sel = 0;
    int h = l->height > 0 ? l->height : 1;
    if (l->sel < l->top)
        l->top = l->sel;
    if (l->sel >= l->top + h)
        l->top = l->sel - h + 1;
    if (l->top > l->count - h)
        l->top = l->count - h;
    if (l->top < 0)
        l->top = 0;
}

void ui_list_draw(ui_list *l, ui_rect r)
{
    if (r.h < 2)
        return;
    l->src->draw_header(l->ud, r.y, r.x, r.w);
    l->height = r.h - 1;
    clamp(l);
    load(l, l->top, l->height);
    for (int i = 0; i < l->height; i++) {
        const void *row = row_at(l, l->top + i);
        int y = r.y + 1 + i;
        if (row)
            l->src->draw_row(l->ud, row, y, r.x, r.w, l->top + i == l->sel);
        else
            ui_blank(y, r.x, r.w, UI_S_NORMAL);
    }
    if (l->count == 0)
        ui_put(r.y + 1, r.x + 2, r.w - 2, _("(no rows)"), UI_S_DIM);
}

const void *ui_list_selected(ui_list *l)
{
    if (l->count == 0)
        return NULL;
    clamp(l);
    load(l, l->top, l->height > 0 ? l->height : 1);
    const void *r = row_at(l, l->sel);
    if (!r) {
        load(l, l->sel, 1);
        r = row_at(l, l->sel);
    }
    return r;
}

static unsigned do_find(ui_app *app, ui_list *l, int dir)
{
    if (!l->src->find) {
        ui_status(app, true, "%s", _("this list cannot be searched"));
        return UI_HANDLED;
    }
    if (!l->find[0]) {
        ui_status(app, true, "%s", _("no search text yet: press / first"));
        return UI_HANDLED;
    }
    const void *cur = ui_list_selected(l);
    long i = l->src->find(l->ud, l->find, l->sel, cur, dir);
    if (i < 0) {
        ui_status(app, true, _("not found: %s"), l->find);
    } else {
        l->sel = i;
        l->top = i; /* clamp() adjusts */
        l->cache_n = 0;
        clamp(l);
        ui_status(app, false, _("found: %s"), l->find);
    }
    return UI_HANDLED | UI_REDRAW;
}

unsigned ui_list_key(ui_app *app, ui_list *l, ui_action a)
{
    int h = l->height > 0 ? l->height : 1;
    switch (a) {
    case UI_ACT_UP:
        l->sel--;
        break;
    case UI_ACT_DOWN:
        extend(l, l->sel + 1 + h);
        l->sel++;
        break;
    case UI_ACT_PGDN:
        extend(l, l->sel + 2 * h);
        l->sel += h;
        l->top += h;
        break;
    case UI_ACT_PGUP:
        l->sel -= h;
        l->top -= h;
        break;
    case UI_ACT_FIRST:
        l->sel = l->top = 0;
        break;
    case UI_ACT_LAST:
        if (!l->exact) {
            l->count = l->src->count(l->ud, 0, &l->exact);
            l->exact = true;
            l->cache_n = 0;
        }
        l->sel = l->count - 1;
        l->top = l->count - h;
        break;
    case UI_ACT_FIND: {
        char *s = ui_prompt(app, _("Find:"), l->find);
        if (!s)
            return UI_HANDLED | UI_REDRAW;
        snprintf(l->find, sizeof l->find, "%s", s);
        free(s);
        return do_find(app, l, +1);
    }
    case UI_ACT_FIND_NEXT:
        return do_find(app, l, +1);
    case UI_ACT_FIND_PREV:
        return do_find(app, l, -1);
    default:
        return 0;
    }
    if (l->top < 0)
        l->top = 0;
    clamp(l);
    return UI_HANDLED | UI_REDRAW;
}
