/* test_talentcode.c — 人才服务码: check character catches every single
 * mistyped character and every adjacent transposition over many generated
 * codes; normalisation; issuing inside the approval transaction; lookup; QR
 * matrix, half-block text (read back to the matrix), PNG and SVG files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "scoring_fixture.h"

#include "recognition/score.h"
#include "recognition/talentcode.h"

static const char all36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static void test_generated_codes_valid_and_readable(void **state)
{
    (void)state;
    td_err err;
    const char *stations[] = { "CQ", "LDN", "HQ01", "AIRPORT8" };
    for (int i = 0; i < 400; i++) {
        char code[TD_TALENT_CODE_LEN];
        const char *st = stations[i % 4];
        assert_td_ok(td_talent_code_make(st, code, &err), &err);
        assert_int_equal(strlen(code), strlen(st) + 8);
        assert_memory_equal(code, st, strlen(st));
        for (size_t k = strlen(st); code[k]; k++)
            if (!strchr(td_talent_code_alphabet, code[k]))
                fail_msg("look-alike or '*' in %s", code);
        assert_td_ok(td_talent_code_validate(code, NULL, &err), &err);
    }
    assert_int_equal(strlen(td_talent_code_alphabet), 31);
    for (const char *p = "01ILO"; *p; p++)
        assert_null(strchr(td_talent_code_alphabet, *p));
}

static void test_every_single_substitution_caught(void **state)
{
    (void)state;
    td_err err;
    long checked = 0;
    for (int i = 0; i < 1000; i++) {
        char code[TD_TALENT_CODE_LEN];
        assert_td_ok(td_talent_code_make(i % 2 ? "CQ" : "WZ7", code, &err), &err);
        size_t l = strlen(code);
        for (size_t k = 0; k < l; k++) {
            for (const char *c = all36; *c; c++) {
                if (*c == code[k])
                    continue;
                char bad[TD_TALENT_CODE_LEN];
                memcpy(bad, code, l + 1);
                bad[k] = *c;
                if (td_talent_code_validate(bad, NULL, &err) != TD_EINVALID)
                    fail_msg("substitution %s -> %s not caught", code, bad);
                checked++;
            }
        }
    }
    assert_true(checked > 300000);
}

static void test_every_adjacent_transposition_caught(void **state)
{
    (void)state;
    td_err err;
    long checked = 0;
    for (int i = 0; i < 3000; i++) {
        char code[TD_TALENT_CODE_LEN];
        assert_td_ok(td_talent_code_make(i % 3 ? "CQ" : "LDN", code, &err), &err);
        size_t l = strlen(code);
        for (size_t k = 0; k + 1 < l; k++) {
            if (code[k] == code[k + 1])
                continue;
            char bad[TD_TALENT_CODE_LEN];
            memcpy(bad, code, l + 1);
            bad[k] = code[k + 1];
            bad[k + 1] = code[k];
            if (td_talent_code_validate(bad, NULL, &err) != TD_EINVALID)
                fail_msg("transposition %s -> %s not caught", code, bad);
            checked++;
        }
    }
    assert_true(checked > 20000);
}

static void test_check_character_all_pairs(void **state)
{
    (void)state;
    /* Exhaustively over two-character bodies: any substitution in either
     * place changes the check (the MOD 37-2 guarantee, not just sampling). */
    for (const char *a = all36; *a; a++)
        for (const char *b = all36; *b; b++) {
            char s[3] = { *a, *b, 0 };
            char c = td_mod37_2_check(s);
            assert_true(c != 0);
            for (const char *x = all36; *x; x++) {
                if (*x == *a)
                    continue;
                char t[3] = { *x, *b, 0 };
                assert_int_not_equal(td_mod37_2_check(t), c);
            }
            if (*a != *b) {
                char t[3] = { *b, *a, 0 };
                assert_int_not_equal(td_mod37_2_check(t), c);
            }
        }
    assert_int_equal(td_mod37_2_check("ab"), 0);  /* lower case is normalised before */
    assert_int_equal(td_mod37_2_check(""), 0);
}

