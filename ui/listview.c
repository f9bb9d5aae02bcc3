/* listview.c — see listview.h. */
#include "listview.h"
#include "draw.h"
#include "base/i18n.h"
#include "people/mask.h"
#include "search/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ui_list_init(ui_list *l, const ui_list_source *src, void *ud, size_t row_size)
{
    memset(l, 0, sizeof *l);
    l->src = src;
    l->ud = ud;
    l->row_size = row_size;
    l->head_exact = true;
    l->count = src->count(ud, UI_LIST_COUNT_CAP, &l->exact);
}

const char *ui_list_count_text(const ui_list *l, char *buf, size_t len)
{
    char digits[32], grouped[48];
    snprintf(digits, sizeof digits, "%ld", l->count < 0 ? 0 : l->count);
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            grouped[o++] = ',';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    snprintf(buf, len, "%s%s", grouped, l->exact && l->head_exact ? "" : "+");
    return buf;
}

void ui_list_free(ui_list *l)
{
    free(l->cache);
    free(l->scratch);
    l->cache = l->scratch = NULL;
    l->cache_n = l->cache_cap = 0;
}

static const void *row_at(ui_list *l, long i);
static void ensure_cap(ui_list *l, int n);

void ui_list_reload(ui_list *l)
{
    int h = l->height > 0 ? l->height : 1;
    const void *anchor = l->top > 0 && l->src->refetch ? row_at(l, l->top) : NULL;
    if (anchor) {
        /* one page from the top row's keys, and a capped count after it */
        ensure_cap(l, h);
        char *a = malloc(l->row_size);
        if (!a)
            abort();
        memcpy(a, anchor, l->row_size);
        int got = l->src->refetch(l->ud, a, h, l->scratch);
        free(a);
        if (got > 0) {
            char *t = l->cache;
            l->cache = l->scratch;
            l->scratch = t;
            l->cache_first = l->top;
            l->cache_n = got;
            long more = got < h ? 0 : l->src->count_after(l->ud, row_at(l, l->top + got - 1), UI_LIST_COUNT_CAP);
            l->count = l->top + got + more;
            l->exact = more < UI_LIST_COUNT_CAP;
            if (l->sel >= l->count)
                l->sel = l->count - 1;
            return;
        }
    }
    l->cache_n = 0;
    l->head_exact = true;
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
    long cf = l->cache_first, ce = l->cache_first + l->cache_n;
    size_t rs = l->row_size;
    int got;
    bool tail = false;
    if (l->cache_n > 0 && first >= cf && first < ce) {
        /* the window starts inside the cache: keep those rows, read on */
        int k = (int)(ce - first);
        memcpy(l->scratch, l->cache + (size_t)(first - cf) * rs, (size_t)k * rs);
        int m = l->src->fetch(l->ud, ce, n - k, l->scratch + (size_t)k * rs, l->cache, cf, l->cache_n);
        got = k + (m > 0 ? m : 0);
    } else if (l->cache_n > 0 && first + n > cf && first + n <= ce) {
        /* the window ends inside the cache: read the rows before it */
        int k = (int)(first + n - cf), want = n - k;
        int m = l->src->fetch(l->ud, first, want, l->scratch, l->cache, cf, l->cache_n);
        if (m < 0)
            m = 0;
        memcpy(l->scratch + (size_t)m * rs, l->cache, (size_t)k * rs);
        got = m + k;
        tail = true;
        if (m < want) { /* the true top came sooner: indexes start there */
            long shift = first + (want - m);
            l->top -= shift;
            l->sel -= shift;
            l->count -= shift;
            first = 0;
            l->head_exact = true;
        }
    } else {
        got = l->src->fetch(l->ud, first, n, l->scratch, l->cache, l->cache_first, l->cache_n);
    }
    if (got < 0)
        got = 0;
    char *t = l->cache;
    l->cache = l->scratch;
    l->scratch = t;
    l->cache_first = first;
    l->cache_n = got;
    if (got < n && !tail) /* rows vanished since counting: shrink */
        l->count = first + got;
}

static const void *row_at(ui_list *l, long i)
{
    if (i < l->cache_first || i >= l->cache_first + l->cache_n)
        return NULL;
    return l->cache + (size_t)(i - l->cache_first) * l->row_size;
}

/* When the indexes are offset (a found row or the end placed without
 * counting every row before it) and the window nears index 0, counts the
 * rows before the first cached row (capped) and shifts the indexes: exact
 * when fewer than the cap, else the window stays 2 caps from index 0. */
