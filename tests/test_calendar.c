/* test_calendar.c — working days with the 2026 calendar (国务院办公厅,
 * 2025-11-04) loaded from data/calendar-2026.tdp: holidays, 调休 weekend
 * days, the "N-th working day strictly after" convention, years without an
 * official calendar, and consistency of add_workdays with workdays_between. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "policy/calendar.h"
#include "policy/refdata.h"

static td_db *db;
static td_calendar *cal;

static td_date D(const char *s)
{
    td_date d;
    if (!td_date_parse(s, &d))
        fail_msg("bad date in test: %s", s);
    return d;
}

static void assert_date(td_date got, const char *want)
{
    char buf[TD_DATE_LEN];
    td_date_format(got, buf);
    if (strcmp(buf, want) != 0)
        fail_msg("got %s, want %s", buf, want);
}

static int setup(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data", td_test_src_dir());
    db = td_test_db();
    td_err err;
    td_err_clear(&err);
    if (td_refdata_load(db, dir, NULL, &err) != TD_OK || td_calendar_load(db, &cal, &err) != TD_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    td_calendar_free(cal);
    td_db_close(db);
    return 0;
}

static void test_covers(void **state)
{
    (void)state;
    assert_true(td_calendar_covers(cal, 2026));
    assert_false(td_calendar_covers(cal, 2025));
    assert_false(td_calendar_covers(cal, 2027));
    assert_false(td_calendar_covers(NULL, 2026));
}

static void test_new_year(void **state)
{
    (void)state;
    /* 1–3 Jan off (Thu–Sat), Sun 4 Jan worked */
    assert_false(td_calendar_is_workday(cal, D("2026-01-01")));
    assert_false(td_calendar_is_workday(cal, D("2026-01-02")));
    assert_false(td_calendar_is_workday(cal, D("2026-01-03")));
    assert_int_equal(td_date_weekday(D("2026-01-04")), 6); /* Sunday */
    assert_true(td_calendar_is_workday(cal, D("2026-01-04")));
    assert_true(td_calendar_is_workday(cal, D("2026-01-05")));
    assert_string_equal(td_calendar_day_name(cal, D("2026-01-01")), "元旦");
    assert_string_equal(td_calendar_day_name(cal, D("2026-01-04")), "元旦");
    assert_string_equal(td_calendar_day_name(cal, D("2026-01-05")), "");
    /* 31 Dec 2025 + 1 working day: the 2026 holidays apply */
    bool ap = true;
    assert_date(td_calendar_add_workdays(cal, D("2026-01-01"), 1, &ap), "2026-01-04");
    assert_false(ap);
}

static void test_spring_festival(void **state)
{
    (void)state;
    bool ap = true;
    /* Fri 13 Feb + 1 = Sat 14 Feb (worked) */
    assert_int_equal(td_date_weekday(D("2026-02-14")), 5);
    assert_true(td_calendar_is_workday(cal, D("2026-02-14")));
    assert_date(td_calendar_add_workdays(cal, D("2026-02-13"), 1, &ap), "2026-02-14");
    assert_false(ap);
    /* Sat 14 Feb + 1 = Tue 24 Feb (15–23 off) */
    assert_date(td_calendar_add_workdays(cal, D("2026-02-14"), 1, NULL), "2026-02-24");
    for (int d = 15; d <= 23; d++) {
        char s[16];
        snprintf(s, sizeof s, "2026-02-%02d", d);
        assert_false(td_calendar_is_workday(cal, D(s)));
        assert_string_equal(td_calendar_day_name(cal, D(s)), "春节");
    }
    assert_int_equal(td_date_weekday(D("2026-02-24")), 1); /* Tuesday */
    /* Sat 28 Feb is worked; Sun 1 Mar is not */
    assert_true(td_calendar_is_workday(cal, D("2026-02-28")));
    assert_false(td_calendar_is_workday(cal, D("2026-03-01")));
    /* the header's example: 5 working days from Fri 13 Feb = Fri 27 Feb
     * (14, 24, 25, 26, 27) */
    assert_date(td_calendar_add_workdays(cal, D("2026-02-13"), 5, NULL), "2026-02-27");
    /* and 6 lands on the worked Saturday 28 Feb */
    assert_date(td_calendar_add_workdays(cal, D("2026-02-13"), 6, NULL), "2026-02-28");
    assert_date(td_calendar_add_workdays(cal, D("2026-02-13"), 7, NULL), "2026-03-02");
}

