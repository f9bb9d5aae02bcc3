/* fuzz_csv.c — libFuzzer target: encoding detection, streaming decoding
 * (iconv) and the RFC 4180 reader on arbitrary bytes.
 *
 * The first byte picks the encoding (auto, UTF-8, GB18030, UTF-16LE) and the
 * read size, the rest is the file.  Checks, beyond "no crash, no sanitizer
 * report":
 *  - decoded output is always well-formed UTF-8;
 *  - every record's fields, written back with the CSV writer and read again,
 *    come back identical;
 *  - decoded text that GB18030 can hold survives UTF-8 → GB18030 → UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "io/decode.h"
#include "io/encode.h"

typedef struct chunked {
    td_decoder *d;
    size_t step;
} chunked;

static td_status chunked_read(void *ud, char *buf, size_t cap, size_t *got, td_err *err)
{
    chunked *c = ud;
    return td_decoder_read(c->d, buf, cap < c->step ? cap : c->step, got, err);
}

static void check_round_trip(char **fields, const size_t *lens, size_t n)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (strlen(fields[i]) != lens[i])
            return; /* a NUL inside a field: the writer takes C strings */
    }
    for (size_t i = 0; i < n; i++) {
        if (i) {
            td_csv_append_field(&buf, &len, &cap, "", ',');
            buf[len++] = ',';
            buf[len] = 0;
        }
        td_csv_append_field(&buf, &len, &cap, fields[i], ',');
    }
    td_csv_append_field(&buf, &len, &cap, "", ',');
    buf[len++] = '\n';
    buf[len] = 0;
    td_csv *c = td_csv_new_mem(buf, len, ',');
    td_csv_record *r;
    td_err err;
    if (td_csv_next(c, &r, &err) != TD_OK)
        abort();
    if (n == 1 && lens[0] == 0) {
        if (r)
            abort(); /* a lone empty field is a blank line */
    } else {
        if (!r || r->nfields != n || r->problem)
            abort();
        for (size_t i = 0; i < n; i++)
            if (r->lens[i] != lens[i] || memcmp(r->fields[i], fields[i], lens[i]) != 0)
                abort();
    }
    td_csv_free(c);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const td_enc encs[] = { TD_ENC_UNKNOWN, TD_ENC_UTF8, TD_ENC_GB18030, TD_ENC_UTF16LE };
    td_enc enc = encs[data[0] & 3];
    size_t step = 1 + (data[0] >> 2) * 7;
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    td_enc_guess g = td_enc_detect((const unsigned char *)in, n);
    (void)g;
    td_err err;
    td_decoder *d;
    if (td_decoder_open_mem(in, n, enc, &d, &err) != TD_OK)
        return 0;
    /* whole output, for the checks */
    char *out = malloc(n * 4 + 1024);
    size_t outlen = 0, got;
    chunked ch = { d, step };
    td_csv *c = td_csv_new(chunked_read, &ch, (data[0] & 0x80) ? '\t' : ',');
    td_csv_record *r;
    int records = 0;
    while (td_csv_next(c, &r, &err) == TD_OK && r) {
        td_dec_event ev;
        if (td_decoder_event_in(d, r->pos_start, r->pos_end, &ev)) {
            char msg[512];
            td_dec_event_describe(d, &ev, msg, sizeof msg);
            if (ev.line < 1)
                abort();
        }
        if (r->end_line < r->line)
            abort();
        if (!r->problem)
            check_round_trip(r->fields, r->lens, r->nfields);
        td_decoder_forget(d, r->pos_end);
        if (++records > 10000)
            break;
    }
    td_csv_free(c);
    td_decoder_free(d);
    /* decode again in one go: always well-formed UTF-8 */
    if (td_decoder_open_mem(in, n, enc, &d, &err) != TD_OK)
        abort(); /* same input, same answer */
    while (td_decoder_read(d, out + outlen, 1000, &got, &err) == TD_OK && got) {
        outlen += got;
        if (outlen > 3 * n + 3)
            abort(); /* never more than 3 bytes out per byte in */
    }
    td_decoder_free(d);
    if (!td_utf8_valid(out, outlen))
        abort();
    char *gb;
    size_t gblen;
    if (td_encode_all(out, outlen, TD_ENC_GB18030, &gb, &gblen, &err) == TD_OK) {
        char *back;
        size_t backlen;
        if (td_decode_all(gb, gblen, TD_ENC_GB18030, &back, &backlen, &err) == TD_OK) {
            if (backlen != outlen || memcmp(back, out, outlen) != 0)
                abort();
            free(back);
        } else if (err.code != TD_EINVALID) {
            abort();
        }
        free(gb);
    }
    free(out);
    return 0;
}
