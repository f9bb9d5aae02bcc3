/* test_csv.c — the RFC 4180 reader: csv-spectrum, line numbers, limits,
 * streaming equivalence and the writer's quoting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "io/csv.h"
#include "io_corpus.h"

#include <jansson.h>

/* Parses data with a header row into a JSON array of objects. */
static json_t *parse_to_json(const char *data, size_t len)
{
    td_csv *c = td_csv_new_mem(data, len, ',');
    assert_non_null(c);
    td_err err;
    td_err_clear(&err);
    td_csv_record *r;
    assert_td_ok(td_csv_next(c, &r, &err), &err);
    assert_non_null(r);
    size_t nh = r->nfields;
    char **hdr = calloc(nh, sizeof *hdr);
    for (size_t i = 0; i < nh; i++)
        hdr[i] = strdup(r->fields[i]);
    json_t *arr = json_array();
    for (;;) {
        assert_td_ok(td_csv_next(c, &r, &err), &err);
        if (!r)
            break;
        assert_null(r->problem);
        json_t *o = json_object();
        for (size_t i = 0; i < r->nfields && i < nh; i++)
            json_object_set_new(o, hdr[i], json_stringn(r->fields[i], r->lens[i]));
        json_array_append_new(arr, o);
    }
    for (size_t i = 0; i < nh; i++)
        free(hdr[i]);
    free(hdr);
    td_csv_free(c);
    return arr;
}

/* Replaces "\r\n" by "\n" inside every string of j (the stored corpus lost
 * its CRs in a checkout). */
static void strip_cr(json_t *j)
{
    size_t i;
    json_t *v;
    const char *k;
    if (json_is_array(j)) {
        json_array_foreach(j, i, v) strip_cr(v);
    } else if (json_is_object(j)) {
        json_object_foreach(j, k, v)
        {
            if (json_is_string(v)) {
                char *s = strdup(json_string_value(v)), *o = s;
                for (const char *p = s; *p; p++)
                    if (!(p[0] == '\r' && p[1] == '\n'))
                        *o++ = *p;
                *o = 0;
                json_string_set(v, s);
                free(s);
            }
        }
    }
}

static char *lf_to_crlf(const char *s, size_t len, size_t *outlen)
{
    char *o = malloc(len * 2 + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            o[n++] = '\r';
        o[n++] = s[i];
    }
    o[n] = 0;
    *outlen = n;
    return o;
}

static const char *const spectrum[] = {
    "comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json", "location_coordinates",
    "newlines", "newlines_crlf", "quotes_and_newlines", "simple", "simple_crlf", "utf8",
};

static void test_csv_spectrum(void **state)
{
    (void)state;
    int checked = 0;
    for (size_t k = 0; k < sizeof spectrum / sizeof spectrum[0]; k++) {
        char path[4096], rel[256];
        size_t len = 0, jlen = 0;
        snprintf(rel, sizeof rel, "csv-spectrum/csvs/%s.csv", spectrum[k]);
        char *csv = io_slurp(io_corpus(rel, path, sizeof path), &len);
        if (!csv)
            fail_msg("missing corpus file %s", path);
        snprintf(rel, sizeof rel, "csv-spectrum/json/%s.json", spectrum[k]);
        char *js = io_slurp(io_corpus(rel, path, sizeof path), &jlen);
        assert_non_null(js);
        json_error_t je;
        json_t *want = json_loads(js, 0, &je);
        assert_non_null(want);
        if (json_is_object(want)) { /* location_coordinates.json holds one object */
            /* Upstream's expected phone number (1234567890) differs from the
             * one in its CSV (2095257564): a known error in the corpus.  The
             * CSV is the input, so expect what it holds. */
            const char *ph = json_string_value(json_object_get(want, "Contact Phone Number"));
            if (ph && strcmp(ph, "1234567890") == 0 && strstr(csv, "2095257564"))
                json_object_set_new(want, "Contact Phone Number", json_string("2095257564"));
            json_t *a = json_array();
            json_array_append_new(a, want);
            want = a;
        }
        bool crlf = strstr(spectrum[k], "crlf") != NULL;
        if (crlf) {
            /* Upstream the *_crlf files use CRLF line ends; restore them. */
            size_t n2;
            char *c2 = lf_to_crlf(csv, len, &n2);
            json_t *got = parse_to_json(c2, n2);
            if (!json_equal(got, want))
                fail_msg("%s (CRLF) parses to %s", spectrum[k], json_dumps(got, 0));
            json_decref(got);
            free(c2);
        }
        /* As stored: line ends as in the checkout. */
        json_t *got = parse_to_json(csv, len);
        json_t *want2 = json_deep_copy(want);
        if (!memchr(csv, '\r', len))
            strip_cr(want2);
        if (!json_equal(got, want2))
            fail_msg("%s parses to %s", spectrum[k], json_dumps(got, 0));
        json_decref(got);
        json_decref(want2);
        json_decref(want);
        free(csv);
        free(js);
        checked++;
    }
    assert_int_equal(checked, 12);
}

