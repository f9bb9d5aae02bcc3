/* test_ui_list.c — the virtual list (ui/listview.c) over a fake source of a
 * million rows: it asks only for the rows on screen, continues from cached
 * neighbours (keyset) when paging, and movement keys clamp at both ends. */
#include "listview.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { long v; } row;

typedef struct fake {
    long n;
    int fetches;
    long max_window;
    int anchored;    /* fetches that had the neighbouring row in the cache */
    int unanchored;  /* fetches with no neighbour (first page, end, jumps) */
    long last_first;
    int counts, count_afters, count_befores, refetches;
    long every;      /* f_find: every n-th row matches */
} fake;

static long f_count(void *ud, long cap, bool *exact)
{
    fake *f = ud;
    f->counts++;
    if (cap > 0 && f->n > cap) {
        *exact = false;
        return cap;
    }
    *exact = true;
    return f->n;
}

static long f_count_after(void *ud, const void *rowv, long cap)
{
    fake *f = ud;
    const row *r = rowv;
    f->count_afters++;
    long more = f->n - r->v - 1;
    return more > cap ? cap : more;
}

static int f_fetch(void *ud, long first, int n, void *out, const void *cache, long cfirst, int cn)
{
    fake *f = ud;
    f->fetches++;
    if (n > f->max_window)
        f->max_window = n;
    bool before = cn > 0 && first - 1 >= cfirst && first - 1 < cfirst + cn;
    bool after = cn > 0 && first + n >= cfirst && first + n < cfirst + cn;
    if (before || after) {
        f->anchored++;
        /* the anchor row holds the value we expect there */
        const row *c = cache;
        long base = before ? c[first - 1 - cfirst].v + 1 : c[first + n - cfirst].v - n;
        if (!f->every) { /* indexes are exact: the anchor's value is its index */
            if (before)
                assert_int_equal(c[first - 1 - cfirst].v, first - 1);
            else
                assert_int_equal(c[first + n - cfirst].v, first + n);
        }
        /* rows continue from the anchor's key, as a keyset source's do */
        row *r = out;
        int k = 0;
        for (long v = base < 0 ? 0 : base; k < n && v < f->n && v < (before ? f->n : c[first + n - cfirst].v); v++)
            r[k++].v = v;
        f->last_first = first;
        return k;
    } else {
        f->unanchored++;
        if (getenv("DBG")) fprintf(stderr, "unanchored first=%ld n=%d cfirst=%ld cn=%d\n", first, n, cfirst, cn);
    }
    f->last_first = first;
    row *r = out;
    int k = 0;
    for (; k < n && first + k < f->n; k++)
        r[k].v = first + k;
    return k;
}

static void f_header(void *ud, int y, int x, int w) { (void)ud; (void)y; (void)x; (void)w; }
static void f_row(void *ud, const void *r, int y, int x, int w, bool sel)
{
    (void)ud; (void)r; (void)y; (void)x; (void)w; (void)sel;
}

/* Find over the fake: rows whose value is a multiple of f->every match;
 * count_before is capped as a real source's is. */
static int f_find(void *ud, const char *text, const void *from, int dir, void *hit)
{
    fake *f = ud;
    (void)text;
    long v = from ? ((const row *)from)->v : (dir > 0 ? -1 : f->n);
    long every = f->every ? f->every : 1;
    long next = dir > 0 ? (v / every + 1) * every : (v - 1) / every * every;
    if (v - 1 < 0 && dir < 0)
        return 0;
    if (next < 0 || next >= f->n)
        return 0;
    ((row *)hit)->v = next;
    return 1;
}

static long f_count_before(void *ud, const void *rowv, long cap)
{
    fake *f = ud;
    f->count_befores++;
    long v = ((const row *)rowv)->v;
    return v > cap ? cap : v;
}

static int f_fetch_last(void *ud, int n, void *out)
{
    fake *f = ud;
    int k = f->n < n ? (int)f->n : n;
    for (int i = 0; i < k; i++)
        ((row *)out)[i].v = f->n - k + i;
    return k;
}

static const ui_list_source src = { .count = f_count, .fetch = f_fetch, .draw_header = f_header, .draw_row = f_row,
                                     .count_after = f_count_after };

static ui_app g_app; /* only the status line is used */

static long sel_value(ui_list *l)
{
    const row *r = ui_list_selected(l);
    assert_non_null(r);
    return r->v;
}

