/* test_facts_zh.c — facts as typed at a Chinese counter (issue 12, item 6):
 * fact names as their Chinese labels or short names (学位=博士, 学历=硕士),
 * coded values as their labels (degree=博士), the full-width ＝ of an input
 * method, money as 45万 / 4.5万元 / 450,000, periods as 20150301至20220228 or
 * 20150301至今; and ledger text written back in Chinese (学位：博士,
 * 年龄：35), in English with --lang en. */
#include "recognition/facts.h"
#include "base/i18n.h"
#include "test_util.h"

#include <stdio.h>
#include <string.h>

static void kv(const char *in, const char *name, const char *value)
{
    td_fact f;
    td_err err;
    td_err_clear(&err);
    if (td_fact_parse_kv(in, true, &f, &err) != TD_OK)
        fail_msg("%s: %s", in, err.msg);
    assert_string_equal(f.name, name);
    assert_string_equal(f.value, value);
}

static void refused(const char *in)
{
    td_fact f;
    td_err err;
    td_err_clear(&err);
    assert_int_not_equal(td_fact_parse_kv(in, true, &f, &err), TD_OK);
    assert_true(strlen(err.msg) > 0);
}

static void test_names_and_values(void **st)
{
    (void)st;
    kv("学位=博士", "degree", "doctorate");
    kv("degree=博士", "degree", "doctorate");
    kv("degree=doctorate", "degree", "doctorate");
    kv("学历＝硕士", "degree", "master");
    kv("专业技术职称=副高级职称", "professional_title", "vice_senior");
    kv("职称=正高级职称", "professional_title", "senior");
    kv("奖项=诺贝尔奖", "award", "nobel");
    kv("留学回国=是", "returnee", "yes");
    kv("degree=Master's degree", "degree", "master");
    refused("学位=博士后");
    refused("鞋码=42");
}

static void test_money_and_periods(void **st)
{
    (void)st;
    kv("annual_salary=45万", "annual_salary", "450000");
    kv("年薪=4.5万元", "annual_salary", "45000");
    kv("annual_salary=450,000", "annual_salary", "450000");
    kv("annual_salary=450000元", "annual_salary", "450000");
    kv("annual_salary=1.2亿", "annual_salary", "120000000");
    refused("annual_salary=4.56789万");
    refused("annual_salary=四十五万");
    kv("employment=20150301至20220228", "employment", "2015-03-01..2022-02-28");
    kv("工作经历=2015-03-01至今", "employment", "2015-03-01..");
    kv("employment=20150301-20220228", "employment", "2015-03-01..2022-02-28");
    kv("employment=20150301..20220228", "employment", "2015-03-01..2022-02-28");
    kv("出生日期=19900501", "birth_date", "1990-05-01");
    refused("employment=20220228至20150301");
}

static void test_humanize(void **st)
{
    (void)st;
    char out[512];
    td_facts_humanize("degree=doctorate; age=35 (1990-05-01)", out, sizeof out);
    assert_non_null(strstr(out, "学位：博士"));
    assert_non_null(strstr(out, "年龄：35"));
    assert_null(strstr(out, "doctorate"));
    td_facts_humanize("age=35 (age <= 40)", out, sizeof out);
    assert_string_equal(out, "年龄：35 (年龄 <= 40)");
    td_facts_humanize("count:patent=2", out, sizeof out);
    assert_null(strstr(out, "count:"));
    assert_non_null(strstr(out, "：2"));
    td_facts_humanize("", out, sizeof out);
    assert_string_equal(out, "");
    /* English */
    char loc[4096];
    snprintf(loc, sizeof loc, "%s/locale", td_test_build_dir());
    td_i18n_init("en", loc);
    td_facts_humanize("degree=doctorate; age=35", out, sizeof out);
    assert_string_equal(out, "academic degree=doctorate; age=35");
    kv("academic degree=doctorate", "degree", "doctorate");
    td_i18n_init("zh_CN", loc);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_values),
        cmocka_unit_test(test_money_and_periods),
        cmocka_unit_test(test_humanize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
