/* app.c — the application shell: start-up, the view stack, the main loop,
 * title line, status line, the F-key bar, key input (terminal or headless
 * script) and screen dumps. */
#include "ui.h"
#include "auth/access.h"
#include "draw.h"
#include "field.h"
#include "base/atomicfile.h"
#include "base/i18n.h"
#include "policy/names.h"
#include "screens.h"
#include "termkeys.h"
#include "base/text.h"
#include "base/timeutil.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define UI_MIN_ROWS 24
#define UI_MIN_COLS 80

/* ---- styles ------------------------------------------------------------ */

static attr_t style_attr[UI_S_COUNT];
static short style_pair[UI_S_COUNT];

void ui_styles_init(bool color)
{
    static const attr_t mono[UI_S_COUNT] = {
        [UI_S_NORMAL] = A_NORMAL,      [UI_S_TITLE] = A_REVERSE,
        [UI_S_KEYNUM] = A_NORMAL,      [UI_S_KEYLABEL] = A_REVERSE,
        [UI_S_SELECTED] = A_REVERSE,   [UI_S_HEADER] = A_BOLD | A_UNDERLINE,
        [UI_S_ERROR] = A_BOLD,         [UI_S_OK] = A_BOLD,
        [UI_S_DIM] = A_NORMAL,         [UI_S_FIELD] = A_UNDERLINE,
        [UI_S_FIELD_ACTIVE] = A_REVERSE, [UI_S_TAB_ACTIVE] = A_REVERSE | A_BOLD,
        [UI_S_QR_LIGHT] = A_REVERSE,   [UI_S_QR_DARK] = A_NORMAL,
    };
    for (int i = 0; i < UI_S_COUNT; i++) {
        style_attr[i] = mono[i];
        style_pair[i] = 0;
    }
    if (!color)
        return;
    static const short fgbg[UI_S_COUNT][2] = {
        [UI_S_TITLE] = { COLOR_WHITE, COLOR_BLUE },   [UI_S_KEYNUM] = { COLOR_WHITE, COLOR_BLACK },
        [UI_S_KEYLABEL] = { COLOR_BLACK, COLOR_CYAN }, [UI_S_SELECTED] = { COLOR_BLACK, COLOR_CYAN },
        [UI_S_HEADER] = { COLOR_YELLOW, -1 },          [UI_S_ERROR] = { COLOR_RED, -1 },
        [UI_S_OK] = { COLOR_GREEN, -1 },               [UI_S_DIM] = { COLOR_CYAN, -1 },
        [UI_S_FIELD] = { COLOR_WHITE, COLOR_BLUE },    [UI_S_FIELD_ACTIVE] = { COLOR_BLACK, COLOR_YELLOW },
        [UI_S_TAB_ACTIVE] = { COLOR_BLACK, COLOR_YELLOW },
        /* the QR code as on paper: a light background of its own, so it
         * scans on a light terminal without inverting */
        [UI_S_QR_LIGHT] = { COLOR_BLACK, COLOR_WHITE }, [UI_S_QR_DARK] = { COLOR_WHITE, COLOR_BLACK },
    };
    for (int i = 1; i < UI_S_COUNT; i++) {
        init_pair((short)i, fgbg[i][0], fgbg[i][1]);
        style_pair[i] = (short)i;
        style_attr[i] = (i == UI_S_HEADER || i == UI_S_ERROR || i == UI_S_TAB_ACTIVE) ? A_BOLD : A_NORMAL;
    }
}

attr_t ui_style_attr(enum ui_style s) { return style_attr[s]; }
short ui_style_pair(enum ui_style s) { return style_pair[s]; }

/* ---- view stack -------------------------------------------------------- */

ui_view *ui_view_new(const ui_view_ops *ops, void *state)
{
    ui_view *v = calloc(1, sizeof *v);
    if (!v)
        abort();
    v->ops = ops;
    v->state = state;
    return v;
}

void ui_push(ui_app *app, ui_view *v)
{
    v->below = app->top;
    app->top = v;
}

