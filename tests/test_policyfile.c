/* test_policyfile.c — the .tdp reader: structure, line numbers, rejects. */
#include "test_util.h"
#include "policy/policyfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static td_pf *parse_ok(const char *text)
{
    td_pf *pf = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_pf_parse("t.tdp", text, strlen(text), &pf, &err), &err);
    return pf;
}

static void parse_error(const char *text, const char *expect_in_msg)
{
    td_pf *pf = (td_pf *)1;
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_pf_parse("bad.tdp", text, strlen(text), &pf, &err), TD_EPOLICY);
    assert_null(pf);
    if (!strstr(err.msg, expect_in_msg))
        fail_msg("message '%s' lacks '%s'", err.msg, expect_in_msg);
}

static void sections_and_lines(void **state)
{
    (void)state;
    td_pf *pf = parse_ok("# services\n"
                         "\n"
                         "[service enterprise_setup]\n"
                         "name = 企业开办\n"
                         "doc = id_card\n"
                         "doc = business_plan\n"
                         "  days   =   5  \n"
                         "[tier top]\r\n"
                         "name = 顶尖人才 = 塔尖\r\n");
    assert_int_equal(pf->n, 2);
    assert_string_equal(pf->secs[0].type, "service");
    assert_string_equal(pf->secs[0].id, "enterprise_setup");
    assert_int_equal(pf->secs[0].line, 3);
    assert_int_equal(pf->secs[0].n, 4);
    assert_string_equal(td_pf_get(&pf->secs[0], "name"), "企业开办");
    assert_string_equal(td_pf_get(&pf->secs[0], "days"), "5");
    assert_int_equal(td_pf_find(&pf->secs[0], "days")->line, 7);
    assert_int_equal(pf->secs[0].entries[2].line, 6);
    assert_string_equal(pf->secs[0].entries[2].value, "business_plan");
    /* the first '=' splits; CRLF is trimmed */
    assert_string_equal(td_pf_get(&pf->secs[1], "name"), "顶尖人才 = 塔尖");
    assert_null(td_pf_get(&pf->secs[1], "missing"));
    assert_string_equal(pf->name, "t.tdp");
    assert_int_equal(strlen(pf->sha256), 64);
    td_pf_free(pf);
}

static void long_lines_and_bom(void **state)
{
    (void)state;
    size_t n = 5000;
    char *text = malloc(n * 3 + 64);
    strcpy(text, "\xEF\xBB\xBF[a b]\nlegal = ");
    size_t o = strlen(text);
    for (size_t i = 0; i < n; i++) {
        memcpy(text + o, "法", 3);
        o += 3;
    }
    text[o++] = '\n';
    text[o] = '\0';
    td_pf *pf = parse_ok(text);
    assert_int_equal(strlen(td_pf_get(&pf->secs[0], "legal")), n * 3);
    td_pf_free(pf);
    free(text);
}

static void same_content_same_hash(void **state)
{
    (void)state;
    td_pf *a = parse_ok("[x y]\nk = v\n");
    td_pf *b = parse_ok("[x y]\nk = v\n");
    td_pf *c = parse_ok("[x y]\nk = w\n");
    assert_string_equal(a->sha256, b->sha256);
    assert_string_not_equal(a->sha256, c->sha256);
    td_pf_free(a);
    td_pf_free(b);
    td_pf_free(c);
}

static void rejects_with_line(void **state)
{
    (void)state;
    parse_error("k = v\n", "bad.tdp:1:");
    parse_error("[a b]\nk = v\njust words\n", "bad.tdp:3:");
    parse_error("[a b]\n = v\n", "bad.tdp:2:");
    parse_error("[a b]\n[]\n", "bad.tdp:2:");
    parse_error("[a b\n", "bad.tdp:1:");
    parse_error("[a b]\nk = \xff\xfe\n", "bad.tdp:2:");
    parse_error("[a b]\nk = ok\nk = \x1b[2J\n", "bad.tdp:3:");
    parse_error("[a b]\nk = \xe2\x80\xae evil\n", "bad.tdp:2:");
    parse_error("[a b]\nk = \xc0\xaf\n", "bad.tdp:2:"); /* overlong */
}

static void check_keys(void **state)
{
    (void)state;
    td_pf *pf = parse_ok("[svc a]\nname = x\ndayz = 5\n");
    static const char *const known[] = { "name", "days", NULL };
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_pf_check_keys(pf, &pf->secs[0], known, &err), TD_EPOLICY);
    assert_non_null(strstr(err.msg, "t.tdp:3:"));
    assert_non_null(strstr(err.msg, "dayz"));
    static const char *const known2[] = { "name", "dayz", NULL };
    assert_int_equal(td_pf_check_keys(pf, &pf->secs[0], known2, &err), TD_OK);
    td_pf_free(pf);
}

static void load_file(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".tdp");
    FILE *f = fopen(path, "w");
    fputs("[calendar 2026]\nholiday = 2026-01-01..2026-01-03 元旦\n", f);
    fclose(f);
    td_pf *pf = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_pf_load(path, &pf, &err), &err);
    assert_int_equal(pf->n, 1);
    assert_string_equal(pf->secs[0].id, "2026");
    td_pf_free(pf);
    remove(path);
    assert_int_equal(td_pf_load(path, &pf, &err), TD_ENOTFOUND);
    assert_null(pf);
    free(path);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sections_and_lines), cmocka_unit_test(long_lines_and_bom),
        cmocka_unit_test(same_content_same_hash), cmocka_unit_test(rejects_with_line),
        cmocka_unit_test(check_keys), cmocka_unit_test(load_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
