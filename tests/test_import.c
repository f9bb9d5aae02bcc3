/* test_import.c — persons from Excel CSV: header mapping, encodings, rejects
 * with line numbers, batches, dry runs, idempotence, BLNS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#include "base/audit.h"
#include "io/csv.h"
#include "io/decode.h"
#include "people/dedupe.h"
#include "io/import.h"
#include "io_corpus.h"
#include "io_fixtures.h"
#include "base/text.h"

#include <jansson.h>

#define HDR_ZH "姓名,证件类型,证件号码,性别,出生日期,国籍,手机号码,邮箱,人才类别,工作单位,领域,备注\r\n"

static void test_map_header(void **state)
{
    (void)state;
    assert_int_equal(td_import_map_header("姓名"), TD_IF_NAME);
    assert_int_equal(td_import_map_header(" *姓名 "), TD_IF_NAME);
    assert_int_equal(td_import_map_header("手机号码（必填）"), TD_IF_PHONE);
    assert_int_equal(td_import_map_header("手机"), TD_IF_PHONE);
    assert_int_equal(td_import_map_header("Name"), TD_IF_NAME);
    assert_int_equal(td_import_map_header("ID_NO"), TD_IF_ID_NO);
    assert_int_equal(td_import_map_header("E-mail (work)"), TD_IF_EMAIL);
    assert_int_equal(td_import_map_header("\xE3\x80\x80证件类型"), TD_IF_ID_TYPE);
    assert_int_equal(td_import_map_header("出生日期"), TD_IF_BIRTH);
    assert_int_equal(td_import_map_header("人才类别"), TD_IF_CATEGORY);
    assert_int_equal(td_import_map_header("工作单位"), TD_IF_EMPLOYER);
    assert_int_equal(td_import_map_header("领域"), TD_IF_FIELD);
    assert_int_equal(td_import_map_header("备注"), TD_IF_NOTES);
    assert_int_equal(td_import_map_header("国籍"), TD_IF_NATIONALITY);
    assert_int_equal(td_import_map_header("性别"), TD_IF_GENDER);
    assert_int_equal(td_import_map_header("邮箱"), TD_IF_EMAIL);
    assert_int_equal(td_import_map_header("籍贯"), TD_IF_NONE);
    assert_int_equal(td_import_map_header(""), TD_IF_NONE);
    assert_string_equal(td_import_field_header(TD_IF_ID_NO), "证件号码");
}

typedef struct fx {
    td_db *db;
    td_actor clerk;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->db = td_test_db_loaded();
    f->clerk = td_test_actor(f->db, "clerk1");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    td_db_close(f->db);
    free(f);
    return 0;
}

/* Builds a GBK-style CSV with a good row per given name. */
static char *rows_csv(int n, int seq0)
{
    size_t cap = 256 + (size_t)n * 256;
    char *s = malloc(cap);
    strcpy(s, HDR_ZH);
    for (int i = 0; i < n; i++) {
        char id[19];
        io_make_id("19850612", seq0 + i, id);
        char line[256];
        snprintf(line, sizeof line, "张%s,居民身份证,%s,,,CHN,1390000%04d,,,重庆大学,材料,\r\n",
                 i % 2 ? "伟" : "敏", id, seq0 + i);
        strcat(s, line);
    }
    return s;
}

static void cleanup(td_import_report *rep, const char *path)
{
    if (rep->reject_path[0])
        unlink(rep->reject_path);
    unlink(path);
}

