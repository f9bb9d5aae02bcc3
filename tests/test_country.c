/* test_country.c — countries and regions by code, Chinese or English name
 * (Debian iso-codes + data/countries.tdp), unknown values named, regions, and
 * the person checks that use them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "people/country.h"
#include "people/person.h"

static void expect(const char *in, const char *code)
{
    char out[4];
    td_err err;
    td_err_clear(&err);
    if (td_country_resolve(in, out, &err) != TD_OK)
        fail_msg("'%s' did not resolve: %s", in, err.msg);
    if (strcmp(out, code) != 0)
        fail_msg("'%s' resolved to %s, wanted %s", in, out, code);
}

static void test_resolve_names_and_codes(void **state)
{
    (void)state;
    size_t n = 0;
    td_country_all(&n);
    assert_true(n > 240); /* iso-codes, not a short hand-written list */
    expect("CHN", "CHN");
    expect("chn", "CHN");
    expect("CN", "CHN");
    expect("156", "CHN");
    expect("中国", "CHN");
    expect(" 中国 ", "CHN");
    expect("\xE3\x80\x80中国", "CHN");
    expect("中华人民共和国", "CHN");
    expect("China", "CHN");
    expect("people's republic of china", "CHN");
    expect("英国", "GBR");
    expect("United Kingdom", "GBR");
    expect("大不列颠及北爱尔兰联合王国", "GBR");
    expect("美国", "USA");
    expect("美利坚合众国", "USA");
    expect("United States of America", "USA");
    expect("德国", "DEU");
    expect("日本", "JPN");
    expect("澳大利亚", "AUS");
    expect("新加坡", "SGP");
    expect("韩国", "KOR");
    expect("中国香港", "HKG");
    expect("香港", "HKG");
    expect("中国香港特别行政区", "HKG");
    expect("Hong Kong", "HKG");
    expect("中国澳门", "MAC");
    expect("澳门", "MAC");
    expect("Macau", "MAC");
    expect("中国台湾", "TWN");
    expect("台湾", "TWN");
    expect("英国（英格兰）", "GBR");
}

static void test_unknown_named(void **state)
{
    (void)state;
    char out[4];
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_country_resolve("火星共和国", out, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "火星共和国"));
    td_err_clear(&err);
    assert_int_equal(td_country_resolve("XYZ", out, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "XYZ"));
    assert_int_equal(td_country_resolve("", out, &err), TD_EINVALID);
}

static void test_regions_and_display(void **state)
{
    (void)state;
    const td_country *c = td_country_find("HKG");
    assert_non_null(c);
    assert_true(c->region);
    assert_true(td_country_find("MAC")->region);
    assert_true(td_country_find("TWN")->region);
    assert_false(td_country_find("CHN")->region);
    assert_false(td_country_find("GBR")->region);
    assert_string_equal(td_country_display("HKG"), "中国香港");
    assert_string_equal(td_country_display("TWN"), "中国台湾");
    assert_string_equal(td_country_display("CHN"), "中国");
    assert_string_equal(td_country_display("GBR"), "英国");
    assert_string_equal(td_country_find("GBR")->name_en, "United Kingdom");
    assert_null(td_country_find("XYZ"));
}

static void test_search(void **state)
{
    (void)state;
    const td_country *hits[300];
    size_t n = td_country_search("", hits, 300);
    size_t all = 0;
    td_country_all(&all);
    assert_int_equal(n, all);
    /* China and its regions come first */
    assert_string_equal(hits[0]->alpha3, "CHN");
    for (int i = 1; i < 4; i++)
        assert_true(hits[i]->region);
    n = td_country_search("英", hits, 300);
    bool gbr = false;
    for (size_t i = 0; i < n; i++)
        gbr |= strcmp(hits[i]->alpha3, "GBR") == 0;
    assert_true(gbr);
    n = td_country_search("kingdom", hits, 300);
    assert_true(n >= 1);
    assert_string_equal(hits[0]->alpha3, "GBR");
    assert_int_equal(td_country_search("zzzz-none", hits, 300), 0);
    assert_int_equal(td_country_search("", hits, 5), 5);
}

static void test_person_checks(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "陈大文");
    snprintf(p.id_type, sizeof p.id_type, "hkmo_pass");
    snprintf(p.id_no, sizeof p.id_no, "H12345678");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_validate(db, &p, NULL, &err), &err);
    assert_string_equal(p.nationality, "HKG"); /* the permit says Hong Kong */
    snprintf(p.id_no, sizeof p.id_no, "M12345678");
    p.nationality[0] = '\0';
    assert_td_ok(td_person_validate(db, &p, NULL, &err), &err);
    assert_string_equal(p.nationality, "MAC");
    const char *key = NULL;
    snprintf(p.nationality, sizeof p.nationality, "XYZ");
    assert_int_equal(td_person_validate(db, &p, &key, &err), TD_EINVALID);
    assert_string_equal(key, "nationality");
    assert_non_null(strstr(err.msg, "XYZ"));
    snprintf(p.nationality, sizeof p.nationality, "HKG");
    snprintf(p.study_country, sizeof p.study_country, "QQQ");
    assert_int_equal(td_person_validate(db, &p, &key, &err), TD_EINVALID);
    assert_string_equal(key, "study_country");
    snprintf(p.study_country, sizeof p.study_country, "gbr");
    snprintf(p.returned_on, sizeof p.returned_on, "2019/06/30");
    assert_td_ok(td_person_validate(db, &p, NULL, &err), &err);
    assert_string_equal(p.study_country, "GBR");
    assert_string_equal(p.returned_on, "2019-06-30");
    snprintf(p.returned_on, sizeof p.returned_on, "2019-02-30");
    assert_int_equal(td_person_validate(db, &p, &key, &err), TD_EINVALID);
    assert_string_equal(key, "returned_on");
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve_names_and_codes),
        cmocka_unit_test(test_unknown_named),
        cmocka_unit_test(test_regions_and_display),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_person_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
