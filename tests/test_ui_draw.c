/* test_ui_draw.c — the drawing units on a headless virtual screen: ui_put /
 * ui_put_right / ui_put_row fit text to exact display columns (CJK, emoji,
 * nothing cut inside a character, no control or bidi character reaching the
 * screen, clipping at the right edge), ui_lines scrolling and clamping, and
 * the modal pick-list (keys from a script: arrows, paging, first-letter jump,
 * Esc). */
#include "draw.h"
#include "lines.h"
#include "pick.h"
#include "base/text.h"
#include "ui.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static td_db *g_db;
static td_actor g_actor;

static int setup(void **st)
{
    (void)st;
    g_db = td_test_db_loaded();
    g_actor = td_test_actor(g_db, "clerk1");
    setenv("TALENTDESK_NOW", "2026-03-16T02:00:00Z", 1);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    td_db_close(g_db);
    return 0;
}

/* Opens the interface headless; keys (if any) come from a script file. */
static ui_app *open_app(int rows, int cols, const char *keys, char *script_path, size_t len)
{
    ui_options o = { .headless = true, .rows = rows, .cols = cols, .ambiwidth = 1 };
    if (keys) {
        snprintf(script_path, len, "/tmp/td-ui-draw-%d.keys", (int)getpid());
        FILE *f = fopen(script_path, "w");
        assert_non_null(f);
        fputs(keys, f);
        fclose(f);
        o.script = script_path;
    }
    td_err err;
    td_err_clear(&err);
    ui_app *app = ui_app_open(g_db, &g_actor, &o, &err);
    if (!app)
        fail_msg("ui_app_open: %s", err.msg);
    erase(); /* a blank screen under the units drawn by the test */
    return app;
}

static void close_app(ui_app *app, const char *script_path)
{
    td_err err;
    td_err_clear(&err);
    ui_app_close(app, &err);
    if (script_path && *script_path)
        unlink(script_path);
}

static void row(int y, char *buf, size_t len)
{
    refresh();
    ui_screen_row(y, buf, len);
}

static void test_put_fits_columns(void **st)
{
    (void)st;
    ui_app *app = open_app(24, 80, NULL, NULL, 0);
    char r[1024];
    /* wide text cut with an ellipsis, never half a character */
    ui_put(5, 0, 5, "张三李四王", UI_S_NORMAL);
    ui_put(5, 5, 3, "XYZ", UI_S_NORMAL);
    row(5, r, sizeof r);
    assert_true(strncmp(r, "张三…XYZ", strlen("张三…XYZ")) == 0);
    /* an odd width: 3 columns hold one wide character + ellipsis */
    ui_put(6, 0, 3, "张三李", UI_S_NORMAL);
    ui_put(6, 3, 1, "|", UI_S_NORMAL);
    row(6, r, sizeof r);
    assert_true(strncmp(r, "张…|", strlen("张…|")) == 0);
    /* text that fits is padded to the width: the next cell starts at column 6 */
    ui_put(7, 0, 6, "张a", UI_S_NORMAL);
    ui_put(7, 6, 1, "|", UI_S_NORMAL);
    row(7, r, sizeof r);
    assert_string_equal(r, "张a   |");
    /* right-aligned numbers */
    ui_put_right(8, 0, 5, "42", UI_S_NORMAL);
    ui_put(8, 5, 1, "|", UI_S_NORMAL);
    row(8, r, sizeof r);
    assert_string_equal(r, "   42|");
    /* emoji count two columns */
    ui_put(9, 0, 4, "😀😀😀", UI_S_NORMAL);
    ui_put(9, 4, 1, "|", UI_S_NORMAL);
    row(9, r, sizeof r);
    assert_int_equal(td_text_width(r), 5);
    assert_non_null(strstr(r, "|"));
    close_app(app, NULL);
}

