/* test_export.c — CSV (UTF-8 BOM, GB18030) and .xlsx exports; the Excel GBK
 * round trip: import with a reject report, export back unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#include "cases/case.h"
#include "io/decode.h"
#include "people/dedupe.h"
#include "io/export.h"
#include "io/import.h"
#include "io_corpus.h"
#include "io_fixtures.h"
#include "people/person.h"
#include "workflow/intake.h"

/* Round trips need the full numbers: an export with a stated purpose
 * (audited); without one they are masked (tests/test_access.c). */
#define FULL "round trip test"
static const td_export_opts full = { .purpose = FULL };

#define HDR "姓名,证件类型,证件号码,性别,出生日期,国籍,手机号码,邮箱,人才类别,工作单位,领域,备注,最高学历,毕业院校," \
            "留学国家,回国时间\r\n"

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

/* The rows an Excel user would keep, in the exporter's canonical forms. */
static char *good_rows(void)
{
    char id1[19], id2[19], id3[19];
    io_make_id("19491231", 1, id1);  /* male */
    io_make_id("19800229", 2, id2);  /* female, leap day */
    io_make_id("19950101", 3, id3);
    char *s = malloc(4096);
    snprintf(s, 4096,
             "王伟,居民身份证,%s,男,1949-12-31,中国,13800138000,wangwei@example.com,,重庆大学,新材料,,"
             "博士研究生,University of Cambridge,英国,2019-06-30\r\n"
             "𠮷野家,居民身份证,%s,女,1980-02-29,中国,,,,\"重庆,两江新区\",,\"备注 \"\"引号\"\"\",硕士,重庆大学,,\r\n"
             "John Smith,护照,E12345678,男,1970-05-05,英国,,john@example.co.uk,,,AI,,,,,\r\n"
             "陈大文,港澳居民来往内地通行证,H12345678,男,1980-01-01,中国香港,,,,,,,,,,\r\n"
             "欧阳娜娜,居民身份证,%s,男,1995-01-01,中国,13912345678,,,,,䶮字备注,本科,香港大学,中国香港,"
             "2018-07-01\r\n",
             id1, id2, id3);
    return s;
}

static void test_excel_gbk_round_trip(void **state)
{
    fx *f = *state;
    char *good = good_rows();
    char bad_rows[512];
    snprintf(bad_rows, sizeof bad_rows,
             "李强,居民身份证,110105194912310021,男,1949-12-31,CHN,,,,,,,,,,\r\n" /* bad check character */
             "赵敏,居民身份证,110105194902300025,女,,中华人民共和国,,,,,,,,,,\r\n");  /* 30 February */
    /* what Excel saved: header, two good, the bad, the rest good */
    char *excel = malloc(8192);
    char *second = strstr(good, "\r\n") + 2;
    second = strstr(second, "\r\n") + 2; /* after two good rows */
    snprintf(excel, 8192, HDR "%.*s%s%s", (int)(second - good), good, bad_rows, second);
    char *path = io_write_file(excel, TD_ENC_GB18030, ".csv");

    td_import_report rep;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    assert_int_equal(rep.encoding, TD_ENC_GB18030);
    assert_int_equal(rep.added, 5);
    assert_int_equal(rep.rejected, 2);
    assert_string_equal(rep.ignored_columns, "");
    /* 中国 / 英国 / 中国香港 became codes; the education is on the person and
     * claimed (not verified) as facts for scoring */
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE nationality = 'CHN'"), 3);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE name = '王伟' AND education = '博士研究生' "
                                     "AND school = 'University of Cambridge' AND study_country = 'GBR' "
                                     "AND returned_on = '2019-06-30'"),
                     1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE study_country = 'HKG'"), 1);
    /* the document type by its Chinese name (longer than any code), the region from 中国香港 */
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM persons WHERE id_type = 'hkmo_pass' AND nationality = 'HKG'"),
                     1);
    assert_int_equal(rep.facts, 5);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM facts x JOIN persons p ON p.id = x.person_id "
                                     "WHERE p.name = '王伟' AND x.name = 'degree' AND x.value = 'doctorate' "
                                     "AND x.status = 'claimed'"),
                     1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM facts WHERE name = 'returnee' AND status = 'claimed'"),
                     2);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM facts WHERE name = 'returnee' "
                                     "AND fact_date = '2019-06-30'"),
                     1);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM facts WHERE status = 'verified'"), 0);
    /* the reject report: GB18030, lines 4 and 5 with reasons */
    size_t rn = 0;
    char *rj = io_slurp(rep.reject_path, &rn), *ru;
    size_t rul;
    assert_td_ok(td_decode_all(rj, rn, TD_ENC_GB18030, &ru, &rul, &err), &err);
    assert_non_null(strstr(ru, "\r\n4,"));
    assert_non_null(strstr(ru, "\r\n5,"));
    assert_non_null(strstr(ru, "李强"));
    free(ru);
    free(rj);

    /* export back as GB18030: byte for byte the file without its bad rows */
    char *out = td_test_tmpfile(".csv");
    td_export_opts o = { .encoding = TD_ENC_GB18030, .purpose = FULL };
    long rows = 0;
    assert_td_ok(td_export(f->db, &f->clerk, TD_EXPORT_PERSONS, out, &o, &rows, &err), &err);
    assert_int_equal(rows, 5);
    size_t en = 0, wn = 0;
    char *exported = io_slurp(out, &en);
    char *want_utf8 = malloc(8192);
    snprintf(want_utf8, 8192, HDR "%s", good);
    char *want;
    assert_td_ok(td_encode_all(want_utf8, strlen(want_utf8), TD_ENC_GB18030, &want, &wn, &err), &err);
    if (en != wn || memcmp(exported, want, en) != 0) {
        char *u;
        size_t ul;
        td_decode_all(exported, en, TD_ENC_GB18030, &u, &ul, &err);
        fail_msg("export differs:\n%s\nwanted:\n%s", u, want_utf8);
    }
    /* 𠮷 is there as its 4-byte GB18030 sequence */
    assert_non_null(memmem(exported, en, "\x95\x34\xB2\x35", 4));
    /* the export imports back adding nothing */
    assert_td_ok(td_import_persons(f->db, &f->clerk, out, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.skipped, 5);
    assert_int_equal(rep.rejected, 0);
    assert_int_equal(rep.facts, 0);
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM facts"), 5);
    unlink(out);
    unlink(path);
    free(out);
    free(path);
    free(exported);
    free(want);
    free(want_utf8);
    free(excel);
    free(good);
}

