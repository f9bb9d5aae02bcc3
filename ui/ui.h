/* ui.h — the terminal interface: application shell, views, keys, drawing.
 *
 * Structure (after tig and htop): the application keeps a stack of views.
 * Each view is one screen file (ui/scr_*.c) filling a ui_view_ops table.  The
 * main loop reads a key, maps it to an action through the one key table
 * (ui/keys.def) restricted to the actions the top view accepts, passes it to
 * the view's key handler, and repaints according to the flags the handler
 * returns.  Only ui/ includes curses; all text reaches the screen through
 * ui/draw.c, which uses the text module (src/base/text.h) for widths and
 * sanitising.
 */
#ifndef UI_H
#define UI_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ---- keys ------------------------------------------------------------- */

/* A key: a Unicode code point, or UK(curses KEY_ code) for a function key. */
typedef int32_t ui_key;
#define UI_KEYCODE_BASE 0x110000
#define UK(k) (UI_KEYCODE_BASE + (k))
#define UC(c) ((c) & 0x1f)
#define UI_KEY_IS_CODE(k) ((k) >= UI_KEYCODE_BASE)
#define UI_KEY_NONE 0

typedef enum ui_action {
    UI_ACT_NONE = 0,
#define UI_ACTION(id, name, label, help, k1, k2, k3, k4) UI_ACT_##id,
#include "keys.def"
#undef UI_ACTION
    UI_ACT_COUNT
} ui_action;

typedef struct ui_action_info {
    ui_action action;
    const char *name;   /* "page-down" */
    const char *label;  /* untranslated N_() label for the F-key bar */
    const char *help;   /* untranslated N_() help text */
    ui_key keys[4];     /* 0-terminated */
} ui_action_info;

/* The table entry of an action (never NULL for a valid action). */
const ui_action_info *ui_action_get(ui_action a);

/* Finds the action by its name ("page-down"); UI_ACT_NONE when unknown. */
ui_action ui_action_by_name(const char *name);

/* Maps key to the first action in `allowed` (terminated by UI_ACT_NONE)
 * that has it as a default key; UI_ACT_NONE when none does. */
ui_action ui_key_action(ui_key key, const ui_action *allowed);

/* Writes the display name of a key ("F1", "Enter", "Ctrl-F", "j", "Esc") into
 * buf (UTF-8, NUL-terminated). */
void ui_key_name(ui_key key, char *buf, size_t len);

/* Parses one key token as used in scripts: "<F2>", "<Enter>", "<C-f>",
 * "<Left>", "<S-Tab>", "<Esc>", "<BS>", "<LT>" (a literal '<') … starting
 * at s.  Plain characters are themselves (UTF-8 decoded).  Stores the key
 * and returns the number of bytes consumed; 0 at the end of s; -1 on an
 * unknown <name>. */
int ui_key_parse(const char *s, ui_key *out);

/* Label of the function key bound to action a, e.g. 1 for F1, 0 when the
 * action has no F-key. */
int ui_action_fkey(ui_action a);

/* ---- views ------------------------------------------------------------ */

enum ui_flags {
    UI_HANDLED = 1u << 0,  /* the view used the key */
    UI_REDRAW = 1u << 1,   /* repaint the view body */
    UI_QUIT = 1u << 2,     /* leave the program */
    UI_POP = 1u << 3,      /* close this view */
    UI_FULL = 1u << 4,     /* repaint everything (title, bars) */
};

typedef struct ui_app ui_app;
typedef struct ui_view ui_view;

typedef struct ui_rect {
    int y, x, h, w;
} ui_rect;

typedef struct ui_view_ops {
    const char *name;            /* "queue", "case", … (scripts, tests) */
    const char *title;           /* N_() title shown in the title line */
    const ui_action *actions;    /* accepted actions, UI_ACT_NONE-terminated */
    bool text_input;             /* printable keys are typed text, never actions */
    /* Draws the body into r (rows/cols of stdscr). */
    void (*draw)(ui_app *app, ui_view *v, ui_rect r);
    /* Handles an action (or a raw key when action is UI_ACT_NONE); returns
     * ui_flags.  Returning 0 lets the shell try (help, quit, back). */
    unsigned (*key)(ui_app *app, ui_view *v, ui_action a, ui_key key);
    /* Optional: called before each draw to check for changes made by someone
     * else (stale data).  May set a status message. */
    void (*poll)(ui_app *app, ui_view *v);
    /* Frees the view's state. */
    void (*destroy)(ui_view *v);
} ui_view_ops;

struct ui_view {
    const ui_view_ops *ops;
    void *state;
    bool cursor_visible;         /* set by draw: show the terminal cursor */
    bool resumed;                /* uncovered again: a screen above may have changed data
                                    (our own commits do not move PRAGMA data_version) */
    int cur_y, cur_x;            /* where, when visible */
    ui_view *below;              /* the stack */
};

/* ---- the application --------------------------------------------------- */

typedef struct ui_options {
    const char *script;          /* headless: key script path, or NULL */
    const char *output;          /* headless: file receiving the terminal output (default /dev/null) */
    bool headless;               /* virtual screen without a script (benchmarks, tests driving ui_app_key) */
    int rows, cols;              /* headless virtual screen size (default 24×80) */
    int ambiwidth;               /* 1 or 2 */
    bool no_color;
    int idle_seconds;            /* idle lock after this long; 0 = the station's idle_minutes */
} ui_options;