static void test_put_sanitises(void **st)
{
    (void)st;
    ui_app *app = open_app(24, 80, NULL, NULL, 0);
    char r[1024];
    ui_put(3, 0, 40, "a\x1b[31mb\xE2\x80\xAE" "c\r\nd\x07" "e\xC2\x9B" "f\xFF" "g", UI_S_NORMAL);
    row(3, r, sizeof r);
    assert_null(strchr(r, 0x1b));
    assert_null(strchr(r, '\r'));
    assert_null(strchr(r, 0x07));
    assert_null(strstr(r, "\xE2\x80\xAE")); /* RLO */
    assert_null(strstr(r, "\xC2\x9B"));     /* CSI (C1) */
    assert_true(td_text_is_clean(r));
    /* the letters survive in order */
    const char *p = r;
    for (const char *c = "abcdefg"; *c; c++) {
        p = strchr(p, *c);
        if (!p)
            fail_msg("'%c' lost: %s", *c, r);
    }
    assert_true(td_text_width(r) <= 40);
    close_app(app, NULL);
}

static void test_put_clips_at_right_edge(void **st)
{
    (void)st;
    for (int cols = 80; cols <= 120; cols += 40) {
        ui_app *app = open_app(24, cols, NULL, NULL, 0);
        char r[1024];
        /* asked for 10 columns 3 before the edge: 3 columns drawn, whole characters */
        ui_put(4, 0, cols - 3, "", UI_S_NORMAL);
        ui_put(4, cols - 3, 10, "张三李四", UI_S_NORMAL);
        row(4, r, sizeof r);
        assert_true(td_text_width(r) <= cols);
        assert_non_null(strstr(r, "张…"));
        /* beyond the edge or a bad row: nothing, no crash */
        assert_int_equal(ui_put(4, cols, 5, "x", UI_S_NORMAL), 0);
        assert_int_equal(ui_put(-1, 0, 5, "x", UI_S_NORMAL), 0);
        assert_int_equal(ui_put(24, 0, 5, "x", UI_S_NORMAL), 0);
        assert_int_equal(ui_put(4, 0, 0, "x", UI_S_NORMAL), 0);
        /* a full-width row of wide characters on an odd column count never
         * overflows */
        ui_put(5, 0, cols, "张三李四王五赵六钱七孙八周九吴十郑一王二冯三陈四褚五卫六蒋七沈八韩九杨十朱一秦二尤三许四何五吕六施七张八孔九曹十严一华二金三魏四陶五姜六", UI_S_NORMAL);
        row(5, r, sizeof r);
        assert_true(td_text_width(r) <= cols);
        ui_put(6, 1, cols - 1, "张三李四王五赵六钱七孙八周九吴十郑一王二冯三陈四褚五卫六蒋七沈八韩九杨十朱一秦二尤三许四何五吕六施七张八孔九曹十严一华二金三魏四陶五姜六", UI_S_NORMAL);
        row(6, r, sizeof r);
        assert_true(td_text_width(r) <= cols);
        assert_non_null(strstr(r, "…"));
        close_app(app, NULL);
    }
}

static void test_put_row_columns(void **st)
{
    (void)st;
    ui_app *app = open_app(24, 80, NULL, NULL, 0);
    char r[1024];
    const char *cells[] = { "张三李四王", "7", "rest of the row" };
    const int widths[] = { 6, -3, 0 };
    ui_put_row(2, 0, 30, 3, cells, widths, UI_S_NORMAL);
    row(2, r, sizeof r);
    /* cell 1 in columns 0-5, blank, cell 2 right-aligned in 7-9, blank, rest from 11 */
    size_t off = td_text_offset_for_col(r, 11);
    assert_true(strncmp(r + off, "rest of the row", 15) == 0);
    off = td_text_offset_for_col(r, 9);
    assert_int_equal(r[off], '7');
    assert_true(strncmp(r, "张三…", strlen("张三…")) == 0);
    /* a row narrower than its cells is cut at the given width */
    ui_put(3, 10, 1, "|", UI_S_NORMAL);
    ui_put_row(3, 0, 10, 3, cells, widths, UI_S_NORMAL);
    row(3, r, sizeof r);
    assert_int_equal(td_text_width(r), 11);
    off = td_text_offset_for_col(r, 10);
    assert_int_equal(r[off], '|');
    /* pair: label column fixed */
    ui_put_pair(4, 0, 8, 30, "姓名", "张三");
    row(4, r, sizeof r);
    assert_true(strncmp(r, "姓名    张三", strlen("姓名    张三")) == 0);
    close_app(app, NULL);
}

