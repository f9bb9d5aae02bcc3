/* test_timeutil.c — dates as clerks type them, day arithmetic, pinned "now". */
#include "test_util.h"
#include "base/timeutil.h"

#include <stdlib.h>
#include <string.h>

static void parse_forms(void **state)
{
    (void)state;
    td_date d;
    assert_true(td_date_parse("20260315", &d));
    assert_int_equal(d.y, 2026);
    assert_int_equal(d.m, 3);
    assert_int_equal(d.d, 15);
    assert_true(td_date_parse("2026-03-15", &d));
    assert_int_equal(d.d, 15);
    assert_true(td_date_parse("2026/03/15", &d));
    assert_true(td_date_parse(" 2026-03-15 ", &d));
    /* full-width digits typed through an input method */
    assert_true(td_date_parse("２０２６－０３－１５", &d));
    assert_int_equal(d.m, 3);
    assert_true(td_date_parse("２０２６０３１５", &d));
}

static void parse_rejects(void **state)
{
    (void)state;
    td_date d = { 1, 2, 3 };
    assert_false(td_date_parse("20260230", &d)); /* 30 Feb */
    assert_false(td_date_parse("2025-02-29", &d)); /* not a leap year */
    assert_false(td_date_parse("2026-13-01", &d));
    assert_false(td_date_parse("2026-00-10", &d));
    assert_false(td_date_parse("2026-1-1x", &d));
    assert_false(td_date_parse("", &d));
    assert_false(td_date_parse(NULL, &d));
    assert_false(td_date_parse("202603150", &d));
    assert_false(td_date_parse("abcdefgh", &d));
    assert_int_equal(d.y, 1); /* untouched on failure */
    assert_true(td_date_parse("2024-02-29", &d)); /* leap year */
    assert_true(td_date_parse("2000-02-29", &d)); /* 400-year rule */
    assert_false(td_date_parse("1900-02-29", &d)); /* 100-year rule */
}

static void days_roundtrip(void **state)
{
    (void)state;
    td_date epoch = { 1970, 1, 1 };
    assert_int_equal(td_date_to_days(epoch), 0);
    td_date d = { 2026, 2, 14 };
    int32_t n = td_date_to_days(d);
    td_date back = td_date_from_days(n);
    assert_int_equal(back.y, 2026);
    assert_int_equal(back.m, 2);
    assert_int_equal(back.d, 14);
    /* every day of 1900..2100 round-trips and consecutive days differ by 1 */
    td_date prev = { 1900, 1, 1 };
    int32_t pn = td_date_to_days(prev);
    for (int32_t k = pn + 1; k < pn + 73000; k++) {
        td_date x = td_date_from_days(k);
        assert_true(td_date_valid(x.y, x.m, x.d));
        assert_int_equal(td_date_to_days(x), k);
        assert_true(td_date_cmp(prev, x) < 0);
        prev = x;
    }
}

static void weekdays(void **state)
{
    (void)state;
    td_date sat = { 2026, 2, 14 }, sun = { 2026, 1, 4 }, mon = { 2026, 11, 23 };
    assert_int_equal(td_date_weekday(sat), 5);
    assert_int_equal(td_date_weekday(sun), 6);
    assert_int_equal(td_date_weekday(mon), 0);
}

static void ages(void **state)
{
    (void)state;
    td_date b = { 1990, 6, 15 };
    td_date on1 = { 2026, 6, 14 }, on2 = { 2026, 6, 15 };
    assert_int_equal(td_age_on(b, on1), 35);
    assert_int_equal(td_age_on(b, on2), 36);
}

static void pinned_now(void **state)
{
    (void)state;
    setenv("TALENTDESK_NOW", "2026-03-15T23:30:00Z", 1);
    char ts[TD_TS_LEN];
    td_now_utc(ts);
    assert_string_equal(ts, "2026-03-15T23:30:00.000Z");
    td_date t = td_today(); /* 07:30 on the 16th in China */
    assert_int_equal(t.d, 16);
    setenv("TALENTDESK_NOW", "2026-10-10", 1);
    t = td_today();
    assert_int_equal(t.m, 10);
    assert_int_equal(t.d, 10);
    unsetenv("TALENTDESK_NOW");
    td_now_utc(ts);
    assert_int_equal(strlen(ts), 24);
    assert_int_equal(ts[23], 'Z');
}

static void format(void **state)
{
    (void)state;
    char out[TD_DATE_LEN];
    td_date d = { 2026, 1, 4 };
    td_date_format(d, out);
    assert_string_equal(out, "2026-01-04");
}

/* Times shown to clerks: China time when TZ is unset or empty (the
 * header's date is China's), the zone TZ names otherwise. */
static void local_times(void **state)
{
    (void)state;
    char out[32];
    unsetenv("TZ");
    tzset();
    td_ts_local("2026-12-03T20:18:05.123Z", out, sizeof out);
    assert_string_equal(out, "2026-12-04 04:18");
    setenv("TZ", "", 1);
    tzset();
    td_ts_local("2026-12-31T16:00:00.000Z", out, sizeof out);
    assert_string_equal(out, "2027-01-01 00:00");
    setenv("TZ", "UTC0", 1);
    tzset();
    td_ts_local("2026-12-03T20:18:05.123Z", out, sizeof out);
    assert_string_equal(out, "2026-12-03 20:18");
    setenv("TZ", "GMT0BST,M3.5.0/1,M10.5.0", 1); /* London, as a POSIX rule (no tzdata needed) */
    tzset();
    td_ts_local("2026-07-01T12:00:00Z", out, sizeof out);
    assert_string_equal(out, "2026-07-01 13:00");
    td_ts_local("not a time", out, sizeof out);
    assert_string_equal(out, "not a time");
    unsetenv("TZ");
    tzset();
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_forms), cmocka_unit_test(parse_rejects), cmocka_unit_test(days_roundtrip),
        cmocka_unit_test(weekdays),    cmocka_unit_test(ages),          cmocka_unit_test(pinned_now),
        cmocka_unit_test(format), cmocka_unit_test(local_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
