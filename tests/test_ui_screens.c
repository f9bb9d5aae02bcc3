/* test_ui_screens.c — every screen of the interface, driven key by key with
 * ui_app_key on a headless virtual screen over the demo data: the F-key bar
 * shows exactly the F-keys of the screen's action list (from the one key
 * table), F1 help lists the help text of every action of that screen, no key
 * is bound to two actions on one screen (one would be dead), Esc / q closes
 * each screen back to the one below, printable keys are text on input
 * screens, and nothing is drawn wider than the terminal at 80 and 120
 * columns. */
#include "setup/demo.h"
#include "draw.h"
#include "base/i18n.h"
#include "base/text.h"
#include "ui.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static td_db *g_db;
static char g_dir[256];
static char g_case_no[64];

static int setup(void **st)
{
    (void)st;
    g_db = td_test_db_loaded();
    snprintf(g_dir, sizeof g_dir, "/tmp/td-ui-screens-%d", (int)getpid());
    mkdir(g_dir, 0700);
    char state[300];
    snprintf(state, sizeof state, "%s/state", g_dir);
    setenv("XDG_STATE_HOME", state, 1);
    setenv("TALENTDESK_NOW", "2026-03-16T02:00:00Z", 1);
    unsetenv("TALENTDESK_QUEUE");
    /* demo cases in every state (users exist in the loaded database) */
    td_err err;
    td_err_clear(&err);
    if (td_demo_populate(g_db, 30, 2026, &err) != TD_OK)
        fail_msg("td_demo_populate: %s", err.msg);
    /* a case with documents and services */
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(g_db),
                                        "SELECT case_no FROM cases ORDER BY case_no LIMIT 1", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(g_case_no, sizeof g_case_no, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    td_db_close(g_db);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) != 0;
}

static ui_app *open_app(const char *user, int rows, int cols, td_actor *actor)
{
    *actor = td_test_actor(g_db, user);
    ui_options o = { .headless = true, .rows = rows, .cols = cols, .ambiwidth = 1 };
    td_err err;
    td_err_clear(&err);
    ui_app *app = ui_app_open(g_db, actor, &o, &err);
    if (!app)
        fail_msg("ui_app_open: %s", err.msg);
    return app;
}

static void close_app(ui_app *app)
{
    td_err err;
    td_err_clear(&err);
    assert_int_equal(ui_app_close(app, &err), 0);
}

static void keys(ui_app *app, const char *script)
{
    const char *p = script;
    for (;;) {
        ui_key k;
        int n = ui_key_parse(p, &k);
        assert_true(n >= 0);
        if (n == 0)
            break;
        ui_app_key(app, k);
        p += n;
    }
}

static const char *top(ui_app *app)
{
    return app->top ? app->top->ops->name : "";
}

/* The whole screen as text, rows separated by '\n' (static buffer). */
static const char *screen(void)
{
    static char buf[64 * 1024];
    size_t used = 0;
    buf[0] = 0;
    for (int y = 0; y < LINES; y++) {
        char row[2048];
        ui_screen_row(y, row, sizeof row);
        int n = snprintf(buf + used, sizeof buf - used, "%s\n", row);
        assert_true(n > 0 && (size_t)n < sizeof buf - used);
        used += (size_t)n;
    }
    return buf;
}

static void assert_fits(void)
{
    for (int y = 0; y < LINES; y++) {
        char row[2048];
        ui_screen_row(y, row, sizeof row);
        if (td_text_width(row) > COLS)
            fail_msg("row %d is %d columns wide (> %d): %s", y, td_text_width(row), COLS, row);
    }
}

/* The F-key bar holds exactly the F-keys of the screen's actions, each with
 * the label of the first action bound to it. */
static void check_bar(ui_app *app)
{
    char bar[2048];
    ui_screen_row(LINES - 1, bar, sizeof bar);
    const ui_action *acts = app->top->ops->actions;
    for (int f = 1; f <= 10; f++) {
        ui_action first = UI_ACT_NONE;
        for (const ui_action *a = acts; *a; a++)
            if (ui_action_fkey(*a) == f) {
                first = *a;
                break;
            }
        /* the slot "N" followed by a label: look for the number at a word start */
        char want[64];
        bool present = false;
        for (const char *p = bar; *p; p++) {
            if ((p == bar || p[-1] == ' ') && strtol(p, NULL, 10) == f && p[0] >= '1' && p[0] <= '9') {
                present = true;
                break;
            }
        }
        if (first) {
            snprintf(want, sizeof want, "%d%s", f, _(ui_action_get(first)->label));
            if (!strstr(bar, want))
                fail_msg("screen %s: bar lacks \"%s\": %s", top(app), want, bar);
        } else if (present) {
            fail_msg("screen %s: bar shows F%d which the screen does not accept: %s", top(app), f, bar);
        }
    }
}

