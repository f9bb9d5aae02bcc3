/* talentcode.c — 人才服务码: check character, issue, lookup; QR code data,
 * half-block text, PNG and SVG.  See talentcode.h. */
#include "talentcode.h"
#include "auth/access.h"
#include "base/atomicfile.h"
#include "base/audit.h"
#include "cases/case.h"
#include "base/i18n.h"
#include "score.h"
#include "base/timeutil.h"

#include <png.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char td_talent_code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

#define PAYLOAD_LEN 7 /* random characters; + 1 check */

static const char mod37[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

static int val37(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return -1;
}

char td_mod37_2_check(const char *s)
{
    /* ISO/IEC 7064 pure system MOD 37-2: P = ((P + v) × 2) mod 37 over the
     * characters; the check c makes (P + c) mod 37 == 1. */
    int p = 0;
    if (!s || !*s)
        return '\0';
    for (; *s; s++) {
        int v = val37(*s);
        if (v < 0)
            return '\0';
        p = ((p + v) * 2) % 37;
    }
    return mod37[(38 - p) % 37];
}

bool td_talent_code_normalize(const char *typed, char out[TD_TALENT_CODE_LEN])
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)(typed ? typed : "");
    while (*p) {
        unsigned cp;
        int len;
        if (p[0] < 0x80) {
            cp = p[0];
            len = 1;
        } else if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
            cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
            len = 2;
        } else if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
            len = 3;
        } else {
            return false;
        }
        p += len;
        if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
            cp -= 0xFEE0;
        if (cp == ' ' || cp == '-' || cp == '\t' || cp == 0x3000 || (cp >= 0x2010 && cp <= 0x2015) ||
            cp == 0x2212)
            continue;
        if (cp >= 'a' && cp <= 'z')
            cp -= 32;
        if (!((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z')))
            return false;
        if (n + 1 >= TD_TALENT_CODE_LEN)
            return false;
        out[n++] = (char)cp;
    }
    out[n] = 0;
    return n > 0;
}

td_status td_talent_code_validate(const char *typed, char out[TD_TALENT_CODE_LEN], td_err *err)
{
    char norm[TD_TALENT_CODE_LEN];
    if (!td_talent_code_normalize(typed, norm))
        return td_err_set(err, TD_EINVALID,
                          _("a talent service code has only letters and digits, e.g. CQ-7KQ4-M9XD"));
    size_t l = strlen(norm);
    if (l < 2 + PAYLOAD_LEN + 1 || l > 8 + PAYLOAD_LEN + 1)
        return td_err_set(err, TD_EINVALID,
                          _("a talent service code has %d to %d characters; this one has %zu"),
                          2 + PAYLOAD_LEN + 1, 8 + PAYLOAD_LEN + 1, l);
    char body[TD_TALENT_CODE_LEN];
    memcpy(body, norm, l - 1);
    body[l - 1] = 0;
    if (td_mod37_2_check(body) != norm[l - 1])
        return td_err_set(err, TD_EINVALID,
                          _("the check character of the talent service code does not match: please "
                            "check the code and type it again"));
    if (out)
        memcpy(out, norm, l + 1);
    return TD_OK;
}

void td_talent_code_format(const char *norm, char out[TD_TALENT_CODE_LEN + 4])
{
    size_t l = strlen(norm);
    if (l <= PAYLOAD_LEN + 1) {
        snprintf(out, TD_TALENT_CODE_LEN + 4, "%s", norm);
        return;
    }
    size_t st = l - (PAYLOAD_LEN + 1);
    snprintf(out, TD_TALENT_CODE_LEN + 4, "%.*s-%.4s-%.4s", (int)st, norm, norm + st, norm + st + 4);
}

static bool readable(char c)
{
    return c && strchr(td_talent_code_alphabet, c) != NULL;
}

td_status td_talent_code_make(const char *station_code, char out[TD_TALENT_CODE_LEN], td_err *err)
{
    size_t sl = station_code ? strlen(station_code) : 0;
    if (sl < 2 || sl > 8)
        return td_err_set(err, TD_EINVALID, _("station code '%s' cannot start a talent service code"),
                          station_code ? station_code : "");
    for (size_t i = 0; i < sl; i++)
        if (val37(station_code[i]) < 0)
            return td_err_set(err, TD_EINVALID,
                              _("station code '%s' cannot start a talent service code"), station_code);
    const size_t alen = sizeof td_talent_code_alphabet - 1;
    for (;;) {
        char buf[TD_TALENT_CODE_LEN];
        memcpy(buf, station_code, sl);
        for (size_t i = 0; i < PAYLOAD_LEN; i++)
            buf[sl + i] = td_talent_code_alphabet[randombytes_uniform((uint32_t)alen)];
        buf[sl + PAYLOAD_LEN] = 0;
        char c = td_mod37_2_check(buf);
        if (!readable(c))
            continue; /* '*', 0/O, 1/I/L: draw again */
        buf[sl + PAYLOAD_LEN] = c;
        buf[sl + PAYLOAD_LEN + 1] = 0;
        memcpy(out, buf, sl + PAYLOAD_LEN + 2);
        return TD_OK;
    }
}

static td_status info_from_stmt(sqlite3_stmt *st, td_talent_code_info *o)
{
    memset(o, 0, sizeof *o);
    char norm[TD_TALENT_CODE_LEN];
    td_col_copy(st, 0, norm, sizeof norm);
    td_talent_code_format(norm, o->code);
    td_col_copy(st, 1, o->case_id, sizeof o->case_id);
    td_col_copy(st, 2, o->case_no, sizeof o->case_no);
    td_col_copy(st, 3, o->person_id, sizeof o->person_id);
    td_col_copy(st, 4, o->person_name, sizeof o->person_name);
    td_col_copy(st, 5, o->tier_id, sizeof o->tier_id);
    td_col_copy(st, 6, o->tier_name, sizeof o->tier_name);
    td_col_copy(st, 7, o->snapshot_id, sizeof o->snapshot_id);
    td_col_copy(st, 8, o->issued_at, sizeof o->issued_at);
    o->revoked = sqlite3_column_type(st, 9) != SQLITE_NULL;
    return TD_OK;
}

#define INFO_SQL                                                                                   \
    "SELECT t.code, t.case_id, c.case_no, t.person_id, p.name, t.tier_id, coalesce(r.name, ''),"  \
    " t.snapshot_id, t.created_at, t.revoked_at FROM talent_codes t JOIN cases c ON c.id ="       \
    " t.case_id JOIN persons p ON p.id = t.person_id LEFT JOIN tiers r ON r.id = t.tier_id"

td_status td_talent_code_lookup(td_db *db, const char *typed, td_talent_code_info *out, td_err *err)
{
    char norm[TD_TALENT_CODE_LEN];
    td_status s = td_talent_code_validate(typed, norm, err);
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(db, INFO_SQL " WHERE t.code = ? AND t.deleted_at IS NULL", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, norm);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        info_from_stmt(st, out);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        char disp[TD_TALENT_CODE_LEN + 4];
        td_talent_code_format(norm, disp);
        return td_err_set(err, TD_ENOTFOUND,
                          _("talent service code %s is well-formed but not known here (issued at "
                            "another station and not yet synchronised?)"),
                          disp);
    }
    return TD_OK;
}

