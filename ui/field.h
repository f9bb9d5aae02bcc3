/* field.h — a one-line text field editor over wide characters.
 *
 * The text is kept as code points (wchar_t) with a cursor index; the cursor's
 * screen column is the display width of the text before it, measured by the
 * text module — so 张三abc ←←← Backspace leaves 张abc with the cursor at
 * column 2.  No curses here: the form draws a field with ui_field_view().
 * (libform is not used: see ../shared/docs/pitfalls.md.)
 */
#ifndef UI_FIELD_H
#define UI_FIELD_H

#include "ui.h"

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#define UI_FIELD_MAX 256   /* characters */

typedef struct ui_field {
    wchar_t text[UI_FIELD_MAX + 1];
    int len;          /* characters */
    int cursor;       /* 0..len */
    int max_chars;    /* limit (<= UI_FIELD_MAX) */
    int scroll;       /* first character shown */
    bool changed;     /* edited since ui_field_set / last clear of the flag */
    bool full_hit;    /* the last key was refused because the field is full */
} ui_field;

/* Initialises an empty field holding at most max_chars characters
 * (0 or more than UI_FIELD_MAX = UI_FIELD_MAX). */
void ui_field_init(ui_field *f, int max_chars);

/* Replaces the text with UTF-8 s (invalid bytes become U+FFFD; cut at
 * max_chars), cursor at the end, changed = false. */
void ui_field_set(ui_field *f, const char *s);

/* Writes the text as UTF-8 into out (NUL-terminated, cut at a character
 * boundary when outlen is too small). */
void ui_field_get(const ui_field *f, char *out, size_t outlen);

/* Applies an editing action (UI_ACT_ED_*) or inserts the printable character
 * `key` when action is UI_ACT_NONE.  Returns true when the field used the key
 * (text or cursor changed, or it was an editing key at a boundary), false for
 * keys it does not handle (function keys, controls).  Control and format
 * characters are never inserted.  Cursor moves and deletions go by whole
 * characters (a code point with its combining marks, as td_text_next_char);
 * a combining mark is taken only after a character it joins. */
bool ui_field_key(ui_field *f, ui_action action, ui_key key);

/* Display column of the cursor counted from the start of the text. */
int ui_field_cursor_col(const ui_field *f);

/* The part of the text to show in a box of `cols` columns, keeping the
 * cursor visible (adjusts f->scroll), as UTF-8 into out; *cursor_col gets the
 * cursor's column inside the box. */
void ui_field_view(ui_field *f, int cols, char *out, size_t outlen, int *cursor_col);

#endif
