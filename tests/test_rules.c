/* test_rules.c — the rule-set loader: the shipped files load, and malformed
 * files (gap, overlap, unknown factor/fact/input/tier, missing field, bad
 * syntax) are rejected with the file name and the offending line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "db.h"
#include "facts.h"
#include "policyfile.h"
#include "rules.h"
#include "setup.h"

/* A minimal valid rule file; tests splice lines into it. */
static const char *base_head = "[ruleset t]\n"                          /* 1 */
                               "title = test\n"                         /* 2 */
                               "basis = test basis\n"                   /* 3 */
                               "effective_from = 2020-01-01\n"          /* 4 */
                               "sample = yes\n"                         /* 5 */
                               "[tier A]\n"                             /* 6 */
                               "name = A\n"                             /* 7 */
                               "rank = 1\n"                             /* 8 */
                               "min_points = 10\n"                      /* 9 */
                               "[tier B]\n"                             /* 10 */
                               "name = B\n"                             /* 11 */
                               "rank = 2\n"                             /* 12 */
                               "min_points = 0\n";                      /* 13 */

static td_status parse_text(const char *text, td_ruleset **out, td_err *err)
{
    td_pf *pf = NULL;
    td_status s = td_pf_parse("t.tdp", text, strlen(text), &pf, err);
    if (s)
        return s;
    s = td_ruleset_from_pf(pf, out, err);
    td_pf_free(pf);
    return s;
}

/* Parses base_head + tail and expects TD_EPOLICY mentioning "t.tdp:LINE:"
 * and the substring `what` (may be NULL). */
static void expect_reject(const char *tail, int line, const char *what)
{
    char text[8192];
    snprintf(text, sizeof text, "%s%s", base_head, tail);
    td_ruleset *rs = NULL;
    td_err err;
    td_err_clear(&err);
    td_status s = parse_text(text, &rs, &err);
    if (s != TD_EPOLICY)
        fail_msg("expected TD_EPOLICY, got %d (%s) for:\n%s", (int)s, err.msg, tail);
    assert_null(rs);
    char want[32];
    snprintf(want, sizeof want, "t.tdp:%d:", line);
    if (!strstr(err.msg, want))
        fail_msg("expected '%s' in '%s'", want, err.msg);
    if (what && !strstr(err.msg, what))
        fail_msg("expected '%s' in '%s'", what, err.msg);
}

static void expect_ok(const char *tail)
{
    char text[8192];
    snprintf(text, sizeof text, "%s%s", base_head, tail);
    td_ruleset *rs = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(parse_text(text, &rs, &err), &err);
    assert_non_null(rs);
    td_ruleset_free(rs);
}

static void test_minimal_ok(void **state)
{
    (void)state;
    expect_ok("[factor f]\n"
              "title = F\n"
              "cap = 10\n"
              "aggregate = max\n"
              "input = hsk_level\n"
              "band = [1,3) 2 low\n"
              "band = [3,] 5 high\n");
}

static void test_band_gap(void **state)
{
    (void)state;
    /* [1,3) then [4,…]: 3 is in no band; the later band's line is named. */
    expect_reject("[factor f]\n"        /* 14 */
                  "title = F\n"         /* 15 */
                  "cap = 10\n"          /* 16 */
                  "aggregate = max\n"   /* 17 */
                  "input = hsk_level\n" /* 18 */
                  "band = [1,3) 2\n"    /* 19 */
                  "band = [4,) 5\n",    /* 20 */
                  20, "3");
}

static void test_band_gap_exclusive_edges(void **state)
{
    (void)state;
    /* [1,3) and (3,…): the value 3 itself falls through. */
    expect_reject("[factor f]\ntitle = F\ncap = 10\naggregate = max\ninput = hsk_level\n"
                  "band = [1,3) 2\n"    /* 19 */
                  "band = (3,) 5\n",    /* 20 */
                  20, NULL);
}

static void test_band_overlap(void **state)
{
    (void)state;
    expect_reject("[factor f]\ntitle = F\ncap = 10\naggregate = max\ninput = hsk_level\n"
                  "band = [1,3] 2\n"    /* 19 */
                  "band = [3,) 5\n",    /* 20 */
                  20, "19");
}