void ui_pop(ui_app *app)
{
    ui_view *v = app->top;
    if (!v)
        return;
    app->top = v->below;
    if (app->top)
        app->top->resumed = true;
    if (v->ops->destroy)
        v->ops->destroy(v);
    free(v);
}

void ui_status(ui_app *app, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->status, sizeof app->status, fmt, ap);
    va_end(ap);
    app->status_error = error;
    app->status_gen++;
}

void ui_status_err(ui_app *app, const td_err *err)
{
    if (err->code == TD_EDENIED && !err->audited && app->db) { /* every refusal is audited (auth/access.h) */
        td_err e = *err;
        td_access_denied(app->db, &app->actor, NULL, &e);
    }
    ui_status(app, true, "%s", err->msg[0] ? err->msg : td_status_name(err->code));
}

/* ---- painting ----------------------------------------------------------- */

static void paint_title(ui_app *app)
{
    char today[TD_DATE_LEN];
    td_date_format(td_today(), today);
    /* user and date always fit; the station name takes what is left */
    char right[256];
    snprintf(right, sizeof right, " %s %s | %s ", _("User:"),
             app->actor.display_name[0] ? app->actor.display_name : app->actor.username, today);
    char left[512];
    snprintf(left, sizeof left, " %s | %s | %s %s", _("TalentDesk"), app->top ? _(app->top->ops->title) : "",
             _("Station:"), app->station_name[0] ? app->station_name : app->actor.station_code);
    int rw = ui_width(right);
    if (rw > COLS / 2)
        rw = COLS / 2;
    ui_put(0, 0, COLS - rw, left, UI_S_TITLE);
    ui_put_right(0, COLS - rw, rw, right, UI_S_TITLE);
}

static void paint_keybar(ui_app *app)
{
    const ui_action *acts = app->top ? app->top->ops->actions : NULL;
    ui_action slot[11] = { 0 };
    int n = 0;
    for (int f = 1; f <= 10; f++) {
        slot[f] = UI_ACT_NONE;
        if (!acts)
            continue;
        for (const ui_action *a = acts; *a; a++) {
            if (ui_action_fkey(*a) == f) {
                slot[f] = *a;
                n++;
                break;
            }
        }
    }
    int y = LINES - 1;
    ui_blank(y, 0, COLS, UI_S_NORMAL);
    if (n == 0)
        return;
    int w = COLS / n;
    if (w > 12)
        w = 12;
    /* every entry ends with a blank cell, so labels never run together
     * ("3Full ID4Edit" in English); when the labels are longer than the
     * equal share, each entry takes its label's width if all fit */
    int natural = 0;
    bool over = false;
    for (int f = 1; f <= 10; f++) {
        if (!slot[f])
            continue;
        int lw = ui_width(_(ui_action_get(slot[f])->label));
        natural += (f == 10 ? 2 : 1) + lw + 1;
        if ((f == 10 ? 2 : 1) + lw + 1 > w)
            over = true;
    }
    bool by_label = over && natural <= COLS;
    int x = 0;
    for (int f = 1; f <= 10; f++) {
        if (!slot[f])
            continue;
        char num[4];
        snprintf(num, sizeof num, "%d", f);
        int nw = f == 10 ? 2 : 1;
        const char *label = _(ui_action_get(slot[f])->label);
        int ew = by_label ? nw + ui_width(label) + 1 : w;
        ui_put(y, x, nw, num, UI_S_KEYNUM);
        ui_put(y, x + nw, ew - nw - 1, label, UI_S_KEYLABEL);
        x += ew;
    }
}

static void paint_status(ui_app *app)
{
    ui_put(LINES - 2, 0, COLS, app->status, app->status_error ? UI_S_ERROR : UI_S_OK);
}

static bool too_small(void)
{
    return LINES < UI_MIN_ROWS || COLS < UI_MIN_COLS;
}

