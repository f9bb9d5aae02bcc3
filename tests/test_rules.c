/* test_rules.c — the rule-set loader: the shipped files load, and malformed
 * files (gap, overlap, unknown factor/fact/input/tier, missing field, bad
 * syntax) are rejected with the file name and the offending line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "base/db.h"
#include "recognition/facts.h"
#include "policy/policyfile.h"
#include "recognition/rules.h"
#include "setup/setup.h"

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


/* ---- more malformed files, table-driven -------------------------------- */

static void test_more_malformed(void **state)
{
    (void)state;
    struct {
        const char *tail;
        int line;
        const char *what;
    } bad[] = {
        /* factor in two groups */
        { "[factor f]\ntitle = F\ncap = 5\naggregate = max\nmatch = returnee=yes 5\n"
          "[group g]\ntitle = G\ncap = 5\nfactors = f\n"
          "[group h]\ntitle = H\ncap = 5\nfactors = f\n", 26, "f" },
        /* duplicate factor */
        { "[factor f]\ntitle = F\ncap = 5\naggregate = max\nmatch = returnee=yes 5\n"
          "[factor f]\ntitle = F2\ncap = 5\naggregate = max\nmatch = returnee=yes 5\n", 19, NULL },
        /* duplicate catalogue item */
        { "[catalogue c]\ntitle = C\ntier = A\nwhen = award = nobel\n"
          "[catalogue c]\ntitle = C\ntier = A\nwhen = award = nobel\n", 18, NULL },
        /* band without an input */
        { "[factor f]\ntitle = F\ncap = 5\naggregate = max\nband = [0,) 1\n", 18, "input" },
        /* input without a band */
        { "[factor f]\ntitle = F\ncap = 5\naggregate = max\ninput = hsk_level\n"
          "match = returnee=yes 5\n", 18, NULL },
        /* neither band nor match */
        { "[factor f]\ntitle = F\ncap = 5\naggregate = max\n", 14, NULL },
        /* bad aggregate / cap */
        { "[factor f]\ntitle = F\ncap = 5\naggregate = avg\nmatch = returnee=yes 5\n", 17, "avg" },
        { "[factor f]\ntitle = F\ncap = -1\naggregate = max\nmatch = returnee=yes 5\n", 16, NULL },
        { "[factor f]\ntitle = F\ncap = five\naggregate = max\nmatch = returnee=yes 5\n", 16, NULL },
        /* match on a number fact */
        { "[factor f]\ntitle = F\ncap = 5\naggregate = max\nmatch = hsk_level=4 5\n", 18, "hsk_level" },
        /* match on a yes-fact with another value */
        { "[factor f]\ntitle = F\ncap = 5\naggregate = max\nmatch = returnee=no 5\n", 18, "no" },
        /* malformed match */
        { "[factor f]\ntitle = F\ncap = 5\naggregate = max\nmatch = returnee=yes\n", 18, NULL },
        { "[factor f]\ntitle = F\ncap = 5\naggregate = max\nmatch = returnee=yes 5x\n", 18, NULL },
        /* rank and min_points */
        { "[tier C]\nname = C\nrank = 0\n", 16, NULL },
        { "[tier C]\nname = C\nrank = 3\nmin_points = -5\n", 17, NULL },
        { "[tier C]\nname = C\nrank = x\n", 16, NULL },
        /* group without factors / cap */
        { "[group g]\ntitle = G\ncap = 5\n", 14, "factors" },
        { "[group g]\ntitle = G\nfactors = x\n", 14, "cap" },
        /* conditions */
        { "[catalogue c]\ntitle = C\ntier = A\nwhen = nosuch >= 3\n", 17, "nosuch" },
        { "[catalogue c]\ntitle = C\ntier = A\nwhen = degree >= 3\n", 17, "degree" },
        { "[catalogue c]\ntitle = C\ntier = A\nwhen = hsk_level = 4\n", 17, "hsk_level" },
        { "[catalogue c]\ntitle = C\ntier = A\nwhen = age >= old\n", 17, NULL },
        { "[catalogue c]\ntitle = C\ntier = A\nwhen = age >=\n", 17, NULL },
        /* a section without id */
        { "[factor]\ntitle = F\n", 14, NULL },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_reject(bad[i].tail, bad[i].line, bad[i].what);
}

static void test_ruleset_header_errors(void **state)
{
    (void)state;
    const char *texts[] = {
        /* effective_to before effective_from */
        "[ruleset t]\ntitle = x\nbasis = y\neffective_from = 2020-01-01\neffective_to = 2019-12-31\n"
        "sample = no\n[tier A]\nname = A\nrank = 1\n",
        /* sample not yes/no */
        "[ruleset t]\ntitle = x\nbasis = y\neffective_from = 2020-01-01\nsample = maybe\n"
        "[tier A]\nname = A\nrank = 1\n",
        /* bad date */
        "[ruleset t]\ntitle = x\nbasis = y\neffective_from = 2020-02-30\nsample = no\n"
        "[tier A]\nname = A\nrank = 1\n",
        /* two [ruleset] sections */
        "[ruleset t]\ntitle = x\nbasis = y\neffective_from = 2020-01-01\nsample = no\n"
        "[ruleset t]\ntitle = x\nbasis = y\neffective_from = 2020-01-01\nsample = no\n"
        "[tier A]\nname = A\nrank = 1\n",
        /* no tier */
        "[ruleset t]\ntitle = x\nbasis = y\neffective_from = 2020-01-01\nsample = no\n",
        /* no ruleset */
        "[tier A]\nname = A\nrank = 1\n",
        /* syntax error caught by the reader */
        "[ruleset t]\ntitle = x\nthis line has no equals sign\n",
    };
    const int lines[] = { 5, 5, 4, 6, 1, 1, 3 };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        td_ruleset *rs = NULL;
        td_err err;
        td_err_clear(&err);
        td_status s = parse_text(texts[i], &rs, &err);
        if (s != TD_EPOLICY)
            fail_msg("text %zu: expected TD_EPOLICY, got %d (%s)", i, (int)s, err.msg);
        char want[32];
        snprintf(want, sizeof want, "t.tdp:%d:", lines[i]);
        if (!strstr(err.msg, want))
            fail_msg("text %zu: expected '%s' in '%s'", i, want, err.msg);
    }
}