static void test_export_utf8_bom_into_fresh_db(void **state)
{
    fx *f = *state;
    char *good = good_rows();
    char *csv = malloc(8192);
    snprintf(csv, 8192, HDR "%s", good);
    char *path = io_write_file(csv, TD_ENC_UTF8, ".csv");
    td_import_report rep;
    td_err err;
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    char *out = td_test_tmpfile(".csv");
    long rows;
    assert_td_ok(td_export(f->db, &f->clerk, TD_EXPORT_PERSONS, out, &full, &rows, &err), &err);
    size_t n = 0;
    char *bytes = io_slurp(out, &n);
    assert_memory_equal(bytes, "\xEF\xBB\xBF", 3); /* Excel's "CSV UTF-8" */
    assert_int_equal(n - 3, strlen(csv));
    assert_memory_equal(bytes + 3, csv, n - 3);
    free(bytes);
    /* into a second database: the same persons */
    td_db *db2 = td_test_db_loaded();
    td_actor c2 = td_test_actor(db2, "clerk1");
    assert_td_ok(td_import_persons(db2, &c2, out, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 5);
    assert_int_equal(io_count(db2, "SELECT count(*) FROM persons WHERE name = '𠮷野家' AND employer = '重庆,两江新区'"),
                     1);
    td_db_close(db2);
    /* the export was audited */
    assert_int_equal(io_count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'export.persons' "
                                     "AND new_value = '5'"),
                     1);
    unlink(out);
    unlink(path);
    free(out);
    free(path);
    free(csv);
    free(good);
}

static bool have_unzip(void) { return system("command -v unzip >/dev/null 2>&1") == 0; }