static void test_normalise_and_format(void **state)
{
    (void)state;
    td_err err;
    char code[TD_TALENT_CODE_LEN], disp[TD_TALENT_CODE_LEN + 4], norm[TD_TALENT_CODE_LEN];
    assert_td_ok(td_talent_code_make("CQ", code, &err), &err);
    td_talent_code_format(code, disp);
    assert_int_equal(strlen(disp), strlen(code) + 2);
    assert_int_equal(disp[2], '-');
    assert_int_equal(disp[7], '-');
    assert_td_ok(td_talent_code_validate(disp, norm, &err), &err);
    assert_string_equal(norm, code);
    /* lower case, spaces, full-width letters and dashes as an IME types them */
    char typed[128];
    snprintf(typed, sizeof typed, " %c%c %s ", code[0] + 32, code[1] + 32, code + 2);
    assert_td_ok(td_talent_code_validate(typed, norm, &err), &err);
    assert_string_equal(norm, code);
    char fw[256];
    size_t o = 0;
    for (size_t i = 0; code[i]; i++) {
        unsigned cp = (unsigned char)code[i] + 0xFEE0; /* full-width form */
        fw[o++] = (char)(0xE0 | (cp >> 12));
        fw[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        fw[o++] = (char)(0x80 | (cp & 0x3F));
        if (i == 1) {
            memcpy(fw + o, "\xEF\xBC\x8D", 3); /* full-width hyphen-minus */
            o += 3;
        }
    }
    fw[o] = 0;
    assert_td_ok(td_talent_code_validate(fw, norm, &err), &err);
    assert_string_equal(norm, code);
    /* rubbish */
    assert_int_equal(td_talent_code_validate("", NULL, &err), TD_EINVALID);
    assert_int_equal(td_talent_code_validate("CQ-7KQ4", NULL, &err), TD_EINVALID);
    assert_int_equal(td_talent_code_validate("CQ-7KQ4-M9X!", NULL, &err), TD_EINVALID);
    assert_int_equal(td_talent_code_validate("人才-7KQ4-M9XD", NULL, &err), TD_EINVALID);
    assert_int_equal(td_talent_code_make("C", code, &err), TD_EINVALID);
    assert_int_equal(td_talent_code_make("C-Q", code, &err), TD_EINVALID);
}

/* Scores the fixture case under the Chongqing sample set and saves it. */
static void score_case(fx *f, const char *case_id, const char *rules)
{
    td_err err;
    td_score_case_args a = { .case_key = case_id, .rule_set_id = rules, .as_of = "2026-06-01",
                             .save = true };
    td_score_result r;
    assert_td_ok(td_score_case(f->db, &f->reviewer, &a, &r, NULL, &err), &err);
    td_score_result_free(&r);
}

static void test_issue_in_transaction(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    fx_fact(&f, f.person_id, "programme=honghyan", true);
    char code[32];
    /* not scored yet */
    assert_td_ok(td_db_begin(f.db, &err), &err);
    assert_int_equal(td_talent_code_issue(f.db, &f.approver, f.case_id, code, &err), TD_EINVALID);
    td_db_rollback(f.db);
    score_case(&f, f.case_id, "cq-recognition-sample");
    /* outside a transaction: refused */
    assert_int_not_equal(td_talent_code_issue(f.db, &f.approver, f.case_id, code, &err), TD_OK);
    /* a clerk may not issue */
    assert_td_ok(td_db_begin(f.db, &err), &err);
    assert_int_equal(td_talent_code_issue(f.db, &f.clerk, f.case_id, code, &err), TD_EDENIED);
    td_db_rollback(f.db);
    /* the approver, inside the approval transaction */
    assert_td_ok(td_db_begin(f.db, &err), &err);
    assert_td_ok(td_talent_code_issue(f.db, &f.approver, f.case_id, code, &err), &err);
    assert_td_ok(td_db_commit(f.db, &err), &err);
    assert_td_ok(td_talent_code_validate(code, NULL, &err), &err);
    assert_memory_equal(code, "CQ-", 3);

    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(f.db), "SELECT talent_code, tier_id, row_version FROM cases WHERE id = ?",
                       -1, &st, NULL);
    sqlite3_bind_text(st, 1, f.case_id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), code);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "leading");
    assert_int_equal(sqlite3_column_int(st, 2), 2);
    sqlite3_finalize(st);

    /* a second call returns the same code and changes nothing */
    char again[32];
    assert_td_ok(td_db_begin(f.db, &err), &err);
    assert_td_ok(td_talent_code_issue(f.db, &f.approver, f.case_id, again, &err), &err);
    assert_td_ok(td_db_commit(f.db, &err), &err);
    assert_string_equal(again, code);

    sqlite3_prepare_v2(td_db_handle(f.db),
                       "SELECT count(*) FROM audit_log WHERE action = 'talent_code.issue'", -1, &st,
                       NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int(st, 0), 2); /* talent_code and tier_id */
    sqlite3_finalize(st);

    /* lookup: exact, lower case, mistyped, unknown */
    td_talent_code_info info;
    assert_td_ok(td_talent_code_lookup(f.db, code, &info, &err), &err);
    assert_string_equal(info.case_id, f.case_id);
    assert_string_equal(info.tier_id, "leading");
    assert_string_equal(info.tier_name, "领军人才");
    char low[32];
    snprintf(low, sizeof low, "%s", code);
    for (char *p = low; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p += 32;
    assert_td_ok(td_talent_code_lookup(f.db, low, &info, &err), &err);
    char bad[32];
    snprintf(bad, sizeof bad, "%s", code);
    bad[4] = bad[4] == '2' ? '3' : '2';
    assert_int_equal(td_talent_code_lookup(f.db, bad, &info, &err), TD_EINVALID);
    char other[TD_TALENT_CODE_LEN];
    assert_td_ok(td_talent_code_make("CQ", other, &err), &err);
    assert_int_equal(td_talent_code_lookup(f.db, other, &info, &err), TD_ENOTFOUND);
    assert_td_ok(td_talent_code_of_case(f.db, f.case_id, &info, &err), &err);
    assert_string_equal(info.code, code);
    fx_teardown(&f);
}