/* When an overlay (pick list, prompt, box) closes or is replaced, the cells
 * it covered are written again in full.  A box whose edge fell on the second
 * cell of a wide character leaves curses' picture of the terminal out of
 * step with the terminal (a half-overwritten 证 is blank on one and not the
 * other), and an ordinary refresh then sends only what it believes changed:
 * the character stays damaged.  wredrawln() makes curses forget what it
 * believes is on those lines, so every cell of them — the whole wide
 * character on either edge included — is sent again.  Whole lines are cheap
 * (one line of text each) and need no knowledge of the overlay's shape.
 * Ctrl-L (app->repaint_all) does the same for the whole screen. */
static void repair_after_overlay(ui_app *app)
{
    if (app->repaint_all) {
        app->repaint_all = false;
        wredrawln(stdscr, 0, LINES);
    } else if (app->overlay_shown &&
               (app->overlay_shown != app->overlay || app->overlay_shown_ud != app->overlay_ud)) {
        wredrawln(stdscr, 0, LINES);
    }
    app->overlay_shown = app->overlay;
    app->overlay_shown_ud = app->overlay_ud;
}

void ui_repaint(ui_app *app)
{
    erase();
    if (too_small()) {
        char msg[256];
        snprintf(msg, sizeof msg, _("The terminal is too small (%dx%d): TalentDesk needs at least %dx%d."),
                 COLS, LINES, UI_MIN_COLS, UI_MIN_ROWS);
        ui_put(0, 0, COLS, msg, UI_S_ERROR);
        if (LINES > 1)
            ui_put(1, 0, COLS, _("Enlarge the window, or press F10 to quit."), UI_S_NORMAL);
        curs_set(0);
        refresh();
        return;
    }
    paint_title(app);
    ui_view *v = app->top;
    if (v) {
        v->cursor_visible = false;
        ui_rect r = { 1, 0, LINES - 3, COLS };
        v->ops->draw(app, v, r);
    }
    paint_status(app);
    paint_keybar(app);
    repair_after_overlay(app);
    if (app->overlay) {
        if (v)
            v->cursor_visible = false;
        app->overlay(app, app->overlay_ud);
        refresh();
        return;
    }
    if (v && v->cursor_visible) {
        curs_set(1);
        move(v->cur_y, v->cur_x);
    } else {
        curs_set(0);
        move(LINES - 2, COLS - 1);
    }
    refresh();
}

/* ---- screen dumps ------------------------------------------------------ */

void ui_screen_row(int y, char *buf, size_t len)
{
    /* winnwstr returns the characters of the row as ncurses holds them,
     * each wide character once (its continuation cell skipped), so no
     * column arithmetic is needed here. */
    size_t o = 0;
    if (len == 0)
        return;
    buf[0] = 0;
    wchar_t row[1024];
    int n = mvinnwstr(y, 0, row, COLS < 1023 ? COLS : 1023);
    for (int i = 0; i < n && row[i]; i++) {
        char b[4];
        int k = td_utf8_encode((uint32_t)row[i], b);
        if (o + (size_t)k + 1 >= len)
            break;
        memcpy(buf + o, b, (size_t)k);
        o += (size_t)k;
    }
    while (o > 0 && buf[o - 1] == ' ')
        o--;
    buf[o] = 0;
}

int ui_dump_screen(ui_app *app, const char *path)
{
    (void)app;
    td_afile af;
    if (td_afile_open(&af, path, 0600, NULL) != TD_OK)
        return -1;
    char line[4096];
    for (int y = 0; y < LINES; y++) {
        ui_screen_row(y, line, sizeof line);
        fprintf(td_afile_stream(&af), "%s\n", line);
    }
    return td_afile_commit(&af, NULL) == TD_OK ? 0 : -1;
}

static bool screen_contains(const char *needle)
{
    char line[4096];
    for (int y = 0; y < LINES; y++) {
        ui_screen_row(y, line, sizeof line);
        if (strstr(line, needle))
            return true;
    }
    return false;
}

/* ---- key input ---------------------------------------------------------- */