static void test_import_gbk_with_rejects(void **state)
{
    fx *f = *state;
    char id1[19], id2[19], id3[19], bad[19];
    io_make_id("19491231", 2, id1);
    io_make_id("19800101", 13, id2);
    io_make_id("19900315", 24, id3);
    io_make_id("19700101", 35, bad);
    bad[17] = bad[17] == '0' ? '1' : '0'; /* wrong check character */
    char csv[4096];
    snprintf(csv, sizeof csv,
             HDR_ZH "王芳,居民身份证,%s,女,1949-12-31,CHN,13800138000,wf@example.com,,重庆大学,材料,\r\n"
                    "李强,居民身份证,%s,,,CHN,139001390,,,,,\r\n"       /* line 3: bad mobile */
                    "𠮷野家,居民身份证,%s,,,CHN,,,,,,\"备注,含逗号\"\r\n"
                    "赵敏,居民身份证,%s,,,CHN,,,,,,\r\n"                  /* line 5: bad check char */
                    ",居民身份证,%s,,,CHN,,,,,,\r\n"                      /* line 6: no name */
                    ",,,,,,,,,,,\r\n",                                     /* Excel's empty row */
             id1, id2, id3, bad, id2);
    char *path = io_write_file(csv, TD_ENC_GB18030, ".csv");
    td_import_report rep;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.encoding, TD_ENC_GB18030);
    assert_int_equal(rep.rows, 5);
    if (rep.added != 2) {
        size_t dn = 0;
        char *dbg = io_slurp(rep.reject_path, &dn), *du;
        size_t dul;
        td_decode_all(dbg, dn, TD_ENC_GB18030, &du, &dul, &err);
        fail_msg("added %ld; rejects: %s", rep.added, du);
    }
    assert_int_equal(rep.rejected, 3);
    assert_int_equal(rep.skipped, 0);
    assert_true(rep.reject_path[0]);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE name = '𠮷野家'"), 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE name = '王芳' AND gender = 'F' "
                                     "AND birth_date = '1949-12-31' AND phone = '13800138000'"),
                     1);
    /* an audit row per person and one for the import, chain intact */
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'person.import'"), 2);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'import.persons'"), 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM imports WHERE added = 2 AND rejected = 3"), 1);
    td_audit_report ar;
    assert_td_ok(td_audit_verify(f->db, &ar, &err), &err);

    /* the reject file is GB18030 like the input, with line and reason */
    size_t n = 0;
    char *raw = io_slurp(rep.reject_path, &n);
    assert_non_null(raw);
    td_enc_guess g = td_enc_detect((const unsigned char *)raw, n);
    assert_int_equal(g.enc, TD_ENC_GB18030);
    char *u;
    size_t ulen;
    assert_td_ok(td_decode_all(raw, n, TD_ENC_GB18030, &u, &ulen, &err), &err);
    assert_contains(u, "\r\n3,");
    assert_contains(u, "\r\n5,");
    assert_contains(u, "\r\n6,");
    assert_contains(u, "李强");
    assert_contains(u, "赵敏");
    assert_null(strstr(u, "王芳"));
    /* header: line, reason, then the original columns */
    assert_contains(u, "姓名,证件类型,证件号码");
    /* every reject line has a non-empty reason */
    json_t *unused = NULL;
    (void)unused;
    int lines = 0;
    for (char *p = strstr(u, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
        char *q = p + 2;
        char *c1 = strchr(q, ',');
        assert_non_null(c1);
        assert_cmp(c1[1], !=, ',');
        lines++;
    }
    assert_int_equal(lines, 3);
    free(u);
    free(raw);
    cleanup(&rep, path);
    free(path);
}

static void test_import_twice_adds_nothing(void **state)
{
    fx *f = *state;
    char *csv = rows_csv(25, 100);
    char *path = io_write_file(csv, TD_ENC_GB18030, ".csv");
    td_import_report rep;
    td_err err;
    td_import_opts o = { .batch = 7 };
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, &o, &rep, &err), &err);
    assert_int_equal(rep.added, 25);
    long persons = io_count(f->db, "SELECT count(*) FROM persons");
    long audits = io_count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'person.import'");
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, &o, &rep, &err), &err);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.skipped, 25);
    assert_int_equal(rep.rejected, 0);
    assert_int_equal(rep.reject_path[0], '\0');
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons"), persons);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'person.import'"), audits);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM imports"), 2);
    cleanup(&rep, path);
    free(path);
    free(csv);
}