/* No key is bound to two actions of one screen (the second would be dead,
 * yet listed in help). */
static void check_no_shadowed_keys(ui_app *app)
{
    const ui_action *acts = app->top->ops->actions;
    for (const ui_action *a = acts; *a; a++) {
        const ui_action_info *in = ui_action_get(*a);
        for (int k = 0; k < 4 && in->keys[k]; k++) {
            ui_action got = ui_key_action(in->keys[k], acts);
            if (got != *a) {
                char name[32];
                ui_key_name(in->keys[k], name, sizeof name);
                fail_msg("screen %s: key %s of %s goes to %s", top(app), name, in->name,
                         ui_action_get(got)->name);
            }
        }
    }
}

/* F1 opens help listing the help text of every action; Esc returns. */
static void check_help(ui_app *app)
{
    const char *name = top(app);
    const ui_action *acts = app->top->ops->actions;
    char title[256];
    snprintf(title, sizeof title, "%s", _(app->top->ops->title));
    keys(app, "<F1>");
    assert_string_equal(top(app), "help");
    /* scroll through the whole help, collecting every row */
    static char all[128 * 1024];
    all[0] = 0;
    for (int i = 0; i < 4; i++) {
        strncat(all, screen(), sizeof all - strlen(all) - 1);
        keys(app, "<PgDn>jjjjjjjjjjjjjjjjjjjj");
    }
    assert_non_null(strstr(all, title));
    for (const ui_action *a = acts; *a; a++) {
        const char *h = _(ui_action_get(*a)->help);
        /* long help texts may be cut at the right edge: compare the first 8 columns */
        char head[64];
        size_t cut = td_text_offset_for_col(h, 8);
        if (cut >= sizeof head)
            cut = sizeof head - 1;
        memcpy(head, h, cut);
        head[cut] = 0;
        if (!strstr(all, head))
            fail_msg("help of %s lacks the action %s (%s)", name, ui_action_get(*a)->name, head);
    }
    keys(app, "<Esc>");
    assert_string_equal(top(app), name);
}

static bool g_seen[UI_ACT_COUNT];

static void check_screen(ui_app *app, const char *want)
{
    assert_string_equal(top(app), want);
    for (const ui_action *a = app->top->ops->actions; *a; a++)
        g_seen[*a] = true;
    assert_fits();
    check_bar(app);
    check_no_shadowed_keys(app);
    check_help(app);
    assert_fits();
}

static void every_screen(const char *user, int rows, int cols)
{
    td_actor actor;
    ui_app *app = open_app(user, rows, cols, &actor);
    check_screen(app, "queue");
    keys(app, "<F7>");
    check_screen(app, "search");
    char k[256];
    snprintf(k, sizeof k, "%s<Enter><Enter>", g_case_no);
    keys(app, k);
    check_screen(app, "case");
    static const struct {
        const char *key, *name;
    } from_case[] = {
        { "<F6>", "documents" }, { "<F7>", "tasks" }, { "<F2>", "score" },
        { "<F9>", "code" },      { "<F4>", "person-edit" },
    };
    for (size_t i = 0; i < sizeof from_case / sizeof from_case[0]; i++) {
        keys(app, from_case[i].key);
        if (strcmp(top(app), "case") == 0)
            fail_msg("%s from the case screen did not open %s", from_case[i].key, from_case[i].name);
        check_screen(app, from_case[i].name);
        keys(app, "<Esc>"); /* nothing was typed: a form leaves without asking */
        assert_string_equal(top(app), "case");
    }
    keys(app, "<Esc>");
    assert_string_equal(top(app), "search");
    keys(app, "<Esc>");
    assert_string_equal(top(app), "queue");
    keys(app, "<F2>");
    check_screen(app, "intake");
    keys(app, "<Esc>");
    assert_string_equal(top(app), "queue");
    /* statistics (report screens) and the follow-ups due queue */
    keys(app, "<F9>");
    check_screen(app, "report");
    keys(app, "<Tab><Down><Enter>");
    check_screen(app, "report-cases");
    keys(app, "<Esc><Esc>");
    assert_string_equal(top(app), "queue");
    keys(app, "<F4>");
    check_screen(app, "followups");
    keys(app, "<Esc>");
    assert_string_equal(top(app), "queue");
    keys(app, "C");
    check_screen(app, "conflicts");
    keys(app, "<Esc>");
    assert_string_equal(top(app), "queue");
    close_app(app);
}

static void test_every_screen_80(void **st)
{
    (void)st;
    every_screen("clerk1", 24, 80);
}

