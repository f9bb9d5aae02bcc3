/* test_decode.c — encoding detection, streaming decoding with iconv, error
 * positions, the encoder, and GB18030 round trips. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#include "io/decode.h"
#include "io/encode.h"
#include "io_corpus.h"

/* GBK bytes of "姓名,证件号码\n张三,1\n" */
#define GBK_XINGMING "\xD0\xD5\xC3\xFB"
#define GBK_ZHANGSAN "\xD5\xC5\xC8\xFD"

static char *must_decode(const char *in, size_t n, td_enc enc, size_t *outlen)
{
    char *out;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_decode_all(in, n, enc, &out, outlen, &err), &err);
    return out;
}

static void test_enc_parse(void **state)
{
    (void)state;
    td_enc e;
    assert_true(td_enc_parse("GBK", &e));
    assert_int_equal(e, TD_ENC_GB18030);
    assert_true(td_enc_parse("gb2312", &e));
    assert_int_equal(e, TD_ENC_GB18030);
    assert_true(td_enc_parse("cp936", &e));
    assert_int_equal(e, TD_ENC_GB18030);
    assert_true(td_enc_parse("UTF-8", &e));
    assert_int_equal(e, TD_ENC_UTF8);
    assert_true(td_enc_parse("utf-8-bom", &e));
    assert_int_equal(e, TD_ENC_UTF8_BOM);
    assert_false(td_enc_parse("latin1", &e));
    assert_false(td_enc_parse(NULL, &e));
    assert_string_equal(td_enc_name(TD_ENC_GB18030), "GB18030");
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(td_utf8_valid("张三 abc 𠮷", strlen("张三 abc 𠮷")));
    assert_false(td_utf8_valid("\xC0\xAF", 2));          /* overlong '/' */
    assert_false(td_utf8_valid("\xED\xA0\x80", 3));      /* surrogate */
    assert_false(td_utf8_valid("\xF4\x90\x80\x80", 4));  /* > U+10FFFF */
    assert_false(td_utf8_valid("\xF8\x88\x80\x80\x80", 5));
    assert_false(td_utf8_valid("\xE4\xB8", 2));          /* cut */
    assert_false(td_utf8_valid("\x80", 1));
    assert_true(td_utf8_valid("\xEF\xBF\xBF", 3));       /* U+FFFF noncharacter is well-formed */
}

/* UTF-8 Chinese is never taken for GB18030 (it would decode without error). */
static void test_utf8_never_gb18030(void **state)
{
    (void)state;
    const char *samples[] = { "张三", "李四", "王五", "赵六", "欧阳娜娜", "诸葛亮", "中文", "重庆",
                              "人才一站式服务台", "姓名,证件号码\n张三,110105194912310 02X\n",
                              "𠮷", "a张", "张a", "é", "日本語テキスト", "한국어" };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        td_enc_guess g = td_enc_detect((const unsigned char *)samples[i], strlen(samples[i]));
        if (g.enc != TD_ENC_UTF8)
            fail_msg("'%s' detected as %s", samples[i], td_enc_name(g.enc));
    }
    /* every pair of common CJK characters U+4E00..U+4FFF, step 7 */
    char buf[16];
    for (unsigned a = 0x4E00; a < 0x5000; a += 7) {
        for (unsigned b = 0x4E00; b < 0x5000; b += 37) {
            unsigned cps[2] = { a, b };
            size_t n = 0;
            for (int k = 0; k < 2; k++) {
                buf[n++] = (char)(0xE0 | (cps[k] >> 12));
                buf[n++] = (char)(0x80 | ((cps[k] >> 6) & 0x3F));
                buf[n++] = (char)(0x80 | (cps[k] & 0x3F));
            }
            td_enc_guess g = td_enc_detect((const unsigned char *)buf, n);
            assert_int_equal(g.enc, TD_ENC_UTF8);
        }
    }
}