static void test_in_force(void **state)
{
    (void)state;
    const char *text = "[ruleset t]\ntitle = x\nbasis = y\neffective_from = 2020-01-01\n"
                       "effective_to = 2020-12-31\nsample = no\n[tier A]\nname = A\nrank = 1\n";
    td_ruleset *rs = NULL;
    td_err err;
    assert_td_ok(parse_text(text, &rs, &err), &err);
    td_date before = { 2019, 12, 31 }, first = { 2020, 1, 1 }, last = { 2020, 12, 31 },
            after = { 2021, 1, 1 };
    assert_false(td_ruleset_in_force(rs, before));
    assert_true(td_ruleset_in_force(rs, first));
    assert_true(td_ruleset_in_force(rs, last));
    assert_false(td_ruleset_in_force(rs, after));
    assert_string_equal(rs->effective_to, "2020-12-31");
    td_ruleset_free(rs);
}

static void test_cond_parse(void **state)
{
    (void)state;
    td_cond c;
    memset(&c, 0, sizeof c);
    assert_true(td_cond_parse("age <= 40", &c));
    assert_string_equal(c.input, "age");
    assert_int_equal(c.op, TD_OP_LE);
    assert_int_equal(c.num, 40);
    memset(&c, 0, sizeof c);
    assert_true(td_cond_parse("annual_salary>=wage*6", &c));
    assert_int_equal(c.op, TD_OP_GE);
    assert_int_equal(c.wage_x100, 600);
    memset(&c, 0, sizeof c);
    assert_true(td_cond_parse("annual_salary >= wage*4.5", &c));
    assert_int_equal(c.wage_x100, 450);
    memset(&c, 0, sizeof c);
    assert_true(td_cond_parse("annual_salary > wage*1.25", &c));
    assert_int_equal(c.wage_x100, 125);
    assert_int_equal(c.op, TD_OP_GT);
    memset(&c, 0, sizeof c);
    assert_true(td_cond_parse("award in nobel, fields", &c));
    assert_int_equal(c.op, TD_OP_IN);
    assert_string_equal(c.values, "nobel, fields");
    memset(&c, 0, sizeof c);
    assert_true(td_cond_parse("degree = doctorate", &c));
    assert_int_equal(c.op, TD_OP_EQ);
    memset(&c, 0, sizeof c);
    assert_true(td_cond_parse("years_in_chongqing < 5", &c));
    assert_int_equal(c.op, TD_OP_LT);
    const char *bad[] = { "", "age", "age >=", "age => 3", "age >= 3x", ">= 3", "age >= wage*",
                          "age >= wage*0", "age != 3", "award in", NULL };
    for (int i = 0; bad[i]; i++) {
        memset(&c, 0, sizeof c);
        if (td_cond_parse(bad[i], &c))
            fail_msg("'%s' accepted", bad[i]);
    }
}

