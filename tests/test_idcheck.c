/* test_idcheck.c — identity document numbers (src/people/idcheck.h).
 *
 * Vectors from ../shared/docs/pitfalls.md "Identity numbers" (GB 11643-1999
 * examples) and ICAO 9303 specimens, plus generated numbers: valid resident
 * IDs are built by computing the check character independently here, so the
 * tests do not trust td_id_check_char to test itself.
 *
 * "Today" is pinned to 2026-03-15 (TALENTDESK_NOW) for the whole binary.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "base/i18n.h"
#include "people/idcheck.h"

/* ---- helpers --------------------------------------------------------------- */

/* Reference MOD 11-2 implementation, written from the standard's definition
 * (weights 2^(17-i) mod 11) rather than from the table used in the code. */
static char ref_check(const char *first17)
{
    int s = 0;
    for (int i = 0; i < 17; i++) {
        int w = 1;
        for (int k = 0; k < 17 - i; k++)
            w = (w * 2) % 11;
        s += (first17[i] - '0') * w;
    }
    int v = (12 - s % 11) % 11; /* value that makes the total ≡ 1 (mod 11) */
    return v == 10 ? 'X' : (char)('0' + v);
}

/* Builds a valid 18-character number from area (6 digits), date and seq. */
static void make_id(char out[19], const char *area, int y, int m, int d, int seq)
{
    snprintf(out, 19, "%.6s%04d%02d%02d%03d", area, y, m, d, seq);
    out[17] = ref_check(out);
    out[18] = '\0';
}

