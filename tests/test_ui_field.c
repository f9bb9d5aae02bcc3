/* test_ui_field.c — the wide-character field editor (ui/field.c). */
#include "field.h"
#include "base/text.h"
#include "test_util.h"

#include <string.h>

static void type(ui_field *f, const char *utf8)
{
    size_t n = strlen(utf8), i = 0;
    while (i < n) {
        uint32_t cp;
        int k = td_utf8_decode(utf8 + i, n - i, &cp);
        ui_field_key(f, UI_ACT_NONE, (ui_key)cp);
        i += (size_t)k;
    }
}

static void get(ui_field *f, char *buf, size_t len)
{
    ui_field_get(f, buf, len);
}

/* pitfalls.md: type 张三abc, ←←←, Backspace → 张abc, cursor at column 2. */
static void test_cjk_backspace(void **st)
{
    (void)st;
    ui_field f;
    ui_field_init(&f, 50);
    type(&f, "张三abc");
    assert_int_equal(f.len, 5);
    assert_int_equal(ui_field_cursor_col(&f), 7);
    for (int i = 0; i < 3; i++)
        assert_true(ui_field_key(&f, UI_ACT_ED_LEFT, 0));
    assert_int_equal(ui_field_cursor_col(&f), 4);
    assert_true(ui_field_key(&f, UI_ACT_ED_BS, 0));
    char buf[64];
    get(&f, buf, sizeof buf);
    assert_string_equal(buf, "张abc");
    assert_int_equal(f.cursor, 1);
    assert_int_equal(ui_field_cursor_col(&f), 2);
    assert_true(f.changed);
}

static void test_home_end_delete_kill(void **st)
{
    (void)st;
    ui_field f;
    ui_field_init(&f, 50);
    ui_field_set(&f, "一二三四");
    assert_false(f.changed);
    assert_int_equal(f.cursor, 4);
    ui_field_key(&f, UI_ACT_ED_HOME, 0);
    assert_int_equal(ui_field_cursor_col(&f), 0);
    ui_field_key(&f, UI_ACT_ED_DEL, 0);
    char buf[64];
    get(&f, buf, sizeof buf);
    assert_string_equal(buf, "二三四");
    ui_field_key(&f, UI_ACT_ED_RIGHT, 0);
    ui_field_key(&f, UI_ACT_ED_KILL, 0);
    get(&f, buf, sizeof buf);
    assert_string_equal(buf, "二");
    ui_field_key(&f, UI_ACT_ED_END, 0);
    assert_int_equal(ui_field_cursor_col(&f), 2);
    /* at the edges the keys are used but change nothing */
    assert_true(ui_field_key(&f, UI_ACT_ED_RIGHT, 0));
    assert_true(ui_field_key(&f, UI_ACT_ED_DEL, 0));
    get(&f, buf, sizeof buf);
    assert_string_equal(buf, "二");
    ui_field_key(&f, UI_ACT_ED_CLEAR, 0);
    assert_int_equal(f.len, 0);
    assert_true(ui_field_key(&f, UI_ACT_ED_BS, 0));
    assert_int_equal(f.cursor, 0);
}

static void test_insert_in_middle(void **st)
{
    (void)st;
    ui_field f;
    ui_field_init(&f, 50);
    type(&f, "张三");
    ui_field_key(&f, UI_ACT_ED_LEFT, 0);
    type(&f, "小");
    char buf[64];
    get(&f, buf, sizeof buf);
    assert_string_equal(buf, "张小三");
    assert_int_equal(ui_field_cursor_col(&f), 4);
}

/* Controls, escapes, bidi overrides and zero-width characters are never
 * inserted; function keys are not text. */
static void test_rejects_controls(void **st)
{
    (void)st;
    ui_field f;
    ui_field_init(&f, 50);
    assert_false(ui_field_key(&f, UI_ACT_NONE, 27));
    assert_false(ui_field_key(&f, UI_ACT_NONE, '\n'));
    assert_false(ui_field_key(&f, UI_ACT_NONE, 0x9b));
    assert_false(ui_field_key(&f, UI_ACT_NONE, 0x202E));
    assert_false(ui_field_key(&f, UI_ACT_NONE, 0x200B));
    assert_false(ui_field_key(&f, UI_ACT_NONE, 0xFEFF));
    assert_false(ui_field_key(&f, UI_ACT_NONE, 0xD800));
    assert_false(ui_field_key(&f, UI_ACT_NONE, UK(KEY_F(2))));
    assert_false(ui_field_key(&f, UI_ACT_SAVE, UK(KEY_F(2))));
    assert_int_equal(f.len, 0);
    assert_false(f.changed);
    /* supplementary-plane characters are text */
    assert_true(ui_field_key(&f, UI_ACT_NONE, 0x20BB7)); /* 𠮷 */
    assert_int_equal(f.len, 1);
    assert_int_equal(ui_field_cursor_col(&f), 2);
}

static void test_max_chars(void **st)
{
    (void)st;
    ui_field f;
    ui_field_init(&f, 3);
    type(&f, "abcdef");
    assert_int_equal(f.len, 3);
    ui_field_set(&f, "一二三四五");
    assert_int_equal(f.len, 3);
    ui_field_init(&f, 0);
    assert_int_equal(f.max_chars, UI_FIELD_MAX);
}

/* The visible part keeps the cursor in the box and never splits a wide
 * character at the edge. */
static void test_view_scrolls_by_width(void **st)
{
    (void)st;
    ui_field f;
    ui_field_init(&f, 50);
    type(&f, "一二三四五六七八");
    char out[128];
    int cc = -1;
    ui_field_view(&f, 7, out, sizeof out, &cc);
    assert_true(td_text_width(out) <= 7);
    assert_true(cc <= 6);
    assert_int_equal(cc, td_text_width(out));
    assert_string_equal(out, "六七八");
    ui_field_key(&f, UI_ACT_ED_HOME, 0);
    ui_field_view(&f, 7, out, sizeof out, &cc);
    assert_int_equal(cc, 0);
    assert_string_equal(out, "一二三");
}

static void test_set_invalid_utf8(void **st)
{
    (void)st;
    ui_field f;
    ui_field_init(&f, 50);
    ui_field_set(&f, "a\xff" "b");
    char buf[32];
    get(&f, buf, sizeof buf);
    assert_string_equal(buf, "a\xef\xbf\xbd" "b");
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cjk_backspace),      cmocka_unit_test(test_home_end_delete_kill),
        cmocka_unit_test(test_insert_in_middle),   cmocka_unit_test(test_rejects_controls),
        cmocka_unit_test(test_max_chars),          cmocka_unit_test(test_view_scrolls_by_width),
        cmocka_unit_test(test_set_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