static void test_export_xlsx(void **state)
{
    fx *f = *state;
    char *good = good_rows();
    char *csv = malloc(8192);
    snprintf(csv, 8192, HDR "%s", good);
    char *path = io_write_file(csv, TD_ENC_GB18030, ".csv");
    td_import_report rep;
    td_err err;
    assert_td_ok(td_import_persons(f->db, &f->clerk, path, NULL, &rep, &err), &err);
    char *out = td_test_tmpfile(".xlsx");
    long rows;
    assert_td_ok(td_export(f->db, &f->clerk, TD_EXPORT_PERSONS, out, &full, &rows, &err), &err);
    assert_int_equal(rows, 5);
    size_t n = 0;
    char *bytes = io_slurp(out, &n);
    assert_true(n > 100);
    assert_memory_equal(bytes, "PK\x03\x04", 4); /* a zip container */
    free(bytes);
    /* the workbook imports into another database as the same persons (src/io/xlsx.h) */
    td_db *db2 = td_test_db_loaded();
    td_actor c2 = td_test_actor(db2, "clerk1");
    assert_td_ok(td_import_persons(db2, &c2, out, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 5);
    assert_int_equal(rep.rejected, 0);
    assert_int_equal(io_count(db2, "SELECT count(*) FROM persons WHERE id_type = 'hkmo_pass' AND nationality = 'HKG' "
                                   "AND name = '陈大文'"),
                     1);
    assert_int_equal(io_count(db2, "SELECT count(*) FROM persons WHERE name = '王伟' AND study_country = 'GBR' "
                                   "AND returned_on = '2019-06-30' AND phone = '13800138000'"),
                     1);
    td_db_close(db2);
    if (have_unzip()) {
        char cmd[8192];
        char *xml = td_test_tmpfile(".xml");
        snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/worksheets/sheet1.xml > '%s'", out, xml);
        assert_int_equal(system(cmd), 0);
        char *x = io_slurp(xml, &n);
        assert_non_null(strstr(x, "姓名"));
        assert_non_null(strstr(x, "证件号码"));
        assert_non_null(strstr(x, "𠮷野家"));
        assert_non_null(strstr(x, "E12345678"));
        /* identity numbers are text cells, never numbers */
        assert_null(strstr(x, "<v>1101"));
        free(x);
        unlink(xml);
        free(xml);
    }
    unlink(out);
    unlink(path);
    free(out);
    free(path);
    free(csv);
    free(good);
}

static void test_export_cases_and_services(void **state)
{
    fx *f = *state;
    char id[19];
    io_make_id("19820304", 5, id);
    td_person p;
    memset(&p, 0, sizeof p);
    strcpy(p.name, "孙磊");
    strcpy(p.id_no, id);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(f->db, &f->clerk, &p, &err), &err);
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = p.id;
    a.services[0] = "startup_funding";
    td_case c;
    assert_td_ok(td_case_new(f->db, &f->clerk, &a, &c, &err), &err);
    char *out = td_test_tmpfile(".csv");
    long rows;
    td_export_opts o = { .encoding = TD_ENC_UTF8, .purpose = FULL };
    assert_td_ok(td_export(f->db, &f->clerk, TD_EXPORT_CASES, out, &o, &rows, &err), &err);
    assert_int_equal(rows, 1);
    size_t n = 0;
    char *b = io_slurp(out, &n);
    assert_non_null(strstr(b, "案件编号,姓名,证件号码"));
    assert_non_null(strstr(b, c.case_no));
    assert_non_null(strstr(b, "孙磊"));
    free(b);
    assert_td_ok(td_export(f->db, &f->clerk, TD_EXPORT_SERVICES, out, &o, &rows, &err), &err);
    assert_int_equal(rows, 1);
    b = io_slurp(out, &n);
    assert_non_null(strstr(b, "服务事项"));
    assert_non_null(strstr(b, c.case_no));
    assert_non_null(strstr(b, "待办"));
    free(b);
    /* state filter */
    o.state = "closed";
    assert_td_ok(td_export(f->db, &f->clerk, TD_EXPORT_CASES, out, &o, &rows, &err), &err);
    assert_int_equal(rows, 0);
    unlink(out);
    free(out);
}

static void test_export_refusals(void **state)
{
    fx *f = *state;
    td_actor nobody = f->clerk;
    nobody.roles = 0;
    long rows;
    td_err err;
    assert_int_equal(td_export(f->db, &nobody, TD_EXPORT_PERSONS, "/tmp/x.csv", NULL, &rows, &err), TD_EDENIED);
    td_export_opts o = { .encoding = TD_ENC_UTF16LE };
    assert_int_equal(td_export(f->db, &f->clerk, TD_EXPORT_PERSONS, "/tmp/x.csv", &o, &rows, &err), TD_EINVALID);
    assert_int_equal(td_export(f->db, &f->clerk, TD_EXPORT_PERSONS, "/nonexistent/dir/x.csv", NULL, &rows, &err),
                     TD_EIO);
    td_export_what w;
    assert_true(td_export_what_parse("services", &w));
    assert_int_equal(w, TD_EXPORT_SERVICES);
    assert_false(td_export_what_parse("users", &w));
}