static void test_import_changed_details_rejected(void **state)
{
    fx *f = *state;
    char id[19];
    io_make_id("19851212", 41, id);
    char csv[1024];
    snprintf(csv, sizeof csv, "name,id_no,phone\n刘洋,%s,13912345678\n刘洋,%s,13912345678\n刘阳,%s,\n", id, id, id);
    char *path = io_write_file(csv, TD_ENC_UTF8, ".csv");
    td_import_report rep;
    td_err err;
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 1);
    assert_int_equal(rep.skipped, 1);   /* same row twice in one file */
    assert_int_equal(rep.rejected, 1);  /* same document, other name */
    size_t n = 0;
    char *rj = io_slurp(rep.reject_path, &n);
    assert_contains(rj, "刘阳");
    assert_contains(rj, "\r\n4,");
    free(rj);
    cleanup(&rep, path);
    free(path);
}

static void test_import_dry_run(void **state)
{
    fx *f = *state;
    char *csv = rows_csv(5, 300);
    strcat(csv, "坏行,居民身份证,123,,,,,,,,,\r\n");
    char *path = io_write_file(csv, TD_ENC_UTF8_BOM, ".csv");
    long before = io_count(f->db, "SELECT count(*) FROM persons");
    long audit_before = io_count(f->db, "SELECT count(*) FROM audit_log");
    td_import_report rep;
    td_err err;
    td_import_opts o = { .dry_run = true, .batch = 2 };
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, &o, &rep, &err), &err);
    assert_int_equal(rep.encoding, TD_ENC_UTF8_BOM);
    assert_int_equal(rep.added, 5);
    assert_int_equal(rep.rejected, 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons"), before);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM audit_log"), audit_before);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM imports"), 0);
    /* the reject file is UTF-8 with a BOM, like the input */
    size_t n = 0;
    char *rj = io_slurp(rep.reject_path, &n);
    assert_memory_equal(rj, "\xEF\xBB\xBF", 3);
    assert_contains(rj, "坏行");
    free(rj);
    cleanup(&rep, path);
    free(path);
    free(csv);
}

static void test_import_english_header_and_ignored(void **state)
{
    fx *f = *state;
    char id[19];
    io_make_id("19770707", 51, id);
    char csv[512];
    snprintf(csv, sizeof csv, "Name,ID Number,Mobile,Hometown\nAlice Wang,%s,+86 139-0000-1111,Paris\n", id);
    char *path = io_write_file(csv, TD_ENC_UTF8, ".csv");
    td_import_report rep;
    td_err err;
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 1);
    assert_string_equal(rep.ignored_columns, "Hometown");
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE phone = '13900001111'"), 1);
    cleanup(&rep, path);
    free(path);
}

static void test_import_header_missing_columns(void **state)
{
    fx *f = *state;
    char *path = io_write_file("姓名,手机\n张三,13900001111\n", TD_ENC_UTF8, ".csv");
    td_import_report rep;
    td_err err;
    assert_int_equal(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), TD_EINVALID);
    assert_contains(err.msg, "证件号码");
    unlink(path);
    free(path);
    /* empty file */
    path = io_write_file("", TD_ENC_UTF8, ".csv");
    assert_int_equal(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), TD_EINVALID);
    unlink(path);
    free(path);
    /* missing file */
    assert_int_equal(td_import_persons(f->db, &f->clerk, "/nonexistent/x.csv", NULL, &rep, &err), TD_EIO);
}

static void test_import_denied_for_reviewer(void **state)
{
    fx *f = *state;
    td_actor rv = td_test_actor(f->db, "reviewer1");
    td_import_report rep;
    td_err err;
    assert_int_equal(td_import_persons(f->db, &rv, "/dev/null", NULL, &rep, &err), TD_EDENIED);
}

/* A GB18030 file cut in the middle of a character: the last row is rejected
 * with its line; the rest imports. */