static void test_detect_gbk(void **state)
{
    (void)state;
    const char *gbk = GBK_XINGMING ",id\n" GBK_ZHANGSAN ",1\n";
    td_enc_guess g = td_enc_detect((const unsigned char *)gbk, strlen(gbk));
    assert_int_equal(g.enc, TD_ENC_GB18030);
    size_t n;
    char *u = must_decode(gbk, strlen(gbk), TD_ENC_UNKNOWN, &n);
    assert_string_equal(u, "姓名,id\n张三,1\n");
    free(u);
}

static void test_detect_pure_ascii(void **state)
{
    (void)state;
    td_enc_guess g = td_enc_detect((const unsigned char *)"a,b\n1,2\n", 8);
    assert_int_equal(g.enc, TD_ENC_UTF8);
    g = td_enc_detect((const unsigned char *)"", 0);
    assert_int_equal(g.enc, TD_ENC_UTF8);
}

static void test_bom_stripped(void **state)
{
    (void)state;
    const char *in = "\xEF\xBB\xBF姓名\n张三\n";
    td_enc_guess g = td_enc_detect((const unsigned char *)in, strlen(in));
    assert_int_equal(g.enc, TD_ENC_UTF8_BOM);
    assert_int_equal(g.bom_len, 3);
    size_t n;
    char *u = must_decode(in, strlen(in), TD_ENC_UNKNOWN, &n);
    assert_string_equal(u, "姓名\n张三\n"); /* no U+FEFF left */
    free(u);
    /* also when the caller says plain UTF-8 */
    u = must_decode(in, strlen(in), TD_ENC_UTF8, &n);
    assert_string_equal(u, "姓名\n张三\n");
    free(u);
}

static void test_utf16_bom(void **state)
{
    (void)state;
    const char in[] = "\xFF\xFE" "\x20\x5F\x09\x4E\n\0"; /* 张 = 5F20, 三 = 4E09 */
    size_t n;
    char *u = must_decode(in, sizeof in - 1, TD_ENC_UNKNOWN, &n);
    assert_string_equal(u, "张三\n");
    free(u);
}

/* 𠮷 (U+20BB7, outside GBK) is a 4-byte GB18030 sequence and survives. */
static void test_gb18030_four_byte_round_trip(void **state)
{
    (void)state;
    const char *text = "姓名,备注\n𠮷野家,四字节\n张三,😀\n䶮,U+4DAE\n";
    char *gb;
    size_t gblen;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_encode_all(text, strlen(text), TD_ENC_GB18030, &gb, &gblen, &err), &err);
    assert_non_null(memmem(gb, gblen, "\x95\x34\xB2\x35", 4)); /* 𠮷 U+20BB7 */
    td_enc_guess g = td_enc_detect((const unsigned char *)gb, gblen);
    assert_int_equal(g.enc, TD_ENC_GB18030);
    size_t n;
    char *back = must_decode(gb, gblen, TD_ENC_UNKNOWN, &n);
    assert_string_equal(back, text);
    assert_int_equal(n, strlen(text));
    free(back);
    /* and back to GB18030 byte for byte */
    char *gb2;
    size_t gblen2;
    assert_td_ok(td_encode_all(text, strlen(text), TD_ENC_GB18030, &gb2, &gblen2, &err), &err);
    assert_int_equal(gblen, gblen2);
    assert_memory_equal(gb, gb2, gblen);
    free(gb);
    free(gb2);
}

/* GB18030-2022 remapping: glibc decodes FE51 to U+20087 (not a PUA point). */
static void test_gb18030_fe51(void **state)
{
    (void)state;
    size_t n;
    char *u = must_decode("\xFE\x51", 2, TD_ENC_GB18030, &n);
    assert_string_equal(u, "\xF0\xA0\x82\x87"); /* U+20087 */
    free(u);
}