static void test_band_overlap_unbounded(void **state)
{
    (void)state;
    /* An open-ended band followed (in value order) by another overlaps it. */
    expect_reject("[factor f]\ntitle = F\ncap = 10\naggregate = max\ninput = hsk_level\n"
                  "band = [5,) 5\n"     /* 19 */
                  "band = [1,3) 2\n"    /* 20 */
                  "band = [3,9) 3\n",   /* 21 */
                  21, NULL);
}

static void test_band_order_free_ok(void **state)
{
    (void)state;
    /* Bands may be listed in any order as long as they tile. */
    expect_ok("[factor f]\ntitle = F\ncap = 10\naggregate = max\ninput = hsk_level\n"
              "band = [5,) 5\n"
              "band = [1,3) 2\n"
              "band = [3,4] 3\n");
}

static void test_band_empty(void **state)
{
    (void)state;
    expect_reject("[factor f]\ntitle = F\ncap = 10\naggregate = max\ninput = hsk_level\n"
                  "band = (3,4) 2\n", /* 19: no whole number in (3,4) */
                  19, NULL);
}

static void test_band_syntax(void **state)
{
    (void)state;
    expect_reject("[factor f]\ntitle = F\ncap = 10\naggregate = max\ninput = hsk_level\n"
                  "band = 1-3 2\n", 19, NULL);
    expect_reject("[factor f]\ntitle = F\ncap = 10\naggregate = max\ninput = hsk_level\n"
                  "band = [1,3) two\n", 19, NULL);
}

static void test_band_points_over_cap(void **state)
{
    (void)state;
    expect_reject("[factor f]\ntitle = F\ncap = 4\naggregate = max\ninput = hsk_level\n"
                  "band = [1,) 5\n", 19, "4");
}

static void test_unknown_factor_in_group(void **state)
{
    (void)state;
    expect_reject("[factor f]\ntitle = F\ncap = 5\naggregate = max\n"
                  "match = top_university_graduate=yes 5\n" /* 18 */
                  "[group g]\n"                             /* 19 */
                  "title = G\n"                             /* 20 */
                  "cap = 5\n"                               /* 21 */
                  "factors = f, nosuch\n",                  /* 22 */
                  22, "nosuch");
}

static void test_unknown_fact(void **state)
{
    (void)state;
    expect_reject("[factor f]\ntitle = F\ncap = 5\naggregate = max\n"
                  "match = shoe_size=yes 5\n", 18, "shoe_size");
}

static void test_unknown_fact_value(void **state)
{
    (void)state;
    expect_reject("[factor f]\ntitle = F\ncap = 5\naggregate = max\n"
                  "match = degree=phd 5\n", 18, "phd");
}

static void test_unknown_input(void **state)
{
    (void)state;
    expect_reject("[factor f]\ntitle = F\ncap = 5\naggregate = max\n"
                  "input = height\n"   /* 18 */
                  "band = [0,) 1\n",
                  18, "height");
}

static void test_missing_field(void **state)
{
    (void)state;
    /* Missing cap: the section header's line is named, with the field. */
    expect_reject("[factor f]\n" /* 14 */
                  "title = F\naggregate = max\nmatch = top_university_graduate=yes 5\n",
                  14, "cap");
    expect_reject("[factor f]\ntitle = F\ncap = 5\nmatch = top_university_graduate=yes 5\n", 14,
                  "aggregate");
    expect_reject("[catalogue c]\n" /* 14 */
                  "title = C\nwhen = award = nobel\n", 14, "tier");
}

static void test_missing_ruleset_field(void **state)
{
    (void)state;
    const char *text = "[ruleset t]\ntitle = x\neffective_from = 2020-01-01\nsample = no\n"
                       "[tier A]\nname = A\nrank = 1\n";
    td_ruleset *rs = NULL;
    td_err err;
    td_err_clear(&err);
    assert_int_equal(parse_text(text, &rs, &err), TD_EPOLICY);
    assert_non_null(strstr(err.msg, "t.tdp:1:"));
    assert_non_null(strstr(err.msg, "basis"));
}

static void test_unknown_key(void **state)
{
    (void)state;
    expect_reject("[factor f]\ntitle = F\ncap = 5\naggregate = max\n"
                  "macth = top_university_graduate=yes 5\n", 18, "macth");
}

static void test_unknown_section(void **state)
{
    (void)state;
    expect_reject("[facter f]\ntitle = F\n", 14, "facter");
}

