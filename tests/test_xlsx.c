/* test_xlsx.c — the .xlsx reader (shared, inline and rich strings, numbers,
 * serial dates, 1904 workbooks, DTDs refused, streaming) and importing
 * persons from a workbook exactly as from the same data in CSV.  Fixtures
 * are built at test time by tests/xlsx/make_xlsx.py (openpyxl, zipfile). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "test_util.h"

#include "io/export.h"
#include "io/import.h"
#include "io/xlsx.h"
#include "io_corpus.h"
#include "io_fixtures.h"

/* Builds a fixture; returns its path (caller frees) or NULL (test skipped)
 * when python3 or openpyxl is missing. */
static char *fixture(const char *kind, const char *a1, const char *a2)
{
    char *out = td_test_tmpfile(".xlsx");
    char cmd[8192];
    /* Debian's python3-openpyxl belongs to /usr/bin/python3 (another python3 may come first in PATH) */
    const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    snprintf(cmd, sizeof cmd, "%s '%s/tests/xlsx/make_xlsx.py' %s '%s' %s %s", py, td_test_src_dir(), kind, out,
             a1 ? a1 : "", a2 ? a2 : "");
    if (system(cmd) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

static void test_serial_dates(void **state)
{
    (void)state;
    char d[11];
    assert_true(td_xlsx_serial_date("1", false, d));
    assert_string_equal(d, "1900-01-01");
    assert_true(td_xlsx_serial_date("59", false, d));
    assert_string_equal(d, "1900-02-28");
    assert_false(td_xlsx_serial_date("60", false, d)); /* Excel's 1900-02-29 never was */
    assert_true(td_xlsx_serial_date("61", false, d));
    assert_string_equal(d, "1900-03-01");
    assert_true(td_xlsx_serial_date("43831", false, d));
    assert_string_equal(d, "2020-01-01");
    assert_true(td_xlsx_serial_date("43831.75", false, d)); /* a time of day is dropped */
    assert_string_equal(d, "2020-01-01");
    assert_true(td_xlsx_serial_date("0", true, d));
    assert_string_equal(d, "1904-01-01");
    assert_true(td_xlsx_serial_date("42369", true, d));
    assert_string_equal(d, "2020-01-01");
    assert_false(td_xlsx_serial_date("abc", false, d));
    assert_false(td_xlsx_serial_date("-3", false, d));
    assert_false(td_xlsx_serial_date("1e9", false, d));
    assert_false(td_xlsx_serial_date("", false, d));
}

static void test_read_handmade(void **state)
{
    (void)state;
    char *path = fixture("handmade", NULL, NULL);
    if (!path)
        skip();
    td_xlsx *x;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_xlsx_open(path, NULL, &x, &err), &err);
    assert_true(td_xlsx_date1904(x));
    td_xlsx_row *r;
    assert_td_ok(td_xlsx_next(x, &r, &err), &err);
    assert_non_null(r);
    assert_int_equal(r->row, 1);
    assert_int_equal(r->ncells, 5);
    assert_string_equal(r->cells[0], "姓名");
    assert_string_equal(r->cells[1], "证件号码"); /* rich text runs joined */
    assert_string_equal(r->cells[2], " 出生日期 ");
    assert_string_equal(r->cells[3], "国籍");     /* inline string */
    assert_td_ok(td_xlsx_next(x, &r, &err), &err);
    assert_int_equal(r->row, 3);                  /* row 2 does not exist */
    assert_string_equal(r->cells[0], "张三");     /* the phonetic run is not text */
    assert_string_equal(r->cells[1], "E12345678");
    assert_string_equal(r->cells[2], "31776");
    assert_int_equal(r->kinds[2], TD_XC_NUMBER);
    assert_int_equal(r->kinds[1], TD_XC_TEXT);
    assert_string_equal(r->cells[4], "TRUE");
    assert_int_equal(r->kinds[4], TD_XC_BOOL);
    char d[11];
    assert_true(td_xlsx_serial_date(r->cells[2], td_xlsx_date1904(x), d));
    assert_string_equal(d, "1990-12-31");
    assert_td_ok(td_xlsx_next(x, &r, &err), &err);
    assert_int_equal(r->row, 4);
    assert_string_equal(r->cells[0], "李&四");
    assert_string_equal(r->cells[2], "1990-01-01"); /* a formula's cached result */
    assert_int_equal(r->ncells, 4);
    assert_td_ok(td_xlsx_next(x, &r, &err), &err);
    assert_null(r);
    td_xlsx_close(x);
    /* no such sheet: the message lists the sheets there are */
    assert_int_equal(td_xlsx_open(path, "人员", &x, &err), TD_EINVALID);
    assert_non_null(strstr(err.msg, "Sheet1"));
    assert_non_null(strstr(err.msg, "人员"));
    unlink(path);
    free(path);
}

static void test_refuses_dtd_and_non_workbooks(void **state)
{
    (void)state;
    char *path = fixture("bad", NULL, NULL);
    if (!path)
        skip();
    td_xlsx *x;
    td_xlsx_row *r;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_xlsx_open(path, NULL, &x, &err), &err);
    assert_int_equal(td_xlsx_next(x, &r, &err), TD_EINVALID);
    assert_null(r);
    assert_int_equal(td_xlsx_next(x, &r, &err), TD_EINVALID); /* stays failed */
    td_xlsx_close(x);
    unlink(path);
    free(path);
    assert_int_equal(td_xlsx_open_mem("PK\x03\x04garbage", 11, NULL, &x, &err), TD_EINVALID);
    char *txt = io_write_file("姓名,证件号码\r\n", TD_ENC_UTF8, ".xlsx");
    assert_false(td_xlsx_sniff(txt));
    assert_int_equal(td_xlsx_open(txt, NULL, &x, &err), TD_EINVALID);
    unlink(txt);
    free(txt);
}