static void test_private_use_flagged(void **state)
{
    (void)state;
    /* GB18030 user-defined area AAA1 decodes to U+E000: flagged on line 2 */
    const char *gb = "name\n\xAA\xA1X\n";
    size_t gblen = strlen(gb);
    td_err err;
    td_err_clear(&err);
    td_decoder *d;
    assert_td_ok(td_decoder_open_mem(gb, gblen, TD_ENC_GB18030, &d, &err), &err);
    char buf[64];
    size_t got, total = 0;
    do {
        assert_td_ok(td_decoder_read(d, buf, sizeof buf, &got, &err), &err);
        total += got;
    } while (got);
    td_dec_event e;
    assert_true(td_decoder_event_in(d, 0, total, &e));
    assert_int_equal(e.kind, TD_DEC_PRIVATE_USE);
    assert_int_equal(e.cp, 0xE000);
    assert_int_equal(e.line, 2);
    char msg[256];
    td_dec_event_describe(d, &e, msg, sizeof msg);
    assert_contains(msg, "E000");
    td_decoder_free(d);
    /* strict decoding refuses it, also U+E816 arriving as UTF-8 */
    char *out;
    size_t outlen;
    assert_int_equal(td_decode_all(gb, gblen, TD_ENC_GB18030, &out, &outlen, &err), TD_EINVALID);
    const char *text = "name\n\xEE\xA0\x96X\n";
    assert_int_equal(td_decode_all(text, strlen(text), TD_ENC_UTF8, &out, &outlen, &err), TD_EINVALID);
    /* and the encoder names a character GB18030 cannot hold */
    assert_int_equal(td_encode_all(text, strlen(text), TD_ENC_GB18030, &out, &outlen, &err), TD_EINVALID);
    assert_contains(err.msg, "E816");
}

/* Reads everything; returns the output (malloc'ed) and the decoder. */
static char *drain(td_decoder *d, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *o = malloc(cap);
    td_err err;
    for (;;) {
        if (cap - n < 4096)
            o = realloc(o, cap *= 2);
        size_t got;
        assert_td_ok(td_decoder_read(d, o + n, 1000, &got, &err), &err);
        if (!got)
            break;
        n += got;
    }
    o[n] = 0;
    *len = n;
    return o;
}

static void test_truncated_gb18030_reports_line(void **state)
{
    (void)state;
    /* three lines, the third cut after the first byte of 张 */
    const char in[] = GBK_XINGMING ",id\n" GBK_ZHANGSAN ",1\n\xD5";
    td_err err;
    td_err_clear(&err);
    td_decoder *d;
    assert_td_ok(td_decoder_open_mem(in, sizeof in - 1, TD_ENC_UNKNOWN, &d, &err), &err);
    assert_int_equal(td_decoder_encoding(d), TD_ENC_GB18030);
    size_t n;
    char *o = drain(d, &n);
    td_dec_event e;
    assert_true(td_decoder_event_in(d, 0, n + 1, &e));
    assert_int_equal(e.kind, TD_DEC_TRUNCATED);
    assert_int_equal(e.line, 3);
    assert_int_equal(e.in_off, sizeof in - 2);
    char msg[256];
    td_dec_event_describe(d, &e, msg, sizeof msg);
    assert_contains(msg, "3");
    free(o);
    td_decoder_free(d);
    char *out;
    size_t outlen;
    assert_int_equal(td_decode_all(in, sizeof in - 1, TD_ENC_GB18030, &out, &outlen, &err), TD_EINVALID);
    assert_contains(err.msg, "3");
}

static void test_truncated_utf8_reports_line(void **state)
{
    (void)state;
    const char *in = "姓名\n张三\n李四\n王\xE4\xBA"; /* 五 cut: E4 BA 94 */
    td_enc_guess g = td_enc_detect((const unsigned char *)in, strlen(in));
    assert_int_equal(g.enc, TD_ENC_UTF8);
    assert_true(g.truncated);
    td_err err;
    td_err_clear(&err);
    td_decoder *d;
    assert_td_ok(td_decoder_open_mem(in, strlen(in), TD_ENC_UNKNOWN, &d, &err), &err);
    size_t n;
    char *o = drain(d, &n);
    td_dec_event e;
    assert_true(td_decoder_event_in(d, 0, n + 1, &e));
    assert_int_equal(e.kind, TD_DEC_TRUNCATED);
    assert_int_equal(e.line, 4);
    assert_int_equal(e.nbytes, 2);
    assert_true(td_utf8_valid(o, n));
    free(o);
    td_decoder_free(d);
}

