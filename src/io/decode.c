/* decode.c — see decode.h. */
#include "decode.h"
#include "base/i18n.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IN_CAP 65536
#define OUT_CAP (IN_CAP * 2 + 64)
#define MAX_EVENTS_KEPT 100000

const char *td_enc_name(td_enc e)
{
    switch (e) {
    case TD_ENC_UTF8: return "UTF-8";
    case TD_ENC_UTF8_BOM: return "UTF-8 (BOM)";
    case TD_ENC_GB18030: return "GB18030";
    case TD_ENC_UTF16LE: return "UTF-16LE";
    case TD_ENC_UTF16BE: return "UTF-16BE";
    default: return _("unknown encoding");
    }
}

bool td_enc_parse(const char *s, td_enc *out)
{
    static const struct {
        const char *name;
        td_enc enc;
    } names[] = {
        { "utf-8", TD_ENC_UTF8 },         { "utf8", TD_ENC_UTF8 },
        { "utf-8-bom", TD_ENC_UTF8_BOM }, { "utf8bom", TD_ENC_UTF8_BOM },
        { "utf-8-sig", TD_ENC_UTF8_BOM }, { "gb18030", TD_ENC_GB18030 },
        { "gbk", TD_ENC_GB18030 },        { "gb2312", TD_ENC_GB18030 },
        { "cp936", TD_ENC_GB18030 },      { "utf-16le", TD_ENC_UTF16LE },
        { "utf-16be", TD_ENC_UTF16BE },   { "auto", TD_ENC_UNKNOWN },
    };
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(s, names[i].name) == 0) {
            *out = names[i].enc;
            return true;
        }
    }
    return false;
}

bool td_cp_private_use(uint32_t cp)
{
    return (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD) ||
           (cp >= 0x100000 && cp <= 0x10FFFD);
}

/* Length of the well-formed UTF-8 sequence at p (n bytes available): > 0;
 * 0 when ill-formed (skip one byte); -1 when a well-formed prefix is cut by
 * the end of the buffer. */
static int utf8_check(const unsigned char *p, size_t n)
{
    unsigned b = p[0];
    if (b < 0x80)
        return 1;
    int len;
    unsigned lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
    } else if (b == 0xE0) {
        len = 3;
        lo = 0xA0;
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
        len = 3;
    } else if (b == 0xED) {
        len = 3;
        hi = 0x9F;
    } else if (b == 0xF0) {
        len = 4;
        lo = 0x90;
    } else if (b >= 0xF1 && b <= 0xF3) {
        len = 4;
    } else if (b == 0xF4) {
        len = 4;
        hi = 0x8F;
    } else {
        return 0;
    }
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return -1;
        unsigned c = p[i];
        if (i == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF))
            return 0;
    }
    return len;
}

bool td_utf8_valid(const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int r = utf8_check(p + i, len - i);
        if (r <= 0)
            return false;
        i += (size_t)r;
    }
    return true;
}

/* ---- detection ---------------------------------------------------------- */

static size_t bom_of(const unsigned char *b, size_t n, td_enc *enc)
{
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        *enc = TD_ENC_UTF8_BOM;
        return 3;
    }
    if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        *enc = TD_ENC_UTF16LE;
        return 2;
    }
    if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        *enc = TD_ENC_UTF16BE;
        return 2;
    }
    return 0;
}

typedef struct sniff {
    unsigned char carry[8];
    size_t nc;
    size_t mb, invalid;
    bool truncated;
    iconv_t cd;
} sniff;

/* Feeds a chunk to the UTF-8 counter. */
static void sniff_utf8(sniff *s, const unsigned char *chunk, size_t n, bool last)
{
    unsigned char *work = malloc(n + sizeof s->carry);
    if (!work)
        abort();
    memcpy(work, s->carry, s->nc);
    memcpy(work + s->nc, chunk, n);
    size_t len = s->nc + n, i = 0;
    s->nc = 0;
    while (i < len) {
        if (work[i] < 0x80) {
            i++;
            continue;
        }
        int r = utf8_check(work + i, len - i);
        if (r > 0) {
            s->mb++;
            i += (size_t)r;
        } else if (r == 0) {
            s->invalid++;
            i++;
        } else {
            if (last) {
                s->truncated = true;
            } else {
                memcpy(s->carry, work + i, len - i);
                s->nc = len - i;
            }
            break;
        }
    }
    free(work);
}