static void test_issue_refuses_non_tier(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    /* A work-permit class (A/B/C) is not a 金凤凰 tier. */
    fx_fact(&f, f.person_id, "award=nobel", true);
    td_score_case_args a = { .case_key = f.case_id, .rule_set_id = "cn-work-permit-2017",
                             .as_of = "2026-06-01", .save = true };
    td_score_result r;
    assert_td_ok(td_score_case(f.db, &f.reviewer, &a, &r, NULL, &err), &err);
    td_score_result_free(&r);
    char code[32];
    assert_td_ok(td_db_begin(f.db, &err), &err);
    assert_int_equal(td_talent_code_issue(f.db, &f.approver, f.case_id, code, &err), TD_EINVALID);
    td_db_rollback(f.db);
    /* "none" (not recognised) neither. */
    char pid[TD_UUID_LEN], cid[TD_UUID_LEN];
    fx_person_case(&f, "无层次", pid, cid);
    score_case(&f, cid, "cq-recognition-sample");
    assert_td_ok(td_db_begin(f.db, &err), &err);
    assert_int_equal(td_talent_code_issue(f.db, &f.approver, cid, code, &err), TD_EINVALID);
    td_db_rollback(f.db);
    fx_teardown(&f);
}

static void test_codes_unique_over_many_cases(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    char codes[30][32];
    for (int i = 0; i < 30; i++) {
        char pid[TD_UUID_LEN], cid[TD_UUID_LEN];
        fx_person_case(&f, "批量", pid, cid);
        fx_fact(&f, pid, "degree=bachelor", true);
        score_case(&f, cid, "cq-recognition-sample");
        assert_td_ok(td_db_begin(f.db, &err), &err);
        assert_td_ok(td_talent_code_issue(f.db, &f.approver, cid, codes[i], &err), &err);
        assert_td_ok(td_db_commit(f.db, &err), &err);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(codes[i], codes[j]);
    }
    fx_teardown(&f);
}