static void test_invalid_gb_bytes_mid_file(void **state)
{
    (void)state;
    /* line 2 holds 0x81 0x20 (a lead byte followed by a space): EILSEQ */
    const char in[] = "a,b\n\x81\x20x,1\n" GBK_ZHANGSAN ",2\n";
    td_err err;
    td_err_clear(&err);
    td_decoder *d;
    assert_td_ok(td_decoder_open_mem(in, sizeof in - 1, TD_ENC_GB18030, &d, &err), &err);
    size_t n;
    char *o = drain(d, &n);
    assert_string_equal(o, "a,b\n\xEF\xBF\xBD x,1\n张三,2\n");
    td_dec_event e;
    assert_true(td_decoder_event_in(d, 0, n, &e));
    assert_int_equal(e.kind, TD_DEC_INVALID);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.in_off, 4);
    assert_int_equal(e.out_pos, 4);
    /* the event is inside line 2's byte range only */
    assert_false(td_decoder_event_in(d, 0, 4, &e));
    assert_false(td_decoder_event_in(d, 10, n, &e));
    td_decoder_forget(d, 5);
    assert_false(td_decoder_event_in(d, 0, n, &e));
    assert_int_equal(td_decoder_event_count(d), 1);
    free(o);
    td_decoder_free(d);
}

static void test_invalid_utf8_run_is_one_event(void **state)
{
    (void)state;
    const char *in = "ok\n\xFF\xFE\xFD tail\n";
    td_err err;
    td_decoder *d;
    assert_td_ok(td_decoder_open_mem(in, strlen(in), TD_ENC_UTF8, &d, &err), &err);
    size_t n;
    char *o = drain(d, &n);
    assert_string_equal(o, "ok\n\xEF\xBF\xBD tail\n");
    assert_int_equal(td_decoder_event_count(d), 1);
    free(o);
    td_decoder_free(d);
}

/* A large GB18030 stream whose 2- and 4-byte characters fall on every
 * buffer boundary decodes exactly. */
static void test_streaming_boundaries(void **state)
{
    (void)state;
    size_t cap = 600000, n = 0;
    char *text = malloc(cap + 64);
    const char *pieces[] = { "𠮷", "张三", "a", "\n", "😀", "bc", "䶮", "重庆," };
    int k = 0;
    while (n < cap) {
        const char *p = pieces[k++ % 8];
        memcpy(text + n, p, strlen(p));
        n += strlen(p);
    }
    text[n] = 0;
    char *gb;
    size_t gblen;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_encode_all(text, n, TD_ENC_GB18030, &gb, &gblen, &err), &err);
    char *path = td_test_tmpfile(".csv");
    FILE *f = fopen(path, "wb");
    fwrite(gb, 1, gblen, f);
    fclose(f);
    f = fopen(path, "rb");
    td_decoder *d;
    assert_td_ok(td_decoder_open(f, TD_ENC_UNKNOWN, &d, &err), &err);
    assert_int_equal(td_decoder_encoding(d), TD_ENC_GB18030);
    size_t outn;
    char *o = drain(d, &outn);
    assert_int_equal(outn, n);
    assert_memory_equal(o, text, n);
    assert_int_equal(td_decoder_event_count(d), 0);
    assert_int_equal(td_decoder_in_pos(d), gblen);
    free(o);
    td_decoder_free(d);
    fclose(f);
    unlink(path);
    free(path);
    free(gb);
    free(text);
}

/* Markus Kuhn's stress test.  The copy in tests/corpora has had its
 * malformed sequences replaced by U+FFFD (it is valid UTF-8, with a NUL on
 * line 2.1.1), so the file must decode unchanged, and the malformed
 * sequences of its sections 3–5 are rebuilt below byte for byte. */
