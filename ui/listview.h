/* listview.h — a virtual list: scrolls any number of rows while holding only
 * the rows on screen.  The data source fetches a window of rows on demand
 * (keyset paging: it is given the cached neighbours of the window so it can
 * continue from their sort keys instead of counting an OFFSET).
 * Generic movement (j/k, g/G, PgUp/PgDn, Ctrl-F/B, / n N) lives here, so every
 * list screen behaves the same.
 */
#ifndef UI_LISTVIEW_H
#define UI_LISTVIEW_H

#include "ui.h"

typedef struct ui_list ui_list;

typedef struct ui_list_source {
    /* Number of rows, counting at most `cap` (0 = count them all); *exact is
     * false when the cap was reached (the list then knows "at least"). */
    long (*count)(void *ud, long cap, bool *exact);
    /* Optional: rows after `row` in display order, at most cap — lets a list
     * whose count is a lower bound grow as it is paged, without counting the
     * whole table. */
    long (*count_after)(void *ud, const void *row, long cap);
    /* Fills out[0..n) (each row_size bytes) with rows first..first+n-1 and
     * returns how many it wrote.  `cache` holds the rows cached_first ..
     * cached_first+cached_n-1 currently known (may be used as keyset anchors);
     * cached_n may be 0. */
    int (*fetch)(void *ud, long first, int n, void *out, const void *cache, long cached_first,
                 int cached_n);
    /* Draws the column headings and one row (selected rows highlighted). */
    void (*draw_header)(void *ud, int y, int x, int w);
    void (*draw_row)(void *ud, const void *row, int y, int x, int w, bool selected);
    /* Optional: the next row matching text after (dir > 0) or before
     * (dir < 0) from_row (NULL = from the top / the end), written to hit;
     * returns 1 when found, 0 when not, -1 on error.  The list places the
     * hit with count_before, never by counting the rows one by one. */
    int (*find)(void *ud, const char *text, const void *from_row, int dir, void *hit);
    /* Optional: rows before `row` in display order, at most cap — places a
     * found row or the end of the list without counting the whole list. */
    long (*count_before)(void *ud, const void *row, long cap);
    /* Optional: the last n rows in display order into out; returns how many. */
    int (*fetch_last)(void *ud, int n, void *out);
    /* Optional: n rows from `anchor` on (inclusive) into out — a reload keeps
     * its place by the rows' keys, at the cost of one page. */
    int (*refetch)(void *ud, const void *anchor, int n, void *out);
} ui_list_source;

struct ui_list {
    const ui_list_source *src;
    void *ud;
    size_t row_size;
    long count;
    bool exact;        /* count is exact (else a lower bound) */
    bool head_exact;   /* indexes count from the true top (else they are
                        * offset: the rows before the window are at least
                        * UI_LIST_COUNT_CAP, not counted) */
    long top, sel;
    int height;        /* rows shown at the last draw */
    char *cache;       /* rows cache_first .. cache_first + cache_n - 1 */
    long cache_first;
    int cache_n, cache_cap;
    char *scratch;
    char find[256];
};

/* Rows counted at once on open; beyond that the list counts as it goes. */
#define UI_LIST_COUNT_CAP 1000

/* Initialises l over src (row_size bytes per row) and counts the rows. */
void ui_list_init(ui_list *l, const ui_list_source *src, void *ud, size_t row_size);

/* Frees the cache. */
void ui_list_free(ui_list *l);

/* Rereads the rows on screen after a change by another connection: one page
 * from the row at the top (by its keys), and a capped count.  Without a
 * refetch callback or at the top, forgets the cache and recounts (capped). */
void ui_list_reload(ui_list *l);

/* The number of rows for a heading: "1,234", or "1,000+" when only a lower
 * bound is known.  Writes into buf (len bytes) and returns it. */
const char *ui_list_count_text(const ui_list *l, char *buf, size_t len);

/* Draws header + rows into r (header on the first row). */
void ui_list_draw(ui_list *l, ui_rect r);

/* The selected row (borrowed until the next draw or movement), or NULL when
 * the list is empty. */
const void *ui_list_selected(ui_list *l);

/* Handles movement and search actions; returns ui_flags (0 when the action
 * is not a list action). */
unsigned ui_list_key(ui_app *app, ui_list *l, ui_action a);

/* Actions every list accepts (to splice into a screen's action table). */
#define UI_LIST_ACTIONS                                                                            \
    UI_ACT_UP, UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_FIRST, UI_ACT_LAST, UI_ACT_FIND,       \
        UI_ACT_FIND_NEXT, UI_ACT_FIND_PREV

#endif