/* ---- QR ------------------------------------------------------------------ */

/* Reads the half-block text back into a matrix and compares with qr. */
static void check_halfblock(const td_qr *qr, bool invert)
{
    char *txt = td_qr_halfblock(qr, invert);
    int n = qr->width + 4;
    int lines = 0;
    const char *p = txt;
    int y = -2;
    while (*p) {
        int x = -2;
        while (*p && *p != '\n') {
            bool top, bot;
            if (*p == ' ') {
                top = bot = false;
                p++;
            } else if (memcmp(p, "\xe2\x96\x88", 3) == 0) {
                top = bot = true;
                p += 3;
            } else if (memcmp(p, "\xe2\x96\x80", 3) == 0) {
                top = true;
                bot = false;
                p += 3;
            } else if (memcmp(p, "\xe2\x96\x84", 3) == 0) {
                top = false;
                bot = true;
                p += 3;
            } else {
                fail_msg("unexpected character in QR text");
                return;
            }
            /* ink == light modules by default */
            bool in = x >= 0 && x < qr->width;
            bool dt = in && y >= 0 && y < qr->width && qr->dark[y * qr->width + x];
            bool db = in && y + 1 >= 0 && y + 1 < qr->width && qr->dark[(y + 1) * qr->width + x];
            assert_int_equal(top, invert ? dt : !dt);
            if (y + 1 < qr->width + 2)
                assert_int_equal(bot, invert ? db : !db);
            x++;
        }
        assert_int_equal(x + 2, n);
        if (*p == '\n')
            p++;
        y += 2;
        lines++;
    }
    assert_int_equal(lines, (n + 1) / 2);
    free(txt);
}

static void test_qr_matrix_and_text(void **state)
{
    (void)state;
    td_err err;
    td_qr qr;
    assert_td_ok(td_qr_make("CQ-7KQ4-M9XD", &qr, &err), &err);
    assert_true(qr.version >= 1);
    assert_int_equal(qr.width, 21 + 4 * (qr.version - 1));
    /* finder pattern: the top-left 7×7 has a dark border and a light ring */
    for (int i = 0; i < 7; i++) {
        assert_true(qr.dark[i]);                    /* top row */
        assert_true(qr.dark[6 * qr.width + i]);     /* bottom row of the finder */
        assert_true(qr.dark[i * qr.width]);         /* left column */
    }
    assert_false(qr.dark[1 * qr.width + 1]);
    assert_true(qr.dark[3 * qr.width + 3]);
    check_halfblock(&qr, false);
    check_halfblock(&qr, true);
    td_qr_free(&qr);
}

/* When zbarimg (Debian zbar-tools) is installed, the PNG must decode back to
 * the code.  Without it this check is skipped (reported on stderr); the
 * matrix and file checks above still run. */
static void test_qr_png_decodes(void **state)
{
    (void)state;
    if (system("command -v zbarimg >/dev/null 2>&1") != 0) {
        fprintf(stderr, "note: zbarimg not installed, QR decode check skipped\n");
        return;
    }
    td_err err;
    char code[TD_TALENT_CODE_LEN], disp[TD_TALENT_CODE_LEN + 4];
    for (int i = 0; i < 5; i++) {
        assert_td_ok(td_talent_code_make(i % 2 ? "CQ" : "AIRPORT8", code, &err), &err);
        td_talent_code_format(code, disp);
        td_qr qr;
        assert_td_ok(td_qr_make(disp, &qr, &err), &err);
        char *png = td_test_tmpfile(".png");
        assert_td_ok(td_qr_write_png(&qr, png, 6, &err), &err);
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "zbarimg --quiet --raw '%s' 2>/dev/null", png);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        char got[128] = "";
        if (!fgets(got, sizeof got, p))
            got[0] = 0;
        pclose(p);
        got[strcspn(got, "\r\n")] = 0;
        assert_string_equal(got, disp);
        remove(png);
        free(png);
        td_qr_free(&qr);
    }
}