static void test_utf8_stress_file(void **state)
{
    (void)state;
    char path[4096];
    io_corpus("utf8-stress/UTF-8-test.txt", path, sizeof path);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("missing %s", path);
    td_enc_guess g;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_enc_detect_file(f, &g, &err), &err);
    assert_int_equal(g.enc, TD_ENC_UTF8);
    td_decoder *d;
    assert_td_ok(td_decoder_open(f, TD_ENC_UTF8, &d, &err), &err);
    size_t n;
    char *o = drain(d, &n);
    assert_true(td_utf8_valid(o, n));
    size_t rawlen;
    char *raw = io_slurp(path, &rawlen);
    assert_int_equal(n, rawlen);
    assert_memory_equal(o, raw, n);
    free(raw);
    free(o);
    td_decoder_free(d);
    fclose(f);
}

static void test_utf8_stress_sequences(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t n;
    } bad[] = {
        { "\x80", 1 }, { "\xBF", 1 }, { "\x80\xBF\x80", 3 },             /* 3.1 continuation bytes */
        { "\xC0 ", 2 }, { "\xE0 ", 2 }, { "\xF0 ", 2 }, { "\xF8 ", 2 }, /* 3.2 lonely start bytes */
        { "\xFC ", 2 },
        { "\xC0", 1 }, { "\xE0\x80", 2 }, { "\xF0\x80\x80", 3 },           /* 3.3 last byte missing */
        { "\xDF", 1 }, { "\xEF\xBF", 2 }, { "\xF7\xBF\xBF", 3 },
        { "\xFE", 1 }, { "\xFF", 1 }, { "\xFE\xFE\xFF\xFF", 4 },           /* 3.5 impossible bytes */
        { "\xC0\xAF", 2 }, { "\xE0\x80\xAF", 3 }, { "\xF0\x80\x80\xAF", 4 }, /* 4 overlong */
        { "\xC1\xBF", 2 }, { "\xE0\x9F\xBF", 3 }, { "\xF0\x8F\xBF\xBF", 4 },
        { "\xC0\x80", 2 }, { "\xE0\x80\x80", 3 },
        { "\xED\xA0\x80", 3 }, { "\xED\xBF\xBF", 3 },                     /* 5 surrogates */
        { "\xED\xA0\x80\xED\xB0\x80", 6 },
        { "\xF8\x88\x80\x80\x80", 5 }, { "\xFC\x84\x80\x80\x80\x80", 6 },
        { "\xF4\x90\x80\x80", 4 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char in[32];
        size_t n = 0;
        memcpy(in, "x\n\"", 3);
        n = 3;
        memcpy(in + n, bad[i].bytes, bad[i].n);
        n += bad[i].n;
        memcpy(in + n, "\"\n", 2);
        n += 2;
        assert_false(td_utf8_valid(in, n));
        td_err err;
        td_decoder *d;
        assert_td_ok(td_decoder_open_mem(in, n, TD_ENC_UTF8, &d, &err), &err);
        size_t outn;
        char *o = drain(d, &outn);
        assert_true(td_utf8_valid(o, outn));
        assert_contains(o, "\xEF\xBF\xBD");
        td_dec_event e;
        assert_true(td_decoder_event_in(d, 0, outn, &e));
        assert_int_equal(e.line, 2);
        assert_int_equal(e.in_off, 3);
        free(o);
        td_decoder_free(d);
    }
}

static void test_unknown_encoding_asks(void **state)
{
    (void)state;
    unsigned char junk[512];
    for (int i = 0; i < 512; i++)
        junk[i] = (unsigned char)(0x80 | ((i * 37) & 0x7F)) ;
    for (int i = 0; i < 512; i += 2)
        junk[i] = 0xFF;
    td_enc_guess g = td_enc_detect(junk, sizeof junk);
    assert_int_equal(g.enc, TD_ENC_UNKNOWN);
    td_err err;
    td_decoder *d;
    assert_int_equal(td_decoder_open_mem((const char *)junk, sizeof junk, TD_ENC_UNKNOWN, &d, &err), TD_EINVALID);
    assert_contains(err.msg, "--encoding");
}