static void test_import_truncated_file(void **state)
{
    fx *f = *state;
    char *csv = rows_csv(3, 400);
    strcat(csv, "欧阳娜娜,居民身份证,11010519491231002X,,,,,,,,,\r\n");
    strcat(csv, "诸葛亮");
    char *bytes;
    size_t n = 0;
    td_err err;
    assert_td_ok(td_encode_all(csv, strlen(csv), TD_ENC_GB18030, &bytes, &n, &err), &err);
    char *path = td_test_tmpfile(".csv");
    io_write_bytes(path, bytes, n - 1); /* cut the last character (亮) in half */
    td_import_report rep;
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 4);
    assert_int_equal(rep.rejected, 1);
    size_t rn = 0;
    char *rj = io_slurp(rep.reject_path, &rn);
    char *u;
    size_t ul;
    td_decoder *d;
    (void)d;
    assert_td_ok(td_decode_all(rj, rn, TD_ENC_GB18030, &u, &ul, &err), &err);
    assert_contains(u, "\r\n6,"); /* line 6 of the file */
    assert_contains(u, "第 6 行");
    free(u);
    free(rj);
    cleanup(&rep, path);
    free(path);
    free(bytes);
    free(csv);
}

static void test_import_invalid_bytes_row(void **state)
{
    fx *f = *state;
    char id1[19], id2[19];
    io_make_id("19660606", 61, id1);
    io_make_id("19660606", 63, id2);
    char csv[512];
    /* line 2 has 0xFF inside a GB18030 file: only that row is rejected */
    snprintf(csv, sizeof csv, "\xD0\xD5\xC3\xFB,id_no\n\xD5\xC5\xFF,%s\n\xC0\xEE\xCB\xC4,%s\n", id1, id2);
    char *path = td_test_tmpfile(".csv");
    io_write_bytes(path, csv, strlen(csv));
    td_import_report rep;
    td_err err;
    td_import_opts o = { .encoding = TD_ENC_GB18030 };
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, &o, &rep, &err), &err);
    assert_int_equal(rep.added, 1);
    assert_int_equal(rep.rejected, 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE name = '李四'"), 1);
    size_t rn = 0;
    char *rj = io_slurp(rep.reject_path, &rn);
    char *u;
    size_t ul;
    assert_td_ok(td_decode_all(rj, rn, TD_ENC_GB18030, &u, &ul, &err), &err);
    assert_contains(u, "0xFF");
    assert_contains(u, "第 2 行");
    free(u);
    free(rj);
    cleanup(&rep, path);
    free(path);
}

static void test_import_probable_duplicate(void **state)
{
    fx *f = *state;
    char id1[19];
    io_make_id("19881010", 71, id1);
    char csv[512];
    /* the same person twice: resident ID, then a passport (other document) */
    snprintf(csv, sizeof csv,
             "姓名,证件类型,证件号码,出生日期,手机\n陈静,resident,%s,,13611112222\n陈静,passport,E12345678,"
             "1988-10-10,\n",
             id1);
    char *path = io_write_file(csv, TD_ENC_UTF8, ".csv");
    td_import_report rep;
    td_err err;
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 2);
    assert_int_equal(rep.probable, 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM dupe_candidates WHERE kind = 'name_birth' "
                                     "AND source = 'import' AND status = 'open'"),
                     1);
    cleanup(&rep, path);
    free(path);
}

static int progress_calls;
static void on_progress(void *ud, long rows, long long done, long long total)
{
    (void)ud;
    assert_cmp(rows, >=, 0);
    assert_cmp(done, <=, total);
    progress_calls++;
}

static void test_import_progress_and_batches(void **state)
{
    fx *f = *state;
    char *csv = rows_csv(950, 0); /* distinct sequences: 0..949 */
    /* make ids unique across the name variants: sequence spans 0..949 */
    char *path = io_write_file(csv, TD_ENC_GB18030, ".csv");
    td_import_report rep;
    td_err err;
    progress_calls = 0;
    td_import_opts o = { .batch = 100, .progress = on_progress };
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, &o, &rep, &err), &err);
    assert_int_equal(rep.added, 950);
    assert_cmp(progress_calls, >=, 1);
    cleanup(&rep, path);
    free(path);
    free(csv);
}