static void test_other_holidays(void **state)
{
    (void)state;
    struct {
        const char *day;
        bool work;
        const char *name;
    } v[] = {
        { "2026-04-03", true, "" },        { "2026-04-04", false, "清明节" },
        { "2026-04-06", false, "清明节" }, { "2026-04-07", true, "" },
        { "2026-05-01", false, "劳动节" }, { "2026-05-05", false, "劳动节" },
        { "2026-05-06", true, "" },        { "2026-05-09", true, "劳动节" },
        { "2026-05-10", false, "" },       { "2026-06-19", false, "端午节" },
        { "2026-06-21", false, "端午节" }, { "2026-06-22", true, "" },
        { "2026-09-20", true, "国庆节" },  { "2026-09-25", false, "中秋节" },
        { "2026-09-27", false, "中秋节" }, { "2026-09-28", true, "" },
        { "2026-10-01", false, "国庆节" }, { "2026-10-07", false, "国庆节" },
        { "2026-10-08", true, "" },        { "2026-10-10", true, "国庆节" },
        { "2026-10-11", false, "" },       { "2026-12-25", true, "" },
        { "2026-12-26", false, "" },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        if (td_calendar_is_workday(cal, D(v[i].day)) != v[i].work)
            fail_msg("%s: expected %s", v[i].day, v[i].work ? "working day" : "day off");
        assert_string_equal(td_calendar_day_name(cal, D(v[i].day)), v[i].name);
    }
}

static void test_national_day(void **state)
{
    (void)state;
    /* 30 Sep + 1 = Thu 8 Oct (1–7 Oct off) */
    assert_date(td_calendar_add_workdays(cal, D("2026-09-30"), 1, NULL), "2026-10-08");
    assert_int_equal(td_date_weekday(D("2026-10-08")), 3);
    /* Fri 9 Oct + 1 = Sat 10 Oct (worked) */
    assert_date(td_calendar_add_workdays(cal, D("2026-10-09"), 1, NULL), "2026-10-10");
    /* Sat 19 Sep + 1 = Sun 20 Sep (worked) */
    assert_date(td_calendar_add_workdays(cal, D("2026-09-19"), 1, NULL), "2026-09-20");
    /* Thu 24 Sep + 1 = Mon 28 Sep (中秋 25–27) */
    assert_date(td_calendar_add_workdays(cal, D("2026-09-24"), 1, NULL), "2026-09-28");
    /* the start day is never counted, even when it is a working day */
    assert_date(td_calendar_add_workdays(cal, D("2026-10-08"), 1, NULL), "2026-10-09");
}

static void test_zero_and_start_on_holiday(void **state)
{
    (void)state;
    bool ap = true;
    assert_date(td_calendar_add_workdays(cal, D("2026-02-16"), 0, &ap), "2026-02-16");
    assert_false(ap);
    /* accepted during the holiday (e.g. online): counting starts after it */
    assert_date(td_calendar_add_workdays(cal, D("2026-02-16"), 1, NULL), "2026-02-24");
    assert_date(td_calendar_add_workdays(cal, D("2026-02-16"), 3, NULL), "2026-02-26");
}

static void test_uncovered_years(void **state)
{
    (void)state;
    bool ap = false;
    /* 2027: plain Monday–Friday rule, flagged approximate */
    assert_date(td_calendar_add_workdays(cal, D("2027-01-01"), 1, &ap), "2027-01-04"); /* Fri → Mon */
    assert_true(ap);
    assert_true(td_calendar_is_workday(cal, D("2027-01-01"))); /* no official calendar yet */
    assert_false(td_calendar_is_workday(cal, D("2027-01-02")));
    /* crossing from 2026 into 2027 */
    ap = false;
    assert_date(td_calendar_add_workdays(cal, D("2026-12-30"), 2, &ap), "2027-01-01");
    assert_true(ap);
    /* staying in 2026 at the end of the year */
    ap = true;
    assert_date(td_calendar_add_workdays(cal, D("2026-12-29"), 2, &ap), "2026-12-31");
    assert_false(ap);
    /* 2025 */
    ap = false;
    td_calendar_add_workdays(cal, D("2025-06-01"), 3, &ap);
    assert_true(ap);
}