static void test_encoder_split_writes(void **state)
{
    (void)state;
    const char *text = "𠮷张三😀abc";
    size_t n = strlen(text);
    char *want;
    size_t wantlen;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_encode_all(text, n, TD_ENC_GB18030, &want, &wantlen, &err), &err);
    for (size_t cut = 0; cut <= n; cut++) {
        for (size_t cut2 = cut; cut2 <= n; cut2++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            td_encoder *e;
            assert_td_ok(td_encoder_open(f, TD_ENC_GB18030, &e, &err), &err);
            assert_td_ok(td_encoder_write(e, text, cut, &err), &err);
            assert_td_ok(td_encoder_write(e, text + cut, cut2 - cut, &err), &err);
            assert_td_ok(td_encoder_write(e, text + cut2, n - cut2, &err), &err);
            assert_td_ok(td_encoder_close(e, &err), &err);
            fclose(f);
            assert_int_equal(len, wantlen);
            assert_memory_equal(buf, want, len);
            free(buf);
        }
    }
    free(want);
}

static void test_encoder_rejects_bad_utf8(void **state)
{
    (void)state;
    char *out;
    size_t n;
    td_err err;
    assert_int_equal(td_encode_all("a\xFF" "b", 3, TD_ENC_GB18030, &out, &n, &err), TD_EINVALID);
    assert_int_equal(td_encode_all("a\xFF" "b", 3, TD_ENC_UTF8_BOM, &out, &n, &err), TD_EINVALID);
    assert_int_equal(td_encode_all("a\xE4\xB8", 3, TD_ENC_GB18030, &out, &n, &err), TD_EINVALID);
    assert_int_equal(td_encode_all("x", 1, TD_ENC_UNKNOWN, &out, &n, &err), TD_EINVALID);
    assert_td_ok(td_encode_all("张", 3, TD_ENC_UTF8_BOM, &out, &n, &err), &err);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "\xEF\xBB\xBF张", 6);
    free(out);
}


static void test_utf16be_and_encoder_utf16(void **state)
{
    (void)state;
    const char in[] = "\xFE\xFF" "\x5F\x20\x4E\x09\x00\n"; /* 张三\n big-endian */
    size_t n;
    char *u = must_decode(in, sizeof in - 1, TD_ENC_UNKNOWN, &n);
    assert_string_equal(u, "张三\n");
    free(u);
    /* UTF-16LE out (Excel "Unicode text") starts with its BOM and reads back */
    char *out;
    size_t on;
    td_err err;
    assert_td_ok(td_encode_all("𠮷野家\t1\r\n", strlen("𠮷野家\t1\r\n"), TD_ENC_UTF16LE, &out, &on, &err), &err);
    assert_memory_equal(out, "\xFF\xFE", 2);
    u = must_decode(out, on, TD_ENC_UNKNOWN, &n);
    assert_string_equal(u, "𠮷野家\t1\r\n");
    free(u);
    free(out);
}

static void test_detect_file_not_seekable(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "a,b\n", 4), 4);
    close(fds[1]);
    FILE *f = fdopen(fds[0], "rb");
    td_enc_guess g;
    td_err err;
    assert_int_equal(td_enc_detect_file(f, &g, &err), TD_EIO);
    assert_contains(err.msg, "--encoding");
    /* with an explicit encoding a pipe is fine */
    td_decoder *d;
    assert_td_ok(td_decoder_open(f, TD_ENC_UTF8, &d, &err), &err);
    size_t n;
    char *o = drain(d, &n);
    assert_string_equal(o, "a,b\n");
    free(o);
    td_decoder_free(d);
    fclose(f);
}

/* A file that is UTF-8 except a few bad bytes among much Chinese is still
 * UTF-8 (its bad rows are rejected), never GB18030 mojibake. */
