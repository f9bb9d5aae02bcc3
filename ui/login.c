/* login.c — signing in on the terminal: the login screen (user name, hidden
 * password), F8 sign-out / sign-in of another user, and the idle lock that
 * asks the same user's password over the screen without touching it (so
 * nothing typed is lost).  Passwords are checked by the core
 * (src/auth/account.h); every outcome is audited there. */
#include "ui.h"
#include "draw.h"
#include "field.h"
#include "auth/account.h"
#include "auth/idlelock.h"
#include "auth/session.h"
#include "base/i18n.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct login_ov {
    const char *title;   /* line above the prompt */
    const char *question;
    ui_field *f;
    bool secret;
    bool cover;          /* hide the screen underneath (lock) */
} login_ov;

static void login_draw(ui_app *app, void *ud)
{
    (void)app;
    login_ov *p = ud;
    if (p->cover)
        for (int y = 1; y < LINES - 2; y++)
            ui_put(y, 0, COLS, "", UI_S_NORMAL);
    int y = LINES / 2 - 2;
    if (y < 2)
        y = 2;
    ui_put(y, 2, COLS - 4, p->title, UI_S_HEADER);
    int qw = ui_width(p->question) + 1;
    if (qw > COLS / 2)
        qw = COLS / 2;
    ui_put(y + 2, 2, qw, p->question, UI_S_NORMAL);
    char view[UI_FIELD_MAX * 4 + 1];
    int cc = 0;
    if (p->secret) {
        int n = p->f->len < COLS - qw - 6 ? p->f->len : COLS - qw - 6;
        for (int i = 0; i < n; i++)
            view[i] = '*';
        view[n < 0 ? 0 : n] = '\0';
        cc = n < 0 ? 0 : n;
    } else {
        ui_field_view(p->f, COLS - qw - 5, view, sizeof view, &cc);
    }
    ui_put(y + 2, 2 + qw, COLS - qw - 4, view, UI_S_FIELD_ACTIVE);
    curs_set(1);
    move(y + 2, 2 + qw + cc);
}

/* One line of input over the screen; NULL on Esc or end of input.
 * *quit is set on F10 or end of input. */
static char *ask(ui_app *app, const char *title, const char *question, bool secret, bool cover, bool *quit)
{
    static const ui_action acts[] = { UI_ACT_ED_LEFT, UI_ACT_ED_RIGHT, UI_ACT_ED_HOME, UI_ACT_ED_END,
                                      UI_ACT_ED_BS, UI_ACT_ED_DEL, UI_ACT_ED_KILL, UI_ACT_ED_CLEAR,
                                      UI_ACT_NONE };
    ui_field f;
    ui_field_init(&f, 128);
    login_ov ov = { title, question, &f, secret, cover };
    void (*saved)(ui_app *, void *) = app->overlay;
    void *saved_ud = app->overlay_ud;
    app->overlay = login_draw;
    app->overlay_ud = &ov;
    char *result = NULL;
    for (;;) {
        ui_repaint(app);
        ui_key k = ui_read_key(app);
        if (k < 0 || k == UK(KEY_F(10))) {
            *quit = true;
            break;
        }
        if (k == 27)
            break;
        if (k == '\n' || k == '\r' || k == UK(KEY_ENTER)) {
            char buf[UI_FIELD_MAX * 4 + 1];
            ui_field_get(&f, buf, sizeof buf);
            result = strdup(buf);
            sodium_memzero(buf, sizeof buf);
            if (!result)
                abort();
            break;
        }
        if (k == UI_KEY_NONE || k == UK(KEY_RESIZE))
            continue;
        if (secret && (ui_key_action(k, acts) == UI_ACT_ED_LEFT || ui_key_action(k, acts) == UI_ACT_ED_RIGHT))
            continue;
        ui_field_key(&f, ui_key_action(k, acts), k);
    }
    sodium_memzero(&f, sizeof f);
    app->overlay = saved;
    app->overlay_ud = saved_ud;
    return result;
}

static void drop(char *s)
{
    if (s) {
        sodium_memzero(s, strlen(s));
        free(s);
    }
}

static char tui_token[TD_TOKEN_LEN];

void ui_sign_out(ui_app *app)
{
    if (tui_token[0]) {
        td_session_end(app->db, tui_token, NULL);
        sodium_memzero(tui_token, sizeof tui_token);
    }
}

bool ui_sign_in(ui_app *app, const char *user, bool lock)
{
    char title[256];
    bool quit = false;
    bool cover = lock || app->top != NULL; /* the screen of whoever leaves is hidden */
    for (;;) {
        if (lock)
            snprintf(title, sizeof title, _("Screen locked after inactivity: %s (%s). Enter the password to go on."),
                     app->actor.display_name, app->actor.username);
        else
            snprintf(title, sizeof title, "%s", _("TalentDesk - sign in (F10 quits)"));
        char *name = user && *user ? strdup(user) : ask(app, title, _("User name:"), false, cover, &quit);
        if (quit)
            return false;
        if (!name || !*name) {
            drop(name);
            continue;
        }
        char q[128];
        snprintf(q, sizeof q, _("Password of %s: "), name);
        char *pw = ask(app, title, q, true, cover, &quit);
        if (quit) {
            drop(name);
            drop(pw);
            return false;
        }
        if (!pw) {
            drop(name);
            continue;
        }
        td_actor a;
        td_err err;
        td_err_clear(&err);
        bool must = false;
        td_status s = td_auth_login(app->db, name, pw, &a, &must, &err);
        if (s == TD_OK && must) {
            char *n1 = ask(app, _("You must choose a new password before going on."), _("New password: "), true,
                           cover, &quit);
            char *n2 = n1 && !quit ? ask(app, _("You must choose a new password before going on."),
                                         _("New password again: "), true, cover, &quit)
                                   : NULL;
            if (!n1 || !n2 || strcmp(n1, n2) != 0)
                s = td_err_set(&err, TD_EINVALID, "%s", _("The two passwords differ; nothing was changed"));
            else
                s = td_auth_change_password(app->db, name, pw, n1, &err);
            drop(n1);
            drop(n2);
        }
        drop(pw);
        drop(name);
        if (quit)
            return false;
        if (s != TD_OK) {
            ui_status_err(app, &err);
            continue;
        }
        if (!lock) {
            ui_sign_out(app);
            app->actor = a;
            td_session_start(app->db, &a, "tui", tui_token, NULL);
            ui_status(app, false, _("Signed in as %s (%s)."), a.display_name, a.username);
        } else {
            ui_status(app, false, "%s", _("Unlocked."));
        }
        return true;
    }
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double last_key;

void ui_idle_touch(void)
{
    last_key = mono_s();
}

bool ui_idle_check(ui_app *app)
{
    int limit = app->opt.idle_seconds;
    if (limit <= 0) {
        td_auth_policy p;
        td_auth_policy_get(app->db, &p);
        limit = p.idle_minutes * 60;
    }
    if (last_key == 0)
        last_key = mono_s();
    if (mono_s() - last_key < limit)
        return true;
    /* The lock outlives this process for a user with a password: until it is
     * typed, running the program again (a linked Unix account, a session
     * token) does not get past it (auth/idlelock.h). */
    td_idle_lock(app->db, &app->actor, NULL, NULL);
    bool ok = ui_sign_in(app, app->actor.username, true);
    last_key = mono_s();
    return ok;
}