struct ui_app {
    td_db *db;
    td_actor actor;
    char station_name[128];
    ui_options opt;
    ui_view *top;
    char status[512];
    bool status_error;
    unsigned long status_gen;  /* bumped by ui_status: a key that opens or closes a
                                * screen without saying anything clears the line */
    bool color;
    bool headless;
    bool running;
    SCREEN *screen;
    FILE *term_in, *term_out;
    /* a modal (pick-list, prompt) draws over the view through this, so
     * every repaint (and every screen dump) shows it */
    void (*overlay)(ui_app *app, void *ud);
    void *overlay_ud;
    /* what the last repaint showed over the view (for repairing the cells
     * under it when it goes: see ui_repaint) */
    void (*overlay_shown)(ui_app *app, void *ud);
    void *overlay_shown_ud;
    bool repaint_all;          /* Ctrl-L: throw the terminal's picture away */
    /* headless script */
    FILE *script;
    const char *script_path;
    char script_line[4096];
    size_t script_pos;
    int script_lineno;
    bool script_failed;
    char script_error[512];
};

/* Sign-in (ui/login.c).  ui_sign_in asks for a user name (unless user is
 * given) and the password over the current screen until the core accepts
 * them; with lock, the screen underneath is hidden and only the signed-in
 * user's password unlocks (the view and anything typed stay as they were).
 * Without lock it starts a TUI session for the new user (ending the old
 * one) and makes it app->actor.  Returns false when the person quits (F10 or
 * end of input).  ui_sign_out ends the TUI session.  ui_idle_touch records a
 * key; ui_idle_check locks when the idle time passed (false = quit). */
bool ui_sign_in(ui_app *app, const char *user, bool lock);
void ui_sign_out(ui_app *app);
void ui_idle_touch(void);
bool ui_idle_check(ui_app *app);

/* Pushes v (allocated by a screen's constructor) on top of the stack. */
void ui_push(ui_app *app, ui_view *v);

/* Pops and destroys the top view. */
void ui_pop(ui_app *app);

/* Allocates a view with the given ops and state (aborts on OOM). */
ui_view *ui_view_new(const ui_view_ops *ops, void *state);

/* Sets the status-line message (formatted; translated by the caller). */
void ui_status(ui_app *app, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Shows err's message on the status line as an error. */
void ui_status_err(ui_app *app, const td_err *err);

/* Reads the next key: from the terminal (wget_wch, with a timeout so stale
 * checks run) or from the headless script.  Returns UI_KEY_NONE on timeout
 * and -1 at the end of the script. */
ui_key ui_read_key(ui_app *app);

/* Asks a yes/no question on the status line (a small modal loop); true for
 * yes (y or Y only).  n, Esc and any other key answer no (Ctrl-L and a
 * resize only repaint). */
bool ui_confirm(ui_app *app, const char *question);

/* Asks for one line of text on the status line (modal); returns a newly
 * allocated UTF-8 string (caller frees) or NULL when cancelled with Esc. */
char *ui_prompt(ui_app *app, const char *question, const char *initial);

/* Repaints everything now (title, body of the top view, status, key bar). */
void ui_repaint(ui_app *app);

/* Runs the interface until quit; returns 0, or 1 when a headless script
 * failed (bad key name, failed :assert).  Takes ownership of nothing: db
 * stays the caller's. */
int ui_run(td_db *db, const td_actor *actor, const ui_options *opt, td_err *err);

/* The loop of ui_run in three parts, for tests and benchmarks that feed keys
 * themselves.  ui_app_open starts curses (headless when opt->script or
 * opt->headless), opens the home screen and paints it; NULL with err on
 * failure.  ui_app_key handles one key (UI_KEY_NONE: only poll) and
 * repaints, returning the view's ui_flags; app->running turns false on quit.
 * ui_app_close ends curses and frees app; returns 1 when a script failed. */
ui_app *ui_app_open(td_db *db, const td_actor *actor, const ui_options *opt, td_err *err);
unsigned ui_app_key(ui_app *app, ui_key key);
int ui_app_close(ui_app *app, td_err *err);

/* Opens the first screen (the work queue). */
void ui_open_home(ui_app *app);

/* Writes the current screen as text (one line per row, trailing blanks
 * removed) to path.  Wide characters are written once.  Returns 0 or -1. */
int ui_dump_screen(ui_app *app, const char *path);

/* The text of row y of the screen (UTF-8, trailing blanks removed) into buf. */
void ui_screen_row(int y, char *buf, size_t len);

/* ---- colours / attributes -------------------------------------------- */

enum ui_style {
    UI_S_NORMAL = 0,
    UI_S_TITLE,
    UI_S_KEYNUM,
    UI_S_KEYLABEL,
    UI_S_SELECTED,
    UI_S_HEADER,
    UI_S_ERROR,
    UI_S_OK,
    UI_S_DIM,
    UI_S_FIELD,
    UI_S_FIELD_ACTIVE,
    UI_S_TAB_ACTIVE,
    UI_S_QR_LIGHT,   /* QR modules: white and black whatever the terminal's background */
    UI_S_QR_DARK,
    UI_S_COUNT
};

/* Sets up colour pairs (or monochrome attributes when colours are off). */
void ui_styles_init(bool color);
attr_t ui_style_attr(enum ui_style s);
short ui_style_pair(enum ui_style s);

#endif
