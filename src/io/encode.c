/* encode.c — see encode.h. */
#include "encode.h"
#include "base/i18n.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

struct td_encoder {
    FILE *f;
    td_enc enc;
    iconv_t cd;
    char carry[8];
    size_t nc;
};

td_status td_encoder_open(FILE *f, td_enc enc, td_encoder **out, td_err *err)
{
    *out = NULL;
    const char *to = NULL;
    switch (enc) {
    case TD_ENC_UTF8:
    case TD_ENC_UTF8_BOM:
        break;
    case TD_ENC_GB18030:
        to = "GB18030";
        break;
    case TD_ENC_UTF16LE:
        to = "UTF-16LE";
        break;
    case TD_ENC_UTF16BE:
        to = "UTF-16BE";
        break;
    default:
        return td_err_set(err, TD_EINVALID, "%s", _("choose an output encoding (utf-8 or gb18030)"));
    }
    td_encoder *e = calloc(1, sizeof *e);
    if (!e)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    e->f = f;
    e->enc = enc;
    e->cd = (iconv_t)-1;
    /* iconv_open validates the encoding; UTF-8 is always checked below */
    e->cd = iconv_open(to ? to : "UTF-8", "UTF-8");
    if (e->cd == (iconv_t)-1) {
        free(e);
        return td_err_set(err, TD_ERR, _("the system cannot convert to %s (iconv)"), to ? to : "UTF-8");
    }
    static const char bom8[] = "\xEF\xBB\xBF", bom16le[] = "\xFF\xFE", bom16be[] = "\xFE\xFF";
    const char *bom = enc == TD_ENC_UTF8_BOM ? bom8 : enc == TD_ENC_UTF16LE ? bom16le
                                                   : enc == TD_ENC_UTF16BE ? bom16be : NULL;
    if (bom && fwrite(bom, 1, strlen(bom), f) != strlen(bom)) {
        iconv_close(e->cd);
        free(e);
        return td_err_set(err, TD_EIO, _("cannot write the file: %s"), strerror(errno));
    }
    *out = e;
    return TD_OK;
}

static td_status convert(td_encoder *e, const char *in, size_t n, td_err *err)
{
    char obuf[16384];
    if (e->enc == TD_ENC_UTF8 || e->enc == TD_ENC_UTF8_BOM) {
        if (!td_utf8_valid(in, n))
            return td_err_set(err, TD_EINVALID, "%s", _("the text to write is not valid UTF-8"));
        if (n && fwrite(in, 1, n, e->f) != n)
            return td_err_set(err, TD_EIO, _("cannot write the file: %s"), strerror(errno));
        return TD_OK;
    }
    char *ip = (char *)in;
    size_t il = n;
    while (il > 0) {
        char *op = obuf;
        size_t ol = sizeof obuf;
        size_t r = iconv(e->cd, &ip, &il, &op, &ol);
        int er = errno;
        size_t w = sizeof obuf - ol;
        if (w && fwrite(obuf, 1, w, e->f) != w)
            return td_err_set(err, TD_EIO, _("cannot write the file: %s"), strerror(errno));
        if (r != (size_t)-1)
            break;
        if (er == E2BIG)
            continue;
        /* EILSEQ: ill-formed input, or a character the target lacks */
        size_t left = il < 4 ? il : 4;
        if (td_utf8_valid(ip, left) || td_utf8_valid(ip, il)) {
            uint32_t cp = 0;
            unsigned char b = (unsigned char)ip[0];
            int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            cp = len == 1 ? b : len == 2 ? (b & 0x1Fu) : len == 3 ? (b & 0xFu) : (b & 7u);
            for (int k = 1; k < len && (size_t)k < il; k++)
                cp = (cp << 6) | ((unsigned char)ip[k] & 0x3Fu);
            return td_err_set(err, TD_EINVALID, _("character U+%04X cannot be written in %s"), (unsigned)cp,
                              td_enc_name(e->enc));
        }
        return td_err_set(err, TD_EINVALID, "%s", _("the text to write is not valid UTF-8"));
    }
    return TD_OK;
}

td_status td_encoder_write(td_encoder *e, const char *utf8, size_t n, td_err *err)
{
    /* Carry an incomplete final character to the next call, so that the
     * converter always sees whole characters. */
    char *tmp = malloc(e->nc + n + 1);
    if (!tmp)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    memcpy(tmp, e->carry, e->nc);
    memcpy(tmp + e->nc, utf8, n);
    size_t len = e->nc + n, keep = 0;
    for (size_t k = 1; k <= 3 && k <= len; k++) {
        unsigned char b = (unsigned char)tmp[len - k];
        if ((b & 0xC0) == 0x80)
            continue;
        size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (need > k)
            keep = k;
        break;
    }
    e->nc = keep;
    memcpy(e->carry, tmp + len - keep, keep);
    td_status s = convert(e, tmp, len - keep, err);
    free(tmp);
    return s;
}

td_status td_encoder_close(td_encoder *e, td_err *err)
{
    if (!e)
        return TD_OK;
    td_status s = TD_OK;
    if (e->nc)
        s = td_err_set(err, TD_EINVALID, "%s", _("the text to write ends in the middle of a character"));
    if (s == TD_OK && fflush(e->f) != 0)
        s = td_err_set(err, TD_EIO, _("cannot write the file: %s"), strerror(errno));
    iconv_close(e->cd);
    free(e);
    return s;
}

td_status td_encode_all(const char *utf8, size_t n, td_enc enc, char **out, size_t *outlen, td_err *err)
{
    *out = NULL;
    *outlen = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    td_encoder *e;
    td_status s = td_encoder_open(f, enc, &e, err);
    if (s == TD_OK) {
        s = td_encoder_write(e, utf8, n, err);
        td_status s2 = td_encoder_close(e, s ? NULL : err);
        if (s == TD_OK)
            s = s2;
    }
    fclose(f);
    if (s) {
        free(buf);
        return s;
    }
    *out = buf;
    *outlen = len;
    return TD_OK;
}