/* No stored text may carry a control character. */
static bool has_raw_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return true;
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            return true;
    }
    return false;
}

/* Every BLNS string, as a name and as notes: imported or rejected with a
 * reason, never crashing, never stored with raw control characters. */
static void test_import_blns(void **state)
{
    fx *f = *state;
    char path[4096];
    size_t jn;
    char *js = io_slurp(io_corpus("blns/blns.json", path, sizeof path), &jn);
    if (!js)
        fail_msg("missing %s", path);
    json_error_t je;
    json_t *list = json_loads(js, 0, &je);
    assert_non_null(list);
    size_t count = json_array_size(list);
    assert_cmp(count, >, 400);
    for (int pass = 0; pass < 2; pass++) {
        char *buf = NULL;
        size_t len = 0, cap = 0;
        const char *hdr = "姓名,证件号码,备注\r\n";
        td_csv_append_field(&buf, &len, &cap, "", ',');
        buf = realloc(buf, cap + strlen(hdr) + 1);
        cap += strlen(hdr) + 1;
        strcpy(buf, hdr);
        len = strlen(hdr);
        long nonblank = 0;
        for (size_t i = 0; i < count; i++) {
            const char *s = json_string_value(json_array_get(list, i));
            size_t sl = json_string_length(json_array_get(list, i));
            if (!s || strlen(s) != sl)
                continue; /* (no BLNS string holds NUL; keep the check) */
            char id[19];
            io_make_id(pass ? "19700101" : "19600101", (int)i, id);
            /* sequences wrap at 1000: vary the date by block */
            char ymd[9];
            snprintf(ymd, sizeof ymd, "19%02d0%d%02d", 50 + pass * 20 + (int)(i / 1000), 1 + (int)(i % 9),
                     10 + (int)(i / 9 % 18));
            io_make_id(ymd, (int)i, id);
            const char *name = pass ? "测试" : s;
            const char *notes = pass ? s : "";
            td_csv_append_field(&buf, &len, &cap, name, ',');
            buf[len++] = ',';
            buf[len] = 0;
            td_csv_append_field(&buf, &len, &cap, id, ',');
            buf[len++] = ',';
            buf[len] = 0;
            td_csv_append_field(&buf, &len, &cap, notes, ',');
            td_csv_append_field(&buf, &len, &cap, "", ',');
            memcpy(buf + len, "\r\n", 3);
            len += 2;
            if (*name || *notes)
                nonblank++;
            else
                nonblank++; /* the ID column is never empty */
        }
        char *p2 = td_test_tmpfile(".csv");
        io_write_bytes(p2, buf, len);
        td_import_report rep;
        td_err err;
        td_err_clear(&err);
        td_import_opts o = { .encoding = TD_ENC_UTF8 };
        assert_td_ok(td_import_persons(f->db, &f->clerk, p2, &o, &rep, &err), &err);
        assert_int_equal(rep.rows, nonblank);
        assert_int_equal(rep.added + rep.rejected + rep.skipped, rep.rows);
        assert_cmp(rep.added, >, 0);
        assert_true(pass == 1 || rep.rejected > 0);
        /* every rejected row is in the reject file with a reason */
        if (rep.rejected) {
            FILE *rf = fopen(rep.reject_path, "rb");
            assert_non_null(rf);
            td_decoder *d;
            assert_td_ok(td_decoder_open(rf, TD_ENC_UTF8, &d, &err), &err);
            td_csv *c = td_csv_new(td_decoder_read, d, ',');
            td_csv_record *r;
            long rej = -1;
            for (;;) {
                assert_td_ok(td_csv_next(c, &r, &err), &err);
                if (!r)
                    break;
                if (rej >= 0) {
                    assert_cmp(r->nfields, >=, 2);
                    assert_cmp(atol(r->fields[0]), >=, 2);
                    assert_cmp(r->lens[1], >, 0);
                }
                rej++;
            }
            assert_int_equal(rej, rep.rejected);
            td_csv_free(c);
            td_decoder_free(d);
            fclose(rf);
        }
        cleanup(&rep, p2);
        free(p2);
        free(buf);
    }
    /* nothing stored carries a raw control character */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(f->db), "SELECT name, notes FROM persons", -1, &st, NULL),
                     SQLITE_OK);
    long seen = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *notes = (const char *)sqlite3_column_text(st, 1);
        if (has_raw_control(name) || has_raw_control(notes))
            fail_msg("stored with a control character: %s", name);
        if (!td_text_is_clean(name))
            fail_msg("stored name not clean: %s", name);
        seen++;
    }
    sqlite3_finalize(st);
    assert_cmp(seen, >, 400);
    json_decref(list);
    free(js);
}