static int list_cb(const td_ruleset_info *ri, void *ud)
{
    int *n = ud;
    assert_int_equal(strlen(ri->sha256), 64);
    (*n)++;
    return 0;
}

static void test_list_and_default(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    int from_files = 0, from_db = 0;
    assert_td_ok(td_rules_list(db, list_cb, &from_files, &err), &err);
    assert_true(from_files >= 2);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data", td_test_src_dir());
    assert_td_ok(td_rules_load_dir(db, dir, NULL, &err), &err);
    assert_td_ok(td_rules_list(db, list_cb, &from_db, &err), &err);
    assert_int_equal(from_db, from_files); /* each rule set once */
    char def[64];
    td_rules_default(db, def, sizeof def);
    assert_string_equal(def, "cq-recognition-sample");
    assert_td_ok(td_db_setting_set(db, "scoring.default_rules", "cn-work-permit-2017", &err), &err);
    td_rules_default(db, def, sizeof def);
    assert_string_equal(def, "cn-work-permit-2017");
    td_rules_default(NULL, def, sizeof def);
    assert_string_equal(def, "cq-recognition-sample");
    td_db_close(db);
}

static void test_wage_file_errors(void **state)
{
    (void)state;
    char *path = td_test_tmpfile(".tdp");
    td_wage w;
    td_err err;
    td_date d = { 2026, 1, 1 };
    const char *files[] = {
        "[wage a]\nregion = chongqing\nannual_yuan = 100000\neffective_from = 2020-01-01\nsample = no\n",
        "[wage a]\nregion = chongqing\nannual_yuan = lots\neffective_from = 2020-01-01\nsource = s\nsample = no\n",
        "[wage a]\nregion = chongqing\nannual_yuan = 100000\neffective_from = 2020-13-01\nsource = s\nsample = no\n",
        "[salary a]\nregion = chongqing\n",
        "[wage a]\nregion = chongqing\nannual_yuan = 1\neffective_from = 2020-01-01\nsource = s\nsample = no\nx = y\n",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        FILE *f = fopen(path, "w");
        fputs(files[i], f);
        fclose(f);
        if (td_wage_lookup(path, "chongqing", d, &w, &err) != TD_EPOLICY)
            fail_msg("wage file %zu accepted", i);
    }
    /* the latest figure in force wins */
    FILE *f = fopen(path, "w");
    fputs("[wage a]\nregion = chongqing\nannual_yuan = 100000\neffective_from = 2020-01-01\nsource = s1\nsample = no\n"
          "[wage c]\nregion = chongqing\nannual_yuan = 300000\neffective_from = 2027-01-01\nsource = s3\nsample = no\n"
          "[wage b]\nregion = chongqing\nannual_yuan = 200000\neffective_from = 2024-07-01\nsource = s2\nsample = no\n",
          f);
    fclose(f);
    assert_td_ok(td_wage_lookup(path, "chongqing", d, &w, &err), &err);
    assert_int_equal(w.annual_yuan, 200000);
    assert_string_equal(w.id, "b");
    assert_false(w.sample);
    td_date early = { 2024, 6, 30 };
    assert_td_ok(td_wage_lookup(path, "chongqing", early, &w, &err), &err);
    assert_int_equal(w.annual_yuan, 100000);
    remove(path);
    free(path);
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
        cmocka_unit_test(test_more_malformed),
        cmocka_unit_test(test_ruleset_header_errors),
        cmocka_unit_test(test_in_force),
        cmocka_unit_test(test_cond_parse),
        cmocka_unit_test(test_list_and_default),
        cmocka_unit_test(test_wage_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