static void test_qr_png_svg_files(void **state)
{
    (void)state;
    td_err err;
    td_qr qr;
    assert_td_ok(td_qr_make("CQ-7KQ4-M9XD", &qr, &err), &err);
    char *png = td_test_tmpfile(".png");
    char *svg = td_test_tmpfile(".svg");
    assert_td_ok(td_qr_write_png(&qr, png, 4, &err), &err);
    assert_td_ok(td_qr_write_svg(&qr, svg, 4, &err), &err);
    FILE *fp = fopen(png, "rb");
    assert_non_null(fp);
    unsigned char hdr[24];
    assert_int_equal(fread(hdr, 1, sizeof hdr, fp), sizeof hdr);
    fclose(fp);
    assert_memory_equal(hdr, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(hdr + 12, "IHDR", 4);
    unsigned w = (unsigned)hdr[16] << 24 | (unsigned)hdr[17] << 16 | (unsigned)hdr[18] << 8 | hdr[19];
    assert_int_equal(w, (unsigned)(qr.width + 8) * 4);
    fp = fopen(svg, "r");
    assert_non_null(fp);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    assert_non_null(strstr(buf, "<svg"));
    assert_non_null(strstr(buf, "</svg>"));
    int dark = 0, moves = 0;
    for (int i = 0; i < qr.width * qr.width; i++)
        dark += qr.dark[i];
    for (const char *p = buf; (p = strchr(p, 'M')); p++)
        moves++;
    assert_int_equal(moves, dark);
    assert_int_equal(td_qr_write_png(&qr, "/nonexistent-dir/x.png", 4, &err), TD_EIO);
    assert_int_equal(td_qr_write_svg(&qr, "/nonexistent-dir/x.svg", 4, &err), TD_EIO);
    remove(png);
    remove(svg);
    free(png);
    free(svg);
    td_qr_free(&qr);
}


static void test_format_and_normalise_edges(void **state)
{
    (void)state;
    char out[TD_TALENT_CODE_LEN + 4], norm[TD_TALENT_CODE_LEN];
    td_talent_code_format("AIRPORT8ABCDEFGH", out);
    assert_string_equal(out, "AIRPORT8-ABCD-EFGH");
    td_talent_code_format("ABC", out); /* too short to split: as is */
    assert_string_equal(out, "ABC");
    assert_true(td_talent_code_normalize("cq\t7kq4\xe3\x80\x80m9xd", norm)); /* tab, U+3000 */
    assert_string_equal(norm, "CQ7KQ4M9XD");
    assert_true(td_talent_code_normalize("CQ\xe2\x80\x94" "7KQ4\xe2\x80\x93M9XD", norm)); /* em, en dash */
    assert_string_equal(norm, "CQ7KQ4M9XD");
    assert_false(td_talent_code_normalize("", norm));
    assert_false(td_talent_code_normalize(" - ", norm));
    assert_false(td_talent_code_normalize(NULL, norm));
    assert_false(td_talent_code_normalize("CQ\xff" "1234", norm));     /* invalid UTF-8 */
    assert_false(td_talent_code_normalize("CQ\xc3\xa9" "1234", norm)); /* é */
    char longer[64];
    memset(longer, 'A', 40);
    longer[40] = 0;
    assert_false(td_talent_code_normalize(longer, norm));
    td_err err;
    /* station 8 + 8 is the longest valid code */
    char code[TD_TALENT_CODE_LEN];
    assert_td_ok(td_talent_code_make("ABCDEFGH", code, &err), &err);
    assert_td_ok(td_talent_code_validate(code, NULL, &err), &err);
    assert_int_equal(td_talent_code_make("ABCDEFGHI", code, &err), TD_EINVALID);
    assert_int_equal(td_talent_code_make(NULL, code, &err), TD_EINVALID);
    assert_int_equal(td_talent_code_make("cq", code, &err), TD_EINVALID); /* lower case */
}

static void test_issue_by_admin_and_case_number(void **state)
{
    (void)state;
    fx f;
    fx_setup(&f);
    td_err err;
    td_err_clear(&err);
    fx_fact(&f, f.person_id, "award=academician_cas", true);
    score_case(&f, f.case_id, "cq-recognition-sample");
    char code[32];
    assert_td_ok(td_db_begin(f.db, &err), &err);
    assert_td_ok(td_talent_code_issue(f.db, &f.admin, f.case_id, code, &err), &err);
    assert_td_ok(td_db_commit(f.db, &err), &err);
    td_talent_code_info info;
    /* by case number too */
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(f.db), "SELECT case_no FROM cases WHERE id = ?", -1, &st, NULL);
    sqlite3_bind_text(st, 1, f.case_id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char case_no[32];
    snprintf(case_no, sizeof case_no, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_td_ok(td_talent_code_of_case(f.db, case_no, &info, &err), &err);
    assert_string_equal(info.code, code);
    assert_string_equal(info.tier_id, "top");
    assert_string_equal(info.person_name, "测试人");
    assert_false(info.revoked);
    /* the talent_codes row keeps the snapshot and station */
    sqlite3_prepare_v2(td_db_handle(f.db),
                       "SELECT t.snapshot_id = (SELECT id FROM score_snapshots LIMIT 1), t.station_id = ?"
                       " FROM talent_codes t",
                       -1, &st, NULL);
    sqlite3_bind_text(st, 1, f.admin.station_id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    assert_int_equal(sqlite3_column_int(st, 1), 1);
    sqlite3_finalize(st);
    /* codes are never deleted */
    assert_int_not_equal(sqlite3_exec(td_db_handle(f.db), "DELETE FROM talent_codes", NULL, NULL, NULL),
                         SQLITE_OK);
    /* an unknown case */
    assert_td_ok(td_db_begin(f.db, &err), &err);
    assert_int_equal(td_talent_code_issue(f.db, &f.admin, "nosuch", code, &err), TD_ENOTFOUND);
    td_db_rollback(f.db);
    assert_int_equal(td_talent_code_of_case(f.db, "nosuch", &info, &err), TD_ENOTFOUND);
    fx_teardown(&f);
}

static void test_qr_errors_and_sizes(void **state)
{
    (void)state;
    td_err err;
    td_qr qr;
    /* longer content needs a larger symbol */
    assert_td_ok(td_qr_make("CQ-7KQ4-M9XD", &qr, &err), &err);
    int small = qr.width;
    td_qr_free(&qr);
    char big[400];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_td_ok(td_qr_make(big, &qr, &err), &err);
    assert_true(qr.width > small);
    assert_int_equal(qr.width, 21 + 4 * (qr.version - 1));
    td_qr_free(&qr);
    /* far too long for any QR version */
    char *huge = malloc(10000);
    memset(huge, 'x', 9999);
    huge[9999] = 0;
    assert_int_equal(td_qr_make(huge, &qr, &err), TD_EINVALID);
    free(huge);
    td_qr_free(NULL);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_codes_valid_and_readable),
        cmocka_unit_test(test_every_single_substitution_caught),
        cmocka_unit_test(test_every_adjacent_transposition_caught),
        cmocka_unit_test(test_check_character_all_pairs),
        cmocka_unit_test(test_normalise_and_format),
        cmocka_unit_test(test_issue_in_transaction),
        cmocka_unit_test(test_issue_refuses_non_tier),
        cmocka_unit_test(test_codes_unique_over_many_cases),
        cmocka_unit_test(test_qr_matrix_and_text),
        cmocka_unit_test(test_qr_png_svg_files),
        cmocka_unit_test(test_qr_png_decodes),
        cmocka_unit_test(test_format_and_normalise_edges),
        cmocka_unit_test(test_issue_by_admin_and_case_number),
        cmocka_unit_test(test_qr_errors_and_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