/* Lower-case references are columns too; a reference naming no column in an
 * empty element (<c r="2B"/>, where expat calls the end handler after the
 * start handler refused it) fails the sheet with the reference in the
 * message, writes nothing, and the reader stays failed. */
static void test_cell_references(void **state)
{
    (void)state;
    char *path = fixture("refs", NULL, NULL);
    if (!path)
        skip();
    td_xlsx *x;
    td_xlsx_row *r;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_xlsx_open(path, NULL, &x, &err), &err);
    assert_td_ok(td_xlsx_next(x, &r, &err), &err);
    assert_non_null(r);
    assert_int_equal(r->row, 1);
    assert_int_equal(r->ncells, 3);
    assert_string_equal(r->cells[0], "");
    assert_string_equal(r->cells[1], "乙");
    assert_string_equal(r->cells[2], "7");
    assert_int_equal(r->kinds[2], TD_XC_NUMBER);
    assert_int_equal(td_xlsx_next(x, &r, &err), TD_EINVALID);
    assert_null(r);
    assert_non_null(strstr(err.msg, "2B"));
    assert_non_null(strstr(err.msg, "1")); /* after row 1 */
    assert_int_equal(td_xlsx_next(x, &r, &err), TD_EINVALID);
    assert_null(r);
    td_xlsx_close(x);
    unlink(path);
    free(path);
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* 100,000 rows (an uncompressed sheet of about 25 MB) read with memory that
 * does not grow with the sheet. */
static void test_streams_big_sheet(void **state)
{
    (void)state;
    char *path = fixture("big", "100000", NULL);
    if (!path)
        skip();
    long before = max_rss_kb();
    td_xlsx *x;
    td_xlsx_row *r;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_xlsx_open(path, NULL, &x, &err), &err);
    long rows = 0;
    for (;;) {
        assert_td_ok(td_xlsx_next(x, &r, &err), &err);
        if (!r)
            break;
        rows++;
        if (rows == 100001)
            assert_string_equal(r->cells[1], "E00100001");
    }
    long long done, total;
    td_xlsx_progress(x, &done, &total);
    td_xlsx_close(x);
    assert_int_equal(rows, 100001);
    assert_true(total > 20 * 1000 * 1000);
    long grew = max_rss_kb() - before;
#ifndef __SANITIZE_ADDRESS__ /* ASan's quarantine keeps freed memory resident: RSS says nothing there */
    if (grew > 8 * 1024) {
        unlink(path);
        free(path);
        fail_msg("reading the sheet grew the process by %ld KiB (the sheet is %lld bytes)", grew, total);
    }
