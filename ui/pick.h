/* pick.h — a modal pick-list (coded fields, action menus) drawn over the
 * current screen in an ASCII border, with scroll marks (^ v) and the
 * position.  Keyboard only: j/k or arrows, g/G, Enter chooses, Esc cancels
 * (first clearing what was typed); typing narrows the list to the items
 * starting with (first) or containing what was typed, Backspace widens it. */
#ifndef UI_PICK_H
#define UI_PICK_H

#include "ui.h"

/* Shows title and the n items (UTF-8, sanitised on drawing) with `initial`
 * selected; returns the chosen index, or -1 when cancelled. */
int ui_pick(ui_app *app, const char *title, const char *const *items, int n, int initial);

/* As ui_pick, starting with `typed` (UTF-8, may be NULL) already typed —
 * a character typed into a pick field of a form. */
int ui_pick_typed(ui_app *app, const char *title, const char *const *items, int n, int initial, const char *typed);

#endif
