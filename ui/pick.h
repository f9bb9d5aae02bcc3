/* pick.h — a modal pick-list (coded fields, action menus) drawn over the
 * current screen.  Keyboard only: j/k or arrows, g/G, Enter chooses, Esc
 * cancels, typing a character jumps to the next item starting with it. */
#ifndef UI_PICK_H
#define UI_PICK_H

#include "ui.h"

/* Shows title and the n items (UTF-8, sanitised on drawing) with `initial`
 * selected; returns the chosen index, or -1 when cancelled. */
int ui_pick(ui_app *app, const char *title, const char *const *items, int n, int initial);

#endif