#else
    (void)grew;
#endif
    unlink(path);
    free(path);
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

/* The persons sheet exported as UTF-8 CSV (comparable across databases). */
static char *export_text(td_db *db, td_actor *a)
{
    char *out = td_test_tmpfile(".csv");
    long rows;
    td_err err;
    td_err_clear(&err);
    td_export_opts full = { .purpose = "round trip test" };
    assert_td_ok(td_export(db, a, TD_EXPORT_PERSONS, out, &full, &rows, &err), &err);
    size_t n;
    char *b = io_slurp(out, &n);
    unlink(out);
    free(out);
    return b;
}

static void test_import_workbook_like_csv(void **state)
{
    fx *f = *state;
    char id1[19], id2[19];
    io_make_id("19491231", 1, id1);
    io_make_id("19800229", 2, id2);
    char *path = fixture("returnees", id1, id2);
    if (!path)
        skip();
    td_import_report rep;
    td_err err;
    td_err_clear(&err);
    /* the first sheet is the instructions: no name column */
    assert_int_equal(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), TD_EINVALID);
    td_import_opts o = { .sheet = "回国人员" };
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, &o, &rep, &err), &err);
    assert_int_equal(rep.rows, 4);
    assert_int_equal(rep.added, 3);
    assert_int_equal(rep.rejected, 1);
    assert_string_equal(rep.ignored_columns, "政治面貌");
    assert_int_equal(rep.facts, 4); /* 2 degrees + 2 returnees */
    /* the rounded identity number: rejected, the message says how to fix it */
    size_t rn;
    char *rj = io_slurp(rep.reject_path, &rn);
    assert_non_null(strstr(rj, "5.0010619921e+17"));
    assert_non_null(strstr(rj, "设置为“文本”格式"));
    assert_non_null(strstr(rj, "李强"));
    assert_non_null(strstr(rj, "\r\n5,")); /* Excel's row number */
    free(rj);
    unlink(rep.reject_path);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE name = '王伟' AND birth_date = '1949-12-31' "
                                     "AND phone = '13800138000' AND nationality = 'CHN' AND study_country = 'GBR' "
                                     "AND returned_on = '2019-06-30' AND education = '博士研究生'"),
                     1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE name = '𠮷野家' AND study_country = 'HKG'"), 1);
    /* twice: nothing added */
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, &o, &rep, &err), &err);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.skipped, 3);
    unlink(rep.reject_path);

    /* the same rows as CSV into another database give the same persons */
    char csv[2048];
    snprintf(csv, sizeof csv,
             "姓名,性别,出生日期,证件类型,证件号码,手机号码,国籍,最高学历,毕业院校,留学国家,回国时间,工作单位\r\n"
             "王伟,男,1949-12-31,居民身份证,%s,13800138000,中国,博士研究生,University of Cambridge,英国,2019-06-30,"
             "重庆大学\r\n"
             "𠮷野家,女,1980-02-29,居民身份证,%s,,中华人民共和国,硕士,香港大学,中国香港,2018-07-01,\"重庆,两江新区\"\r\n"
             "John Smith,男,1970-05-05,护照,E12345678,,United Kingdom,,,,,\r\n",
             id1, id2);
    char *cpath = io_write_file(csv, TD_ENC_GB18030, ".csv");
    td_db *db2 = td_test_db_loaded();
    td_actor c2 = td_test_actor(db2, "clerk1");
    assert_td_ok(td_import_persons(db2, &c2, cpath, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 3);
    char *a = export_text(f->db, &f->clerk), *b = export_text(db2, &c2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    td_db_close(db2);
    unlink(cpath);
    free(cpath);
    unlink(path);
    free(path);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serial_dates),
        cmocka_unit_test(test_read_handmade),
        cmocka_unit_test(test_refuses_dtd_and_non_workbooks),
        cmocka_unit_test(test_cell_references),
        cmocka_unit_test(test_streams_big_sheet),
        cmocka_unit_test_setup_teardown(test_import_workbook_like_csv, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