static void test_million_rows_paging(void **st)
{
    (void)st;
    fake f = { .n = 1000000 };
    ui_list l;
    ui_list_init(&l, &src, &f, sizeof(row));
    /* opening counts only the first UI_LIST_COUNT_CAP rows */
    assert_int_equal(l.count, UI_LIST_COUNT_CAP);
    assert_false(l.exact);
    l.height = 20;
    assert_int_equal(sel_value(&l), 0);
    /* each key is followed by a repaint, which reads the visible rows */
    for (int i = 0; i < 1000; i++) {
        assert_true(ui_list_key(&g_app, &l, UI_ACT_PGDN) & UI_HANDLED);
        assert_int_equal(sel_value(&l), (i + 1) * 20);
    }
    assert_int_equal(sel_value(&l), 20000);
    assert_int_equal(l.top, 20000);
    /* the count grew from cached rows as the window neared it */
    assert_true(l.count > 20000);
    assert_false(l.exact);
    /* one capped count per UI_LIST_COUNT_CAP rows paged, never a full count */
    if (f.count_afters < 20000 / UI_LIST_COUNT_CAP - 1 || f.count_afters > 20000 / UI_LIST_COUNT_CAP + 1)
        fail_msg("expected about %d capped counts, got %d", 20000 / UI_LIST_COUNT_CAP, f.count_afters);
    assert_int_equal(f.counts, 1);
    /* only one screen is ever held, every page after the first continued
     * from the last row of the previous one */
    assert_true(f.max_window <= 20);
    assert_true(l.cache_cap <= 20);
    assert_int_equal(f.unanchored, 1);
    assert_true(f.anchored >= 1000);
    for (int i = 0; i < 5; i++) {
        ui_list_key(&g_app, &l, UI_ACT_PGUP);
        sel_value(&l);
    }
    assert_int_equal(sel_value(&l), 19900);
    assert_int_equal(f.unanchored, 1); /* paging back is anchored too */
    ui_list_key(&g_app, &l, UI_ACT_DOWN);
    ui_list_key(&g_app, &l, UI_ACT_UP);
    ui_list_key(&g_app, &l, UI_ACT_UP);
    assert_int_equal(sel_value(&l), 19899);
    ui_list_free(&l);
}

static void test_ends_and_clamping(void **st)
{
    (void)st;
    fake f = { .n = 1000000 };
    ui_list l;
    ui_list_init(&l, &src, &f, sizeof(row));
    l.height = 20;
    ui_list_key(&g_app, &l, UI_ACT_LAST); /* End counts exactly */
    assert_true(l.exact);
    assert_int_equal(l.count, 1000000);
    assert_int_equal(sel_value(&l), 999999);
    assert_int_equal(l.top, 999980);
    ui_list_key(&g_app, &l, UI_ACT_DOWN);
    ui_list_key(&g_app, &l, UI_ACT_PGDN);
    assert_int_equal(sel_value(&l), 999999);
    ui_list_key(&g_app, &l, UI_ACT_FIRST);
    assert_int_equal(sel_value(&l), 0);
    ui_list_key(&g_app, &l, UI_ACT_UP);
    ui_list_key(&g_app, &l, UI_ACT_PGUP);
    assert_int_equal(sel_value(&l), 0);
    assert_int_equal(l.top, 0);
    ui_list_free(&l);
}

/* Paging a list whose size is a multiple of the cap to its very end finds
 * the end exactly, without ever counting the whole table. */
static void test_grows_to_exact_end(void **st)
{
    (void)st;
    fake f = { .n = 3 * UI_LIST_COUNT_CAP };
    ui_list l;
    ui_list_init(&l, &src, &f, sizeof(row));
    l.height = 25;
    long last = -1;
    for (int i = 0; i < 1000; i++) {
        ui_list_key(&g_app, &l, UI_ACT_PGDN);
        long v = sel_value(&l);
        if (v == last)
            break;
        last = v;
    }
    assert_int_equal(last, f.n - 1);
    assert_true(l.exact);
    assert_int_equal(l.count, f.n);
    assert_int_equal(f.counts, 1);
    ui_list_free(&l);
}

static void test_empty_and_short(void **st)
{
    (void)st;
    fake f = { .n = 0 };
    ui_list l;
    ui_list_init(&l, &src, &f, sizeof(row));
    l.height = 20;
    assert_null(ui_list_selected(&l));
    ui_list_key(&g_app, &l, UI_ACT_DOWN);
    ui_list_key(&g_app, &l, UI_ACT_LAST);
    assert_null(ui_list_selected(&l));
    ui_list_free(&l);
    fake g = { .n = 5 };
    ui_list_init(&l, &src, &g, sizeof(row));
    l.height = 20;
    ui_list_key(&g_app, &l, UI_ACT_PGDN);
    assert_int_equal(sel_value(&l), 4);
    assert_int_equal(l.top, 0);
    /* rows vanish: reload clamps the selection */
    g.n = 2;
    ui_list_reload(&l);
    assert_int_equal(sel_value(&l), 1);
    ui_list_free(&l);
}

static int f_refetch(void *ud, const void *anchor, int n, void *out)
{
    fake *f = ud;
    f->refetches++;
    long v = ((const row *)anchor)->v;
    int k = 0;
    for (; k < n && v + k < f->n; k++)
        ((row *)out)[k].v = v + k;
    return k;
}

static const ui_list_source find_src = { .count = f_count, .fetch = f_fetch, .draw_header = f_header,
                                          .draw_row = f_row, .count_after = f_count_after, .find = f_find,
                                          .count_before = f_count_before, .fetch_last = f_fetch_last,
                                          .refetch = f_refetch };