static void script_fail(ui_app *app, const char *fmt, const char *arg)
{
    app->script_failed = true;
    snprintf(app->script_error, sizeof app->script_error, fmt, app->script_path, app->script_lineno,
             arg);
    fprintf(stderr, "%s\n", app->script_error);
}

/* Runs a ':' command of the script.  Returns false to stop the script. */
static bool script_command(ui_app *app, char *cmd)
{
    char *arg = strchr(cmd, ' ');
    if (arg)
        *arg++ = 0;
    else
        arg = cmd + strlen(cmd);
    if (strcmp(cmd, ":dump") == 0) {
        ui_repaint(app);
        if (ui_dump_screen(app, arg) != 0)
            script_fail(app, "%s:%d: cannot write %s", arg);
    } else if (strcmp(cmd, ":cursor") == 0) {
        ui_repaint(app);
        FILE *f = fopen(arg, "a");
        if (!f) {
            script_fail(app, "%s:%d: cannot write %s", arg);
        } else {
            int y, x;
            getyx(stdscr, y, x);
            fprintf(f, "%d %d\n", y, x);
            fclose(f);
        }
    } else if (strcmp(cmd, ":resize") == 0) {
        int r = 0, c = 0;
        if (sscanf(arg, "%d %d", &r, &c) == 2 && r > 0 && c > 0) {
            resizeterm(r, c);
        } else {
            script_fail(app, "%s:%d: bad :resize %s", arg);
        }
    } else if (strcmp(cmd, ":assert") == 0) {
        ui_repaint(app);
        if (!screen_contains(arg))
            script_fail(app, "%s:%d: screen lacks: %s", arg);
    } else if (strcmp(cmd, ":refute") == 0) {
        ui_repaint(app);
        if (screen_contains(arg))
            script_fail(app, "%s:%d: screen shows: %s", arg);
    } else if (cmd[1] == '!') {
        /* ":!command": run a shell command (tests use it to act as another
         * clerk on the same database); only ever read from a key script */
        char line[sizeof app->script_line];
        snprintf(line, sizeof line, "%s%s%s", cmd + 2, *arg ? " " : "", arg);
        if (system(line) != 0)
            script_fail(app, "%s:%d: command failed: %s", line);
    } else if (strcmp(cmd, ":quit") == 0) {
        return false;
    } else {
        script_fail(app, "%s:%d: unknown command %s", cmd);
    }
    return true;
}

static ui_key script_key(ui_app *app)
{
    if (!app->script)
        return -1; /* headless without a script (ui_app_key drivers): a modal gets no keys */
    for (;;) {
        if (app->script_line[app->script_pos] == 0) {
            if (!fgets(app->script_line, sizeof app->script_line, app->script))
                return -1;
            app->script_lineno++;
            app->script_line[strcspn(app->script_line, "\n")] = 0;
            app->script_pos = 0;
            if (app->script_line[0] == '#') {
                app->script_line[0] = 0;
                continue;
            }
            if (app->script_line[0] == ':') {
                char cmd[sizeof app->script_line];
                memcpy(cmd, app->script_line, sizeof cmd);
                app->script_line[0] = 0;
                if (!script_command(app, cmd))
                    return -1;
                continue;
            }
        }
        ui_key k;
        int n = ui_key_parse(app->script_line + app->script_pos, &k);
        if (n < 0) {
            script_fail(app, "%s:%d: unknown key name at %s", app->script_line + app->script_pos);
            return -1;
        }
        if (n == 0)
            continue;
        app->script_pos += (size_t)n;
        if (k == UK(KEY_RESIZE))
            continue; /* a resize is done with :resize */
        return k;
    }
}

/* The rest of a sequence after ESC, from the terminal (see termkeys.h). */
static int esc_next(void *ud, int timeout_ms)
{
    (void)ud;
    wint_t ch;
    wtimeout(stdscr, timeout_ms);
    int r = wget_wch(stdscr, &ch);
    wtimeout(stdscr, 2000);
    if (r == ERR)
        return -1;
    return r == KEY_CODE_YES ? UK((int)ch) : (int)ch;
}