static void rebase(ui_list *l)
{
    if (l->head_exact || l->cache_n == 0 || l->top >= UI_LIST_COUNT_CAP || !l->src->count_before)
        return;
    long before = l->src->count_before(l->ud, row_at(l, l->cache_first), UI_LIST_COUNT_CAP);
    long shift;
    if (before < UI_LIST_COUNT_CAP) {
        shift = before - l->cache_first;
        l->head_exact = true;
    } else {
        shift = 2 * UI_LIST_COUNT_CAP - l->cache_first;
    }
    l->cache_first += shift;
    l->top += shift;
    l->sel += shift;
    l->count += shift;
}

/* Puts row (row_size bytes) at the top of the window as the selected row,
 * its index from a capped count of the rows before it. */
static void jump(ui_list *l, const void *row)
{
    long before = l->src->count_before ? l->src->count_before(l->ud, row, UI_LIST_COUNT_CAP) : 0;
    bool exact = l->src->count_before && before < UI_LIST_COUNT_CAP;
    long idx = exact ? before : 2 * UI_LIST_COUNT_CAP;
    ensure_cap(l, l->height > 0 ? l->height : 1);
    memcpy(l->cache, row, l->row_size);
    l->cache_first = idx;
    l->cache_n = 1;
    l->head_exact = exact;
    long more = l->src->count_after(l->ud, row, UI_LIST_COUNT_CAP);
    l->count = idx + 1 + more;
    l->exact = more < UI_LIST_COUNT_CAP;
    l->sel = l->top = idx;
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
    rebase(l);
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

/* The find text as the status line echoes it: a mobile or identity number
 * masked as the signed-in user sees such numbers (people/mask.h) — the
 * clerk typed it, but a status line is no place to show it in full. */
static const char *find_shown(const ui_app *app, const char *text, char *buf, size_t len)
{
    td_search_kind k = td_search_classify(text);
    if (k == TD_SEARCH_PHONE) { /* its digits, as the number is stored and shown elsewhere */
        char digits[32];
        size_t o = 0;
        const char *p = text;
        while (*p == ' ')
            p++;
        if (strncmp(p, "+86", 3) == 0)
            p += 3;
        else if (strncmp(p, "0086", 4) == 0)
            p += 4;
        for (; *p && o + 1 < sizeof digits; p++)
            if (*p >= '0' && *p <= '9')
                digits[o++] = *p;
        digits[o] = '\0';
        const char *v = td_pii_view(&app->actor, TD_PII_PHONE, digits, buf, len);
        if (v != buf)
            snprintf(buf, len, "%s", digits);
        return buf;
    }
    if (k == TD_SEARCH_ID)
        return td_pii_view(&app->actor, TD_PII_ID, text, buf, len);
    return text;
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
    char *hit = malloc(l->row_size);
    if (!hit)
        abort();
    int f = l->src->find(l->ud, l->find, cur, dir, hit);
    char shown[sizeof l->find];
    if (f <= 0) {
        ui_status(app, true, _("not found: %s"), find_shown(app, l->find, shown, sizeof shown));
    } else {
        jump(l, hit);
        clamp(l);
        ui_status(app, false, _("found: %s"), find_shown(app, l->find, shown, sizeof shown));
    }
    free(hit);
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
        if (!l->head_exact) { /* the top by its keys, not by shifting */
            l->cache_n = 0;
            l->head_exact = true;
            l->count = l->src->count(l->ud, UI_LIST_COUNT_CAP, &l->exact);
        }
        l->sel = l->top = 0;
        break;
    case UI_ACT_LAST:
        if ((!l->exact || !l->head_exact) && l->src->fetch_last && l->src->count_before) {
            /* the last page by its keys, placed by a capped count */
            ensure_cap(l, h);
            int got = l->src->fetch_last(l->ud, h, l->scratch);
            if (got <= 0) {
                l->count = 0;
                l->cache_n = 0;
                l->exact = l->head_exact = true;
            } else {
                long before = l->src->count_before(l->ud, l->scratch, UI_LIST_COUNT_CAP);
                l->head_exact = before < UI_LIST_COUNT_CAP;
                long idx = l->head_exact ? before : 2 * UI_LIST_COUNT_CAP;
                char *t = l->cache;
                l->cache = l->scratch;
                l->scratch = t;
                l->cache_first = idx;
                l->cache_n = got;
                l->count = idx + got;
                l->exact = true;
            }
        } else if (!l->exact) {
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
    rebase(l);
    clamp(l);
    return UI_HANDLED | UI_REDRAW;
}
