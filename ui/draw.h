/* draw.h — the only way text reaches the screen.
 *
 * Every function here fits the text to an exact number of display columns
 * with the text module (td_text_fit), so columns align with CJK, nothing is
 * cut inside a character, and no control or bidi character from the data
 * reaches the terminal.  Coordinates are stdscr rows/columns.
 */
#ifndef UI_DRAW_H
#define UI_DRAW_H

#include "ui.h"

/* Writes s at (y, x) fitted to exactly cols columns (padded; an ellipsis
 * when cut), in style st.  cols <= 0 does nothing.  Returns cols. */
int ui_put(int y, int x, int cols, const char *s, enum ui_style st);

/* Same, right-aligned (numbers). */
int ui_put_right(int y, int x, int cols, const char *s, enum ui_style st);

/* Formats then ui_put. */
int ui_putf(int y, int x, int cols, enum ui_style st, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Fills cols columns at (y, x) with blanks in style st. */
void ui_blank(int y, int x, int cols, enum ui_style st);

/* Display width of s (delegates to the text module). */
int ui_width(const char *s);

/* Draws "label: value" with the label in a fixed-width column. */
void ui_put_pair(int y, int x, int label_cols, int cols, const char *label, const char *value);

/* Draws a horizontal rule of '-' (ASCII: ambiguous-width box characters
 * would break alignment in many Chinese terminals). */
void ui_hrule(int y, int x, int cols);

/* One row of a table: cells fitted to widths (negative = right-aligned),
 * separated by one blank. */
void ui_put_row(int y, int x, int cols, int n, const char *const *cells, const int *widths,
                enum ui_style st);

/* Column widths for a table row `cols` wide.  min[] are ui_put_row widths
 * as laid out for the 80-column minimum (0 = the rest, negative =
 * right-aligned numbers); columns whose bit is set in `fixed` (dates,
 * codes) and right-aligned ones keep their width.  Above 80 columns the
 * extra columns are shared by the other (text) columns and the rest column
 * in proportion to their widths, so names, states and services are no
 * longer cut on a wide terminal.  out gets n widths for ui_put_row. */
void ui_cols_fit(int cols, int n, const int *min, unsigned fixed, int *out);

#endif