static void esc_back(void *ud, int c)
{
    (void)ud;
    if (UI_KEY_IS_CODE(c))
        ungetch(c - UI_KEYCODE_BASE);
    else
        unget_wch((wchar_t)c);
}

static ui_key read_key_raw(ui_app *app)
{
    if (app->headless)
        return script_key(app);
    wint_t ch;
    int r = wget_wch(stdscr, &ch);
    if (r == ERR)
        return UI_KEY_NONE;
    if (r == KEY_CODE_YES)
        return UK((int)ch);
    if (ch == 27)
        return ui_termkeys_after_esc(esc_next, esc_back, app);
    return (ui_key)ch;
}

ui_key ui_read_key(ui_app *app)
{
    ui_key k = read_key_raw(app);
    /* Ctrl-L repairs the screen wherever it is pressed (forms, pick lists,
     * prompts): the next repaint sends every cell again.  The key still
     * goes on (lists reload on it). */
    if (k == UC('L'))
        app->repaint_all = true;
    return k;
}

bool ui_confirm(ui_app *app, const char *question)
{
    static const ui_action yn[] = { UI_ACT_YES, UI_ACT_NO, UI_ACT_NONE };
    char saved[sizeof app->status];
    bool saved_err = app->status_error;
    memcpy(saved, app->status, sizeof saved);
    ui_status(app, false, "%s %s", question, _("(y = yes, n = no)"));
    bool answer = false;
    for (;;) {
        ui_repaint(app);
        ui_key k = ui_read_key(app);
        if (k < 0)
            break;
        ui_action a = ui_key_action(k, yn);
        if (a == UI_ACT_YES) {
            answer = true;
            break;
        }
        /* only y says yes: n, Esc and any other key (a second F6, Enter …)
         * answer no, so a key pressed twice never does a legal act */
        if (a == UI_ACT_NO || (k != UI_KEY_NONE && k != UC('L') && k != UK(KEY_RESIZE)))
            break;
    }
    memcpy(app->status, saved, sizeof saved);
    app->status_error = saved_err;
    return answer;
}

typedef struct prompt_ov {
    const char *question;
    ui_field *f;
} prompt_ov;

static void prompt_draw(ui_app *app, void *ud)
{
    (void)app;
    prompt_ov *p = ud;
    int qw = ui_width(p->question) + 1;
    if (qw > COLS / 2)
        qw = COLS / 2;
    ui_put(LINES - 2, 0, qw, p->question, UI_S_HEADER);
    char view[UI_FIELD_MAX * 4 + 1];
    int cc = 0;
    ui_field_view(p->f, COLS - qw - 1, view, sizeof view, &cc);
    ui_put(LINES - 2, qw, COLS - qw, view, UI_S_FIELD_ACTIVE);
    curs_set(1);
    move(LINES - 2, qw + cc);
}

char *ui_prompt(ui_app *app, const char *question, const char *initial)
{
    static const ui_action acts[] = { UI_ACT_ED_LEFT, UI_ACT_ED_RIGHT, UI_ACT_ED_HOME, UI_ACT_ED_END,
                                      UI_ACT_ED_BS, UI_ACT_ED_DEL, UI_ACT_ED_KILL, UI_ACT_ED_CLEAR,
                                      UI_ACT_NONE };
    ui_field f;
    ui_field_init(&f, 100);
    ui_field_set(&f, initial ? initial : "");
    prompt_ov ov = { question, &f };
    void (*saved)(ui_app *, void *) = app->overlay;
    void *saved_ud = app->overlay_ud;
    app->overlay = prompt_draw;
    app->overlay_ud = &ov;
    char *result = NULL;
    for (;;) {
        ui_repaint(app);
        ui_key k = ui_read_key(app);
        if (k < 0 || k == 27)
            break;
        if (k == '\n' || k == '\r' || k == UK(KEY_ENTER)) {
            char buf[UI_FIELD_MAX * 4 + 1];
            ui_field_get(&f, buf, sizeof buf);
            result = strdup(buf);
            if (!result)
                abort();
            break;
        }
        if (k == UI_KEY_NONE)
            continue;
        ui_field_key(&f, ui_key_action(k, acts), k);
    }
    app->overlay = saved;
    app->overlay_ud = saved_ud;
    return result;
}