/* Feeds a chunk to the GB18030 counter (iconv, output discarded). */
static void sniff_gb(sniff *s, const unsigned char *chunk, size_t n, bool last)
{
    unsigned char *work = malloc(n + sizeof s->carry);
    char out[4096];
    if (!work)
        abort();
    memcpy(work, s->carry, s->nc);
    memcpy(work + s->nc, chunk, n);
    char *ip = (char *)work;
    size_t il = s->nc + n;
    s->nc = 0;
    while (il > 0) {
        char *op = out;
        size_t ol = sizeof out;
        char *before = ip;
        size_t r = iconv(s->cd, &ip, &il, &op, &ol);
        for (char *q = before; q < ip; q++)
            if ((unsigned char)*q >= 0x80)
                s->mb++; /* counts bytes; halved below */
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        if (errno == EILSEQ) {
            s->invalid++;
            ip++;
            il--;
            continue;
        }
        /* EINVAL: incomplete at the end */
        if (last) {
            s->truncated = true;
        } else if (il <= sizeof s->carry) {
            memcpy(s->carry, ip, il);
            s->nc = il;
        }
        break;
    }
    free(work);
}

static td_enc decide(td_enc_guess *g, bool have_gb, size_t gb_mb)
{
    if (g->utf8_invalid == 0)
        return TD_ENC_UTF8;
    if (g->utf8_multibyte >= 8 * g->utf8_invalid)
        return TD_ENC_UTF8;
    if (!have_gb)
        return TD_ENC_UNKNOWN;
    if (g->gb_invalid == 0 || gb_mb / 2 >= 8 * g->gb_invalid)
        return TD_ENC_GB18030;
    return TD_ENC_UNKNOWN;
}

td_enc_guess td_enc_detect(const unsigned char *buf, size_t len)
{
    td_enc_guess g;
    memset(&g, 0, sizeof g);
    td_enc e;
    if ((g.bom_len = bom_of(buf, len, &e)) > 0) {
        g.enc = e;
        return g;
    }
    sniff s;
    memset(&s, 0, sizeof s);
    sniff_utf8(&s, buf, len, true);
    g.utf8_multibyte = s.mb;
    g.utf8_invalid = s.invalid;
    g.truncated = s.truncated;
    size_t gb_mb = 0;
    bool have_gb = false;
    if (s.invalid > 0 && !(s.mb >= 8 * s.invalid)) {
        memset(&s, 0, sizeof s);
        s.cd = iconv_open("UTF-8", "GB18030");
        if (s.cd != (iconv_t)-1) {
            sniff_gb(&s, buf, len, true);
            iconv_close(s.cd);
            g.gb_invalid = s.invalid;
            g.truncated = s.truncated;
            gb_mb = s.mb;
            have_gb = true;
        }
    }
    g.enc = decide(&g, have_gb, gb_mb);
    return g;
}

