/* bundle.c — see bundle.h. */
#include "bundle.h"

#include "base/atomicfile.h"
#include "base/i18n.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAGIC "TDSB1\n"
#define MAGIC_LEN 6
#define CHUNK 65536
#define MAX_BUNDLE (1024L * 1024 * 1024)
#define SEALED_LEN (crypto_secretstream_xchacha20poly1305_KEYBYTES + crypto_box_SEALBYTES)

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A growable byte buffer. */
typedef struct buf {
    unsigned char *p;
    size_t n, cap;
    bool oom;
} buf;

static void add(buf *b, const void *d, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *q = realloc(b->p, cap);
        if (!q) {
            b->oom = true;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void add32(buf *b, uint32_t v)
{
    unsigned char q[4];
    put32(q, v);
    add(b, q, 4);
}

static char *hdr_json(const td_bundle_hdr *h)
{
    json_t *j = json_pack("{s:i, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I}",
                          "format",
                          h->format, "bundle", h->id, "from", h->from, "from_id", h->from_id, "to", h->to, "seq_lo",
                          (json_int_t)h->seq_lo, "seq_hi", (json_int_t)h->seq_hi, "count", (json_int_t)h->count,
                          "ack", (json_int_t)h->ack, "schema", h->schema, "prev", h->prev, "policy", h->policy,
                          "audit_anchor", h->audit_anchor, "made_at", h->made_at, "ack_hash", h->ack_hash,
                          "audit_seq", (json_int_t)h->audit_seq, "compress", h->compress, "plain_len",
                          (json_int_t)h->plain_len);
    if (!j)
        return NULL;
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

static bool copy_str(json_t *o, const char *k, char *out, size_t len)
{
    const char *s = json_string_value(json_object_get(o, k));
    if (!s || strlen(s) >= len)
        return false;
    memcpy(out, s, strlen(s) + 1);
    return true;
}

static bool parse_hdr(const char *s, size_t n, td_bundle_hdr *h)
{
    json_error_t je;
    json_t *j = json_loadb(s, n, 0, &je);
    if (!j)
        return false;
    memset(h, 0, sizeof *h);
    bool ok = json_is_integer(json_object_get(j, "format")) && copy_str(j, "bundle", h->id, sizeof h->id) &&
              copy_str(j, "from", h->from, sizeof h->from) && copy_str(j, "to", h->to, sizeof h->to) &&
              copy_str(j, "from_id", h->from_id, sizeof h->from_id) &&
              copy_str(j, "prev", h->prev, sizeof h->prev) && copy_str(j, "policy", h->policy, sizeof h->policy) &&
              copy_str(j, "audit_anchor", h->audit_anchor, sizeof h->audit_anchor) &&
              copy_str(j, "made_at", h->made_at, sizeof h->made_at) &&
              json_is_integer(json_object_get(j, "seq_lo")) && json_is_integer(json_object_get(j, "seq_hi")) &&
              json_is_integer(json_object_get(j, "count")) && json_is_integer(json_object_get(j, "ack")) &&
              json_is_integer(json_object_get(j, "schema"));
    if (ok && json_object_get(j, "ack_hash")) /* optional */
        ok = copy_str(j, "ack_hash", h->ack_hash, sizeof h->ack_hash);
    if (ok && json_object_get(j, "audit_seq"))
        ok = json_is_integer(json_object_get(j, "audit_seq"));
    if (ok)
        h->audit_seq = (long)json_integer_value(json_object_get(j, "audit_seq"));
    if (ok && json_object_get(j, "compress"))
        ok = copy_str(j, "compress", h->compress, sizeof h->compress) &&
             json_is_integer(json_object_get(j, "plain_len"));
    if (ok)
        h->plain_len = (long)json_integer_value(json_object_get(j, "plain_len"));
    if (ok) {
        h->format = (int)json_integer_value(json_object_get(j, "format"));
        h->seq_lo = (long)json_integer_value(json_object_get(j, "seq_lo"));
        h->seq_hi = (long)json_integer_value(json_object_get(j, "seq_hi"));
        h->count = (long)json_integer_value(json_object_get(j, "count"));
        h->ack = (long)json_integer_value(json_object_get(j, "ack"));
        h->schema = (int)json_integer_value(json_object_get(j, "schema"));
    }
    json_decref(j);
    return ok;
}

td_status td_bundle_write(const char *path, const td_bundle_hdr *h0, const char *payload0, size_t len0,
                          const td_sync_keys *me, const unsigned char *to_box_pk, char hash_out[65], td_err *err)
{
    /* deflate the payload first (zlib, level 6): the JSON operations shrink
     * several times over, and compressed bytes no longer show through */
    td_bundle_hdr hc = *h0;
    const td_bundle_hdr *h = &hc;
    uLongf zl = compressBound((uLong)len0);
    unsigned char *z = malloc(zl ? zl : 1);
    if (!z || compress2(z, &zl, (const Bytef *)payload0, (uLong)len0, 6) != Z_OK) {
        free(z);
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    }
    snprintf(hc.compress, sizeof hc.compress, "zlib");
    hc.plain_len = (long)len0;
    const char *payload = (const char *)z;
    size_t len = (size_t)zl;
    char *hj = hdr_json(h);
    if (!hj) {
        free(z);
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    }
    size_t hl = strlen(hj);
    buf b = {0};
    add(&b, MAGIC, MAGIC_LEN);
    add32(&b, (uint32_t)hl);
    add(&b, hj, hl);
    unsigned char ad[crypto_generichash_BYTES];
    crypto_generichash(ad, sizeof ad, (const unsigned char *)hj, hl, NULL, 0);
    free(hj);

    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    crypto_secretstream_xchacha20poly1305_keygen(key);
    unsigned char sealed[SEALED_LEN];
    crypto_box_seal(sealed, key, sizeof key, to_box_pk);
    add32(&b, SEALED_LEN);
    add(&b, sealed, sizeof sealed);
    crypto_secretstream_xchacha20poly1305_state stt;
    unsigned char sh[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&stt, sh, key);
    sodium_memzero(key, sizeof key);
    add(&b, sh, sizeof sh);
    size_t off = 0;
    unsigned char *c = malloc(CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES);
    if (!c)
        b.oom = true;
    do {
        size_t n = len - off < CHUNK ? len - off : CHUNK;
        bool last = off + n == len;
        unsigned long long cl = 0;
        if (c)
            crypto_secretstream_xchacha20poly1305_push(
                &stt, c, &cl, (const unsigned char *)payload + off, n, ad, sizeof ad,
                last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        add32(&b, (uint32_t)cl);
        if (c)
            add(&b, c, (size_t)cl);
        off += n;
    } while (off < len);
    free(c);
    free(z);
    if (b.oom) {
        free(b.p);
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    }
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_state ss;
    crypto_sign_init(&ss);
    crypto_sign_update(&ss, b.p, b.n);
    crypto_sign_final_create(&ss, sig, NULL, me->sign_sk);
    add(&b, sig, sizeof sig);
    if (b.oom) {
        free(b.p);
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    }
    unsigned char hh[32];
    crypto_generichash(hh, sizeof hh, b.p, b.n, NULL, 0);
    td_sync_hex(hh, sizeof hh, hash_out);

    td_afile a;
    td_status s = td_afile_open(&a, path, 0600, err);
    if (!s) {
        fwrite(b.p, 1, b.n, td_afile_stream(&a));
        s = td_afile_commit(&a, err);
    }
    free(b.p);
    return s;
}

static td_status not_bundle(td_err *err, const char *path)
{
    return td_err_set(err, TD_EINVALID, _("%s is not a complete sync bundle (damaged or cut short); nothing was imported"),
                      path);
}

td_status td_bundle_read(const char *path, td_bundle_file *bf, td_err *err)
{
    memset(bf, 0, sizeof *bf);
    FILE *f = fopen(path, "rb");
    if (!f)
        return td_err_set(err, TD_EIO, _("Cannot read %s: %s"), path, strerror(errno));
    buf b = {0};
    unsigned char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0 && !b.oom && b.n <= MAX_BUNDLE)
        add(&b, tmp, n);
    bool rerr = ferror(f);
    fclose(f);
    if (b.oom || rerr) {
        free(b.p);
        return rerr ? td_err_set(err, TD_EIO, _("Cannot read %s: %s"), path, strerror(EIO))
                    : td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    }
    bf->data = b.p;
    bf->len = b.n;
    if (b.n < MAGIC_LEN + 4 || memcmp(b.p, MAGIC, 5) != 0) {
        td_bundle_free(bf);
        return td_err_set(err, TD_EINVALID, _("%s is not a sync bundle"), path);
    }
    if (b.p[5] != '\n') {
        td_bundle_free(bf);
        return td_err_set(err, TD_EINVALID, _("%s is a bundle of an unknown format; upgrade TalentDesk"), path);
    }
    uint32_t hl = get32(b.p + MAGIC_LEN);
    if ((size_t)hl > b.n - MAGIC_LEN - 4 || !parse_hdr((const char *)b.p + MAGIC_LEN + 4, hl, &bf->hdr)) {
        td_bundle_free(bf);
        return not_bundle(err, path);
    }
    bf->hdr_off = MAGIC_LEN + 4;
    bf->hdr_len = hl;
    unsigned char hh[32];
    crypto_generichash(hh, sizeof hh, b.p, b.n, NULL, 0);
    td_sync_hex(hh, sizeof hh, bf->hash);
    return TD_OK;
}

td_status td_bundle_open(const td_bundle_file *bf, const unsigned char *sign_pk, const td_sync_keys *me,
                         char **payload, size_t *len, td_err *err)
{
    *payload = NULL;
    *len = 0;
    const unsigned char *p = bf->data;
    size_t n = bf->len;
    size_t min = bf->hdr_off + bf->hdr_len + 4 + SEALED_LEN + crypto_secretstream_xchacha20poly1305_HEADERBYTES +
                 4 + crypto_sign_BYTES;
    if (n < min)
        return td_err_set(err, TD_EINVALID, "%s", _("The bundle is cut short; nothing was imported"));
    crypto_sign_state ss;
    crypto_sign_init(&ss);
    crypto_sign_update(&ss, p, n - crypto_sign_BYTES);
    if (crypto_sign_final_verify(&ss, p + n - crypto_sign_BYTES, sign_pk) != 0)
        return td_err_set(err, TD_EINVALID, "%s",
                          _("The bundle's signature does not match the sending station's key: it was altered, cut "
                            "short or not made by that station; nothing was imported"));
    size_t off = bf->hdr_off + bf->hdr_len;
    size_t end = n - crypto_sign_BYTES;
    if (get32(p + off) != SEALED_LEN)
        return td_err_set(err, TD_EINVALID, "%s", _("The bundle is damaged; nothing was imported"));
    off += 4;
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    if (crypto_box_seal_open(key, p + off, SEALED_LEN, me->box_pk, me->box_sk) != 0)
        return td_err_set(err, TD_EINVALID, "%s",
                          _("The bundle was not encrypted for this station; nothing was imported"));
    off += SEALED_LEN;
    crypto_secretstream_xchacha20poly1305_state stt;
    if (crypto_secretstream_xchacha20poly1305_init_pull(&stt, p + off, key) != 0) {
        sodium_memzero(key, sizeof key);
        return td_err_set(err, TD_EINVALID, "%s", _("The bundle is damaged; nothing was imported"));
    }
    sodium_memzero(key, sizeof key);
    off += crypto_secretstream_xchacha20poly1305_HEADERBYTES;
    unsigned char ad[crypto_generichash_BYTES];
    crypto_generichash(ad, sizeof ad, p + bf->hdr_off, bf->hdr_len, NULL, 0);
    buf out = {0};
    bool final = false;
    while (off < end) {
        if (final || end - off < 4)
            goto bad;
        uint32_t cl = get32(p + off);
        off += 4;
        if (cl < crypto_secretstream_xchacha20poly1305_ABYTES || cl > end - off)
            goto bad;
        unsigned char *m = malloc(cl);
        unsigned long long ml = 0;
        unsigned char tag = 0;
        if (!m) {
            out.oom = true;
            break;
        }
        if (crypto_secretstream_xchacha20poly1305_pull(&stt, m, &ml, &tag, p + off, cl, ad, sizeof ad) != 0) {
            free(m);
            goto bad;
        }
        add(&out, m, (size_t)ml);
        sodium_memzero(m, cl);
        free(m);
        off += cl;
        final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    }
    if (out.oom) {
        free(out.p);
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    }
    if (!final)
        goto bad;
    if (strcmp(bf->hdr.compress, "zlib") == 0) {
        /* exactly the stated length, bounded: a bundle is never a zip bomb */
        if (bf->hdr.plain_len < 0 || bf->hdr.plain_len > MAX_BUNDLE)
            goto bad;
        uLongf pl = (uLongf)bf->hdr.plain_len;
        unsigned char *plain = malloc(pl + 1);
        if (!plain) {
            free(out.p);
            return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
        }
        int zr = uncompress(plain, &pl, out.p, (uLong)out.n);
        sodium_memzero(out.p, out.n);
        free(out.p);
        if (zr != Z_OK || pl != (uLongf)bf->hdr.plain_len) {
            free(plain);
            return td_err_set(err, TD_EINVALID, "%s", _("The bundle is damaged or cut short; nothing was imported"));
        }
        out.p = plain;
        out.n = pl;
        out.cap = pl + 1;
    } else if (bf->hdr.compress[0])
        goto bad;
    add(&out, "", 1);
    if (out.oom) {
        free(out.p);
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    }
    *payload = (char *)out.p;
    *len = out.n - 1;
    return TD_OK;
bad:
    free(out.p);
    return td_err_set(err, TD_EINVALID, "%s", _("The bundle is damaged or cut short; nothing was imported"));
}

void td_bundle_free(td_bundle_file *bf)
{
    if (!bf)
        return;
    free(bf->data);
    bf->data = NULL;
    bf->len = 0;
}
