/* test_ui_form.c — the form unit (ui/form.c) on a headless screen: moving
 * between fields, validation when leaving a field (the typed text stays,
 * the message is on the status line, the field is marked, the cursor moves
 * on; the save check puts it on the first bad field), date fields (20260315 and
 * 2026-03-15, 20260230 refused), pick fields (codes, labels, F4 / first
 * letter), the dirty flag, and drafts (round trip with CJK text, atomic file,
 * removal). */
#include "form.h"
#include "base/text.h"
#include "ui.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static td_db *g_db;
static td_actor g_actor;
static char g_dir[256];

static int setup(void **st)
{
    (void)st;
    g_db = td_test_db_loaded();
    g_actor = td_test_actor(g_db, "clerk1");
    snprintf(g_dir, sizeof g_dir, "/tmp/td-ui-form-%d", (int)getpid());
    mkdir(g_dir, 0700);
    char state[300];
    snprintf(state, sizeof state, "%s/state", g_dir);
    setenv("XDG_STATE_HOME", state, 1);
    setenv("TALENTDESK_NOW", "2026-03-16T02:00:00Z", 1);
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

static ui_app *open_app(void)
{
    ui_options o = { .headless = true, .rows = 24, .cols = 80, .ambiwidth = 1 };
    td_err err;
    td_err_clear(&err);
    ui_app *app = ui_app_open(g_db, &g_actor, &o, &err);
    if (!app)
        fail_msg("ui_app_open: %s", err.msg);
    return app;
}

static void close_app(ui_app *app)
{
    td_err err;
    td_err_clear(&err);
    ui_app_close(app, &err);
}

enum { F_NAME, F_CODE, F_DATE, F_KIND, F_NOTE, NF };

/* field F_CODE must be "ok…" or empty */
static bool check(ui_form *f, int idx, td_err *err, void *ud)
{
    (*(int *)ud)++;
    if (idx != F_CODE)
        return true;
    char v[64];
    ui_form_get(f, "code", v, sizeof v);
    if (v[0] && strncmp(v, "ok", 2) != 0) {
        td_err_set(err, TD_EINVALID, "code must start with ok");
        return false;
    }
    return true;
}

static void make_form(ui_form *f, ui_form_field *fl, int *calls)
{
    memset(fl, 0, sizeof(ui_form_field) * NF);
    fl[F_NAME] = (ui_form_field){ .key = "name", .label = "Name", .kind = UI_FK_TEXT, .max_chars = 20, .required = true };
    fl[F_CODE] = (ui_form_field){ .key = "code", .label = "Code", .kind = UI_FK_TEXT, .max_chars = 10 };
    fl[F_DATE] = (ui_form_field){ .key = "date", .label = "Date", .kind = UI_FK_DATE, .max_chars = 10 };
    fl[F_KIND] = (ui_form_field){ .key = "kind", .label = "Kind", .kind = UI_FK_PICK };
    fl[F_NOTE] = (ui_form_field){ .key = "note", .label = "Note", .kind = UI_FK_TEXT, .max_chars = 100 };
    ui_form_init(f, fl, NF);
    ui_form_pick_add(&fl[F_KIND], "resident", "居民身份证");
    ui_form_pick_add(&fl[F_KIND], "passport", "护照");
    ui_form_pick_add(&fl[F_KIND], "other", "其他证件");
    f->check = check;
    f->ud = calls;
}

static void type(ui_app *app, ui_form *f, const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        uint32_t cp;
        int k = td_utf8_decode(s + i, n - i, &cp);
        ui_form_key(app, f, UI_ACT_NONE, (ui_key)cp);
        i += (size_t)k;
    }
}

static void get(ui_form *f, const char *key, char *out, size_t len)
{
    ui_form_get(f, key, out, len);
}