/* ---- start-up and main loop -------------------------------------------- */

/* A fatal signal (or abort on a broken invariant) leaves the terminal
 * usable: curses mode ends, then the signal takes its default course.  A
 * hang-up (dropped SSH) or TERM ends the program the same way; every form
 * has already written its draft. */
static void on_fatal(int sig)
{
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void trap_signals(void)
{
    static const int sigs[] = { SIGHUP, SIGTERM, SIGABRT, SIGSEGV, SIGBUS, SIGFPE };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], on_fatal);
}

static bool start_curses(ui_app *app, td_err *err)
{
    if (app->headless) {
        app->term_out = fopen(app->opt.output ? app->opt.output : "/dev/null", "w");
        app->term_in = fopen("/dev/null", "r");
        if (!app->term_out || !app->term_in) {
            td_err_set(err, TD_EIO, "%s", _("cannot open /dev/null for the virtual screen"));
            return false;
        }
        char buf[16];
        snprintf(buf, sizeof buf, "%d", app->opt.rows > 0 ? app->opt.rows : 24);
        setenv("LINES", buf, 1);
        snprintf(buf, sizeof buf, "%d", app->opt.cols > 0 ? app->opt.cols : 80);
        setenv("COLUMNS", buf, 1);
        app->screen = newterm("xterm", app->term_out, app->term_in);
        if (!app->screen) {
            td_err_set(err, TD_ERR, "%s", _("cannot create the virtual screen (terminfo 'xterm' missing?)"));
            return false;
        }
        set_term(app->screen);
    } else {
        const char *term = getenv("TERM");
        app->screen = newterm(term && *term ? term : "xterm", stdout, stdin);
        if (!app->screen) {
            td_err_set(err, TD_ERR, _("unknown terminal type '%s' (set TERM)"), term ? term : "");
            return false;
        }
        set_term(app->screen);
    }
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    ui_termkeys_define();
    set_escdelay(25);
    if (!app->headless) {
        wtimeout(stdscr, 2000); /* wake up to notice changes by other clerks */
        trap_signals();
    }
    const char *nc = getenv("NO_COLOR");
    app->color = has_colors() && !(nc && *nc) && !app->opt.no_color && !app->headless;
    if (app->color) {
        start_color();
        use_default_colors();
    }
    ui_styles_init(app->color);
    return true;
}

static void stop_curses(ui_app *app)
{
    if (!app->screen)
        return;
    endwin();
    delscreen(app->screen);
    app->screen = NULL;
    if (app->term_out)
        fclose(app->term_out);
    if (app->term_in)
        fclose(app->term_in);
    app->term_in = app->term_out = NULL;
}


static unsigned shell_key(ui_app *app, ui_action a, ui_key key)
{
    if (key == UK(KEY_RESIZE))
        return UI_FULL;
    switch (a) {
    case UI_ACT_HELP:
        ui_open_help(app, app->top ? app->top->ops : NULL);
        return UI_FULL;
    case UI_ACT_QUIT:
        /* from the work queue F10 quits at once; from a case or any screen
         * above it, a slip of the finger must not end the session */
        if (app->top && app->top->below && !ui_confirm(app, _("Quit TalentDesk?")))
            return UI_HANDLED | UI_FULL;
        return UI_QUIT;
    case UI_ACT_BACK:
    case UI_ACT_CANCEL:
        if (app->top && app->top->below)
            return UI_POP;
        return 0;
    default:
        return 0;
    }
}