typedef struct rec {
    size_t n;
    char *f[8];
    long line, end_line;
    const char *problem;
} rec;

static int read_all(const char *data, char delim, rec *out, int max)
{
    td_csv *c = td_csv_new_mem(data, strlen(data), delim);
    td_err err;
    td_err_clear(&err);
    td_csv_record *r;
    int n = 0;
    for (;;) {
        assert_td_ok(td_csv_next(c, &r, &err), &err);
        if (!r)
            break;
        assert_cmp(n, <, max);
        out[n].n = r->nfields;
        for (size_t i = 0; i < r->nfields && i < 8; i++)
            out[n].f[i] = strdup(r->fields[i]);
        out[n].line = r->line;
        out[n].end_line = r->end_line;
        out[n].problem = r->problem;
        n++;
    }
    td_csv_free(c);
    return n;
}

static void free_recs(rec *r, int n)
{
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < r[i].n && k < 8; k++)
            free(r[i].f[k]);
}

static void test_csv_line_numbers(void **state)
{
    (void)state;
    rec r[8];
    int n = read_all("a,b\r\n\"x\ny\nz\",2\r\n\r\nlast,3", ',', r, 8);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].line, 1);
    assert_int_equal(r[1].line, 2);
    assert_int_equal(r[1].end_line, 4);
    assert_string_equal(r[1].f[0], "x\ny\nz");
    assert_int_equal(r[2].line, 6); /* the blank line 5 is skipped */
    assert_int_equal(r[2].end_line, 6);
    assert_string_equal(r[2].f[0], "last");
    assert_string_equal(r[2].f[1], "3");
    free_recs(r, n);
}

static void test_csv_lone_cr_and_crlf(void **state)
{
    (void)state;
    rec r[8];
    int n = read_all("a,b\rc,d\r\ne,f\n", ',', r, 8);
    assert_int_equal(n, 3);
    assert_string_equal(r[1].f[0], "c");
    assert_string_equal(r[1].f[1], "d");
    assert_int_equal(r[2].line, 3);
    assert_string_equal(r[2].f[1], "f");
    free_recs(r, n);
}

static void test_csv_empty_fields(void **state)
{
    (void)state;
    rec r[8];
    int n = read_all(",,\n\"\"\n,\"\",x,\n", ',', r, 8);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].n, 3);
    assert_string_equal(r[0].f[2], "");
    assert_int_equal(r[1].n, 1);
    assert_string_equal(r[1].f[0], "");
    assert_int_equal(r[2].n, 4);
    assert_string_equal(r[2].f[2], "x");
    assert_string_equal(r[2].f[3], "");
    free_recs(r, n);
}

static void test_csv_malformed(void **state)
{
    (void)state;
    rec r[8];
    /* text after a closing quote: kept, but flagged */
    int n = read_all("\"ab\"c,d\nok,1\n", ',', r, 8);
    assert_int_equal(n, 2);
    assert_non_null(r[0].problem);
    assert_string_equal(r[0].f[0], "abc");
    assert_null(r[1].problem);
    free_recs(r, n);
    /* an unterminated quote swallows the rest and is flagged */
    n = read_all("a,b\n1,\"open\n2,3\n", ',', r, 8);
    assert_int_equal(n, 2);
    assert_non_null(r[1].problem);
    assert_int_equal(r[1].line, 2);
    assert_string_equal(r[1].f[1], "open\n2,3\n");
    free_recs(r, n);
    /* a bare quote inside an unquoted field is literal (Excel does this) */
    n = read_all("5'10\",x\n", ',', r, 8);
    assert_int_equal(n, 1);
    assert_null(r[0].problem);
    assert_string_equal(r[0].f[0], "5'10\"");
    free_recs(r, n);
}