static void test_export_china_time_and_merged(void **state)
{
    fx *f = *state;
    setenv("TALENTDESK_NOW", "2026-03-15T17:30:00Z", 1);
    char id[19];
    io_make_id("19820304", 7, id);
    td_person p;
    memset(&p, 0, sizeof p);
    strcpy(p.name, "吴昊");
    strcpy(p.id_no, id);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(f->db, &f->clerk, &p, &err), &err);
    td_person q;
    memset(&q, 0, sizeof q);
    strcpy(q.name, "吴昊");
    strcpy(q.id_type, "passport");
    strcpy(q.id_no, "E88888888");
    strcpy(q.birth_date, "1982-03-04");
    assert_td_ok(td_person_add(f->db, &f->clerk, &q, &err), &err);
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = p.id;
    a.services[0] = "startup_funding";
    td_case c;
    assert_td_ok(td_case_new(f->db, &f->clerk, &a, &c, &err), &err);
    unsetenv("TALENTDESK_NOW");
    char *out = td_test_tmpfile(".csv");
    long rows;
    td_export_opts o = { .encoding = TD_ENC_UTF8, .purpose = FULL };
    assert_td_ok(td_export(f->db, &f->clerk, TD_EXPORT_CASES, out, &o, &rows, &err), &err);
    size_t n = 0;
    char *b = io_slurp(out, &n);
    /* 17:30 UTC is 01:30 the next day in Chongqing */
    assert_non_null(strstr(b, "2026-03-16 01:30:00"));
    assert_non_null(strstr(b, "人才认定"));
    free(b);
    /* a merged person is not exported */
    assert_td_ok(td_export(f->db, &f->clerk, TD_EXPORT_PERSONS, out, &o, &rows, &err), &err);
    assert_int_equal(rows, 2);
    char mid[TD_UUID_LEN];
    assert_td_ok(td_dupe_merge(f->db, &f->clerk, p.id, q.id, "同一人", mid, &err), &err);
    assert_td_ok(td_export(f->db, &f->clerk, TD_EXPORT_PERSONS, out, &o, &rows, &err), &err);
    assert_int_equal(rows, 1);
    b = io_slurp(out, &n);
    assert_null(strstr(b, "E88888888"));
    assert_non_null(strstr(b, "\r\n吴昊,居民身份证,"));
    free(b);
    unlink(out);
    free(out);
}

/* Fields Excel would alter or split are quoted; the file imports back. */
static void test_export_quoting(void **state)
{
    fx *f = *state;
    char id[19];
    io_make_id("19900909", 9, id);
    td_person p;
    memset(&p, 0, sizeof p);
    strcpy(p.name, "钱多多");
    strcpy(p.id_no, id);
    strcpy(p.employer, "A, B & \"C\" 公司");
    strcpy(p.notes, "第一行");
    td_err err;
    assert_td_ok(td_person_add(f->db, &f->clerk, &p, &err), &err);
    char *out = td_test_tmpfile(".csv");
    long rows;
    td_export_opts o = { .encoding = TD_ENC_GB18030, .purpose = FULL };
    assert_td_ok(td_export(f->db, &f->clerk, TD_EXPORT_PERSONS, out, &o, &rows, &err), &err);
    size_t n = 0;
    char *raw = io_slurp(out, &n), *u;
    size_t ul;
    assert_td_ok(td_decode_all(raw, n, TD_ENC_GB18030, &u, &ul, &err), &err);
    assert_non_null(strstr(u, ",\"A, B & \"\"C\"\" 公司\","));
    free(u);
    free(raw);
    td_db *db2 = td_test_db_loaded();
    td_actor c2 = td_test_actor(db2, "clerk1");
    td_import_report rep;
    assert_td_ok(td_import_persons(db2, &c2, out, NULL, &rep, &err), &err);
    assert_int_equal(rep.added, 1);
    assert_int_equal(io_count(db2, "SELECT count(*) FROM persons WHERE employer = 'A, B & \"C\" 公司'"), 1);
    td_db_close(db2);
    unlink(out);
    free(out);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_excel_gbk_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_utf8_bom_into_fresh_db, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_xlsx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_cases_and_services, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_china_time_and_merged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_quoting, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