static bool valid_utf8_no_controls(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x20 || *p == 0x7F)
            return false;
        int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0)
            return false;
        for (int i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

/* Fails the test, naming the caller's line. */
#define fail_at(file, line, ...)                                                                   \
    do {                                                                                           \
        print_error("%s:%d: ", file, line);                                                        \
        fail_msg(__VA_ARGS__);                                                                     \
    } while (0)

/* Asserts that validation of input as type fails with TD_EINVALID and that
 * the message contains want (when not NULL). */
#define expect_bad(type, input, want) expect_bad_at(type, input, want, __FILE__, __LINE__)
static void expect_bad_at(td_id_type type, const char *input, const char *want, const char *file, int line)
{
    char norm[TD_IDNO_LEN];
    td_err err;
    td_err_clear(&err);
    memset(norm, 'Z', sizeof norm);
    td_status s = td_id_validate(type, input, norm, &err);
    if (s != TD_EINVALID)
        fail_at(file, line, "%s accepted as %s (status %d, norm %s)", input ? input : "(null)",
                     td_id_type_code(type), (int)s, norm);
    if (err.code != TD_EINVALID)
        fail_at(file, line, "err.code %d", (int)err.code);
    if (err.msg[0] == '\0')
        fail_at(file, line, "empty message for %s", input);
    if (memchr(norm, '\0', sizeof norm) == NULL)
        fail_at(file, line, "norm not terminated");
    if (want && !strstr(err.msg, want))
        fail_at(file, line, "message for '%s' is '%s', wanted '%s'", input ? input : "(null)", err.msg,
                     want);
}

#define expect_ok(type, input, want_norm) expect_ok_at(type, input, want_norm, __FILE__, __LINE__)
static void expect_ok_at(td_id_type type, const char *input, const char *want_norm, const char *file, int line)
{
    char norm[TD_IDNO_LEN];
    td_err err;
    td_err_clear(&err);
    td_status s = td_id_validate(type, input, norm, &err);
    if (s != TD_OK)
        fail_at(file, line, "'%s' rejected as %s: %s", input, td_id_type_code(type), err.msg);
    if (want_norm && strcmp(norm, want_norm) != 0)
        fail_at(file, line, "'%s' normalised to '%s', wanted '%s'", input, norm, want_norm);
}

/* td_id_resident with the results. */
static td_status resident(const char *input, char norm[TD_IDNO_LEN], td_date *birth, bool *male, td_err *err)
{
    td_err_clear(err);
    return td_id_resident(input, norm, birth, male, err);
}

/* ---- check character ----------------------------------------------------- */

static void test_check_char_vectors(void **state)
{
    (void)state;
    assert_int_equal(td_id_check_char("11010519491231002"), 'X');
    assert_int_equal(td_id_check_char("44052418800101001"), '4');
    assert_int_equal(td_id_check_char("13050319670401001"), '6');
    assert_int_equal(td_id_check_char("11010519490230002"), '0');
    /* the 18th character, when present, is ignored */
    assert_int_equal(td_id_check_char("11010519491231002X"), 'X');
    assert_int_equal(td_id_check_char("110105194912310021"), 'X');
}

static void test_check_char_rejects_non_digits(void **state)
{
    (void)state;
    assert_int_equal(td_id_check_char(NULL), '\0');
    assert_int_equal(td_id_check_char(""), '\0');
    assert_int_equal(td_id_check_char("1101051949123100"), '\0'); /* 16 */
    assert_int_equal(td_id_check_char("1101051949123100X"), '\0');
    assert_int_equal(td_id_check_char("11010519491231 02"), '\0');
    assert_int_equal(td_id_check_char("A1010519491231002"), '\0');
}

static void test_check_char_matches_reference(void **state)
{
    (void)state;
    /* Many pseudo-random 17-digit bodies: every value 0..10 must appear. */
    uint32_t x = 12345;
    bool seen[11] = { false };
    for (int n = 0; n < 5000; n++) {
        char b[18];
        for (int i = 0; i < 17; i++) {
            x = x * 1103515245u + 12345u;
            b[i] = (char)('0' + (x >> 16) % 10);
        }
        b[17] = '\0';
        char c = td_id_check_char(b);
        assert_int_equal(c, ref_check(b));
        seen[c == 'X' ? 10 : c - '0'] = true;
    }
    for (int i = 0; i < 11; i++)
        assert_true(seen[i]);
}

/* ---- resident ID: pitfalls.md vectors -------------------------------------- */

static void test_resident_standard_example(void **state)
{
    (void)state;
    char norm[TD_IDNO_LEN];
    td_date b = { 0, 0, 0 };
    bool male = true;
    td_err err;
    assert_td_ok(resident("11010519491231002X", norm, &b, &male, &err), &err);
    assert_string_equal(norm, "11010519491231002X");
    assert_int_equal(b.y, 1949);
    assert_int_equal(b.m, 12);
    assert_int_equal(b.d, 31);
    assert_false(male); /* sequence 002: even = female */
    expect_ok(TD_ID_RESIDENT, "11010519491231002X", "11010519491231002X");
}

static void test_resident_1880_example(void **state)
{
    (void)state;
    char norm[TD_IDNO_LEN];
    td_date b = { 0, 0, 0 };
    bool male = false;
    td_err err;
    assert_td_ok(resident("440524188001010014", norm, &b, &male, &err), &err);
    assert_string_equal(norm, "440524188001010014");
    assert_int_equal(b.y, 1880);
    assert_int_equal(b.m, 1);
    assert_int_equal(b.d, 1);
    assert_true(male); /* sequence 001 */
    expect_ok(TD_ID_RESIDENT, "440524188001010014", NULL);
}

static void test_resident_bad_check_names_correct_char(void **state)
{
    (void)state;
    expect_bad(TD_ID_RESIDENT, "110105194912310021", "校验位错误");
    expect_bad(TD_ID_RESIDENT, "110105194912310021", "最后一位应为 X");
    expect_bad(TD_ID_RESIDENT, "440524188001010015", "最后一位应为 4");
    expect_bad(TD_ID_RESIDENT, "44052418800101001X", "最后一位应为 4");
    char norm[TD_IDNO_LEN];
    td_err err;
    assert_int_equal(resident("110105194912310021", norm, NULL, NULL, &err), TD_EINVALID);
    assert_string_equal(norm, "110105194912310021"); /* the attempt, not a corrected number */
    assert_non_null(strstr(err.msg, "身份证号码校验位错误：最后一位应为 X"));
}

static void test_resident_bad_date_30_feb(void **state)
{
    (void)state;
    expect_bad(TD_ID_RESIDENT, "110105194902300025", "出生日期 1949-02-30 不存在");
    char norm[TD_IDNO_LEN];
    td_err err;
    assert_int_equal(resident("110105194902300025", norm, NULL, NULL, &err), TD_EINVALID);
    assert_int_equal(err.code, TD_EINVALID);
}

static void test_resident_15_digit_upgrade(void **state)
{
    (void)state;
    char norm[TD_IDNO_LEN];
    td_date b = { 0, 0, 0 };
    bool male = false;
    td_err err;
    assert_td_ok(resident("130503670401001", norm, &b, &male, &err), &err);
    assert_string_equal(norm, "130503196704010016");
    assert_int_equal(b.y, 1967);
    assert_int_equal(b.m, 4);
    assert_int_equal(b.d, 1);
    assert_true(male);
    expect_ok(TD_ID_RESIDENT, "130503670401001", "130503196704010016");
    expect_ok(TD_ID_RESIDENT, " 130503 670401 001 ", "130503196704010016");
    expect_ok(TD_ID_RESIDENT, "１３０５０３６７０４０１００１", "130503196704010016");
}

static void test_resident_15_digit_errors(void **state)
{
    (void)state;
    expect_bad(TD_ID_RESIDENT, "130503670230001", "出生日期 1967-02-30 不存在");
    expect_bad(TD_ID_RESIDENT, "130503671301001", "出生日期 1967-13-01 不存在");
    expect_bad(TD_ID_RESIDENT, "13050367040100X", "第 15 位应为数字");
    expect_bad(TD_ID_RESIDENT, "1305036704A1001", "第 11 位应为数字");
    expect_bad(TD_ID_RESIDENT, "000503670401001", "前两位 00");
    expect_bad(TD_ID_RESIDENT, "990503670401001", "前两位 99");
    /* 1900 is not a leap year; 1904 is */
    expect_bad(TD_ID_RESIDENT, "500101000229001", "1900-02-29 不存在");
    expect_ok(TD_ID_RESIDENT, "500101040229001", NULL);
    /* the old format has no check character: any sequence is fine */
    for (int seq = 0; seq < 1000; seq += 7) {
        char in[16];
        snprintf(in, sizeof in, "500101850615%03d", seq);
        char norm[TD_IDNO_LEN];
        bool male = false;
        td_err err;
        assert_td_ok(resident(in, norm, NULL, &male, &err), &err);
        char want[19];
        make_id(want, "500101", 1985, 6, 15, seq);
        assert_string_equal(norm, want);
        assert_int_equal(male, seq % 2 == 1);
    }
}

/* ---- resident ID: normalisation ------------------------------------------ */

static void test_resident_lowercase_x(void **state)
{
    (void)state;
    expect_ok(TD_ID_RESIDENT, "11010519491231002x", "11010519491231002X");
    char norm[TD_IDNO_LEN];
    td_err err;
    assert_td_ok(resident("11010519491231002x", norm, NULL, NULL, &err), &err);
    assert_string_equal(norm, "11010519491231002X");
}

static void test_resident_fullwidth(void **state)
{
    (void)state;
    expect_ok(TD_ID_RESIDENT, "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X");
    expect_ok(TD_ID_RESIDENT, "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X");
    /* mixed half- and full-width, as an input method switching mid-way */
    expect_ok(TD_ID_RESIDENT, "110105１９４９1231００2X", "11010519491231002X");
    expect_ok(TD_ID_RESIDENT, "４４０５２４１８８００１０１００１４", "440524188001010014");
    /* full-width but wrong: the message still names the check character */
    expect_bad(TD_ID_RESIDENT, "１１０１０５１９４９１２３１００２１", "最后一位应为 X");
}

static void test_resident_spaces(void **state)
{
    (void)state;
    expect_ok(TD_ID_RESIDENT, "  11010519491231002X  ", "11010519491231002X");
    expect_ok(TD_ID_RESIDENT, "110105 19491231 002X", "11010519491231002X");
    expect_ok(TD_ID_RESIDENT, "\t110105 1949 1231 002X\n", "11010519491231002X");
    expect_ok(TD_ID_RESIDENT, "\xE3\x80\x80" "11010519491231002X" "\xE3\x80\x80", "11010519491231002X");
    expect_ok(TD_ID_RESIDENT, "\xC2\xA0" "11010519491231002X", "11010519491231002X");
    expect_ok(TD_ID_RESIDENT, "\xEF\xBB\xBF" "11010519491231002X", "11010519491231002X"); /* BOM */
    expect_ok(TD_ID_RESIDENT, "1101051949\xE2\x80\x8B" "1231002X", "11010519491231002X");  /* ZWSP */
}

static void test_resident_empty(void **state)
{
    (void)state;
    expect_bad(TD_ID_RESIDENT, "", "未填写身份证号码");
    expect_bad(TD_ID_RESIDENT, NULL, "未填写身份证号码");
    expect_bad(TD_ID_RESIDENT, "    ", "未填写身份证号码");
    expect_bad(TD_ID_RESIDENT, "\xE3\x80\x80\t", "未填写身份证号码");
    char norm[TD_IDNO_LEN];
    td_err err;
    assert_int_equal(resident(NULL, norm, NULL, NULL, &err), TD_EINVALID);
    assert_string_equal(norm, "");
}

static void test_resident_wrong_length_messages(void **state)
{
    (void)state;
    expect_bad(TD_ID_RESIDENT, "11010519491231002", "身份证号码应为 18 位（或 15 位旧号码），实际 17 位");
    expect_bad(TD_ID_RESIDENT, "11010519491231002X1", "实际 19 位");
    expect_bad(TD_ID_RESIDENT, "1101051949123", "实际 13 位");
    expect_bad(TD_ID_RESIDENT, "1", "实际 1 位");
    expect_bad(TD_ID_RESIDENT, "1305036704010", "实际 13 位");
    expect_bad(TD_ID_RESIDENT, "1305036704010011", "实际 16 位");
    expect_bad(TD_ID_RESIDENT, "１１０１０５１９４９１２３１００２", "实际 17 位"); /* counts characters, not bytes */
    expect_bad(TD_ID_RESIDENT, "张三", "实际 2 位");
}

static void test_resident_bad_characters(void **state)
{
    (void)state;
    expect_bad(TD_ID_RESIDENT, "1101A519491231002X", "身份证号码第 5 位应为数字");
    expect_bad(TD_ID_RESIDENT, "X10105194912310020", "第 1 位应为数字");
    expect_bad(TD_ID_RESIDENT, "1101051949123100X2", "第 17 位应为数字");
    expect_bad(TD_ID_RESIDENT, "11010519491231002Y", "最后一位应为数字或 X");
    expect_bad(TD_ID_RESIDENT, "11010519491231002-", "最后一位应为数字或 X");
    expect_bad(TD_ID_RESIDENT, "110105-9491231002X", "第 7 位应为数字");
    expect_bad(TD_ID_RESIDENT, "110105年9491231002X", "第 7 位应为数字");
    expect_bad(TD_ID_RESIDENT, "11010519491231002\x01", NULL);
    expect_bad(TD_ID_RESIDENT, "1101051949123100\xFF" "X", "第 17 位应为数字"); /* invalid UTF-8 */
    expect_bad(TD_ID_RESIDENT, "11010519491231002×", "最后一位应为数字或 X");    /* multiplication sign */
}

static void test_resident_norm_holds_attempt(void **state)
{
    (void)state;
    char norm[TD_IDNO_LEN];
    td_err err;
    assert_int_equal(resident(" １１０１０５ 1949 1231 002ｙ", norm, NULL, NULL, &err), TD_EINVALID);
    assert_string_equal(norm, "11010519491231002Y");
    assert_int_equal(resident("1101051949\x01" "1231002X", norm, NULL, NULL, &err), TD_EINVALID);
    assert_string_equal(norm, "1101051949?1231002X");
    assert_true(valid_utf8_no_controls(norm));
    assert_int_equal(resident("身份证", norm, NULL, NULL, &err), TD_EINVALID);
    assert_string_equal(norm, "身份证");
}

static void test_resident_very_long_input(void **state)
{
    (void)state;
    char big[4001];
    for (int i = 0; i < 4000; i++)
        big[i] = (char)('0' + i % 10);
    big[4000] = '\0';
    expect_bad(TD_ID_RESIDENT, big, "实际 4000 位");
    char norm[TD_IDNO_LEN];
    td_err err;
    assert_int_equal(resident(big, norm, NULL, NULL, &err), TD_EINVALID);
    assert_int_equal(strlen(norm), TD_IDNO_LEN - 1);
    assert_memory_equal(norm, big, TD_IDNO_LEN - 1);

    /* 1000 Chinese characters (3 bytes each): norm is cut on a boundary */
    char *cjk = malloc(3001);
    assert_non_null(cjk);
    for (int i = 0; i < 1000; i++)
        memcpy(cjk + 3 * i, "号", 3);
    cjk[3000] = '\0';
    assert_int_equal(resident(cjk, norm, NULL, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "实际 1000 位"));
    assert_true(strlen(norm) < TD_IDNO_LEN);
    assert_int_equal(strlen(norm) % 3, 0);
    assert_true(valid_utf8_no_controls(norm));
    for (td_id_type t = 0; t < TD_ID_COUNT; t++)
        expect_bad(t, cjk, NULL);
    assert_int_equal(td_phone_validate(cjk, norm, &err), TD_EINVALID);
    free(cjk);
}

/* ---- resident ID: dates --------------------------------------------------- */

static void test_resident_dates_exist(void **state)
{
    (void)state;
    char id[19];
    static const struct {
        int y, m, d;
        bool ok;
    } cases[] = {
        { 2000, 2, 29, true },  { 2004, 2, 29, true },  { 1996, 2, 29, true },  { 1900, 2, 29, false },
        { 2001, 2, 29, false }, { 2023, 2, 29, false }, { 1999, 4, 31, false }, { 1999, 6, 31, false },
        { 1999, 9, 31, false }, { 1999, 11, 31, false }, { 1999, 12, 31, true }, { 1999, 1, 31, true },
        { 1999, 0, 10, false }, { 1999, 13, 10, false }, { 1999, 5, 0, false },  { 1999, 5, 32, false },
        { 1999, 99, 99, false }, { 1800, 1, 1, true },  { 1900, 1, 1, true },   { 1970, 1, 1, true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        make_id(id, "500103", cases[i].y, cases[i].m, cases[i].d, 123);
        if (cases[i].ok) {
            expect_ok(TD_ID_RESIDENT, id, id);
        } else {
            char want[64];
            snprintf(want, sizeof want, "出生日期 %04d-%02d-%02d 不存在", cases[i].y, cases[i].m, cases[i].d);
            expect_bad(TD_ID_RESIDENT, id, want);
        }
    }
}

static void test_resident_date_not_in_future(void **state)
{
    (void)state;
    char id[19];
    make_id(id, "500103", 2026, 3, 15, 1); /* today: a newborn */
    expect_ok(TD_ID_RESIDENT, id, id);
    make_id(id, "500103", 2026, 3, 14, 1);
    expect_ok(TD_ID_RESIDENT, id, id);
    make_id(id, "500103", 2026, 3, 16, 1);
    expect_bad(TD_ID_RESIDENT, id, "出生日期 2026-03-16 晚于今天");
    make_id(id, "500103", 2027, 1, 1, 1);
    expect_bad(TD_ID_RESIDENT, id, "晚于今天");
    make_id(id, "500103", 2099, 12, 31, 1);
    expect_bad(TD_ID_RESIDENT, id, "晚于今天");
    make_id(id, "500103", 9999, 12, 31, 1);
    expect_bad(TD_ID_RESIDENT, id, "晚于今天");
    /* a future date that does not exist is reported as not existing */
    make_id(id, "500103", 2027, 2, 29, 1);
    expect_bad(TD_ID_RESIDENT, id, "2027-02-29 不存在");
}

static void test_resident_date_too_early(void **state)
{
    (void)state;
    char id[19];
    make_id(id, "500103", 1799, 12, 31, 1);
    expect_bad(TD_ID_RESIDENT, id, "出生年份 1799 过早");
    make_id(id, "500103", 1000, 1, 1, 1);
    expect_bad(TD_ID_RESIDENT, id, "出生年份 1000 过早");
    make_id(id, "500103", 0, 1, 1, 1);
    expect_bad(TD_ID_RESIDENT, id, "出生年份 0 过早");
    make_id(id, "500103", 1800, 1, 1, 1);
    expect_ok(TD_ID_RESIDENT, id, id);
}

static void test_resident_generated_dates(void **state)
{
    (void)state;
    /* Every 3rd day from 1900-01-01 to 2026-03-15, with a rolling sequence. */
    int32_t from = td_date_to_days((td_date){ 1900, 1, 1 });
    int32_t to = td_date_to_days((td_date){ 2026, 3, 15 });
    int n = 0;
    for (int32_t day = from; day <= to; day += 3, n++) {
        td_date d = td_date_from_days(day);
        char id[19], norm[TD_IDNO_LEN];
        make_id(id, "500112", d.y, d.m, d.d, n % 1000);
        td_date b;
        bool male;
        td_err err;
        assert_td_ok(resident(id, norm, &b, &male, &err), &err);
        assert_string_equal(norm, id);
        assert_int_equal(td_date_cmp(b, d), 0);
        assert_int_equal(male, (n % 1000) % 2 == 1);
    }
    assert_true(n > 15000);
}

static void test_resident_generated_areas(void **state)
{
    (void)state;
    static const char *areas[] = {
        "110101", "120101", "130102", "140105", "150102", "210102", "220102", "230102", "310101",
        "320102", "330102", "340102", "350102", "360102", "370102", "410102", "420102", "430102",
        "440103", "450102", "460105", "500101", "500103", "500112", "500235", "510104", "520102",
        "530102", "540102", "610102", "620102", "630102", "640104", "650102", "710000",
    };
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
        for (int seq = 0; seq < 1000; seq += 37) {
            char id[19];
            make_id(id, areas[i], 1960 + (int)i, 1 + seq % 12, 1 + seq % 28, seq);
            expect_ok(TD_ID_RESIDENT, id, id);
            char norm[TD_IDNO_LEN];
            td_err err;
            assert_td_ok(resident(id, norm, NULL, NULL, &err), &err);
        }
    }
}

static void test_resident_every_sequence_gender(void **state)
{
    (void)state;
    for (int seq = 0; seq < 1000; seq++) {
        char id[19], norm[TD_IDNO_LEN];
        make_id(id, "500105", 1990, 7, 1, seq);
        bool male = seq % 2 == 0; /* the opposite, to see it overwritten */
        td_err err;
        assert_td_ok(resident(id, norm, NULL, &male, &err), &err);
        assert_int_equal(male, seq % 2 == 1);
    }
}

/* ---- resident ID: the check character catches typos ---------------------- */

static const char *typo_bases[] = {
    "11010519491231002X", "440524188001010014", "130503196704010016", "500103198507150031",
    "510104200002290045", "650102196512310078",
};

static void test_resident_every_single_digit_typo_caught(void **state)
{
    (void)state;
    int tried = 0;
    for (size_t b = 0; b < sizeof typo_bases / sizeof typo_bases[0]; b++) {
        char base[19];
        memcpy(base, typo_bases[b], 19);
        if (b >= 3) /* make the generated bases valid */
            base[17] = ref_check(base);
        expect_ok(TD_ID_RESIDENT, base, base);
        for (int pos = 0; pos < 18; pos++) {
            for (int dgt = 0; dgt <= 10; dgt++) {
                char c = dgt == 10 ? 'X' : (char)('0' + dgt);
                if (c == base[pos])
                    continue;
                char t[19];
                memcpy(t, base, 19);
                t[pos] = c;
                char norm[TD_IDNO_LEN];
                td_err err;
                td_status s = resident(t, norm, NULL, NULL, &err);
                if (s != TD_EINVALID)
                    fail_msg("typo %s (from %s, position %d) accepted", t, base, pos + 1);
                expect_bad(TD_ID_RESIDENT, t, NULL);
                tried++;
            }
        }
    }
    assert_true(tried > 1000);
}

static void test_resident_check_typo_message(void **state)
{
    (void)state;
    /* A typo in the check character itself: the message names the right one. */
    for (size_t b = 0; b < 3; b++) {
        const char *base = typo_bases[b];
        for (int dgt = 0; dgt <= 10; dgt++) {
            char c = dgt == 10 ? 'X' : (char)('0' + dgt);
            if (c == base[17])
                continue;
            char t[19], want[64];
            memcpy(t, base, 19);
            t[17] = c;
            snprintf(want, sizeof want, "最后一位应为 %c", base[17]);
            expect_bad(TD_ID_RESIDENT, t, want);
        }
    }
}

static void test_resident_transpositions_caught(void **state)
{
    (void)state;
    int tried = 0;
    for (size_t b = 0; b < sizeof typo_bases / sizeof typo_bases[0]; b++) {
        char base[19];
        memcpy(base, typo_bases[b], 19);
        base[17] = ref_check(base);
        for (int pos = 0; pos < 17; pos++) {
            if (base[pos] == base[pos + 1])
                continue;
            char t[19];
            memcpy(t, base, 19);
            t[pos] = base[pos + 1];
            t[pos + 1] = base[pos];
            expect_bad(TD_ID_RESIDENT, t, NULL);
            char norm[TD_IDNO_LEN];
            td_err err;
            assert_int_equal(resident(t, norm, NULL, NULL, &err), TD_EINVALID);
            tried++;
        }
    }
    assert_true(tried > 50);
}

static void test_resident_year_digits_swapped(void **state)
{
    (void)state;
    /* Typing the birth year wrong (1985 → 1958) is a transposition of two
     * non-adjacent digits; it must never pass silently with the same check. */
    char base[19], t[19];
    make_id(base, "500103", 1985, 7, 15, 3);
    memcpy(t, base, 19);
    t[8] = '5';
    t[9] = '8';
    expect_bad(TD_ID_RESIDENT, t, "校验位错误");
}

/* ---- resident ID: area codes ---------------------------------------------- */

static void test_resident_area_codes(void **state)
{
    (void)state;
    static const char *bad[] = { "00", "01", "09", "10", "16", "19", "20", "24", "30", "38", "40",
                                 "47", "49", "55", "60", "66", "70", "72", "80", "84", "88" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char area[7], id[19], want[64];
        snprintf(area, sizeof area, "%s0101", bad[i]);
        make_id(id, area, 1980, 1, 1, 11);
        snprintf(want, sizeof want, "前两位 %s 不是有效的省级行政区划代码", bad[i]);
        expect_bad(TD_ID_RESIDENT, id, want);
        char norm[TD_IDNO_LEN];
        td_err err;
        assert_int_equal(resident(id, norm, NULL, NULL, &err), TD_EINVALID);
    }
    static const char *good[] = { "11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char area[7], id[19];
        snprintf(area, sizeof area, "%s0101", good[i]);
        make_id(id, area, 1980, 1, 1, 11);
        expect_ok(TD_ID_RESIDENT, id, id);
    }
}

static void test_resident_type_hints(void **state)
{
    (void)state;
    char id[19];
    make_id(id, "810000", 1990, 5, 5, 21);
    expect_bad(TD_ID_RESIDENT, id, "港澳台居民居住证");
    make_id(id, "830000", 1990, 5, 5, 21);
    expect_bad(TD_ID_RESIDENT, id, "港澳台居民居住证");
    make_id(id, "931156", 1990, 5, 5, 21);
    expect_bad(TD_ID_RESIDENT, id, "外国人永久居留身份证");
    /* 81 not followed by 0000 is not a permit: just a bad province code */
    make_id(id, "810101", 1990, 5, 5, 21);
    expect_bad(TD_ID_RESIDENT, id, "前两位 81");
}

static void test_resident_generic_accepts_shared_format(void **state)
{
    (void)state;
    /* td_id_resident checks the shared 18-character format: permits and the
     * 2023 permanent residence ID pass it, with birth date and sex. */
    char id[19], norm[TD_IDNO_LEN];
    td_date b;
    bool male = false;
    td_err err;
    make_id(id, "820000", 1975, 10, 20, 13);
    assert_td_ok(resident(id, norm, &b, &male, &err), &err);
    assert_int_equal(b.y, 1975);
    assert_true(male);
    make_id(id, "931840", 1988, 2, 29, 42);
    assert_td_ok(resident(id, norm, &b, &male, &err), &err);
    assert_string_equal(norm, id);
    assert_int_equal(b.m, 2);
    assert_int_equal(b.d, 29);
    assert_false(male);
    make_id(id, "931840", 1987, 2, 29, 42);
    assert_int_equal(resident(id, norm, NULL, NULL, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "1987-02-29 不存在"));
}

static void test_resident_null_err_and_outputs(void **state)
{
    (void)state;
    char norm[TD_IDNO_LEN];
    assert_int_equal(td_id_resident("11010519491231002X", norm, NULL, NULL, NULL), TD_OK);
    assert_int_equal(td_id_resident("110105194912310021", norm, NULL, NULL, NULL), TD_EINVALID);
    assert_int_equal(td_id_validate(TD_ID_PASSPORT, "x", norm, NULL), TD_EINVALID);
    assert_int_equal(td_phone_validate("1", norm, NULL), TD_EINVALID);
    /* outputs untouched on failure */
    td_date b = { 1, 2, 3 };
    bool male = true;
    assert_int_equal(td_id_resident("110105194912310021", norm, &b, &male, NULL), TD_EINVALID);
    assert_int_equal(b.y, 1);
    assert_true(male);
}

static void test_resident_ok_clears_err(void **state)
{
    (void)state;
    td_err err;
    td_err_set(&err, TD_EDB, "stale");
    char norm[TD_IDNO_LEN];
    assert_int_equal(td_id_resident("11010519491231002X", norm, NULL, NULL, &err), TD_OK);
    assert_int_equal(err.code, TD_OK);
    assert_string_equal(err.msg, "");
}

/* ---- residence permits ------------------------------------------------------ */

static void test_hmt_permit_valid(void **state)
{
    (void)state;
    static const char *areas[] = { "810000", "820000", "830000" };
    for (int a = 0; a < 3; a++) {
        for (int seq = 0; seq < 1000; seq += 99) {
            char id[19];
            make_id(id, areas[a], 1950 + seq % 60, 1 + seq % 12, 1 + seq % 28, seq);
            expect_ok(TD_ID_HMT_PERMIT, id, id);
        }
    }
    char id[19], lower[19];
    /* find one whose check character is X, then type it in lowercase */
    for (int seq = 0;; seq++) {
        make_id(id, "810000", 1990, 1, 1, seq);
        if (id[17] == 'X')
            break;
        assert_true(seq < 1000);
    }
    memcpy(lower, id, 19);
    lower[17] = 'x';
    expect_ok(TD_ID_HMT_PERMIT, lower, id);
}

static void test_hmt_permit_rejections(void **state)
{
    (void)state;
    char id[19];
    make_id(id, "810001", 1990, 1, 1, 1);
    expect_bad(TD_ID_HMT_PERMIT, id, "应以 810000（香港）、820000（澳门）或 830000（台湾）开头");
    make_id(id, "840000", 1990, 1, 1, 1);
    expect_bad(TD_ID_HMT_PERMIT, id, "810000");
    make_id(id, "500103", 1990, 1, 1, 1);
    expect_bad(TD_ID_HMT_PERMIT, id, "810000");
    expect_bad(TD_ID_HMT_PERMIT, "11010519491231002X", "810000");
    expect_bad(TD_ID_HMT_PERMIT, "", "未填写居住证号码");
    expect_bad(TD_ID_HMT_PERMIT, "130503670401001", "居住证号码应为 18 位，实际 15 位");
    expect_bad(TD_ID_HMT_PERMIT, "81000019900101001", "实际 17 位");
    make_id(id, "810000", 1990, 2, 30, 1);
    expect_bad(TD_ID_HMT_PERMIT, id, "居住证号码中的出生日期 1990-02-30 不存在");
    make_id(id, "810000", 1990, 1, 1, 1);
    char want[64];
    snprintf(want, sizeof want, "居住证号码校验位错误：最后一位应为 %c", id[17]);
    id[17] = id[17] == '0' ? '1' : '0';
    expect_bad(TD_ID_HMT_PERMIT, id, want);
    make_id(id, "810000", 2030, 1, 1, 1);
    expect_bad(TD_ID_HMT_PERMIT, id, "晚于今天");
}

/* ---- foreigner permanent residence ID --------------------------------------- */

static void test_foreign_pr_2023_valid(void **state)
{
    (void)state;
    static const char *heads[] = { "931156", "911840", "944392", "950826", "932410" };
    for (int h = 0; h < 5; h++) {
        for (int seq = 0; seq < 1000; seq += 111) {
            char id[19];
            make_id(id, heads[h], 1960 + seq % 50, 1 + seq % 12, 1 + seq % 28, seq);
            expect_ok(TD_ID_FOREIGN_PR, id, id);
        }
    }
    char id[19];
    make_id(id, "931156", 1980, 8, 8, 8);
    char spaced[40];
    snprintf(spaced, sizeof spaced, " %.6s %.8s %.4s ", id, id + 6, id + 14);
    expect_ok(TD_ID_FOREIGN_PR, spaced, id);
}

static void test_foreign_pr_2023_rejections(void **state)
{
    (void)state;
    char id[19];
    make_id(id, "931156", 1980, 8, 8, 8);
    char bad[19];
    memcpy(bad, id, 19);
    bad[17] = bad[17] == '1' ? '2' : '1';
    char want[64];
    snprintf(want, sizeof want, "永久居留身份证号码校验位错误：最后一位应为 %c", id[17]);
    expect_bad(TD_ID_FOREIGN_PR, bad, want);
    make_id(id, "931156", 1980, 2, 30, 8);
    expect_bad(TD_ID_FOREIGN_PR, id, "出生日期 1980-02-30 不存在");
    /* a resident ID under the PR type */
    expect_bad(TD_ID_FOREIGN_PR, "11010519491231002X", "应以 9 开头");
    expect_bad(TD_ID_FOREIGN_PR, "93115619800808", "实际 14 位");
    expect_bad(TD_ID_FOREIGN_PR, "9311561980080800811", "实际 19 位");
    expect_bad(TD_ID_FOREIGN_PR, "", "未填写永久居留身份证号码");
    expect_bad(TD_ID_FOREIGN_PR, "9311561980A808008X", "第 11 位应为数字");
}

static void test_foreign_pr_old_format(void **state)
{
    (void)state;
    expect_ok(TD_ID_FOREIGN_PR, "USA310085012345", "USA310085012345");
    expect_ok(TD_ID_FOREIGN_PR, "usa310085012345", "USA310085012345");
    expect_ok(TD_ID_FOREIGN_PR, "ＧＢＲ５００１９７０１０１０１", "GBR500197010101");
    expect_ok(TD_ID_FOREIGN_PR, "DEU 110 060 0101 11", "DEU110060010111");
    expect_bad(TD_ID_FOREIGN_PR, "US3100850123456", "3 个字母加 12 位数字");
    expect_bad(TD_ID_FOREIGN_PR, "USAB10085012345", "3 个字母加 12 位数字");
    expect_bad(TD_ID_FOREIGN_PR, "USA31008501234", "实际 14 位");
    expect_bad(TD_ID_FOREIGN_PR, "USA3100850123456", "实际 16 位");
    expect_bad(TD_ID_FOREIGN_PR, "USA31008501234X", "3 个字母加 12 位数字");
}

/* ---- 港澳居民来往内地通行证 ------------------------------------------------ */

static void test_hkmo_pass_valid(void **state)
{
    (void)state;
    expect_ok(TD_ID_HKMO_PASS, "H12345678", "H12345678");
    expect_ok(TD_ID_HKMO_PASS, "M87654321", "M87654321");
    expect_ok(TD_ID_HKMO_PASS, "H1234567801", "H1234567801");
    expect_ok(TD_ID_HKMO_PASS, "M0000000099", "M0000000099");
    expect_ok(TD_ID_HKMO_PASS, "h12345678", "H12345678");
    expect_ok(TD_ID_HKMO_PASS, "Ｈ１２３４５６７８", "H12345678");
    expect_ok(TD_ID_HKMO_PASS, "ｍ１２３４５６７８", "M12345678");
    expect_ok(TD_ID_HKMO_PASS, " H 1234 5678 ", "H12345678");
}

static void test_hkmo_pass_rejections(void **state)
{
    (void)state;
    expect_bad(TD_ID_HKMO_PASS, "", "未填写通行证号码");
    expect_bad(TD_ID_HKMO_PASS, "C12345678", "应以 H（香港）或 M（澳门）开头");
    expect_bad(TD_ID_HKMO_PASS, "12345678", "应以 H（香港）或 M（澳门）开头");
    expect_bad(TD_ID_HKMO_PASS, "H1234567", "实际 8 位");
    expect_bad(TD_ID_HKMO_PASS, "H123456789", "实际 10 位");
    expect_bad(TD_ID_HKMO_PASS, "H123456789012", "实际 13 位");
    expect_bad(TD_ID_HKMO_PASS, "H1234A678", "通行证号码第 6 位应为数字");
    expect_bad(TD_ID_HKMO_PASS, "H12345678A1", "第 10 位应为数字");
    expect_bad(TD_ID_HKMO_PASS, "HH2345678", "第 2 位应为数字");
}

/* ---- passports and ICAO check digits ---------------------------------------- */

static void test_passport_valid(void **state)
{
    (void)state;
    expect_ok(TD_ID_PASSPORT, "E12345678", "E12345678");  /* Chinese, older E + 8 digits */
    expect_ok(TD_ID_PASSPORT, "EA1234567", "EA1234567");  /* Chinese, current E + letter + 7 */
    expect_ok(TD_ID_PASSPORT, "ea1234567", "EA1234567");
    expect_ok(TD_ID_PASSPORT, "G12345678", "G12345678");  /* Chinese, before 2012 */
    expect_ok(TD_ID_PASSPORT, "L898902C3", "L898902C3");  /* ICAO specimen */
    expect_ok(TD_ID_PASSPORT, "C01X00T47", "C01X00T47");  /* German shape */
    expect_ok(TD_ID_PASSPORT, "123456789", "123456789");  /* US shape */
    expect_ok(TD_ID_PASSPORT, "TR1234567", "TR1234567");  /* Japanese shape */
    expect_ok(TD_ID_PASSPORT, "A1234", "A1234");          /* 5: the shortest */
    expect_ok(TD_ID_PASSPORT, "AB123456789012345", "AB123456789012345"); /* 17: the longest */
    expect_ok(TD_ID_PASSPORT, "Ｅ１２３４５６７８", "E12345678");
    expect_ok(TD_ID_PASSPORT, " E1234 5678 ", "E12345678");
}

static void test_passport_rejections(void **state)
{
    (void)state;
    expect_bad(TD_ID_PASSPORT, "", "未填写护照号码");
    expect_bad(TD_ID_PASSPORT, "A123", "护照号码应为 5 至 17 位字母或数字，实际 4 位");
    expect_bad(TD_ID_PASSPORT, "AB1234567890123456", "实际 18 位");
    expect_bad(TD_ID_PASSPORT, "E1234-5678", "护照号码第 6 位应为字母或数字");
    expect_bad(TD_ID_PASSPORT, "E123<5678", "第 5 位应为字母或数字");
    expect_bad(TD_ID_PASSPORT, "护照E1234567", "第 1 位应为字母或数字");
    expect_bad(TD_ID_PASSPORT, "ZHANGSAN", "护照号码中应含有数字");
}

static void test_icao_specimen_vectors(void **state)
{
    (void)state;
    /* ICAO 9303 Part 4 TD3 specimen (Anna Maria Eriksson, Utopia) */
    assert_int_equal(td_icao_check_digit("L898902C3"), 6);
    assert_int_equal(td_icao_check_digit("740812"), 2);
    assert_int_equal(td_icao_check_digit("120415"), 9);
    assert_int_equal(td_icao_check_digit("ZE184226B<<<<<"), 1);
    /* composite check over number+check, birth+check, expiry+check, optional+check */
    assert_int_equal(td_icao_check_digit("L898902C36" "7408122" "1204159" "ZE184226B<<<<<1"), 0);
    /* ICAO 9303 Part 5 TD1 specimen document number */
    assert_int_equal(td_icao_check_digit("D23145890"), 7);
}

static void test_icao_edge_cases(void **state)
{
    (void)state;
    assert_int_equal(td_icao_check_digit(""), 0);
    assert_int_equal(td_icao_check_digit("<<<<<<<<<"), 0);
    assert_int_equal(td_icao_check_digit("0"), 0);
    assert_int_equal(td_icao_check_digit("1"), 7);
    assert_int_equal(td_icao_check_digit("01"), 3);
    assert_int_equal(td_icao_check_digit("001"), 1);
    assert_int_equal(td_icao_check_digit("A"), 0);  /* 10 × 7 = 70 */
    assert_int_equal(td_icao_check_digit("Z"), 5);  /* 35 × 7 = 245 */
    assert_int_equal(td_icao_check_digit("<A"), 0); /* 10 × 3 = 30 */
    assert_int_equal(td_icao_check_digit(NULL), -1);
    assert_int_equal(td_icao_check_digit("l898902c3"), -1);
    assert_int_equal(td_icao_check_digit("L898 902C3"), -1);
    assert_int_equal(td_icao_check_digit("L898902C3-"), -1);
    assert_int_equal(td_icao_check_digit("Ｌ"), -1);
    /* a long field never overflows */
    char lng[2001];
    memset(lng, 'Z', 2000);
    lng[2000] = '\0';
    int d = td_icao_check_digit(lng);
    assert_true(d >= 0 && d <= 9);
    /* the same sum computed directly */
    long sum = 0;
    for (int i = 0; i < 2000; i++)
        sum += 35L * (i % 3 == 0 ? 7 : i % 3 == 1 ? 3 : 1);
    assert_int_equal(d, (int)(sum % 10));
}

static void test_icao_single_substitution_caught(void **state)
{
    (void)state;
    /* 7-3-1 catches every single-character substitution among digits. */
    const char *base = "740812";
    int want = td_icao_check_digit(base);
    for (int pos = 0; pos < 6; pos++) {
        for (char c = '0'; c <= '9'; c++) {
            if (c == base[pos])
                continue;
            char t[7];
            memcpy(t, base, 7);
            t[pos] = c;
            assert_int_not_equal(td_icao_check_digit(t), want);
        }
    }
}

/* ---- mobile numbers ----------------------------------------------------------- */

static void expect_phone(const char *in, const char *want)
{
    char norm[TD_IDNO_LEN];
    td_err err;
    td_err_clear(&err);
    td_status s = td_phone_validate(in, norm, &err);
    if (s != TD_OK)
        fail_msg("phone '%s' rejected: %s", in, err.msg);
    assert_string_equal(norm, want);
}

static void expect_phone_bad(const char *in, const char *want)
{
    char norm[TD_IDNO_LEN];
    td_err err;
    td_err_clear(&err);
    td_status s = td_phone_validate(in, norm, &err);
    if (s != TD_EINVALID)
        fail_msg("phone '%s' accepted as %s", in ? in : "(null)", norm);
    assert_int_equal(err.code, TD_EINVALID);
    if (want && !strstr(err.msg, want))
        fail_msg("phone '%s': message '%s', wanted '%s'", in ? in : "(null)", err.msg, want);
    assert_non_null(memchr(norm, '\0', sizeof norm));
}

static void test_phone_valid(void **state)
{
    (void)state;
    expect_phone("13812345678", "13812345678");
    expect_phone("138 1234 5678", "13812345678");
    expect_phone("138-1234-5678", "13812345678");
    expect_phone("+86 138 1234 5678", "13812345678");
    expect_phone("+8613812345678", "13812345678");
    expect_phone("+86-138-1234-5678", "13812345678");
    expect_phone("0086 13812345678", "13812345678");
    expect_phone("0086-138-1234-5678", "13812345678");
    expect_phone("００８６１３８１２３４５６７８", "13812345678");
    expect_phone("＋８６ １３８ １２３４ ５６７８", "13812345678");
    expect_phone("１３８－１２３４－５６７８", "13812345678");
    expect_phone("  19912345678\n", "19912345678");
    expect_phone("138—1234—5678", "13812345678"); /* em dash from a Chinese input method */
    expect_phone("138–1234–5678", "13812345678"); /* en dash */
    expect_phone("+86\xE3\x80\x80" "138 1234 5678", "13812345678");
    for (char second = '3'; second <= '9'; second++) {
        char in[12] = "1X000000000";
        in[1] = second;
        expect_phone(in, in);
    }
}

static void test_phone_rejections(void **state)
{
    (void)state;
    expect_phone_bad("", "未填写手机号码");
    expect_phone_bad(NULL, "未填写手机号码");
    expect_phone_bad(" - ", NULL);
    expect_phone_bad("1381234567", "手机号码应为 11 位数字，实际 10 位");
    expect_phone_bad("138123456789", "实际 12 位");
    expect_phone_bad("+86", "实际 0 位");
    expect_phone_bad("12812345678", "应以 13 至 19 开头");
    expect_phone_bad("10812345678", "应以 13 至 19 开头");
    expect_phone_bad("23812345678", "应以 13 至 19 开头");
    expect_phone_bad("02312345678", "应以 13 至 19 开头"); /* a Chongqing landline */
    expect_phone_bad("+852 9123 4567", "仅支持中国大陆手机号码");
    expect_phone_bad("+1 415 555 0100", "仅支持中国大陆手机号码");
    expect_phone_bad("00852 91234567", "仅支持中国大陆手机号码");
    expect_phone_bad("138abcd5678", "只能包含数字、空格、短横线和 +86 前缀");
    expect_phone_bad("(023)12345678", "只能包含");
    expect_phone_bad("138.1234.5678", "只能包含");
    expect_phone_bad("138+12345678", "只能包含");
    char big[501];
    memset(big, '1', 500);
    big[500] = '\0';
    expect_phone_bad(big, "实际 500 位");
}

/* ---- guessing ------------------------------------------------------------------ */

static void expect_guess(const char *in, td_id_type want)
{
    td_id_type t = TD_ID_COUNT;
    if (!td_id_guess_type(in, &t))
        fail_msg("no guess for '%s'", in);
    if (t != want)
        fail_msg("'%s' guessed as %s, wanted %s", in, td_id_type_code(t), td_id_type_code(want));
}

static void test_guess_type(void **state)
{
    (void)state;
    expect_guess("11010519491231002X", TD_ID_RESIDENT);
    expect_guess("11010519491231002x", TD_ID_RESIDENT);
    expect_guess("110105194912310021", TD_ID_RESIDENT); /* shape only: a bad check still looks like one */
    expect_guess("130503670401001", TD_ID_RESIDENT);
    expect_guess("１１０１０５１９４９１２３１００２Ｘ", TD_ID_RESIDENT);
    expect_guess("810000199001010011", TD_ID_HMT_PERMIT);
    expect_guess("820000199001010011", TD_ID_HMT_PERMIT);
    expect_guess("830000199001010011", TD_ID_HMT_PERMIT);
    expect_guess("931156198008080081", TD_ID_FOREIGN_PR);
    expect_guess("USA310085012345", TD_ID_FOREIGN_PR);
    expect_guess("H12345678", TD_ID_HKMO_PASS);
    expect_guess("m1234567801", TD_ID_HKMO_PASS);
    expect_guess("E12345678", TD_ID_PASSPORT);
    expect_guess("EA1234567", TD_ID_PASSPORT);
    expect_guess("G12345678", TD_ID_PASSPORT);
    expect_guess("L898902C3", TD_ID_PASSPORT);
    expect_guess("H123456789", TD_ID_PASSPORT); /* 10 characters: not a travel permit */
    expect_guess("123456789", TD_ID_PASSPORT);  /* US shape */
    /* A resident ID with a digit missing or doubled is guessed as one, so
     * that validation explains the length instead of accepting a passport. */
    expect_guess("11010519491231002", TD_ID_RESIDENT);
    expect_guess("1101051949123100", TD_ID_RESIDENT);
    expect_guess("1101051949123100X", TD_ID_RESIDENT);
    expect_guess("110105194912310022X", TD_ID_RESIDENT);
    expect_guess("1305036704010", TD_ID_RESIDENT);
    td_id_type g;
    assert_false(td_id_guess_type("11010519491231002XX", &g));
    /* the guess agrees with the validator for valid numbers */
    char id[19], norm[TD_IDNO_LEN];
    td_err err;
    make_id(id, "500103", 1985, 7, 15, 3);
    td_id_type t;
    assert_true(td_id_guess_type(id, &t));
    assert_td_ok(td_id_validate(t, id, norm, &err), &err);
    make_id(id, "820000", 1985, 7, 15, 3);
    assert_true(td_id_guess_type(id, &t));
    assert_td_ok(td_id_validate(t, id, norm, &err), &err);
    make_id(id, "931156", 1985, 7, 15, 3);
    assert_true(td_id_guess_type(id, &t));
    assert_td_ok(td_id_validate(t, id, norm, &err), &err);
}

static void test_guess_type_nothing_fits(void **state)
{
    (void)state;
    td_id_type t = TD_ID_PASSPORT;
    assert_false(td_id_guess_type(NULL, &t));
    assert_false(td_id_guess_type("", &t));
    assert_false(td_id_guess_type("   ", &t));
    assert_false(td_id_guess_type("1234", &t));
    assert_false(td_id_guess_type("ZHANGSAN", &t));
    assert_false(td_id_guess_type("张三", &t));
    assert_false(td_id_guess_type("1101051949123100-2X", &t));
    assert_false(td_id_guess_type("123456789012345678901234", &t));
    assert_false(td_id_guess_type("13812345678", &t));   /* a mobile number in the wrong field */
    assert_false(td_id_guess_type("1234567890", &t));
    assert_false(td_id_guess_type("123456789012", &t));
    assert_false(td_id_guess_type("123456789012345678901", &t));
    assert_int_equal(t, TD_ID_PASSPORT); /* untouched */
    assert_true(td_id_guess_type("E12345678", NULL));
}

/* ---- type codes and names ------------------------------------------------------ */

static void test_type_codes_round_trip(void **state)
{
    (void)state;
    static const char *codes[] = { "resident", "hmt_permit", "foreign_pr", "hkmo_pass", "passport" };
    for (int t = 0; t < TD_ID_COUNT; t++) {
        assert_string_equal(td_id_type_code((td_id_type)t), codes[t]);
        td_id_type back = TD_ID_COUNT;
        assert_true(td_id_type_parse(codes[t], &back));
        assert_int_equal(back, t);
        /* the display name parses back too */
        back = TD_ID_COUNT;
        assert_true(td_id_type_parse(td_id_type_name((td_id_type)t), &back));
        assert_int_equal(back, t);
    }
    assert_string_equal(td_id_type_code(TD_ID_COUNT), "");
    assert_string_equal(td_id_type_code((td_id_type)-1), "");
}

static void test_type_names_chinese(void **state)
{
    (void)state;
    assert_string_equal(td_id_type_name(TD_ID_RESIDENT), "居民身份证");
    assert_string_equal(td_id_type_name(TD_ID_HMT_PERMIT), "港澳台居民居住证");
    assert_string_equal(td_id_type_name(TD_ID_FOREIGN_PR), "外国人永久居留身份证");
    assert_string_equal(td_id_type_name(TD_ID_HKMO_PASS), "港澳居民来往内地通行证");
    assert_string_equal(td_id_type_name(TD_ID_PASSPORT), "护照");
    assert_string_equal(td_id_type_name(TD_ID_COUNT), "未知的证件类型");
}

static void test_type_parse_aliases_and_unknown(void **state)
{
    (void)state;
    td_id_type t = TD_ID_COUNT;
    assert_true(td_id_type_parse("身份证", &t));
    assert_int_equal(t, TD_ID_RESIDENT);
    assert_true(td_id_type_parse(" 护照 ", &t));
    assert_int_equal(t, TD_ID_PASSPORT);
    assert_true(td_id_type_parse("回乡证", &t));
    assert_int_equal(t, TD_ID_HKMO_PASS);
    assert_true(td_id_type_parse("永居证", &t));
    assert_int_equal(t, TD_ID_FOREIGN_PR);
    assert_true(td_id_type_parse("港澳台居民居住证", &t));
    assert_int_equal(t, TD_ID_HMT_PERMIT);
    assert_true(td_id_type_parse("PASSPORT", &t));
    assert_int_equal(t, TD_ID_PASSPORT);
    assert_true(td_id_type_parse("Resident ID card", &t)); /* the English name, whatever the language */
    assert_int_equal(t, TD_ID_RESIDENT);
    t = TD_ID_COUNT;
    assert_false(td_id_type_parse(NULL, &t));
    assert_false(td_id_type_parse("", &t));
    assert_false(td_id_type_parse("  ", &t));
    assert_false(td_id_type_parse("resident_x", &t));
    assert_false(td_id_type_parse("reside", &t));
    assert_false(td_id_type_parse("驾驶证", &t));
    assert_int_equal(t, TD_ID_COUNT);
    assert_true(td_id_type_parse("resident", NULL));
}

static void test_validate_unknown_type(void **state)
{
    (void)state;
    char norm[TD_IDNO_LEN];
    td_err err;
    assert_int_equal(td_id_validate(TD_ID_COUNT, "11010519491231002X", norm, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "未知的证件类型"));
    assert_int_equal(td_id_validate((td_id_type)77, "x", norm, &err), TD_EINVALID);
}

static void test_norm_on_error_each_type(void **state)
{
    (void)state;
    static const struct {
        td_id_type t;
        const char *in, *norm;
    } cases[] = {
        { TD_ID_RESIDENT, " １１０１０５-1949 ", "110105-1949" },
        { TD_ID_HMT_PERMIT, "ｈ１２", "H12" },
        { TD_ID_FOREIGN_PR, "usa 1234", "USA1234" },
        { TD_ID_HKMO_PASS, "h 1234 567", "H1234567" },
        { TD_ID_PASSPORT, "e1234-5678", "E1234-5678" },
        { TD_ID_PASSPORT, "护照 e1", "护照E1" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char norm[TD_IDNO_LEN];
        td_err err;
        assert_int_equal(td_id_validate(cases[i].t, cases[i].in, norm, &err), TD_EINVALID);
        assert_string_equal(norm, cases[i].norm);
    }
    char norm[TD_IDNO_LEN];
    td_err err;
    assert_int_equal(td_phone_validate("+86 138-1234", norm, &err), TD_EINVALID);
    assert_string_equal(norm, "+86138-1234");
}

static void test_more_boundaries(void **state)
{
    (void)state;
    /* a 15-digit number never upgrades into a permit */
    expect_bad(TD_ID_RESIDENT, "810000900101001", "前两位 81");
    /* old PR cards in mixed case and full width */
    expect_ok(TD_ID_FOREIGN_PR, "uSa310085012345", "USA310085012345");
    expect_ok(TD_ID_FOREIGN_PR, "ｃａｎ１２３４５６７８９０１２", "CAN123456789012");
    /* Chinese passport shapes */
    expect_ok(TD_ID_PASSPORT, "EB7654321", "EB7654321");
    expect_ok(TD_ID_PASSPORT, "EZ0000001", "EZ0000001");
    expect_ok(TD_ID_PASSPORT, "Ｇ１２３４５６７８", "G12345678");
    /* guessing also normalises */
    expect_guess(" h 1234 5678 ", TD_ID_HKMO_PASS);
    expect_guess("ｅａ１２３４５６７", TD_ID_PASSPORT);
    expect_guess("usa310085012345", TD_ID_FOREIGN_PR);
    /* the HK/MO permit with a reissue count of 00..99 */
    for (int k = 0; k < 100; k += 11) {
        char in[16];
        snprintf(in, sizeof in, "M12345678%02d", k);
        expect_ok(TD_ID_HKMO_PASS, in, in);
    }
}

/* ---- masking --------------------------------------------------------------------- */

static void expect_mask(const char *in, const char *want)
{
    char out[TD_IDNO_LEN];
    memset(out, 'Q', sizeof out);
    td_id_mask(in, out);
    if (strcmp(out, want) != 0)
        fail_msg("mask('%s') = '%s', wanted '%s'", in ? in : "(null)", out, want);
}

static void test_mask(void **state)
{
    (void)state;
    expect_mask("11010519491231002X", "110***********002X");
    expect_mask("440524188001010014", "440***********0014");
    expect_mask("130503670401001", "130********1001");
    expect_mask("810000199001010011", "810***********0011");
    expect_mask("H12345678", "H1*****78");
    expect_mask("H1234567801", "H1*******01");
    expect_mask("E12345678", "E1*****78");
    expect_mask("USA310085012345", "US***********45");
    expect_mask("AB12345", "AB***45");
    expect_mask("A1234", "A****");
    expect_mask("AB1", "A**");
    expect_mask("AB", "**");
    expect_mask("", "");
    expect_mask(NULL, "");
}

static void test_mask_never_leaks_more(void **state)
{
    (void)state;
    /* Any input: same number of characters, at most 7 shown, never a control. */
    static const char *inputs[] = { "11010519491231002X", "身份证号码是多少", "A\x01" "BCDEFGH\x7F",
                                    "1234567890123456789012345678901234567890123456789", "\xFF\xFE\xFD\xFC\xFB\xFA\xF9" };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char out[TD_IDNO_LEN];
        td_id_mask(inputs[i], out);
        assert_true(strlen(out) < TD_IDNO_LEN);
        int shown = 0;
        for (const char *p = out; *p; p++) {
            assert_true((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || *p == '*');
            shown += *p != '*';
        }
        assert_true(shown <= 7);
    }
    char out[TD_IDNO_LEN];
    td_id_mask("身份证号码是多少", out);
    assert_string_equal(out, "********");
}

/* ---- robustness --------------------------------------------------------------------- */

static void test_garbage_never_crashes(void **state)
{
    (void)state;
    uint32_t x = 2026;
    char buf[300], norm[TD_IDNO_LEN], masked[TD_IDNO_LEN];
    for (int round = 0; round < 4000; round++) {
        x = x * 1664525u + 1013904223u;
        int len = (int)((x >> 8) % 120);
        for (int i = 0; i < len; i++) {
            x = x * 1664525u + 1013904223u;
            unsigned char c = (unsigned char)(x >> 24);
            /* bias towards characters that matter */
            switch (c % 8) {
            case 0: c = (unsigned char)('0' + c % 10); break;
            case 1: c = (unsigned char)(c % 2 ? 'X' : 'x'); break;
            case 2: c = (unsigned char)(c % 2 ? 0xEF : 0xBC); break;
            default: break;
            }
            buf[i] = c ? (char)c : ' ';
        }
        buf[len] = '\0';
        for (int t = 0; t <= TD_ID_COUNT; t++) {
            td_err err;
            td_err_clear(&err);
            memset(norm, 'Q', sizeof norm);
            td_status s = td_id_validate((td_id_type)t, buf, norm, &err);
            assert_true(s == TD_OK || s == TD_EINVALID);
            assert_non_null(memchr(norm, '\0', sizeof norm));
            assert_true(valid_utf8_no_controls(norm));
            assert_true(valid_utf8_no_controls(err.msg));
            if (s != TD_OK)
                assert_true(err.msg[0] != '\0');
        }
        td_err err;
        td_status s = td_phone_validate(buf, norm, &err);
        assert_true(s == TD_OK || s == TD_EINVALID);
        assert_true(valid_utf8_no_controls(norm));
        s = td_id_resident(buf, norm, NULL, NULL, &err);
        assert_true(s == TD_OK || s == TD_EINVALID);
        td_id_type t;
        (void)td_id_guess_type(buf, &t);
        td_id_mask(buf, masked);
        assert_true(valid_utf8_no_controls(masked));
        int d = td_icao_check_digit(buf);
        assert_true(d >= -1 && d <= 9);
    }
}

static void test_english_messages(void **state)
{
    (void)state;
    char loc[4096];
    snprintf(loc, sizeof loc, "%s/locale", td_test_build_dir());
    td_i18n_init("en", loc);
    char norm[TD_IDNO_LEN];
    td_err err;
    assert_int_equal(td_id_validate(TD_ID_RESIDENT, "110105194912310021", norm, &err), TD_EINVALID);
    assert_string_equal(err.msg, "The ID number: wrong check character: the last character should be X");
    assert_string_equal(td_id_type_name(TD_ID_PASSPORT), "Passport (Chinese or foreign)");
    td_id_type t;
    assert_true(td_id_type_parse("护照", &t)); /* Chinese names parse in any language */
    assert_int_equal(t, TD_ID_PASSPORT);
    td_i18n_init("zh_CN", loc);
    assert_int_equal(td_id_validate(TD_ID_RESIDENT, "110105194912310021", norm, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "校验位错误"));
}

/* 统一社会信用代码, GB 32100-2015. */
static void test_uscc(void **state)
{
    (void)state;
    char norm[TD_USCC_LEN];
    td_err err;
    assert_td_ok(td_uscc_validate("91350100M000100Y43", norm, &err), &err);
    assert_string_equal(norm, "91350100M000100Y43");
    assert_td_ok(td_uscc_validate("91110000600037341L", norm, &err), &err);
    assert_td_ok(td_uscc_validate("12100000400000624D", norm, &err), &err); /* a public institution */
    assert_td_ok(td_uscc_validate(" 9111 0000 6000 3734 1l ", norm, &err), &err); /* spaces, lower case */
    assert_string_equal(norm, "91110000600037341L");
    assert_td_ok(td_uscc_validate("９１１１００００６０００３７３４１Ｌ", norm, &err), &err); /* full width */
    assert_string_equal(norm, "91110000600037341L");
    assert_int_equal(td_uscc_check_char("91350100M000100Y4"), '3');
    assert_int_equal(td_uscc_check_char("9135010OM000100Y4"), '\0');
    assert_int_equal(td_uscc_validate("91500000MA5U6Y1X7P", norm, &err), TD_EINVALID); /* check is D */
    assert_non_null(strstr(err.msg, "GB 32100"));
    assert_string_equal(norm, "");
    assert_int_equal(td_uscc_validate("91350100M000100Y4", norm, &err), TD_EINVALID); /* 17 characters */
    assert_int_equal(td_uscc_validate("91350100M000100I43", norm, &err), TD_EINVALID); /* I is not used */
    assert_int_equal(td_uscc_validate("913501O0M000100Y43", norm, &err), TD_EINVALID); /* area not digits */
    assert_int_equal(td_uscc_validate("", norm, &err), TD_EINVALID);
    assert_int_equal(td_uscc_validate(NULL, norm, &err), TD_EINVALID);
    assert_int_equal(td_uscc_validate("某某大学", norm, &err), TD_EINVALID);
}

int main(void)
{
    td_test_init();
    setenv("TALENTDESK_NOW", "2026-03-15", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uscc),
        cmocka_unit_test(test_check_char_vectors),
        cmocka_unit_test(test_check_char_rejects_non_digits),
        cmocka_unit_test(test_check_char_matches_reference),
        cmocka_unit_test(test_resident_standard_example),
        cmocka_unit_test(test_resident_1880_example),
        cmocka_unit_test(test_resident_bad_check_names_correct_char),
        cmocka_unit_test(test_resident_bad_date_30_feb),
        cmocka_unit_test(test_resident_15_digit_upgrade),
        cmocka_unit_test(test_resident_15_digit_errors),
        cmocka_unit_test(test_resident_lowercase_x),
        cmocka_unit_test(test_resident_fullwidth),
        cmocka_unit_test(test_resident_spaces),
        cmocka_unit_test(test_resident_empty),
        cmocka_unit_test(test_resident_wrong_length_messages),
        cmocka_unit_test(test_resident_bad_characters),
        cmocka_unit_test(test_resident_norm_holds_attempt),
        cmocka_unit_test(test_resident_very_long_input),
        cmocka_unit_test(test_resident_dates_exist),
        cmocka_unit_test(test_resident_date_not_in_future),
        cmocka_unit_test(test_resident_date_too_early),
        cmocka_unit_test(test_resident_generated_dates),
        cmocka_unit_test(test_resident_generated_areas),
        cmocka_unit_test(test_resident_every_sequence_gender),
        cmocka_unit_test(test_resident_every_single_digit_typo_caught),
        cmocka_unit_test(test_resident_check_typo_message),
        cmocka_unit_test(test_resident_transpositions_caught),
        cmocka_unit_test(test_resident_year_digits_swapped),
        cmocka_unit_test(test_resident_area_codes),
        cmocka_unit_test(test_resident_type_hints),
        cmocka_unit_test(test_resident_generic_accepts_shared_format),
        cmocka_unit_test(test_resident_null_err_and_outputs),
        cmocka_unit_test(test_resident_ok_clears_err),
        cmocka_unit_test(test_hmt_permit_valid),
        cmocka_unit_test(test_hmt_permit_rejections),
        cmocka_unit_test(test_foreign_pr_2023_valid),
        cmocka_unit_test(test_foreign_pr_2023_rejections),
        cmocka_unit_test(test_foreign_pr_old_format),
        cmocka_unit_test(test_hkmo_pass_valid),
        cmocka_unit_test(test_hkmo_pass_rejections),
        cmocka_unit_test(test_passport_valid),
        cmocka_unit_test(test_passport_rejections),
        cmocka_unit_test(test_icao_specimen_vectors),
        cmocka_unit_test(test_icao_edge_cases),
        cmocka_unit_test(test_icao_single_substitution_caught),
        cmocka_unit_test(test_phone_valid),
        cmocka_unit_test(test_phone_rejections),
        cmocka_unit_test(test_guess_type),
        cmocka_unit_test(test_guess_type_nothing_fits),
        cmocka_unit_test(test_type_codes_round_trip),
        cmocka_unit_test(test_type_names_chinese),
        cmocka_unit_test(test_type_parse_aliases_and_unknown),
        cmocka_unit_test(test_validate_unknown_type),
        cmocka_unit_test(test_norm_on_error_each_type),
        cmocka_unit_test(test_more_boundaries),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_mask_never_leaks_more),
        cmocka_unit_test(test_garbage_never_crashes),
        cmocka_unit_test(test_english_messages),
    };
    return cmocka_run_group_tests_name("idcheck", tests, NULL, NULL);
}