static void test_navigation_and_validation(void **st)
{
    (void)st;
    ui_app *app = open_app();
    ui_form f;
    ui_form_field fl[NF];
    int calls = 0;
    make_form(&f, fl, &calls);
    assert_int_equal(f.cur, 0);
    assert_false(f.dirty);
    type(app, &f, "张三");
    assert_true(f.dirty);
    ui_form_key(app, &f, UI_ACT_FIELD_NEXT, '\t');
    assert_int_equal(f.cur, F_CODE);
    assert_true(calls >= 1);
    /* a bad value is said and marked, the text kept, but the cursor is
     * free to move (never trapped); the save is what check_all refuses */
    type(app, &f, "bad");
    app->status[0] = 0;
    ui_form_key(app, &f, UI_ACT_FIELD_NEXT, '\t');
    assert_int_equal(f.cur, F_DATE);
    assert_non_null(strstr(app->status, "code must start with ok"));
    assert_true(app->status_error);
    assert_true(fl[F_CODE].bad);
    char v[128];
    get(&f, "code", v, sizeof v);
    assert_string_equal(v, "bad");
    ui_form_key(app, &f, UI_ACT_FIELD_PREV, UK(KEY_UP));
    assert_int_equal(f.cur, F_CODE);
    assert_false(ui_form_check_current(app, &f));
    /* the save check puts the cursor on the first bad field */
    f.cur = F_NAME;
    assert_false(ui_form_check_all(app, &f));
    assert_int_equal(f.cur, F_CODE);
    /* fixed: moves on */
    ui_form_key(app, &f, UI_ACT_ED_CLEAR, UC('U'));
    type(app, &f, "ok1");
    assert_true(ui_form_check_current(app, &f));
    ui_form_key(app, &f, UI_ACT_FIELD_NEXT, '\n');
    assert_int_equal(f.cur, F_DATE);
    /* back and forth */
    ui_form_key(app, &f, UI_ACT_FIELD_PREV, UK(KEY_BTAB));
    assert_int_equal(f.cur, F_CODE);
    ui_form_key(app, &f, UI_ACT_FIELD_PREV, UK(KEY_BTAB));
    assert_int_equal(f.cur, F_NAME);
    get(&f, "name", v, sizeof v);
    assert_string_equal(v, "张三"); /* nothing typed is lost */
    /* the last field does not run past the end */
    for (int i = 0; i < NF + 3; i++)
        ui_form_key(app, &f, UI_ACT_FIELD_NEXT, '\t');
    assert_true(f.cur >= 0 && f.cur < NF);
    ui_form_free(&f);
    close_app(app);
}

static void test_dates(void **st)
{
    (void)st;
    ui_app *app = open_app();
    ui_form f;
    ui_form_field fl[NF];
    int calls = 0;
    make_form(&f, fl, &calls);
    f.cur = F_DATE;
    char v[64];
    type(app, &f, "20260315");
    ui_form_key(app, &f, UI_ACT_FIELD_NEXT, '\t');
    assert_int_equal(f.cur, F_KIND);
    get(&f, "date", v, sizeof v);
    assert_string_equal(v, "2026-03-15"); /* normalised on leaving */
    /* 2026-02-30 does not exist: refused, kept */
    f.cur = F_DATE;
    ui_form_key(app, &f, UI_ACT_ED_CLEAR, UC('U'));
    type(app, &f, "20260230");
    app->status[0] = 0;
    ui_form_key(app, &f, UI_ACT_FIELD_NEXT, '\t');
    assert_int_equal(f.cur, F_KIND); /* said, marked, not trapped */
    assert_true(fl[F_DATE].bad);
    f.cur = F_DATE;
    assert_true(app->status_error);
    assert_true(strlen(app->status) > 0);
    get(&f, "date", v, sizeof v);
    assert_string_equal(v, "20260230");
    /* the dashed form is accepted too; letters are not */
    ui_form_key(app, &f, UI_ACT_ED_CLEAR, UC('U'));
    type(app, &f, "2024-02-29");
    ui_form_key(app, &f, UI_ACT_FIELD_NEXT, '\t');
    assert_int_equal(f.cur, F_KIND);
    f.cur = F_DATE;
    ui_form_key(app, &f, UI_ACT_ED_CLEAR, UC('U'));
    type(app, &f, "2026-3-x");
    ui_form_key(app, &f, UI_ACT_FIELD_NEXT, '\t');
    assert_true(fl[F_DATE].bad);
    f.cur = F_DATE;
    /* empty is fine for an optional date */
    ui_form_key(app, &f, UI_ACT_ED_CLEAR, UC('U'));
    ui_form_key(app, &f, UI_ACT_FIELD_NEXT, '\t');
    assert_int_equal(f.cur, F_KIND);
    ui_form_free(&f);
    close_app(app);
}