static void test_mostly_utf8_stays_utf8(void **state)
{
    (void)state;
    char buf[4096] = "";
    for (int i = 0; i < 40; i++)
        strcat(buf, "张三,重庆市渝中区\n");
    strcat(buf, "bad\xFF\n");
    td_enc_guess g = td_enc_detect((const unsigned char *)buf, strlen(buf));
    assert_int_equal(g.enc, TD_ENC_UTF8);
    assert_int_equal(g.utf8_invalid, 1);
    assert_cmp(g.utf8_multibyte, >=, 8);
}

/* Offsets count from the start of the file, BOM included. */
static void test_event_offset_after_bom(void **state)
{
    (void)state;
    const char *in = "\xEF\xBB\xBF" "ab\n\xFF\n";
    td_err err;
    td_decoder *d;
    assert_td_ok(td_decoder_open_mem(in, strlen(in), TD_ENC_UNKNOWN, &d, &err), &err);
    size_t n;
    char *o = drain(d, &n);
    td_dec_event e;
    assert_true(td_decoder_event_in(d, 0, n, &e));
    assert_int_equal(e.in_off, 6);
    assert_int_equal(e.out_pos, 3);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.bytes[0], 0xFF);
    free(o);
    td_decoder_free(d);
}

/* Every GB18030 two-byte code (lead 81–FE, trail 40–7E, 80–FE) either
 * decodes to a character that encodes back to the same two bytes, or is
 * reported — nothing is silently changed. */
static void test_gb18030_two_byte_table(void **state)
{
    (void)state;
    int ok = 0, bad = 0;
    td_err err;
    for (int lead = 0x81; lead <= 0xFE; lead++) {
        for (int trail = 0x40; trail <= 0xFE; trail++) {
            if (trail == 0x7F)
                continue;
            char in[3] = { (char)lead, (char)trail, 0 };
            char *u;
            size_t n;
            if (td_decode_all(in, 2, TD_ENC_GB18030, &u, &n, &err) != TD_OK) {
                bad++;
                continue;
            }
            char *back;
            size_t bn;
            if (td_encode_all(u, n, TD_ENC_GB18030, &back, &bn, &err) == TD_OK) {
                if (!(bn == 2 && memcmp(back, in, 2) == 0)) {
                    /* a code mapped to a character GB18030-2022 places elsewhere (FE51 → U+20087) */
                    assert_cmp(bn, ==, 4);
                }
                free(back);
            }
            free(u);
            ok++;
        }
    }
    assert_cmp(ok, >, 20000);
    (void)bad;
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enc_parse),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_never_gb18030),
        cmocka_unit_test(test_detect_gbk),
        cmocka_unit_test(test_detect_pure_ascii),
        cmocka_unit_test(test_bom_stripped),
        cmocka_unit_test(test_utf16_bom),
        cmocka_unit_test(test_gb18030_four_byte_round_trip),
        cmocka_unit_test(test_gb18030_fe51),
        cmocka_unit_test(test_private_use_flagged),
        cmocka_unit_test(test_truncated_gb18030_reports_line),
        cmocka_unit_test(test_truncated_utf8_reports_line),
        cmocka_unit_test(test_invalid_gb_bytes_mid_file),
        cmocka_unit_test(test_invalid_utf8_run_is_one_event),
        cmocka_unit_test(test_streaming_boundaries),
        cmocka_unit_test(test_utf8_stress_file),
        cmocka_unit_test(test_utf8_stress_sequences),
        cmocka_unit_test(test_unknown_encoding_asks),
        cmocka_unit_test(test_encoder_split_writes),
        cmocka_unit_test(test_encoder_rejects_bad_utf8),
        cmocka_unit_test(test_utf16be_and_encoder_utf16),
        cmocka_unit_test(test_detect_file_not_seekable),
        cmocka_unit_test(test_mostly_utf8_stays_utf8),
        cmocka_unit_test(test_event_offset_after_bom),
        cmocka_unit_test(test_gb18030_two_byte_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