td_status td_talent_code_of_case(td_db *db, const char *case_key, td_talent_code_info *out,
                                 td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db,
        INFO_SQL " WHERE (c.id = ?1 OR c.case_no = ?1) AND t.deleted_at IS NULL AND t.revoked_at IS"
                 " NULL ORDER BY t.created_at DESC LIMIT 1",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, case_key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        info_from_stmt(st, out);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return td_err_set(err, TD_ENOTFOUND, _("no talent service code has been issued for this case"));
    return TD_OK;
}

static bool code_taken(td_db *db, const char *norm, td_err *err, bool *failed)
{
    sqlite3_stmt *st = td_db_prepare(db, "SELECT 1 FROM talent_codes WHERE code = ?", err);
    if (!st) {
        *failed = true;
        return true;
    }
    td_bind_text(st, 1, norm);
    bool taken = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return taken;
}

td_status td_talent_code_issue(td_db *db, const td_actor *by, const char *case_id, char code_out[32],
                               td_err *err)
{
    td_status s = td_access_check(by, TD_ACT_CODE_ISSUE, err);
    if (s)
        return s;
    if (!td_db_in_tx(db))
        return td_err_set(err, TD_ERR, _("internal error: the talent service code must be issued "
                                         "inside the approval's transaction"));
    td_case c;
    if ((s = td_case_get(db, case_id, &c, err)))
        return s;
    td_talent_code_info have;
    td_err ignore;
    if (td_talent_code_of_case(db, c.id, &have, &ignore) == TD_OK) {
        snprintf(code_out, 32, "%s", have.code);
        return TD_OK;
    }
    td_snapshot snap;
    if ((s = td_snapshot_latest(db, c.id, &snap, err)))
        return td_err_set(err, TD_EINVALID,
                          _("the case has no score yet: score it before issuing a talent service code"));
    char tier[16], snap_id[TD_UUID_LEN];
    snprintf(tier, sizeof tier, "%s", snap.tier_id);
    snprintf(snap_id, sizeof snap_id, "%s", snap.id);
    td_snapshot_free(&snap);
    sqlite3_stmt *st = td_db_prepare(db, "SELECT 1 FROM tiers WHERE id = ? AND deleted_at IS NULL", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, tier);
    bool known = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (!known)
        return td_err_set(err, TD_EINVALID,
                          _("the latest score (tier '%s') is not a talent tier: a talent service code "
                            "cannot be issued"),
                          tier);
    char norm[TD_TALENT_CODE_LEN];
    bool failed = false;
    int tries = 0;
    do {
        if ((s = td_talent_code_make(by->station_code, norm, err)))
            return s;
        if (++tries > 50)
            return td_err_set(err, TD_ECONFLICT, _("could not find a free talent service code"));
    } while (code_taken(db, norm, err, &failed) && !failed);
    if (failed)
        return TD_EDB;
    char id[TD_UUID_LEN], now[TD_TS_LEN];
    td_uuid7(id);
    td_now_utc(now);
    st = td_db_prepare(db,
                       "INSERT INTO talent_codes (id, code, case_id, person_id, tier_id, snapshot_id,"
                       " station_id, issued_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                       err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, norm);
    td_bind_text(st, 3, c.id);
    td_bind_text(st, 4, c.person_id);
    td_bind_text(st, 5, tier);
    td_bind_text(st, 6, snap_id);
    td_bind_text(st, 7, by->station_id);
    td_bind_text(st, 8, by->user_id);
    td_bind_text(st, 9, now);
    td_bind_text(st, 10, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("saving the talent service code"), err);
    st = td_db_prepare(db,
                       "UPDATE cases SET talent_code = ?, tier_id = ?, updated_at = ?,"
                       " row_version = row_version + 1 WHERE id = ?",
                       err);
    if (!st)
        return TD_EDB;
    char disp[TD_TALENT_CODE_LEN + 4];
    td_talent_code_format(norm, disp);
    td_bind_text(st, 1, disp);
    td_bind_text(st, 2, tier);
    td_bind_text(st, 3, now);
    td_bind_text(st, 4, c.id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("recording the talent service code on the case"), err);
    if ((s = td_audit(db, by, c.id, "talent_code.issue", "cases", c.id, "talent_code",
                      c.talent_code[0] ? c.talent_code : NULL, disp, tier, err)))
        return s;
    if (strcmp(c.tier_id, tier) != 0 &&
        (s = td_audit(db, by, c.id, "talent_code.issue", "cases", c.id, "tier_id",
                      c.tier_id[0] ? c.tier_id : NULL, tier, snap_id, err)))
        return s;
    snprintf(code_out, 32, "%s", disp);
    return TD_OK;
}

/* ---- QR ------------------------------------------------------------------ */

td_status td_qr_make(const char *text, td_qr *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return td_err_set(err, TD_EINVALID, _("the text cannot be encoded as a QR code"));
    out->width = q->width;
    out->version = q->version;
    out->dark = malloc((size_t)q->width * (size_t)q->width);
    if (!out->dark)
        abort();
    for (int i = 0; i < q->width * q->width; i++)
        out->dark[i] = q->data[i] & 1;
    QRcode_free(q);
    return TD_OK;
}

void td_qr_free(td_qr *qr)
{
    if (!qr)
        return;
    free(qr->dark);
    qr->dark = NULL;
    qr->width = 0;
}

static bool module_dark(const td_qr *qr, int x, int y)
{
    if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
        return false; /* quiet zone */
    return qr->dark[y * qr->width + x] != 0;
}

char *td_qr_halfblock(const td_qr *qr, bool invert)
{
    const int q = 2;
    int n = qr->width + 2 * q;
    size_t cap = (size_t)(n / 2 + 2) * ((size_t)n * 3 + 2) + 1;
    char *out = malloc(cap);
    if (!out)
        abort();
    size_t o = 0;
    for (int y = -q; y < qr->width + q; y += 2) {
        for (int x = -q; x < qr->width + q; x++) {
            /* "ink" = the modules drawn with block characters */
            bool top = module_dark(qr, x, y) == invert;
            bool bot = (y + 1 < qr->width + q) ? module_dark(qr, x, y + 1) == invert : false;
            const char *g = top && bot ? "\xe2\x96\x88"   /* █ */
                            : top      ? "\xe2\x96\x80"   /* ▀ */
                            : bot      ? "\xe2\x96\x84"   /* ▄ */
                                       : " ";
            size_t gl = strlen(g);
            memcpy(out + o, g, gl);
            o += gl;
        }
        out[o++] = '\n';
    }
    out[o] = 0;
    return out;
}

td_status td_qr_write_png(const td_qr *qr, const char *path, int scale, td_err *err)
{
    if (scale < 1)
        scale = 1;
    const int q = 4;
    int side = (qr->width + 2 * q) * scale;
    td_afile af;
    td_status so = td_afile_open(&af, path, 0644, err);
    if (so)
        return so;
    FILE *f = td_afile_stream(&af);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = malloc((size_t)side);
    if (!png || !info || !row) {
        png_destroy_write_struct(&png, &info);
        free(row);
        td_afile_abort(&af);
        return td_err_set(err, TD_ENOMEM, _("out of memory"));
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        td_afile_abort(&af);
        return td_err_set(err, TD_EIO, _("cannot write %s"), path);
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int py = 0; py < side; py++) {
        int my = py / scale - q;
        for (int px = 0; px < side; px++)
            row[px] = module_dark(qr, px / scale - q, my) ? 0 : 255;
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return td_afile_commit(&af, err);
}

td_status td_qr_write_svg(const td_qr *qr, const char *path, int scale, td_err *err)
{
    if (scale < 1)
        scale = 1;
    const int q = 4;
    int side = qr->width + 2 * q;
    td_afile af;
    td_status so = td_afile_open(&af, path, 0644, err);
    if (so)
        return so;
    FILE *f = td_afile_stream(&af);
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            " shape-rendering=\"crispEdges\">\n"
            "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n<path fill=\"#000000\" d=\"",
            side * scale, side * scale, side, side, side, side);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (module_dark(qr, x, y))
                fprintf(f, "M%d %dh1v1h-1z", x + q, y + q);
    fprintf(f, "\"/>\n</svg>\n");
    return td_afile_commit(&af, err); /* a write error on the stream fails here */
}
