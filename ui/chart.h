/* chart.h — charts drawn with characters: htop-style bars with 1/8-cell
 * block elements (U+2589…U+258F, U+2588) and sparklines (▁▂▃▄▅▆▇█), or ASCII
 * ('#', '-', " .:-=+*#") when the locale cannot draw them.  The strings are
 * built glyph by glyph, each one column wide, so the caller knows their
 * width; every chart is drawn with its numbers beside it by the screens. */
#ifndef UI_CHART_H
#define UI_CHART_H

#include <stdbool.h>
#include <stddef.h>

/* True when charts must be ASCII: the locale's codeset is not UTF-8, or
 * TALENTDESK_ASCII is set (tests, terminals without the glyphs).  Block
 * elements are East Asian "ambiguous": screens also use ASCII with
 * --ambiwidth 2. */
bool ui_chart_ascii(void);

/* A bar of exactly cols columns filled to frac (clamped to 0..1) into buf
 * (len >= 3*cols+1 bytes; cut short safely when smaller). */
void ui_chart_bar(double frac, int cols, bool ascii, char *buf, size_t len);

/* A sparkline of n values (one column each, scaled to the largest; a zero
 * draws the lowest glyph only when the value is above 0) into buf (len >=
 * 3*n+1). */
void ui_chart_spark(const double *v, int n, bool ascii, char *buf, size_t len);

#endif