static void test_csv_tab_delimiter(void **state)
{
    (void)state;
    rec r[8];
    int n = read_all("姓名\t证件号码\n张三\t\"1,2\"\n", '\t', r, 8);
    assert_int_equal(n, 2);
    assert_string_equal(r[1].f[0], "张三");
    assert_string_equal(r[1].f[1], "1,2");
    free_recs(r, n);
}

static void test_csv_nul_in_field(void **state)
{
    (void)state;
    const char data[] = "a\0b,c\n";
    td_csv *c = td_csv_new_mem(data, sizeof data - 1, ',');
    td_err err;
    td_csv_record *r;
    assert_td_ok(td_csv_next(c, &r, &err), &err);
    assert_non_null(r);
    assert_int_equal(r->lens[0], 3);
    assert_int_not_equal(strlen(r->fields[0]), r->lens[0]);
    td_csv_free(c);
}

static void test_csv_field_limit(void **state)
{
    (void)state;
    size_t n = TD_CSV_MAX_FIELD + 10;
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    big[n] = 0;
    td_csv *c = td_csv_new_mem(big, n, ',');
    td_err err;
    td_err_clear(&err);
    td_csv_record *r;
    assert_int_equal(td_csv_next(c, &r, &err), TD_EINVALID);
    assert_cmp(strlen(err.msg), >, 0);
    td_csv_free(c);
    free(big);

    /* too many fields */
    size_t m = (TD_CSV_MAX_FIELDS + 5);
    char *commas = malloc(m + 1);
    memset(commas, ',', m);
    commas[m] = 0;
    c = td_csv_new_mem(commas, m, ',');
    assert_int_equal(td_csv_next(c, &r, &err), TD_EINVALID);
    td_csv_free(c);
    free(commas);
}

/* A source that hands out one byte at a time. */
typedef struct drip {
    const char *p;
    size_t len, at, step;
} drip;

static td_status drip_read(void *ud, char *buf, size_t cap, size_t *got, td_err *err)
{
    (void)err;
    drip *d = ud;
    size_t n = d->len - d->at;
    if (n > d->step)
        n = d->step;
    if (n > cap)
        n = cap;
    memcpy(buf, d->p + d->at, n);
    d->at += n;
    *got = n;
    return TD_OK;
}

static td_status fail_read(void *ud, char *buf, size_t cap, size_t *got, td_err *err)
{
    (void)ud;
    (void)buf;
    (void)cap;
    *got = 0;
    return td_err_set(err, TD_EIO, "boom");
}

static void test_csv_source_error(void **state)
{
    (void)state;
    td_csv *c = td_csv_new(fail_read, NULL, ',');
    td_err err;
    td_err_clear(&err);
    td_csv_record *r;
    assert_int_equal(td_csv_next(c, &r, &err), TD_EIO);
    assert_string_equal(err.msg, "boom");
    td_csv_free(c);
}

static void test_csv_streaming_equivalence(void **state)
{
    (void)state;
    const char *data = "h1,h2,h3\r\n\"a\r\nb\",\"c\"\"d\",e\r\n\r\nf,,\"\"\r\n张三,\"李\n四\",王五\rlast";
    for (size_t step = 1; step <= 7; step++) {
        drip d = { data, strlen(data), 0, step };
        td_csv *a = td_csv_new(drip_read, &d, ',');
        td_csv *b = td_csv_new_mem(data, strlen(data), ',');
        td_err err;
        td_csv_record *ra, *rb;
        int n = 0;
        for (;;) {
            assert_td_ok(td_csv_next(b, &rb, &err), &err);
            /* copy b's record before reading a (both borrowed) */
            size_t nf = rb ? rb->nfields : 0;
            long line = rb ? rb->line : 0;
            size_t ps = rb ? rb->pos_start : 0, pe = rb ? rb->pos_end : 0;
            char *f[8] = { 0 };
            for (size_t i = 0; i < nf && i < 8; i++)
                f[i] = strdup(rb->fields[i]);
            assert_td_ok(td_csv_next(a, &ra, &err), &err);
            if (!rb) {
                assert_null(ra);
                break;
            }
            assert_non_null(ra);
            assert_int_equal(ra->nfields, nf);
            assert_int_equal(ra->line, line);
            assert_int_equal(ra->pos_start, ps);
            assert_int_equal(ra->pos_end, pe);
            for (size_t i = 0; i < nf && i < 8; i++) {
                assert_string_equal(ra->fields[i], f[i]);
                free(f[i]);
            }
            n++;
        }
        assert_int_equal(n, 5);
        td_csv_free(a);
        td_csv_free(b);
    }
}