static void test_pick_fields(void **st)
{
    (void)st;
    ui_app *app = open_app();
    ui_form f;
    ui_form_field fl[NF];
    int calls = 0;
    make_form(&f, fl, &calls);
    char v[64];
    get(&f, "kind", v, sizeof v);
    assert_string_equal(v, ""); /* nothing picked */
    ui_form_set(&f, "kind", "passport");
    assert_int_equal(fl[F_KIND].picked, 1);
    get(&f, "kind", v, sizeof v);
    assert_string_equal(v, "passport");
    assert_false(f.dirty); /* set is not typing */
    ui_form_set(&f, "kind", "no-such-code");
    get(&f, "kind", v, sizeof v);
    assert_string_not_equal(v, "no-such-code");
    assert_int_equal(ui_form_index(&f, "kind"), F_KIND);
    assert_int_equal(ui_form_index(&f, "nope"), -1);
    /* the label is drawn, never the code */
    ui_form_set(&f, "kind", "other");
    ui_rect r = { 1, 0, 20, 80 };
    erase();
    ui_form_draw(app, app->top, &f, r, "heading");
    bool label = false, code = false;
    for (int y = 0; y < 24; y++) {
        char row[1024];
        ui_screen_row(y, row, sizeof row);
        if (strstr(row, "其他证件"))
            label = true;
        if (strstr(row, "other"))
            code = true;
    }
    assert_true(label);
    assert_false(code);
    ui_form_free(&f);
    close_app(app);
}

static void test_drafts(void **st)
{
    (void)st;
    ui_app *app = open_app();
    ui_form f;
    ui_form_field fl[NF];
    int calls = 0;
    make_form(&f, fl, &calls);
    ui_form_draft_path(&f, "clerk1", "formtest");
    assert_non_null(strstr(f.draft_path, g_dir));
    assert_non_null(strstr(f.draft_path, "clerk1-formtest"));
    ui_form_draft_remove(&f);
    assert_false(ui_form_draft_load(&f));
    type(app, &f, "张三\xE2\x80\xAE" "abc"); /* the RLO is refused by the editor */
    ui_form_set(&f, "note", "备注 \"quoted\" \\ 换行");
    ui_form_set(&f, "kind", "passport");
    assert_int_equal(ui_form_draft_save(&f), 0);
    struct stat sb;
    assert_int_equal(stat(f.draft_path, &sb), 0);
    /* drafts hold personal data: the file and the directory are the owner's only */
    assert_int_equal(sb.st_mode & 077, 0);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", f.draft_path);
    *strrchr(dir, '/') = 0;
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 077, 0);
    /* no temporary file is left behind */
    char tmpf[4200];
    snprintf(tmpf, sizeof tmpf, "%s.tmp", f.draft_path);
    assert_int_not_equal(access(tmpf, F_OK), 0);
    /* a new form over the same path gets everything back */
    ui_form g;
    ui_form_field gl[NF];
    make_form(&g, gl, &calls);
    ui_form_draft_path(&g, "clerk1", "formtest");
    assert_true(ui_form_draft_load(&g));
    char v[256];
    get(&g, "name", v, sizeof v);
    assert_string_equal(v, "张三abc");
    get(&g, "note", v, sizeof v);
    assert_string_equal(v, "备注 \"quoted\" \\ 换行");
    get(&g, "kind", v, sizeof v);
    assert_string_equal(v, "passport");
    /* another user's draft is another file */
    ui_form h;
    ui_form_field hl[NF];
    make_form(&h, hl, &calls);
    ui_form_draft_path(&h, "clerk2", "formtest");
    assert_false(ui_form_draft_load(&h));
    ui_form_draft_remove(&g);
    assert_false(ui_form_draft_load(&f));
    ui_form_free(&f);
    ui_form_free(&g);
    ui_form_free(&h);
    close_app(app);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_navigation_and_validation),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_pick_fields),
        cmocka_unit_test(test_drafts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