ui_app *ui_app_open(td_db *db, const td_actor *actor, const ui_options *opt, td_err *err)
{
    ui_app *app = calloc(1, sizeof *app);
    if (!app)
        abort();
    app->db = db;
    app->actor = *actor;
    if (opt)
        app->opt = *opt;
    td_text_set_ambiwidth(app->opt.ambiwidth == 2 ? 2 : 1);
    if (app->opt.script || app->opt.headless) {
        app->headless = true;
        if (app->opt.script) {
            app->script_path = app->opt.script;
            app->script = fopen(app->opt.script, "r");
            if (!app->script) {
                td_err_set(err, TD_EIO, _("cannot read the key script %s: %s"), app->opt.script, strerror(errno));
                free(app);
                return NULL;
            }
        }
    }
    /* station name for the title line */
    td_station_name(db, actor->station_id, app->station_name, sizeof app->station_name);
    if (!start_curses(app, err)) {
        if (app->script)
            fclose(app->script);
        free(app);
        return NULL;
    }
    if (!actor->user_id[0] && !ui_sign_in(app, actor->username, false)) {
        stop_curses(app);
        if (app->script)
            fclose(app->script);
        free(app);
        td_err_set(err, TD_EDENIED, "%s", _("Nobody signed in"));
        return NULL;
    }
    ui_open_home(app);
    app->running = true;
    if (app->top->ops->poll)
        app->top->ops->poll(app, app->top);
    ui_repaint(app);
    return app;
}

unsigned ui_app_key(ui_app *app, ui_key k)
{
    ui_view *v = app->top;
    if (!v)
        return UI_QUIT;
    unsigned fl = 0;
    unsigned long gen = app->status_gen;
    if (k != UI_KEY_NONE) {
        ui_action a = ui_key_action(k, v->ops->actions);
        if (v->ops->text_input && !UI_KEY_IS_CODE(k) && k >= 32 && k != 127)
            a = UI_ACT_NONE; /* '?', 'q', ' ' … are text in a form */
        if (too_small() && a != UI_ACT_QUIT && k != UK(KEY_F(10)))
            a = UI_ACT_NONE, k = UI_KEY_NONE;
        if (k != UI_KEY_NONE && k != UK(KEY_RESIZE))
            fl = v->ops->key(app, v, a, k);
        if (k != UI_KEY_NONE && !(fl & UI_HANDLED) && !(fl & (UI_QUIT | UI_POP))) {
            if (a == UI_ACT_NONE && k == UK(KEY_F(10)))
                a = UI_ACT_QUIT;
            fl |= shell_key(app, a, k);
        }
        if (fl & UI_QUIT)
            app->running = false;
        if (fl & UI_POP)
            ui_pop(app);
        /* A message belongs to the screen it was said on: moving to another
         * screen without a new message clears the status line. */
        if (app->top != v && app->status_gen == gen)
            app->status[0] = '\0';
    }
    if (app->running && app->top) {
        if (app->top->ops->poll)
            app->top->ops->poll(app, app->top);
        ui_repaint(app);
    }
    return fl;
}

int ui_app_close(ui_app *app, td_err *err)
{
    while (app->top)
        ui_pop(app);
    stop_curses(app);
    if (app->script)
        fclose(app->script);
    int rc = 0;
    if (app->script_failed) {
        td_err_set(err, TD_ERR, "%s", app->script_error);
        rc = 1;
    }
    free(app);
    return rc;
}

int ui_run(td_db *db, const td_actor *actor, const ui_options *opt, td_err *err)
{
    ui_app *app = ui_app_open(db, actor, opt, err);
    if (!app)
        return 1;
    ui_idle_touch();
    while (app->running && app->top) {
        ui_key k = ui_read_key(app);
        if (k < 0)
            break;
        if (k == UI_KEY_NONE && !app->headless && !ui_idle_check(app))
            break;
        if (k != UI_KEY_NONE)
            ui_idle_touch();
        ui_app_key(app, k); /* UI_KEY_NONE (timeout): poll and repaint */
    }
    ui_sign_out(app);
    return ui_app_close(app, err);
}