static void test_csv_positions(void **state)
{
    (void)state;
    const char *data = "ab,c\nde\n";
    td_csv *c = td_csv_new_mem(data, strlen(data), ',');
    td_err err;
    td_csv_record *r;
    assert_td_ok(td_csv_next(c, &r, &err), &err);
    assert_int_equal(r->pos_start, 0);
    assert_int_equal(r->pos_end, 5);
    assert_td_ok(td_csv_next(c, &r, &err), &err);
    assert_int_equal(r->pos_start, 5);
    assert_int_equal(r->pos_end, 8);
    assert_td_ok(td_csv_next(c, &r, &err), &err);
    assert_null(r);
    td_csv_free(c);
}

static void test_csv_writer_round_trip(void **state)
{
    (void)state;
    const char *fields[] = { "plain", "", "a,b", "say \"hi\"", "line1\nline2", "cr\r\nlf", " lead",
                             "trail ", "张三", "𠮷野家", "=1+2", "\"", ",", "\t" };
    size_t nf = sizeof fields / sizeof fields[0];
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < nf; i++) {
        if (i) {
            assert_true(td_csv_append_field(&buf, &len, &cap, "", ','));
            buf[len++] = ',';
            buf[len] = 0;
        }
        assert_true(td_csv_append_field(&buf, &len, &cap, fields[i], ','));
    }
    td_csv *c = td_csv_new_mem(buf, len, ',');
    td_err err;
    td_csv_record *r;
    assert_td_ok(td_csv_next(c, &r, &err), &err);
    assert_non_null(r);
    assert_null(r->problem);
    assert_int_equal(r->nfields, nf);
    for (size_t i = 0; i < nf; i++)
        assert_string_equal(r->fields[i], fields[i]);
    td_csv_free(c);
    free(buf);
    assert_false(td_csv_needs_quote("张三", ','));
    assert_true(td_csv_needs_quote("a\tb", '\t'));
    assert_false(td_csv_needs_quote("", ','));
}

static void test_csv_random_round_trip(void **state)
{
    (void)state;
    /* random fields from a nasty alphabet survive write → read */
    const char *alpha[] = { "a", ",", "\"", "\n", "\r", "\r\n", " ", "张", "𠮷", "\t", "x" };
    srand(42);
    for (int round = 0; round < 300; round++) {
        int nf = 1 + rand() % 6;
        char *want[6];
        char *buf = NULL;
        size_t len = 0, cap = 0;
        for (int i = 0; i < nf; i++) {
            char tmp[128] = "";
            int parts = rand() % 8;
            for (int k = 0; k < parts; k++)
                strcat(tmp, alpha[rand() % 11]);
            want[i] = strdup(tmp);
            if (i) {
                td_csv_append_field(&buf, &len, &cap, "", ',');
                buf[len++] = ',';
                buf[len] = 0;
            }
            td_csv_append_field(&buf, &len, &cap, tmp, ',');
        }
        td_csv_append_field(&buf, &len, &cap, "", ',');
        buf[len++] = '\n';
        buf[len] = 0;
        td_csv *c = td_csv_new_mem(buf, len, ',');
        td_err err;
        td_csv_record *r;
        assert_td_ok(td_csv_next(c, &r, &err), &err);
        if (nf == 1 && want[0][0] == 0) {
            /* a lone empty field is a blank line: no record */
            assert_null(r);
        } else {
            assert_non_null(r);
            assert_int_equal(r->nfields, (size_t)nf);
            for (int i = 0; i < nf; i++)
                assert_string_equal(r->fields[i], want[i]);
        }
        td_csv_free(c);
        for (int i = 0; i < nf; i++)
            free(want[i]);
        free(buf);
    }
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_spectrum),
        cmocka_unit_test(test_csv_line_numbers),
        cmocka_unit_test(test_csv_lone_cr_and_crlf),
        cmocka_unit_test(test_csv_empty_fields),
        cmocka_unit_test(test_csv_malformed),
        cmocka_unit_test(test_csv_tab_delimiter),
        cmocka_unit_test(test_csv_nul_in_field),
        cmocka_unit_test(test_csv_field_limit),
        cmocka_unit_test(test_csv_source_error),
        cmocka_unit_test(test_csv_streaming_equivalence),
        cmocka_unit_test(test_csv_positions),
        cmocka_unit_test(test_csv_writer_round_trip),
        cmocka_unit_test(test_csv_random_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