/* Excel's "Unicode text": UTF-16LE with a BOM, tab-separated; the reject
 * file comes back in the same form. */
static void test_import_utf16_tab(void **state)
{
    fx *f = *state;
    char id1[19];
    io_make_id("19930303", 101, id1);
    char txt[512];
    snprintf(txt, sizeof txt, "姓名\t证件号码\t手机\r\n孙磊\t%s\t13700001111\r\n坏行\tX1\t\r\n", id1);
    char *path = io_write_file(txt, TD_ENC_UTF16LE, ".txt");
    td_import_report rep;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.encoding, TD_ENC_UTF16LE);
    assert_int_equal(rep.added, 1);
    assert_int_equal(rep.rejected, 1);
    size_t n = 0;
    char *rj = io_slurp(rep.reject_path, &n);
    assert_memory_equal(rj, "\xFF\xFE", 2);
    char *u;
    size_t ul;
    assert_td_ok(td_decode_all(rj, n, TD_ENC_UNKNOWN, &u, &ul, &err), &err);
    assert_contains(u, "\r\n3\t");
    assert_contains(u, "坏行");
    free(u);
    free(rj);
    cleanup(&rep, path);
    free(path);
}

/* Forcing UTF-8 on a GBK file: nothing mojibake is stored, every row is
 * rejected with the offending bytes and its line. */
static void test_import_wrong_encoding_forced(void **state)
{
    fx *f = *state;
    char id1[19], id2[19];
    io_make_id("19700707", 111, id1);
    io_make_id("19700707", 113, id2);
    char csv[512];
    snprintf(csv, sizeof csv, "name,id_no\n王芳,%s\n李强,%s\n", id1, id2);
    char *path = io_write_file(csv, TD_ENC_GB18030, ".csv");
    td_import_report rep;
    td_err err;
    td_import_opts o = { .encoding = TD_ENC_UTF8 };
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, &o, &rep, &err), &err);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.rejected, 2);
    size_t n = 0;
    char *rj = io_slurp(rep.reject_path, &n);
    assert_contains(rj, "第 2 行");
    assert_contains(rj, "第 3 行");
    free(rj);
    cleanup(&rep, path);
    free(path);
    /* and auto-detection gets it right */
    path = io_write_file(csv, TD_ENC_GB18030, ".csv");
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 2);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE name IN ('王芳','李强')"), 2);
    cleanup(&rep, path);
    free(path);
}

