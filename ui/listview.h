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
    /* Total number of rows (called on open and on reload). */
    long (*count)(void *ud);
    /* Fills out[0..n) (each row_size bytes) with rows first..first+n-1 and
     * returns how many it wrote.  `cache` holds the rows cached_first ..
     * cached_first+cached_n-1 currently known (may be used as keyset anchors);
     * cached_n may be 0. */
    int (*fetch)(void *ud, long first, int n, void *out, const void *cache, long cached_first,
                 int cached_n);
    /* Draws the column headings and one row (selected rows highlighted). */
    void (*draw_header)(void *ud, int y, int x, int w);
    void (*draw_row)(void *ud, const void *row, int y, int x, int w, bool selected);
    /* Optional: index of the next row matching text after (dir > 0) or before
     * (dir < 0) row `from`, or -1. */
    long (*find)(void *ud, const char *text, long from, const void *from_row, int dir);
} ui_list_source;

struct ui_list {
    const ui_list_source *src;
    void *ud;
    size_t row_size;
    long count;
    long top, sel;
    int height;        /* rows shown at the last draw */
    char *cache;       /* rows cache_first .. cache_first + cache_n - 1 */
    long cache_first;
    int cache_n, cache_cap;
    char *scratch;
    char find[256];
};

/* Initialises l over src (row_size bytes per row) and counts the rows. */
void ui_list_init(ui_list *l, const ui_list_source *src, void *ud, size_t row_size);

/* Frees the cache. */
void ui_list_free(ui_list *l);

/* Forgets cached rows and recounts (keeps the selection index when it still
 * exists). */
void ui_list_reload(ui_list *l);

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