static void test_between(void **state)
{
    (void)state;
    assert_int_equal(td_calendar_workdays_between(cal, D("2026-02-13"), D("2026-02-27")), 5);
    assert_int_equal(td_calendar_workdays_between(cal, D("2026-02-13"), D("2026-02-13")), 0);
    assert_int_equal(td_calendar_workdays_between(cal, D("2026-02-27"), D("2026-02-13")), 0);
    assert_int_equal(td_calendar_workdays_between(cal, D("2026-02-14"), D("2026-02-23")), 0);
    assert_int_equal(td_calendar_workdays_between(cal, D("2026-09-30"), D("2026-10-10")), 3); /* 8, 9, 10 */
    /* the whole of 2026: 365 days − 104 weekend days − 33 holidays
     * + holidays on weekends (Sat 3 Jan; Feb 15, 21, 22; Apr 4, 5; May 2, 3;
     *   Jun 20, 21; Sep 26, 27; Oct 3, 4) + 6 worked weekend days */
    int weekend_holidays = 0, holidays = 0, worked = 0, weekend = 0;
    for (int32_t d = td_date_to_days(D("2026-01-01")); d <= td_date_to_days(D("2026-12-31")); d++) {
        td_date x = td_date_from_days(d);
        bool we = td_date_weekday(x) >= 5;
        bool named = td_calendar_day_name(cal, x)[0] != '\0';
        bool work = td_calendar_is_workday(cal, x);
        weekend += we;
        holidays += named && !work;
        weekend_holidays += named && !work && we;
        worked += named && work;
    }
    assert_int_equal(weekend, 104);
    assert_int_equal(holidays, 33);
    assert_int_equal(worked, 6);
    assert_int_equal(weekend_holidays, 14);
    int expect = 365 - 104 - 33 + 14 + 6; /* 248 */
    assert_int_equal(expect, 248);
    assert_int_equal(td_calendar_workdays_between(cal, D("2025-12-31"), D("2026-12-31")), expect);
}

/* Property: for every start day of 2026 and n in 0..40, the result r of
 * add_workdays is a working day (n > 0), between(start, r) == n, and the day
 * before r leaves exactly n − 1 working days. */
static void test_property_add_between(void **state)
{
    (void)state;
    int32_t first = td_date_to_days(D("2026-01-01")), last = td_date_to_days(D("2026-12-31"));
    for (int32_t s = first; s <= last; s++) {
        td_date start = td_date_from_days(s);
        for (int n = 0; n <= 40; n++) {
            td_date r = td_calendar_add_workdays(cal, start, n, NULL);
            int between = td_calendar_workdays_between(cal, start, r);
            if (between != n)
                fail_msg("start %d-%02d-%02d n=%d: between=%d", start.y, start.m, start.d, n, between);
            if (n > 0) {
                assert_true(td_calendar_is_workday(cal, r));
                td_date prev = td_date_from_days(td_date_to_days(r) - 1);
                assert_int_equal(td_calendar_workdays_between(cal, start, prev), n - 1);
            } else {
                assert_int_equal(td_date_cmp(r, start), 0);
            }
        }
    }
}

/* Property: between is additive — (a, c] = (a, b] + (b, c] for a ≤ b ≤ c. */
static void test_property_additive(void **state)
{
    (void)state;
    int32_t base = td_date_to_days(D("2025-12-01"));
    unsigned seed = 12345;
    for (int i = 0; i < 2000; i++) {
        seed = seed * 1103515245u + 12345u;
        int32_t a = base + (int32_t)(seed % 500);
        seed = seed * 1103515245u + 12345u;
        int32_t b = a + (int32_t)(seed % 120);
        seed = seed * 1103515245u + 12345u;
        int32_t c = b + (int32_t)(seed % 120);
        td_date A = td_date_from_days(a), B = td_date_from_days(b), C = td_date_from_days(c);
        assert_int_equal(td_calendar_workdays_between(cal, A, C),
                         td_calendar_workdays_between(cal, A, B) + td_calendar_workdays_between(cal, B, C));
    }
}