static void test_import_row_shapes(void **state)
{
    fx *f = *state;
    char ids[6][19];
    for (int i = 0; i < 6; i++)
        io_make_id("19810101", 121 + 2 * i, ids[i]);
    char longname[300];
    memset(longname, 'A', 280);
    longname[280] = 0;
    char csv[4096];
    snprintf(csv, sizeof csv,
             "姓名,证件号码,姓名,备注\n"
             "甲一,%s,乙二,ok\n"                       /* line 2: second 姓名 column ignored */
             "甲二,%s,,note,extra\n"                   /* line 3: more fields than the header */
             "%s,%s,,\n"                               /* line 4: too long for the name */
             "\"甲\"四,%s,,\n"                         /* line 5: text after a closing quote */
             "甲五,%s,,\"bell\a\"\n"                    /* line 6: control character */
             "甲六,%s,,\"open\n",                      /* line 7: quote never closed */
             ids[0], ids[1], longname, ids[2], ids[3], ids[4], ids[5]);
    char *path = io_write_file(csv, TD_ENC_UTF8, ".csv");
    td_import_report rep;
    td_err err;
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.rows, 6);
    assert_int_equal(rep.added, 1);
    assert_int_equal(rep.rejected, 5);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE name = '甲一' AND notes = 'ok'"), 1);
    size_t n = 0;
    char *rj = io_slurp(rep.reject_path, &n);
    for (int line = 3; line <= 7; line++) {
        char key[16];
        snprintf(key, sizeof key, "\r\n%d,", line);
        if (!strstr(rj, key))
            fail_msg("line %d not in rejects:\n%s", line, rj);
    }
    free(rj);
    cleanup(&rep, path);
    free(path);
}

static void test_import_private_use_name(void **state)
{
    fx *f = *state;
    char id1[19];
    io_make_id("19720202", 131, id1);
    /* GB18030 user-defined area AAA1 → U+E000 inside a name */
    char csv[256];
    snprintf(csv, sizeof csv, "\xD0\xD5\xC3\xFB,id_no\n\xD5\xC5\xAA\xA1,%s\n", id1);
    char *path = td_test_tmpfile(".csv");
    io_write_bytes(path, csv, strlen(csv));
    td_import_report rep;
    td_err err;
    td_import_opts o = { .encoding = TD_ENC_GB18030 };
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, &o, &rep, &err), &err);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.rejected, 1);
    size_t n = 0;
    char *rj = io_slurp(rep.reject_path, &n);
    /* the reason names the code point (ASCII inside GB18030), and the row is
     * written back with the character as it came (AAA1) */
    assert_non_null(memmem(rj, n, "U+E000", 6));
    assert_non_null(memmem(rj, n, "\xD5\xC5\xAA\xA1", 4));
    free(rj);
    cleanup(&rep, path);
    free(path);
}