static void test_catalogue_unknown_tier(void **state)
{
    (void)state;
    expect_reject("[catalogue c]\ntitle = C\n"
                  "tier = Z\n" /* 16 */
                  "when = award = nobel\n",
                  16, "Z");
}

static void test_catalogue_bad_condition(void **state)
{
    (void)state;
    expect_reject("[catalogue c]\ntitle = C\ntier = A\n"
                  "when = award ~ nobel\n", 17, NULL);
    expect_reject("[catalogue c]\ntitle = C\ntier = A\n"
                  "when = annual_salary >= wage*6\n", 17, "wage_region");
    expect_reject("[catalogue c]\ntitle = C\ntier = A\n"
                  "when = award in nobel,oscar\n", 17, "oscar");
}

static void test_duplicate_and_id(void **state)
{
    (void)state;
    expect_reject("[tier A]\nname = again\nrank = 3\n", 14, NULL);
    expect_reject("[tier C]\nname = C\nrank = 2\n", 16, "2"); /* rank already used */
    /* The id must match the file name. */
    const char *text = "[ruleset other]\ntitle = x\nbasis = y\neffective_from = 2020-01-01\n"
                       "sample = no\n[tier A]\nname = A\nrank = 1\n";
    td_ruleset *rs = NULL;
    td_err err;
    assert_int_equal(parse_text(text, &rs, &err), TD_EPOLICY);
    assert_non_null(strstr(err.msg, "t.tdp:1:"));
}

static void test_tier_threshold_order(void **state)
{
    (void)state;
    /* A lower tier needing more points than a higher one. */
    expect_reject("[tier C]\nname = C\nrank = 3\nmin_points = 50\n", 14, NULL);
}

static void test_shipped_rule_sets_load(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data/rules", td_test_src_dir());
    int n = 0;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_rules_check_dir(dir, &n, &err), &err);
    assert_true(n >= 2);

    char path[4200];
    snprintf(path, sizeof path, "%s/cn-work-permit-2017.tdp", dir);
    td_ruleset *rs = NULL;
    assert_td_ok(td_ruleset_load_file(path, &rs, &err), &err);
    assert_int_equal(rs->max_points, 120);
    assert_int_equal(rs->ntiers, 3);
    assert_false(rs->sample);
    assert_string_equal(rs->effective_from, "2017-04-01");
    assert_int_equal(strlen(rs->sha256), 64);
    const td_tier *a = td_ruleset_tier(rs, "A");
    assert_non_null(a);
    assert_int_equal(a->min_points, 85);
    assert_int_equal(td_ruleset_tier(rs, "B")->min_points, 60);
    const td_factor *extra = td_ruleset_factor(rs, "patents");
    assert_string_equal(extra->group, "extra");
    assert_int_equal(td_ruleset_group(rs, "extra")->cap, 5);
    td_ruleset_free(rs);

    snprintf(path, sizeof path, "%s/cq-recognition-sample.tdp", dir);
    assert_td_ok(td_ruleset_load_file(path, &rs, &err), &err);
    assert_true(rs->sample);
    const char *tiers[] = { "top", "outstanding", "leading", "young", "basic" };
    for (int i = 0; i < 5; i++)
        assert_non_null(td_ruleset_tier(rs, tiers[i]));
    td_ruleset_free(rs);
}

static void test_load_dir_records_versions(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data/rules", td_test_src_dir());
    td_err err;
    td_err_clear(&err);
    int n = 0;
    assert_td_ok(td_rules_check_dir(dir, &n, &err), &err);
    assert_true(n >= 2);
    assert_td_ok(td_rules_load_dir(db, dir, NULL, &err), &err);
    /* Loading the same content again adds nothing. */
    assert_td_ok(td_rules_load_dir(db, dir, NULL, &err), &err);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(db),
                       "SELECT count(*), min(length(sha256)) FROM policy_versions WHERE kind='rules'",
                       -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), n);
    assert_int_equal(sqlite3_column_int(st, 1), 64);
    sqlite3_finalize(st);
    /* td_rules_get finds the stored version, with its policy version id. */
    td_ruleset *rs = NULL;
    assert_td_ok(td_rules_get(db, "cn-work-permit-2017", NULL, &rs, &err), &err);
    assert_int_equal(strlen(rs->policy_version), 36);
    char sha[65];
    snprintf(sha, sizeof sha, "%s", rs->sha256);
    td_ruleset_free(rs);
    assert_td_ok(td_rules_get(db, "cn-work-permit-2017", sha, &rs, &err), &err);
    td_ruleset_free(rs);
    assert_int_equal(td_rules_get(db, "cn-work-permit-2017", "00", &rs, &err), TD_ENOTFOUND);
    assert_int_equal(td_rules_get(db, "../../etc/passwd", NULL, &rs, &err), TD_ENOTFOUND);
    assert_int_equal(td_rules_get(db, "nosuch", NULL, &rs, &err), TD_ENOTFOUND);
    td_db_close(db);
}