/* Property: the fast count equals counting day by day, over random ranges
 * from 2024 to 2028 (uncovered years on both sides of 2026). */
static void test_property_between_bruteforce(void **state)
{
    (void)state;
    int32_t base = td_date_to_days(D("2024-01-01"));
    unsigned seed = 777;
    for (int i = 0; i < 3000; i++) {
        seed = seed * 1103515245u + 12345u;
        int32_t a = base + (int32_t)((seed >> 4) % 1800);
        seed = seed * 1103515245u + 12345u;
        int32_t b = a + (int32_t)((seed >> 4) % 400) - 20; /* sometimes b < a */
        int slow = 0;
        for (int32_t d = a + 1; d <= b; d++)
            slow += td_calendar_is_workday(cal, td_date_from_days(d));
        int fast = td_calendar_workdays_between(cal, td_date_from_days(a), td_date_from_days(b));
        if (fast != slow)
            fail_msg("(%d, %d]: fast %d, day by day %d", (int)a, (int)b, fast, slow);
    }
    /* a long span: 2000-01-01 .. 2099-12-31 without a calendar is 5/7 of the days,
     * within one week's rounding */
    int n = td_calendar_workdays_between(cal, D("1999-12-31"), D("2099-12-31"));
    int days = td_date_to_days(D("2099-12-31")) - td_date_to_days(D("1999-12-31"));
    assert_true(n > days * 5 / 7 - 40 && n < days * 5 / 7 + 40);
}

static void test_empty_calendar(void **state)
{
    (void)state;
    /* a database with no calendar loaded: the plain rule, always approximate */
    td_db *empty = td_test_db();
    td_calendar *c = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_calendar_load(empty, &c, &err), &err);
    assert_false(td_calendar_covers(c, 2026));
    assert_true(td_calendar_is_workday(c, D("2026-01-01"))); /* Thursday */
    assert_false(td_calendar_is_workday(c, D("2026-01-03")));
    bool ap = false;
    assert_date(td_calendar_add_workdays(c, D("2026-02-13"), 5, &ap), "2026-02-20");
    assert_true(ap);
    assert_string_equal(td_calendar_day_name(c, D("2026-01-01")), "");
    assert_int_equal(td_calendar_workdays_between(c, D("2026-02-13"), D("2026-02-20")), 5);
    td_calendar_free(c);
    td_calendar_free(NULL);
    td_db_close(empty);
}

static void test_soft_deleted_days_ignored(void **state)
{
    (void)state;
    td_db *d2 = td_test_db();
    td_err err;
    td_err_clear(&err);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data", td_test_src_dir());
    assert_td_ok(td_refdata_load(d2, dir, NULL, &err), &err);
    assert_td_ok(td_db_exec(d2, "UPDATE calendar_days SET deleted_at = '2026-01-01T00:00:00.000Z' "
                                "WHERE id = '2026-01-04'",
                            &err),
                 &err);
    td_calendar *c = NULL;
    assert_td_ok(td_calendar_load(d2, &c, &err), &err);
    assert_false(td_calendar_is_workday(c, D("2026-01-04")));
    assert_false(td_calendar_is_workday(c, D("2026-01-01")));
    td_calendar_free(c);
    td_db_close(d2);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_covers),
        cmocka_unit_test(test_new_year),
        cmocka_unit_test(test_spring_festival),
        cmocka_unit_test(test_other_holidays),
        cmocka_unit_test(test_national_day),
        cmocka_unit_test(test_zero_and_start_on_holiday),
        cmocka_unit_test(test_uncovered_years),
        cmocka_unit_test(test_between),
        cmocka_unit_test(test_property_add_between),
        cmocka_unit_test(test_property_additive),
        cmocka_unit_test(test_property_between_bruteforce),
        cmocka_unit_test(test_empty_calendar),
        cmocka_unit_test(test_soft_deleted_days_ignored),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
