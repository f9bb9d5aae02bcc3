/* test_ui_keys.c — the one key table (ui/keys.def): lookup per screen,
 * names, the script key parser, and that every action is documented. */
#include "base/i18n.h"
#include "ui.h"
#include "draw.h"
#include "test_util.h"

#include <string.h>

static void test_table_complete(void **st)
{
    (void)st;
    for (int a = 1; a < UI_ACT_COUNT; a++) {
        const ui_action_info *in = ui_action_get((ui_action)a);
        assert_int_equal(in->action, a);
        assert_non_null(in->name);
        assert_true(strlen(in->name) > 0);
        assert_true(strlen(in->help) > 0);
        assert_true(strlen(in->label) > 0);
        assert_int_equal(ui_action_by_name(in->name), a);
        /* every help text and label is translated */
        assert_string_not_equal(_(in->help), in->help);
        assert_string_not_equal(_(in->label), in->label);
        /* labels fit an F-key slot (8 columns with the number) */
        assert_true(ui_width(_(in->label)) <= 6);
    }
    assert_int_equal(ui_action_by_name("no-such-action"), UI_ACT_NONE);
}

static void test_lookup_respects_screen(void **st)
{
    (void)st;
    static const ui_action list[] = { UI_ACT_HELP, UI_ACT_INTAKE, UI_ACT_DOWN, UI_ACT_PGDN, UI_ACT_NONE };
    static const ui_action form[] = { UI_ACT_HELP, UI_ACT_SAVE, UI_ACT_ED_RIGHT, UI_ACT_NONE };
    assert_int_equal(ui_key_action(UK(KEY_F(2)), list), UI_ACT_INTAKE);
    assert_int_equal(ui_key_action(UK(KEY_F(2)), form), UI_ACT_SAVE);
    assert_int_equal(ui_key_action('j', list), UI_ACT_DOWN);
    assert_int_equal(ui_key_action('j', form), UI_ACT_NONE);
    assert_int_equal(ui_key_action(UC('F'), list), UI_ACT_PGDN);
    assert_int_equal(ui_key_action(UC('F'), form), UI_ACT_ED_RIGHT);
    assert_int_equal(ui_key_action('?', list), UI_ACT_HELP);
    assert_int_equal(ui_key_action(UK(KEY_F(1)), form), UI_ACT_HELP);
    assert_int_equal(ui_key_action(UI_KEY_NONE, list), UI_ACT_NONE);
    assert_int_equal(ui_action_fkey(UI_ACT_QUIT), 10);
    assert_int_equal(ui_action_fkey(UI_ACT_DOWN), 0);
}

/* Bare Esc never maps to a destructive action: only back / cancel (which
 * asks first when a form holds typed text) / no. */
static void test_esc_not_destructive(void **st)
{
    (void)st;
    for (int a = 1; a < UI_ACT_COUNT; a++) {
        const ui_action_info *in = ui_action_get((ui_action)a);
        for (int k = 0; k < 4; k++) {
            if (in->keys[k] == 27)
                assert_true(a == UI_ACT_BACK || a == UI_ACT_CANCEL || a == UI_ACT_NO);
        }
    }
}

static void test_parse(void **st)
{
    (void)st;
    ui_key k;
    assert_int_equal(ui_key_parse("<F2>x", &k), 4);
    assert_int_equal(k, UK(KEY_F(2)));
    assert_int_equal(ui_key_parse("<Enter>", &k), 7);
    assert_int_equal(k, '\n');
    assert_int_equal(ui_key_parse("<S-Tab>", &k), 7);
    assert_int_equal(k, UK(KEY_BTAB));
    assert_int_equal(ui_key_parse("<C-f>", &k), 5);
    assert_int_equal(k, 6);
    assert_int_equal(ui_key_parse("<left>", &k), 6);
    assert_int_equal(k, UK(KEY_LEFT));
    assert_int_equal(ui_key_parse("<LT>", &k), 4);
    assert_int_equal(k, '<');
    assert_int_equal(ui_key_parse("张三", &k), 3);
    assert_int_equal(k, 0x5F20);
    assert_int_equal(ui_key_parse("<Bogus>", &k), -1);
    assert_int_equal(ui_key_parse("", &k), 0);
    assert_int_equal(ui_key_parse("<", &k), 1); /* a lone '<' is itself */
    assert_int_equal(k, '<');
}

static void test_names(void **st)
{
    (void)st;
    char b[32];
    ui_key_name(UK(KEY_F(10)), b, sizeof b);
    assert_string_equal(b, "F10");
    ui_key_name(UK(KEY_F(18)), b, sizeof b);
    assert_string_equal(b, "Shift-F6");
    ui_key_name(UC('F'), b, sizeof b);
    assert_string_equal(b, "Ctrl-F");
    ui_key_name('\r', b, sizeof b);
    assert_string_equal(b, "Enter");
    ui_key_name(27, b, sizeof b);
    assert_string_equal(b, "Esc");
    ui_key_name('G', b, sizeof b);
    assert_string_equal(b, "G");
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_complete), cmocka_unit_test(test_lookup_respects_screen),
        cmocka_unit_test(test_esc_not_destructive), cmocka_unit_test(test_parse),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