static void test_import_category_by_name(void **state)
{
    fx *f = *state;
    char id1[19];
    io_make_id("19860606", 141, id1);
    /* the Chinese name of a category from data/categories.tdp */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(f->db), "SELECT id, name FROM talent_categories LIMIT 1", -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char cid[64], cname[128];
    snprintf(cid, sizeof cid, "%s", (const char *)sqlite3_column_text(st, 0));
    snprintf(cname, sizeof cname, "%s", (const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    char csv[512];
    snprintf(csv, sizeof csv, "姓名,证件号码,人才类别\n周婷,%s,%s\n吴昊,%s,不存在的类别\n", id1, cname, id1);
    char *path = io_write_file(csv, TD_ENC_UTF8, ".csv");
    td_import_report rep;
    td_err err;
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 1);
    assert_int_equal(rep.rejected, 1);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM persons WHERE name = '周婷' AND category_id = '%s'", cid);
    assert_int_equal(io_count(f->db, sql), 1);
    cleanup(&rep, path);
    free(path);
}

/* A person merged away is not imported again from the same file. */
static void test_import_after_merge_adds_nothing(void **state)
{
    fx *f = *state;
    char id1[19];
    io_make_id("19791111", 151, id1);
    char csv[512];
    snprintf(csv, sizeof csv, "姓名,证件类型,证件号码,出生日期\n郑丽,resident,%s,\n郑丽,passport,E77777777,1979-11-11\n",
             id1);
    char *path = io_write_file(csv, TD_ENC_UTF8, ".csv");
    td_import_report rep;
    td_err err;
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 2);
    assert_int_equal(rep.probable, 1);
    char a[40], b[40];
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(f->db), "SELECT person_a, person_b FROM dupe_candidates", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(a, sizeof a, "%s", (const char *)sqlite3_column_text(st, 0));
    snprintf(b, sizeof b, "%s", (const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    char mid[TD_UUID_LEN];
    assert_td_ok(td_dupe_merge(f->db, &f->clerk, a, b, "同一人", mid, &err), &err);
    long before = io_count(f->db, "SELECT count(*) FROM persons");
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.skipped, 2);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons"), before);
    cleanup(&rep, path);
    free(path);
}

/* 国籍 and 留学国家 as counters write them; an unknown one is named in the
 * reject report; education columns map; an unknown header is still reported. */
static void test_import_countries_and_education(void **state)
{
    fx *f = *state;
    assert_int_equal(td_import_map_header("最高学历"), TD_IF_EDUCATION);
    assert_int_equal(td_import_map_header("最高学历/学位"), TD_IF_EDUCATION);
    assert_int_equal(td_import_map_header("Highest degree"), TD_IF_EDUCATION);
    assert_int_equal(td_import_map_header("毕业院校"), TD_IF_SCHOOL);
    assert_int_equal(td_import_map_header("留学国家（地区）"), TD_IF_STUDY_COUNTRY);
    assert_int_equal(td_import_map_header("Country of study"), TD_IF_STUDY_COUNTRY);
    assert_int_equal(td_import_map_header("回国时间"), TD_IF_RETURNED);
    char id1[19], id2[19], id3[19];
    io_make_id("19850101", 161, id1);
    io_make_id("19860202", 162, id2);
    io_make_id("19870303", 163, id3);
    char csv[1024];
    snprintf(csv, sizeof csv,
             "姓名,证件号码,国籍,最高学历,毕业院校,留学国家,回国时间,血型\r\n"
             "甲一,%s,中国,博士,帝国理工学院,英国,2020-09-01,A\r\n"
             "乙二,%s,中华人民共和国,Master of Science,MIT,United States,2021/07/15,B\r\n"
             "丙三,%s,火星国,本科,,,,O\r\n"
             "丁四,E11112222,中国,,,月球,,O\r\n",
             id1, id2, id3);
    char *path = io_write_file(csv, TD_ENC_GB18030, ".csv");
    td_import_report rep;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 2);
    assert_int_equal(rep.rejected, 2);
    assert_string_equal(rep.ignored_columns, "血型");
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE nationality = 'CHN'"), 2);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE name = '乙二' AND study_country = 'USA' "
                                     "AND returned_on = '2021-07-15' AND education = 'Master of Science'"),
                     1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM facts WHERE name = 'degree' AND value = 'doctorate'"), 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM facts WHERE name = 'degree' AND value = 'master'"), 1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM facts WHERE name = 'returnee' AND status = 'claimed'"), 2);
    size_t rn = 0;
    char *rj = io_slurp(rep.reject_path, &rn), *ru;
    size_t rul;
    assert_td_ok(td_decode_all(rj, rn, TD_ENC_GB18030, &ru, &rul, &err), &err);
    assert_non_null(strstr(ru, "火星国"));
    assert_non_null(strstr(ru, "月球"));
    assert_null(strstr(ru, "过长"));
    free(ru);
    free(rj);
    /* idempotent: nothing added, no second set of facts */
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.skipped, 2);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM facts"), 4);
    cleanup(&rep, path);
    free(path);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_header),
        cmocka_unit_test_setup_teardown(test_import_gbk_with_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_twice_adds_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_changed_details_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_dry_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_english_header_and_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_header_missing_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_denied_for_reviewer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_truncated_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_invalid_bytes_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_probable_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_progress_and_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_blns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_utf16_tab, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_wrong_encoding_forced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_row_shapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_private_use_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_category_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_after_merge_adds_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_countries_and_education, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