td_status td_enc_detect_file(FILE *f, td_enc_guess *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    long start = ftell(f);
    if (start < 0)
        return td_err_set(err, TD_EIO, "%s",
                          _("cannot detect the encoding of a stream that cannot be re-read; give --encoding"));
    unsigned char *chunk = malloc(IN_CAP);
    if (!chunk)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    sniff s;
    memset(&s, 0, sizeof s);
    bool first = true;
    size_t n;
    for (;;) {
        n = fread(chunk, 1, IN_CAP, f);
        bool last = n < IN_CAP;
        const unsigned char *p = chunk;
        if (first) {
            first = false;
            td_enc e;
            size_t b = bom_of(chunk, n, &e);
            if (b) {
                out->enc = e;
                out->bom_len = b;
                break;
            }
        }
        sniff_utf8(&s, p, n, last);
        if (last)
            break;
    }
    td_status st = TD_OK;
    if (ferror(f)) {
        st = td_err_set(err, TD_EIO, _("cannot read the file: %s"), strerror(errno));
    } else if (out->bom_len == 0) {
        out->utf8_multibyte = s.mb;
        out->utf8_invalid = s.invalid;
        out->truncated = s.truncated;
        bool have_gb = false;
        size_t gb_mb = 0;
        if (s.invalid > 0 && !(s.mb >= 8 * s.invalid)) {
            memset(&s, 0, sizeof s);
            s.cd = iconv_open("UTF-8", "GB18030");
            if (s.cd != (iconv_t)-1 && fseek(f, start, SEEK_SET) == 0) {
                have_gb = true;
                for (;;) {
                    n = fread(chunk, 1, IN_CAP, f);
                    sniff_gb(&s, chunk, n, n < IN_CAP);
                    if (n < IN_CAP)
                        break;
                }
                out->gb_invalid = s.invalid;
                out->truncated = s.truncated;
                gb_mb = s.mb;
            }
            if (s.cd != (iconv_t)-1)
                iconv_close(s.cd);
        }
        out->enc = decide(out, have_gb, gb_mb);
    }
    free(chunk);
    if (fseek(f, start, SEEK_SET) != 0 && st == TD_OK)
        st = td_err_set(err, TD_EIO, "%s", _("cannot rewind the file after detecting its encoding"));
    return st;
}

/* ---- the streaming decoder ---------------------------------------------- */

struct td_decoder {
    FILE *f;
    const unsigned char *mem;
    size_t memlen, memat;
    td_enc enc;
    iconv_t cd;
    unsigned char in[IN_CAP];
    size_t ilen, ipos;
    bool in_eof;
    size_t in_base;         /* input offset of in[0] */
    char out[OUT_CAP];
    size_t olen, opos;
    size_t out_base;        /* output offset of out[0] */
    long lines;             /* '\n' produced so far */
    size_t scanned;         /* out[] bytes already scanned for lines/PUA */
    size_t last_bad_end;    /* input offset just past the last invalid run */
    bool have_bad;
    td_dec_event *ev;
    size_t nev, evcap, ev_total;
    bool failed;
};

td_enc td_decoder_encoding(const td_decoder *d) { return d->enc; }
size_t td_decoder_event_count(const td_decoder *d) { return d->ev_total; }
size_t td_decoder_in_pos(const td_decoder *d) { return d->in_base + d->ipos; }