/* A find whose match lies far beyond the counted rows highlights that very
 * row, and n moves on to the next match (issue 16: beyond 5,000 rows the
 * screen said "found" but highlighted another row and n never moved). */
static void test_find_beyond_the_count(void **st)
{
    (void)st;
    fake f = { .n = 1000000, .every = 7500 };
    ui_list l;
    ui_list_init(&l, &find_src, &f, sizeof(row));
    l.height = 20;
    snprintf(l.find, sizeof l.find, "x");
    assert_true(ui_list_key(&g_app, &l, UI_ACT_FIND_NEXT) & UI_HANDLED);
    assert_false(g_app.status_error);
    assert_int_equal(sel_value(&l), 7500);
    ui_list_key(&g_app, &l, UI_ACT_FIND_NEXT);
    assert_int_equal(sel_value(&l), 15000);
    ui_list_key(&g_app, &l, UI_ACT_FIND_NEXT);
    assert_int_equal(sel_value(&l), 22500);
    ui_list_key(&g_app, &l, UI_ACT_FIND_PREV);
    assert_int_equal(sel_value(&l), 15000);
    /* rows around the hit are the true neighbours, up and down */
    ui_list_key(&g_app, &l, UI_ACT_DOWN);
    assert_int_equal(sel_value(&l), 15001);
    ui_list_key(&g_app, &l, UI_ACT_UP);
    ui_list_key(&g_app, &l, UI_ACT_UP);
    assert_int_equal(sel_value(&l), 14999);
    for (int i = 0; i < 800; i++)
        ui_list_key(&g_app, &l, UI_ACT_PGUP), sel_value(&l);
    assert_int_equal(sel_value(&l), 0); /* paging up reaches the true top */
    assert_true(l.head_exact);
    /* no count of the whole list was ever made */
    assert_int_equal(f.counts, 1);
    ui_list_free(&l);
}

/* End on a list whose size is unknown reads the last page by its keys and
 * never counts the whole list; paging up from there shows the true rows. */
static void test_end_without_full_count(void **st)
{
    (void)st;
    fake f = { .n = 1000000, .every = 1 };
    ui_list l;
    ui_list_init(&l, &find_src, &f, sizeof(row));
    l.height = 20;
    ui_list_key(&g_app, &l, UI_ACT_LAST);
    assert_int_equal(sel_value(&l), 999999);
    ui_list_key(&g_app, &l, UI_ACT_PGUP);
    assert_int_equal(sel_value(&l), 999979);
    ui_list_key(&g_app, &l, UI_ACT_FIRST);
    assert_int_equal(sel_value(&l), 0);
    assert_int_equal(f.counts, 2); /* the open and g: capped, never whole */
    ui_list_free(&l);
}

/* A reload deep in a list (another clerk committed) rereads one page from
 * the top row's keys and counts at most a cap after it: never a count of the
 * whole list, never the rows before. */
static void test_reload_costs_one_page(void **st)
{
    (void)st;
    fake f = { .n = 1000000, .every = 1 };
    ui_list l;
    ui_list_init(&l, &find_src, &f, sizeof(row));
    l.height = 20;
    for (int i = 0; i < 300; i++)
        ui_list_key(&g_app, &l, UI_ACT_PGDN), sel_value(&l);
    long sel = sel_value(&l);
    int counts = f.counts, fetches = f.fetches, afters = f.count_afters;
    ui_list_reload(&l);
    assert_int_equal(sel_value(&l), sel); /* the same place */
    assert_int_equal(f.refetches, 1);
    assert_int_equal(f.counts, counts);
    assert_int_equal(f.fetches, fetches); /* the page came from refetch alone */
    assert_true(f.count_afters <= afters + 1);
    ui_list_free(&l);
}

static void test_not_list_action(void **st)
{
    (void)st;
    fake f = { .n = 10 };
    ui_list l;
    ui_list_init(&l, &src, &f, sizeof(row));
    assert_int_equal(ui_list_key(&g_app, &l, UI_ACT_SAVE), 0);
    assert_int_equal(ui_list_key(&g_app, &l, UI_ACT_OPEN), 0);
    /* n with no search text: handled, says so, selection unchanged */
    l.height = 5;
    assert_true(ui_list_key(&g_app, &l, UI_ACT_FIND_NEXT) & UI_HANDLED);
    assert_true(g_app.status_error);
    assert_int_equal(sel_value(&l), 0);
    ui_list_free(&l);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_million_rows_paging), cmocka_unit_test(test_ends_and_clamping),
        cmocka_unit_test(test_grows_to_exact_end),
        cmocka_unit_test(test_empty_and_short), cmocka_unit_test(test_not_list_action),
        cmocka_unit_test(test_find_beyond_the_count), cmocka_unit_test(test_end_without_full_count),
        cmocka_unit_test(test_reload_costs_one_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