static void test_every_screen_120(void **st)
{
    (void)st;
    every_screen("reviewer1", 40, 120);
}

/* Every action of the key table is offered by some screen (the yes / no
 * answers belong to the confirmation question): no dead entries in keys.def
 * that help or the bar could never show. */
static void test_every_action_used(void **st)
{
    (void)st;
    memset(g_seen, 0, sizeof g_seen);
    every_screen("clerk1", 24, 80);
    for (int a = 1; a < UI_ACT_COUNT; a++) {
        if (a == UI_ACT_YES || a == UI_ACT_NO)
            continue;
        if (!g_seen[a])
            fail_msg("action %s is offered by no screen", ui_action_get((ui_action)a)->name);
    }
}

/* On the search screen and in forms, printable keys are text even when they
 * are keys elsewhere (q closes, ? helps, j moves, space pages). */
static void test_printable_keys_are_text(void **st)
{
    (void)st;
    td_actor actor;
    ui_app *app = open_app("clerk1", 24, 80, &actor);
    keys(app, "<F7>q?jk g");
    assert_string_equal(top(app), "search");
    assert_non_null(strstr(screen(), "q?jk g"));
    keys(app, "<Esc><F2>q?jk G");
    assert_string_equal(top(app), "intake");
    assert_non_null(strstr(screen(), "q?jk G"));
    /* Esc asks (text was typed); without a key script the question gets no
     * answer, which counts as no: the form and its text stay */
    keys(app, "<Esc>");
    assert_string_equal(top(app), "intake");
    assert_non_null(strstr(screen(), "q?jk G"));
    ui_pop(app);
    ui_repaint(app);
    /* on the queue the same keys act: ? opens help, q closes it */
    keys(app, "?");
    assert_string_equal(top(app), "help");
    keys(app, "q");
    assert_string_equal(top(app), "queue");
    /* q on the home screen does not quit (nothing below) */
    keys(app, "q");
    assert_true(app->running);
    assert_string_equal(top(app), "queue");
    close_app(app);
}

static void remove_drafts(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/state'", g_dir);
    assert_int_equal(system(cmd), 0);
}

/* An unchanged form leaves on Esc without asking. */
static void test_clean_form_leaves_without_asking(void **st)
{
    (void)st;
    remove_drafts();
    td_actor actor;
    ui_app *app = open_app("clerk1", 24, 80, &actor);
    keys(app, "<F2>");
    assert_string_equal(top(app), "intake");
    keys(app, "<Esc>");
    assert_string_equal(top(app), "queue");
    assert_null(strstr(screen(), "放弃"));
    close_app(app);
}

/* F10 quits from the queue; on a form F10 is Cancel and asks first (no
 * answer without a script: the form stays). */
static void test_f10(void **st)
{
    (void)st;
    td_actor actor;
    ui_app *app = open_app("clerk1", 24, 80, &actor);
    keys(app, "<F2>abc<F10>");
    assert_true(app->running);
    assert_string_equal(top(app), "intake");
    assert_non_null(strstr(screen(), "abc"));
    ui_pop(app);
    ui_repaint(app);
    assert_string_equal(top(app), "queue");
    assert_true(app->running);
    keys(app, "<F10>");
    assert_false(app->running);
    close_app(app);
}

/* Resizing on every screen repaints at the new size and back, nothing wider
 * than the terminal, the same text as before the round trip. */
static void test_resize_every_screen(void **st)
{
    (void)st;
    td_actor actor;
    ui_app *app = open_app("clerk1", 24, 80, &actor);
    char k[256];
    snprintf(k, sizeof k, "<F7>%s<Enter><Enter>", g_case_no);
    const char *paths[] = { "", "<F7>", k, "<F6>", "<Esc><F7>", "<Esc><F2>", "<Esc><F9>" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        keys(app, paths[i]);
        char *before = strdup(screen());
        resizeterm(40, 120);
        ui_app_key(app, UK(KEY_RESIZE));
        assert_int_equal(COLS, 120);
        assert_fits();
        resizeterm(24, 80);
        ui_app_key(app, UK(KEY_RESIZE));
        assert_fits();
        if (strcmp(before, screen()) != 0)
            fail_msg("screen %s differs after 80x24 -> 120x40 -> 80x24:\n%s\n---\n%s", top(app), before,
                     screen());
        free(before);
    }
    close_app(app);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_screen_80),
        cmocka_unit_test(test_every_screen_120),
        cmocka_unit_test(test_every_action_used),
        cmocka_unit_test(test_printable_keys_are_text),
        cmocka_unit_test(test_clean_form_leaves_without_asking),
        cmocka_unit_test(test_f10),
        cmocka_unit_test(test_resize_every_screen),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