static void test_lines_scroll_and_clamp(void **st)
{
    (void)st;
    ui_app *app = open_app(24, 80, NULL, NULL, 0);
    ui_lines b = { 0 };
    b.widths[0] = 6;
    b.ncols = 2;
    /* empty: every key clamps to 0 */
    assert_int_equal(ui_lines_key(&b, UI_ACT_LAST, 5), UI_HANDLED | UI_REDRAW);
    assert_int_equal(b.top, 0);
    assert_int_equal(ui_lines_key(&b, UI_ACT_HELP, 5), 0u); /* not a scrolling key */
    char num[16];
    for (int i = 0; i < 50; i++) {
        snprintf(num, sizeof num, "%02d", i);
        ui_lines_add(&b, UI_S_NORMAL, 2, num, i % 2 ? "张三" : NULL);
    }
    ui_rect r = { 1, 0, 10, 40 };
    char t[256];
    ui_lines_draw(&b, r);
    row(1, t, sizeof t);
    assert_true(strncmp(t, "00", 2) == 0);
    row(2, t, sizeof t);
    assert_true(strncmp(t, "01     张三", strlen("01     张三")) == 0);
    ui_lines_key(&b, UI_ACT_PGDN, 10);
    ui_lines_draw(&b, r);
    row(1, t, sizeof t);
    assert_true(strncmp(t, "10", 2) == 0);
    /* the last page is full: the last line on the last row */
    ui_lines_key(&b, UI_ACT_LAST, 10);
    ui_lines_draw(&b, r);
    assert_int_equal(b.top, 40);
    row(10, t, sizeof t);
    assert_true(strncmp(t, "49", 2) == 0);
    /* one step up from the end moves one line */
    ui_lines_key(&b, UI_ACT_UP, 10);
    ui_lines_draw(&b, r);
    row(1, t, sizeof t);
    assert_true(strncmp(t, "39", 2) == 0);
    ui_lines_key(&b, UI_ACT_FIRST, 10);
    ui_lines_key(&b, UI_ACT_UP, 10);
    ui_lines_draw(&b, r);
    assert_int_equal(b.top, 0);
    /* clearing keeps the widths; rows below the end are blank */
    ui_lines_clear(&b);
    assert_int_equal(b.widths[0], 6);
    ui_lines_pair(&b, "姓名", "李四");
    ui_lines_draw(&b, r);
    row(1, t, sizeof t);
    assert_true(strncmp(t, "姓名   李四", strlen("姓名   李四")) == 0);
    row(2, t, sizeof t);
    assert_string_equal(t, "");
    /* more cells than the maximum are dropped, not overflowing */
    ui_lines_add(&b, UI_S_NORMAL, UI_LINE_CELLS + 2, "a", "b", "c", "d", "e", "f", "g", "h");
    assert_int_equal(b.v[b.n - 1].n, UI_LINE_CELLS);
    ui_lines_free(&b);
    assert_null(b.v);
    close_app(app, NULL);
}

static const char *items[] = { "居民身份证", "港澳台居民居住证", "外国人永久居留身份证", "护照", "Passport", "other" };

static int pick_with(const char *keys, int initial)
{
    char sp[256] = "";
    ui_app *app = open_app(24, 80, keys, sp, sizeof sp);
    int got = ui_pick(app, "证件类型", items, 6, initial);
    close_app(app, sp);
    return got;
}

