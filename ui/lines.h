/* lines.h — a small scrollable buffer of table rows for detail tabs: each
 * line holds up to UI_LINE_CELLS cells drawn into fixed column widths. */
#ifndef UI_LINES_H
#define UI_LINES_H

#include "ui.h"

#define UI_LINE_CELLS 6

typedef struct ui_line {
    char *cell[UI_LINE_CELLS];
    int n;
    enum ui_style style;
} ui_line;

typedef struct ui_lines {
    ui_line *v;
    int n, cap;
    int top;
    int widths[UI_LINE_CELLS]; /* 0 = rest of the row; negative = right-aligned */
    int ncols;
    unsigned fixed;            /* columns that keep their width on wide screens (bit i; see ui_cols_fit) */
} ui_lines;

/* Empties the buffer (keeps widths). */
void ui_lines_clear(ui_lines *b);
void ui_lines_free(ui_lines *b);

/* Appends a line of n cells (copied; NULL = ""). */
void ui_lines_add(ui_lines *b, enum ui_style st, int n, ...);

/* Appends a "label  value" line (label column = widths[0]). */
void ui_lines_pair(ui_lines *b, const char *label, const char *value);

/* Draws lines top.. into r; scrolls with ui_lines_key. */
void ui_lines_draw(ui_lines *b, ui_rect r);
unsigned ui_lines_key(ui_lines *b, ui_action a, int page);

#endif