static void test_load_dir_all_or_nothing(void **state)
{
    (void)state;
    char *dir = td_test_tmpfile("-rules");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s/data/rules/'*.tdp '%s/' && printf '%s' > '%s/zz-bad.tdp'",
             dir, td_test_src_dir(), dir,
             "[ruleset zz-bad]\\ntitle = x\\nbasis = y\\neffective_from = 2020-01-01\\nsample = no\\n"
             "[tier A]\\nname = A\\nrank = 1\\n[factor f]\\ntitle = F\\ncap = 5\\naggregate = max\\n"
             "input = hsk_level\\nband = [1,2) 1\\nband = [3,) 2\\n",
             dir);
    assert_int_equal(system(cmd), 0);
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_rules_load_dir(db, dir, NULL, &err), TD_EPOLICY);
    assert_non_null(strstr(err.msg, "zz-bad.tdp:15:"));
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(db), "SELECT count(*) FROM policy_versions", -1, &st, NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    td_db_close(db);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static void test_load_dir_audited(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_setup_local_station(db, "CQ", "测试窗口", "hq", &err), &err);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data/rules", td_test_src_dir());
    int n = 0;
    assert_td_ok(td_rules_check_dir(dir, &n, &err), &err);
    /* the data directory itself is accepted too: its rules/ is used */
    char data[4096];
    snprintf(data, sizeof data, "%s/data", td_test_src_dir());
    assert_td_ok(td_rules_load_dir(db, data, NULL, &err), &err);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(db),
                       "SELECT count(*) FROM audit_log WHERE action = 'policy.load' AND field LIKE '%.tdp'"
                       " AND length(new_value) = 64",
                       -1, &st, NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int(st, 0), n);
    sqlite3_finalize(st);
    td_db_close(db);
}

static void test_wage_lookup(void **state)
{
    (void)state;
    td_wage w;
    td_err err;
    td_err_clear(&err);
    td_date d = { 2026, 6, 1 };
    assert_td_ok(td_wage_lookup(NULL, "chongqing", d, &w, &err), &err);
    assert_true(w.annual_yuan > 0);
    assert_true(w.sample); /* the shipped figure is a labelled sample */
    assert_true(strlen(w.source) > 0);
    td_date early = { 2000, 1, 1 };
    assert_int_equal(td_wage_lookup(NULL, "chongqing", early, &w, &err), TD_ENOTFOUND);
    assert_int_equal(td_wage_lookup(NULL, "atlantis", d, &w, &err), TD_ENOTFOUND);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_ok),
        cmocka_unit_test(test_band_gap),
        cmocka_unit_test(test_band_gap_exclusive_edges),
        cmocka_unit_test(test_band_overlap),
        cmocka_unit_test(test_band_overlap_unbounded),
        cmocka_unit_test(test_band_order_free_ok),
        cmocka_unit_test(test_band_empty),
        cmocka_unit_test(test_band_syntax),
        cmocka_unit_test(test_band_points_over_cap),
        cmocka_unit_test(test_unknown_factor_in_group),
        cmocka_unit_test(test_unknown_fact),
        cmocka_unit_test(test_unknown_fact_value),
        cmocka_unit_test(test_unknown_input),
        cmocka_unit_test(test_missing_field),
        cmocka_unit_test(test_missing_ruleset_field),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_unknown_section),
        cmocka_unit_test(test_catalogue_unknown_tier),
        cmocka_unit_test(test_catalogue_bad_condition),
        cmocka_unit_test(test_duplicate_and_id),
        cmocka_unit_test(test_tier_threshold_order),
        cmocka_unit_test(test_shipped_rule_sets_load),
        cmocka_unit_test(test_load_dir_records_versions),
        cmocka_unit_test(test_load_dir_all_or_nothing),
        cmocka_unit_test(test_load_dir_audited),
        cmocka_unit_test(test_wage_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