static void test_pick(void **st)
{
    (void)st;
    assert_int_equal(pick_with("<Enter>", 0), 0);
    assert_int_equal(pick_with("<Down><Down><Enter>", 0), 2);
    assert_int_equal(pick_with("<Enter>", 3), 3);            /* starts at the initial item */
    assert_int_equal(pick_with("<Enter>", 99), 0);           /* a bad initial: the first */
    assert_int_equal(pick_with("<Up><Up><Enter>", 1), 0);    /* clamps at the top */
    assert_int_equal(pick_with("G<Down><Enter>", 0), 5);     /* last, clamps at the bottom */
    assert_int_equal(pick_with("<End>g<Enter>", 0), 0);
    assert_int_equal(pick_with("<PgDn><Enter>", 0), 5);      /* a page is more than 6 rows */
    assert_int_equal(pick_with("<Esc>", 2), -1);             /* cancelled */
    assert_int_equal(pick_with("q", 2), -1);
    assert_int_equal(pick_with("护<Enter>", 0), 3);          /* first-letter jump */
    assert_int_equal(pick_with("P<Enter>", 0), 4);
    assert_int_equal(pick_with("o<Enter>", 0), 5);
    assert_int_equal(pick_with("", 2), -1);                  /* end of keys: cancelled */
    char sp[256] = "";
    ui_app *app = open_app(24, 80, "<Enter>", sp, sizeof sp);
    assert_int_equal(ui_pick(app, "x", items, 0, 0), -1);    /* nothing to pick */
    close_app(app, sp);
}

/* The pick-list is drawn over the screen, inside it, at 80x24 with many
 * items (it scrolls) and the selection stays visible. */
static void test_pick_long_list_scrolls(void **st)
{
    (void)st;
    static char names[40][32];
    const char *many[40];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "项目%02d", i);
        many[i] = names[i];
    }
    char sp[256] = "";
    char dump[300];
    snprintf(dump, sizeof dump, "/tmp/td-ui-draw-%d.txt", (int)getpid());
    char keys[600];
    snprintf(keys, sizeof keys, "GGG\n:dump %s\n<Enter>\n", dump);
    ui_app *app = open_app(24, 80, keys, sp, sizeof sp);
    assert_int_equal(ui_pick(app, "选择", many, 40, 0), 39);
    close_app(app, sp);
    FILE *f = fopen(dump, "r");
    assert_non_null(f);
    char line[1024];
    int nlines = 0;
    bool last = false, first = false;
    while (fgets(line, sizeof line, f)) {
        nlines++;
        line[strcspn(line, "\n")] = 0;
        assert_true(td_text_width(line) <= 80);
        if (strstr(line, "项目39"))
            last = true;
        if (strstr(line, "项目00"))
            first = true;
    }
    fclose(f);
    unlink(dump);
    assert_int_equal(nlines, 24);
    assert_true(last);   /* the selection is on screen */
    assert_false(first); /* the list scrolled */
}

/* A one-item pick list is the item between its two borders: no empty row
 * under it (the list used to be at least two rows high). */
static void test_pick_one_item(void **st)
{
    (void)st;
    const char *one[] = { "居民身份证" };
    char sp[256] = "";
    char dump[300];
    snprintf(dump, sizeof dump, "/tmp/td-ui-draw1-%d.txt", (int)getpid());
    char keys[600];
    snprintf(keys, sizeof keys, ":dump %s\n<Enter>\n", dump);
    ui_app *app = open_app(24, 80, keys, sp, sizeof sp);
    assert_int_equal(ui_pick(app, "证件类型", one, 1, 0), 0);
    close_app(app, sp);
    FILE *f = fopen(dump, "r");
    assert_non_null(f);
    char lines[24][1024];
    int n = 0, item = -1;
    while (n < 24 && fgets(lines[n], sizeof lines[n], f)) {
        lines[n][strcspn(lines[n], "\n")] = 0;
        if (strstr(lines[n], "居民身份证"))
            item = n;
        n++;
    }
    fclose(f);
    unlink(dump);
    if (item < 1 || item + 1 >= n)
        fail_msg("the item is not on the screen between two rows (row %d of %d)", item, n);
    if (!strstr(lines[item - 1], "+ 证件类型"))
        fail_msg("above the item: want the top border, got \"%s\"", lines[item - 1]);
    if (!strstr(lines[item + 1], "+") || !strstr(lines[item + 1], "1/1"))
        fail_msg("under the item: want the bottom border with 1/1, got \"%s\"", lines[item + 1]);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_fits_columns),   cmocka_unit_test(test_put_sanitises),
        cmocka_unit_test(test_put_clips_at_right_edge), cmocka_unit_test(test_put_row_columns),
        cmocka_unit_test(test_lines_scroll_and_clamp), cmocka_unit_test(test_pick),
        cmocka_unit_test(test_pick_long_list_scrolls), cmocka_unit_test(test_pick_one_item),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
