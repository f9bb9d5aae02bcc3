/* test_ui_nationality.c — the nationality field of the person forms (intake,
 * edit): a code or a Chinese or English name becomes the ISO code; a partial
 * name is searched (one match taken, several offered in the message); an
 * unknown one is named.  The typed text stays when it is refused. */
#include "form.h"
#include "person_form.h"
#include "ui.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nat_index(ui_form *f)
{
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->fields[i].key, "nationality"))
            return i;
    fail_msg("no nationality field");
    return -1;
}

static bool try(ui_form *f, const char *typed, char *out, size_t len, td_err *err)
{
    ui_form_set(f, "nationality", typed);
    td_err_clear(err);
    bool ok = ui_person_check(f, nat_index(f), err, NULL);
    ui_form_get(f, "nationality", out, len);
    return ok;
}

static void test_nationality_field(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    ui_form_field fl[UI_PERSON_NFIELDS];
    ui_person_fields(db, fl);
    ui_form f;
    ui_form_init(&f, fl, UI_PERSON_NFIELDS);
    char v[128];
    td_err err;
    assert_true(try(&f, "中国", v, sizeof v, &err));
    assert_string_equal(v, "CHN");
    assert_true(try(&f, "英国", v, sizeof v, &err));
    assert_string_equal(v, "GBR");
    assert_true(try(&f, "United Kingdom", v, sizeof v, &err));
    assert_string_equal(v, "GBR");
    assert_true(try(&f, "hkg", v, sizeof v, &err));
    assert_string_equal(v, "HKG");
    assert_true(try(&f, "中国澳门", v, sizeof v, &err));
    assert_string_equal(v, "MAC");
    assert_true(try(&f, "新西", v, sizeof v, &err)); /* one match: 新西兰 */
    assert_string_equal(v, "NZL");
    /* several: offered, nothing chosen, the typed text stays */
    assert_false(try(&f, "几内", v, sizeof v, &err));
    assert_string_equal(v, "几内");
    assert_non_null(strstr(err.msg, "GIN"));
    assert_non_null(strstr(err.msg, "GNB"));
    assert_false(try(&f, "火星", v, sizeof v, &err));
    assert_non_null(strstr(err.msg, "火星"));
    ui_form_free(&f);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nationality_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