static void add_event(td_decoder *d, td_dec_kind kind, size_t out_pos, size_t in_off, uint32_t cp,
                      const unsigned char *bytes, int nbytes)
{
    d->ev_total++;
    if (d->nev == MAX_EVENTS_KEPT)
        return; /* a caller that never forgets: keep the first ones */
    if (d->nev == d->evcap) {
        size_t nc = d->evcap ? d->evcap * 2 : 16;
        td_dec_event *ne = realloc(d->ev, nc * sizeof *ne);
        if (!ne)
            abort();
        d->ev = ne;
        d->evcap = nc;
    }
    td_dec_event *e = &d->ev[d->nev++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->out_pos = out_pos;
    e->in_off = in_off;
    e->line = d->lines + 1;
    e->cp = cp;
    if (nbytes > 4)
        nbytes = 4;
    if (nbytes > 0)
        memcpy(e->bytes, bytes, (size_t)nbytes);
    e->nbytes = nbytes;
}

/* Counts lines in and flags private-use characters of out[scanned..olen). */
static void scan_out(td_decoder *d)
{
    const unsigned char *p = (const unsigned char *)d->out;
    size_t i = d->scanned;
    while (i < d->olen) {
        unsigned b = p[i];
        if (b < 0x80) {
            if (b == '\n')
                d->lines++;
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t n = 1;
        if (b >= 0xF0) {
            if (i + 4 <= d->olen) {
                cp = ((b & 7u) << 18) | ((p[i + 1] & 0x3Fu) << 12) | ((p[i + 2] & 0x3Fu) << 6) | (p[i + 3] & 0x3Fu);
                n = 4;
            }
        } else if (b >= 0xE0) {
            if (i + 3 <= d->olen) {
                cp = ((b & 0xFu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
                n = 3;
            }
        } else if (b >= 0xC0) {
            n = 2;
        }
        if (cp && td_cp_private_use(cp)) /* input offset: approximate (end of the chunk) */
            add_event(d, TD_DEC_PRIVATE_USE, d->out_base + i, d->in_base + d->ipos, cp, p + i, (int)n);
        i += n;
    }
    d->scanned = d->olen;
}

static void put_fffd(td_decoder *d)
{
    memcpy(d->out + d->olen, "\xEF\xBF\xBD", 3);
    d->olen += 3;
    d->scanned = d->olen;
}

/* Records an invalid run starting at in[ipos] of nbytes, emitting one U+FFFD
 * per run of adjacent bad bytes. */
static void bad_bytes(td_decoder *d, td_dec_kind kind, size_t nbytes)
{
    scan_out(d);
    size_t off = d->in_base + d->ipos;
    if (!(d->have_bad && d->last_bad_end == off && kind == TD_DEC_INVALID)) {
        add_event(d, kind, d->out_base + d->olen, off, 0, d->in + d->ipos, (int)nbytes);
        put_fffd(d);
    }
    d->have_bad = true;
    d->last_bad_end = off + nbytes;
    d->ipos += nbytes;
}

static td_status read_more(td_decoder *d, td_err *err)
{
    if (d->ipos > 0) {
        memmove(d->in, d->in + d->ipos, d->ilen - d->ipos);
        d->in_base += d->ipos;
        d->ilen -= d->ipos;
        d->ipos = 0;
    }
    size_t room = IN_CAP - d->ilen, n;
    if (d->f) {
        n = fread(d->in + d->ilen, 1, room, d->f);
        if (n < room) {
            if (ferror(d->f))
                return td_err_set(err, TD_EIO, _("cannot read the file: %s"), strerror(errno));
            d->in_eof = true;
        }
    } else {
        n = d->memlen - d->memat;
        if (n > room)
            n = room;
        memcpy(d->in + d->ilen, d->mem + d->memat, n);
        d->memat += n;
        if (d->memat == d->memlen)
            d->in_eof = true;
    }
    d->ilen += n;
    return TD_OK;
}

/* Decodes UTF-8 input into out[] until it is nearly full or input is short. */
static void run_utf8(td_decoder *d)
{
    while (d->ipos < d->ilen && d->olen + 8 < OUT_CAP) {
        const unsigned char *p = d->in + d->ipos;
        if (*p < 0x80) {
            d->out[d->olen++] = (char)*p;
            d->ipos++;
            continue;
        }
        int r = utf8_check(p, d->ilen - d->ipos);
        if (r > 0) {
            memcpy(d->out + d->olen, p, (size_t)r);
            d->olen += (size_t)r;
            d->ipos += (size_t)r;
        } else if (r == 0) {
            bad_bytes(d, TD_DEC_INVALID, 1);
        } else if (d->in_eof) {
            bad_bytes(d, TD_DEC_TRUNCATED, d->ilen - d->ipos);
        } else {
            break; /* need more input */
        }
    }
    scan_out(d);
}

static void run_iconv(td_decoder *d)
{
    while (d->ipos < d->ilen && d->olen + 8 < OUT_CAP) {
        char *ip = (char *)d->in + d->ipos;
        size_t il = d->ilen - d->ipos;
        char *op = d->out + d->olen;
        size_t ol = OUT_CAP - 8 - d->olen;
        size_t r = iconv(d->cd, &ip, &il, &op, &ol);
        int e = errno;
        d->ipos = (size_t)((unsigned char *)ip - d->in);
        d->olen = (size_t)(op - d->out);
        scan_out(d);
        if (r != (size_t)-1)
            break;
        if (e == E2BIG)
            break; /* flush */
        if (e == EILSEQ) {
            size_t avail = d->ilen - d->ipos;
            bad_bytes(d, TD_DEC_INVALID, avail >= 1 ? 1 : 0);
            continue;
        }
        /* EINVAL: a character continues past the buffer */
        if (d->in_eof)
            bad_bytes(d, TD_DEC_TRUNCATED, d->ilen - d->ipos);
        break;
    }
}

/* Makes out[] non-empty unless the input is exhausted. */
static td_status fill(td_decoder *d, td_err *err)
{
    d->out_base += d->olen;
    d->olen = d->opos = d->scanned = 0;
    while (d->olen == 0) {
        if (d->ipos == d->ilen && d->in_eof)
            return TD_OK;
        /* keep at least 8 bytes of look-ahead for multi-byte characters */
        if (!d->in_eof && d->ilen - d->ipos < 8) {
            td_status s = read_more(d, err);
            if (s)
                return s;
            if (d->ipos == d->ilen && d->in_eof)
                return TD_OK;
        }
        size_t before_in = d->ipos;
        if (d->enc == TD_ENC_UTF8 || d->enc == TD_ENC_UTF8_BOM)
            run_utf8(d);
        else
            run_iconv(d);
        if (d->olen == 0 && d->ipos == before_in) {
            if (d->in_eof)
                return TD_OK; /* cannot happen: truncation consumes */
            td_status s = read_more(d, err);
            if (s)
                return s;
        }
    }
    return TD_OK;
}

td_status td_decoder_read(void *vd, char *buf, size_t cap, size_t *got, td_err *err)
{
    td_decoder *d = vd;
    *got = 0;
    if (d->failed)
        return td_err_set(err, TD_EIO, "%s", _("cannot read the file"));
    if (d->opos == d->olen) {
        td_status s = fill(d, err);
        if (s) {
            d->failed = true;
            return s;
        }
    }
    size_t n = d->olen - d->opos;
    if (n > cap)
        n = cap;
    memcpy(buf, d->out + d->opos, n);
    d->opos += n;
    *got = n;
    return TD_OK;
}

static td_status open_common(td_decoder *d, td_enc enc, td_err *err)
{
    d->cd = (iconv_t)-1;
    td_status s = read_more(d, err);
    if (s)
        return s;
    td_enc bom_enc = TD_ENC_UNKNOWN;
    size_t bom = bom_of(d->in, d->ilen, &bom_enc);
    if (enc == TD_ENC_UTF8 && bom_enc == TD_ENC_UTF8_BOM)
        enc = TD_ENC_UTF8_BOM;
    d->enc = enc;
    if (bom && bom_enc == enc)
        d->ipos = bom; /* strip the BOM of the chosen encoding */
    const char *from = NULL;
    if (enc == TD_ENC_GB18030)
        from = "GB18030";
    else if (enc == TD_ENC_UTF16LE)
        from = "UTF-16LE";
    else if (enc == TD_ENC_UTF16BE)
        from = "UTF-16BE";
    if (from) {
        d->cd = iconv_open("UTF-8", from);
        if (d->cd == (iconv_t)-1)
            return td_err_set(err, TD_ERR, _("the system cannot convert from %s (iconv)"), from);
    }
    return TD_OK;
}

static td_status unknown_enc(td_err *err)
{
    return td_err_set(err, TD_EINVALID, "%s",
                      _("cannot tell the file's encoding (neither UTF-8 nor GB18030); "
                        "give it with --encoding utf-8 or --encoding gb18030"));
}

td_status td_decoder_open(FILE *f, td_enc enc, td_decoder **out, td_err *err)
{
    *out = NULL;
    if (enc == TD_ENC_UNKNOWN) {
        td_enc_guess g;
        td_status s = td_enc_detect_file(f, &g, err);
        if (s)
            return s;
        if (g.enc == TD_ENC_UNKNOWN)
            return unknown_enc(err);
        enc = g.enc;
    }
    td_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    d->f = f;
    td_status s = open_common(d, enc, err);
    if (s) {
        td_decoder_free(d);
        return s;
    }
    *out = d;
    return TD_OK;
}

td_status td_decoder_open_mem(const char *buf, size_t len, td_enc enc, td_decoder **out, td_err *err)
{
    *out = NULL;
    if (enc == TD_ENC_UNKNOWN) {
        td_enc_guess g = td_enc_detect((const unsigned char *)buf, len);
        if (g.enc == TD_ENC_UNKNOWN)
            return unknown_enc(err);
        enc = g.enc;
    }
    td_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    d->mem = (const unsigned char *)buf;
    d->memlen = len;
    if (len == 0)
        d->in_eof = true;
    td_status s = open_common(d, enc, err);
    if (s) {
        td_decoder_free(d);
        return s;
    }
    *out = d;
    return TD_OK;
}

void td_decoder_free(td_decoder *d)
{
    if (!d)
        return;
    if (d->cd != (iconv_t)-1 && d->cd != (iconv_t)0)
        iconv_close(d->cd);
    free(d->ev);
    free(d);
}

bool td_decoder_event_in(const td_decoder *d, size_t from, size_t to, td_dec_event *out)
{
    for (size_t i = 0; i < d->nev; i++) {
        if (d->ev[i].out_pos >= from && d->ev[i].out_pos < to) {
            *out = d->ev[i];
            return true;
        }
    }
    return false;
}

void td_decoder_forget(td_decoder *d, size_t pos)
{
    size_t k = 0;
    while (k < d->nev && d->ev[k].out_pos < pos)
        k++;
    if (k) {
        memmove(d->ev, d->ev + k, (d->nev - k) * sizeof *d->ev);
        d->nev -= k;
    }
}

const char *td_dec_event_describe(const td_decoder *d, const td_dec_event *e, char *buf, size_t len)
{
    char hex[32] = "";
    size_t h = 0;
    for (int i = 0; i < e->nbytes && h + 6 < sizeof hex; i++)
        h += (size_t)snprintf(hex + h, sizeof hex - h, "%s0x%02X", i ? " " : "", e->bytes[i]);
    const char *enc = td_enc_name(d ? d->enc : TD_ENC_UNKNOWN);
    switch (e->kind) {
    case TD_DEC_TRUNCATED:
        snprintf(buf, len, _("line %ld (byte offset %zu): the file ends in the middle of a character (%s, %s)"),
                 e->line, e->in_off, hex, enc);
        break;
    case TD_DEC_PRIVATE_USE:
        snprintf(buf, len,
                 _("line %ld: private-use character U+%04X (often a rare name character that converters "
                   "map differently); check and type it again"),
                 e->line, (unsigned)e->cp);
        break;
    default:
        snprintf(buf, len, _("line %ld (byte offset %zu): invalid bytes %s for %s"), e->line, e->in_off, hex,
                 enc);
        break;
    }
    return buf;
}

td_status td_decode_all(const char *buf, size_t len, td_enc enc, char **out, size_t *outlen, td_err *err)
{
    *out = NULL;
    *outlen = 0;
    td_decoder *d;
    td_status s = td_decoder_open_mem(buf, len, enc, &d, err);
    if (s)
        return s;
    size_t cap = len * 2 + 16, n = 0;
    char *o = malloc(cap);
    if (!o) {
        td_decoder_free(d);
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    }
    for (;;) {
        if (cap - n < 4096) {
            cap *= 2;
            char *no = realloc(o, cap);
            if (!no) {
                free(o);
                td_decoder_free(d);
                return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
            }
            o = no;
        }
        size_t got;
        if ((s = td_decoder_read(d, o + n, cap - n - 1, &got, err)) != TD_OK)
            break;
        if (got == 0)
            break;
        n += got;
    }
    td_dec_event e;
    if (s == TD_OK && d->nev > 0) {
        e = d->ev[0];
        char msg[400];
        td_dec_event_describe(d, &e, msg, sizeof msg);
        s = td_err_set(err, TD_EINVALID, "%s", msg);
    }
    td_decoder_free(d);
    if (s) {
        free(o);
        return s;
    }
    o[n] = '\0';
    *out = o;
    *outlen = n;
    return TD_OK;
}
