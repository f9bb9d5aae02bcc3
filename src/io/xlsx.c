/* xlsx.c — see xlsx.h. */
#include "xlsx.h"
#include "base/i18n.h"
#include "base/timeutil.h"
#include "csv.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>

#define XL_CHUNK 16384
#define XL_MAX_SST_BYTES (256u << 20)     /* shared strings, all together */
#define XL_MAX_SST_COUNT (16u << 20)
#define XL_MAX_PART (64u << 20)           /* workbook.xml, rels: small parts */

/* ---- a growable byte buffer ---------------------------------------------- */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static bool buf_add(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->n + n + 1)
            nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np)
            return false;
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return true;
}

/* ---- zip in memory (for the fuzzer and td_xlsx_open_mem) ----------------- */

typedef struct memzip {
    const unsigned char *data;
    size_t len, pos;
} memzip;

static voidpf ZCALLBACK mz_open(voidpf opaque, const void *name, int mode)
{
    (void)name;
    (void)mode;
    memzip *m = opaque;
    m->pos = 0;
    return m;
}

static uLong ZCALLBACK mz_read(voidpf opaque, voidpf stream, void *b, uLong size)
{
    (void)opaque;
    memzip *m = stream;
    size_t left = m->len - m->pos;
    if (size > left)
        size = (uLong)left;
    memcpy(b, m->data + m->pos, size);
    m->pos += size;
    return size;
}

static uLong ZCALLBACK mz_write(voidpf opaque, voidpf stream, const void *b, uLong size)
{
    (void)opaque;
    (void)stream;
    (void)b;
    (void)size;
    return 0;
}

static ZPOS64_T ZCALLBACK mz_tell(voidpf opaque, voidpf stream)
{
    (void)opaque;
    return ((memzip *)stream)->pos;
}

static long ZCALLBACK mz_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
    (void)opaque;
    memzip *m = stream;
    ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0 : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos : m->len;
    if (base + off > m->len)
        return -1;
    m->pos = (size_t)(base + off);
    return 0;
}

static int ZCALLBACK mz_close(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

static int ZCALLBACK mz_error(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

/* ---- the reader ----------------------------------------------------------- */

struct td_xlsx {
    unzFile zip;
    memzip mem;
    bool date1904;
    /* shared strings: offsets into one arena */
    char *sst;
    size_t *sst_off;
    size_t nsst;
    /* the worksheet */
    XML_Parser xp;
    char chunk[XL_CHUNK];
    int chunk_len;
    bool suspended, at_end, failed;
    long long done, total;
    /* what the parser is building */
    bool in_sheetdata, in_row, in_cell, in_v, in_is, in_t, in_rph;
    long row_no, last_row;
    long col;                 /* current cell's column (0-based) */
    long next_col;
    char ctype[16];
    buf text;                 /* the cell's <v> or inline <t> text */
    td_xlsx_row row;
    size_t cap_cells;
    char err[200];
};

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    const char *b = strrchr(name, '|');
    if (b && (!c || b > c))
        c = b;
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *want)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), want) == 0)
            return atts[i + 1];
    return NULL;
}

static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    /* every small part's context starts with its parser */
    XML_StopParser(*(XML_Parser *)ud, XML_FALSE);
}

/* Reads the whole current zip entry, calling XML_Parse on p. */
static td_status parse_entry(td_xlsx *x, XML_Parser p, const char *part, size_t max, td_err *err)
{
    if (unzLocateFile(x->zip, part, 2) != UNZ_OK)
        return TD_ENOTFOUND;
    if (unzOpenCurrentFile(x->zip) != UNZ_OK)
        return td_err_set(err, TD_EINVALID, _("the workbook part %s cannot be read"), part);
    char b[XL_CHUNK];
    size_t total = 0;
    td_status s = TD_OK;
    for (;;) {
        int n = unzReadCurrentFile(x->zip, b, sizeof b);
        if (n < 0) {
            s = td_err_set(err, TD_EINVALID, _("the workbook part %s is damaged"), part);
            break;
        }
        total += (size_t)n;
        if (total > max) {
            s = td_err_set(err, TD_EINVALID, _("the workbook part %s is too large"), part);
            break;
        }
        if (XML_Parse(p, b, n, n == 0) != XML_STATUS_OK) {
            if (!x->err[0])
                snprintf(x->err, sizeof x->err, "%s", XML_ErrorString(XML_GetErrorCode(p)));
            s = td_err_set(err, TD_EINVALID, _("the workbook part %s is not valid XML (%s)"), part, x->err);
            break;
        }
        if (n == 0)
            break;
    }
    unzCloseCurrentFile(x->zip);
    return s;
}

static XML_Parser new_parser(void *ud)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return NULL;
    XML_SetUserData(p, ud);
    XML_SetStartDoctypeDeclHandler(p, no_doctype);
    return p;
}

/* workbook.xml: the sheets in order and the date system. */
typedef struct wb_ctx {
    XML_Parser p;
    td_xlsx *x;
    const char *want;      /* sheet name or NULL */
    char rid[128];         /* relationship id of the chosen sheet */
    buf names;             /* "、"-separated, for the message */
} wb_ctx;

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    wb_ctx *c = ud;
    const char *n = local(name);
    if (strcmp(n, "workbookPr") == 0) {
        const char *d = attr(atts, "date1904");
        c->x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(n, "sheet") == 0) {
        const char *sn = attr(atts, "name"), *id = attr(atts, "id");
        if (!sn || !id)
            return;
        if (c->names.n < 2000) {
            if (c->names.n)
                buf_add(&c->names, "、", strlen("、"));
            buf_add(&c->names, sn, strlen(sn));
        }
        if (!c->rid[0] && (!c->want || strcmp(c->want, sn) == 0))
            snprintf(c->rid, sizeof c->rid, "%s", id);
    }
}

typedef struct rel_ctx {
    XML_Parser p;
    const char *rid;
    char target[512];
} rel_ctx;

static void XMLCALL rel_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rel_ctx *c = ud;
    if (strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
    if (id && t && strcmp(id, c->rid) == 0 && !c->target[0])
        snprintf(c->target, sizeof c->target, "%s", t);
}

/* sharedStrings.xml: <si> of <t> (and rich-text <r><t>), phonetic <rPh> skipped. */
typedef struct sst_ctx {
    XML_Parser p;
    td_xlsx *x;
    buf arena, cur;
    size_t *off;
    size_t n, cap;
    bool in_si, in_t, in_rph, oom;
} sst_ctx;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    sst_ctx *c = ud;
    const char *n = local(name);
    if (strcmp(n, "si") == 0) {
        c->in_si = true;
        c->cur.n = 0;
    } else if (strcmp(n, "rPh") == 0) {
        c->in_rph = true;
    } else if (strcmp(n, "t") == 0 && c->in_si && !c->in_rph) {
        c->in_t = true;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_ctx *c = ud;
    if (c->oom)
        return;
    const char *n = local(name);
    if (strcmp(n, "t") == 0) {
        c->in_t = false;
    } else if (strcmp(n, "rPh") == 0) {
        c->in_rph = false;
    } else if (strcmp(n, "si") == 0 && c->in_si) {
        c->in_si = false;
        if (c->n == c->cap) {
            size_t nc = c->cap ? c->cap * 2 : 1024;
            size_t *no = nc <= XL_MAX_SST_COUNT ? realloc(c->off, nc * sizeof *no) : NULL;
            if (!no) {
                c->oom = true;
                XML_StopParser(c->p, XML_FALSE);
                return;
            }
            c->off = no;
            c->cap = nc;
        }
        c->off[c->n++] = c->arena.n;
        if (c->arena.n + c->cur.n + 1 > XL_MAX_SST_BYTES ||
            !buf_add(&c->arena, c->cur.n ? c->cur.p : "", c->cur.n) || !buf_add(&c->arena, "", 0)) {
            c->oom = true;
            XML_StopParser(c->p, XML_FALSE);
            return;
        }
        c->arena.n++; /* keep the NUL as separator */
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    sst_ctx *c = ud;
    if (!c->oom && c->in_t && !c->in_rph) {
        if (c->cur.n + (size_t)len > TD_CSV_MAX_FIELD || !buf_add(&c->cur, s, (size_t)len)) {
            c->oom = true;
            XML_StopParser(c->p, XML_FALSE);
        }
    }
}

/* ---- the worksheet -------------------------------------------------------- */

static void fail(td_xlsx *x, const char *msg)
{
    if (!x->err[0])
        snprintf(x->err, sizeof x->err, "%s", msg);
    x->failed = true;
    XML_StopParser(x->xp, XML_FALSE);
}

/* "BC12" (or "bc12", which some generators write) → column 54 (0-based);
 * -1 when it does not start with one to three letters followed by a digit. */
static long ref_col(const char *r)
{
    long c = 0;
    int letters = 0;
    for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++) {
        c = c * 26 + ((*r | 0x20) - 'a' + 1);
        if (++letters > 3)
            return -1;
    }
    return letters && *r >= '1' && *r <= '9' ? c - 1 : -1;
}

static bool set_cell(td_xlsx *x, long col, const char *v, size_t n, unsigned char kind)
{
    if (col < 0) {
        fail(x, _("a cell reference that names no column"));
        return false;
    }
    if (col >= TD_CSV_MAX_FIELDS) {
        fail(x, _("more than 4096 columns"));
        return false;
    }
    size_t need = (size_t)col + 1;
    if (need > x->cap_cells) {
        size_t nc = x->cap_cells ? x->cap_cells : 16;
        while (nc < need)
            nc *= 2;
        char **c = realloc(x->row.cells, nc * sizeof *c);
        if (c)
            x->row.cells = c;
        size_t *l = c ? realloc(x->row.lens, nc * sizeof *l) : NULL;
        if (l)
            x->row.lens = l;
        unsigned char *k = l ? realloc(x->row.kinds, nc) : NULL;
        if (!k) {
            fail(x, td_status_name(TD_ENOMEM));
            return false;
        }
        x->row.kinds = k;
        for (size_t i = x->cap_cells; i < nc; i++)
            x->row.cells[i] = NULL;
        x->cap_cells = nc;
    }
    while (x->row.ncells < need) {
        size_t i = x->row.ncells++;
        free(x->row.cells[i]);
        x->row.cells[i] = calloc(1, 1);
        x->row.lens[i] = 0;
        x->row.kinds[i] = TD_XC_TEXT;
        if (!x->row.cells[i]) {
            fail(x, td_status_name(TD_ENOMEM));
            return false;
        }
    }
    char *d = malloc(n + 1);
    if (!d) {
        fail(x, td_status_name(TD_ENOMEM));
        return false;
    }
    memcpy(d, v, n);
    d[n] = '\0';
    free(x->row.cells[col]);
    x->row.cells[col] = d;
    x->row.lens[col] = n;
    x->row.kinds[col] = kind;
    return true;
}

/* The worksheet handlers do nothing once the sheet has failed: expat still
 * calls the end handler of an empty element (<c r="?"/>) stopped in its start
 * handler, and that cell's state was never set. */
static void XMLCALL ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    td_xlsx *x = ud;
    if (x->failed)
        return;
    const char *n = local(name);
    if (strcmp(n, "sheetData") == 0) {
        x->in_sheetdata = true;
    } else if (!x->in_sheetdata) {
        return;
    } else if (strcmp(n, "row") == 0) {
        const char *r = attr(atts, "r");
        long no = r ? strtol(r, NULL, 10) : x->last_row + 1;
        if (no <= x->last_row || no > 1048576) {
            fail(x, _("row numbers out of order"));
            return;
        }
        x->in_row = true;
        x->row_no = no;
        x->row.row = no;
        x->row.ncells = 0;
        x->next_col = 0;
    } else if (strcmp(n, "c") == 0 && x->in_row) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        long col = r ? ref_col(r) : x->next_col;
        if (col < 0) {
            char m[120];
            snprintf(m, sizeof m, _("a cell reference that is not a column and row (%.40s)"), r);
            fail(x, m);
            return;
        }
        if (col < x->next_col) {
            fail(x, _("cell references out of order"));
            return;
        }
        x->in_cell = true;
        x->col = col;
        x->next_col = x->col + 1;
        snprintf(x->ctype, sizeof x->ctype, "%s", t ? t : "n");
        x->text.n = 0;
        if (x->text.p)
            x->text.p[0] = '\0';
    } else if (x->in_cell && strcmp(n, "v") == 0) {
        x->in_v = true;
    } else if (x->in_cell && strcmp(n, "is") == 0) {
        x->in_is = true;
    } else if (x->in_is && strcmp(n, "rPh") == 0) {
        x->in_rph = true;
    } else if (x->in_is && strcmp(n, "t") == 0) {
        x->in_t = true;
    }
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
    td_xlsx *x = ud;
    const char *n = local(name);
    if (x->failed || !x->in_sheetdata)
        return;
    if (strcmp(n, "sheetData") == 0) {
        x->in_sheetdata = false;
    } else if (strcmp(n, "v") == 0) {
        x->in_v = false;
    } else if (strcmp(n, "t") == 0) {
        x->in_t = false;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph = false;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = false;
    } else if (strcmp(n, "c") == 0 && x->in_cell) {
        x->in_cell = false;
        const char *v = x->text.n ? x->text.p : "";
        size_t vl = x->text.n;
        unsigned char kind = TD_XC_TEXT;
        if (strcmp(x->ctype, "s") == 0) {
            char *end;
            unsigned long i = strtoul(v, &end, 10);
            if (!vl || *end || i >= x->nsst) {
                fail(x, _("a shared string that does not exist"));
                return;
            }
            v = x->sst + x->sst_off[i];
            vl = strlen(v);
        } else if (strcmp(x->ctype, "b") == 0) {
            kind = TD_XC_BOOL;
            v = strcmp(v, "1") == 0 ? "TRUE" : "FALSE";
            vl = strlen(v);
        } else if (strcmp(x->ctype, "e") == 0) {
            kind = TD_XC_ERROR;
        } else if (strcmp(x->ctype, "n") == 0) {
            kind = vl ? TD_XC_NUMBER : TD_XC_TEXT;
        } /* "str" (formula result), "inlineStr", "d" (ISO date text): as text */
        if (vl)
            set_cell(x, x->col, v, vl, kind);
    } else if (strcmp(n, "row") == 0 && x->in_row) {
        x->in_row = false;
        x->last_row = x->row_no;
        XML_StopParser(x->xp, XML_TRUE); /* suspend: hand the row out */
    }
}

static void XMLCALL ws_text(void *ud, const XML_Char *s, int len)
{
    td_xlsx *x = ud;
    if (x->failed)
        return;
    if (x->in_v || (x->in_t && !x->in_rph)) {
        if (x->text.n + (size_t)len > TD_CSV_MAX_FIELD) {
            fail(x, _("a cell longer than 1 MiB"));
            return;
        }
        if (!buf_add(&x->text, s, (size_t)len))
            fail(x, td_status_name(TD_ENOMEM));
    }
}

/* ---- opening -------------------------------------------------------------- */

bool td_xlsx_sniff(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char m[4] = { 0 };
    size_t n = fread(m, 1, 4, f);
    fclose(f);
    return n == 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4;
}

static td_status open_common(td_xlsx *x, const char *sheet, td_err *err)
{
    td_status s;
    /* the workbook: which part holds the sheet */
    wb_ctx wc;
    memset(&wc, 0, sizeof wc);
    wc.x = x;
    wc.want = sheet && *sheet ? sheet : NULL;
    wc.p = new_parser(&wc);
    if (!wc.p)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    XML_SetElementHandler(wc.p, wb_start, NULL);
    s = parse_entry(x, wc.p, "xl/workbook.xml", XL_MAX_PART, err);
    XML_ParserFree(wc.p);
    if (s == TD_ENOTFOUND)
        s = td_err_set(err, TD_EINVALID, "%s", _("this is not an Excel workbook (.xlsx): xl/workbook.xml is missing"));
    if (s == TD_OK && !wc.rid[0]) {
        if (wc.want)
            s = td_err_set(err, TD_EINVALID, _("the workbook has no sheet named %s (sheets: %s)"), wc.want,
                           wc.names.n ? wc.names.p : "");
        else
            s = td_err_set(err, TD_EINVALID, "%s", _("the workbook has no sheets"));
    }
    free(wc.names.p);
    if (s)
        return s;
    rel_ctx rc;
    memset(&rc, 0, sizeof rc);
    rc.rid = wc.rid;
    rc.p = new_parser(&rc);
    if (!rc.p)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    XML_SetElementHandler(rc.p, rel_start, NULL);
    s = parse_entry(x, rc.p, "xl/_rels/workbook.xml.rels", XL_MAX_PART, err);
    XML_ParserFree(rc.p);
    if (s == TD_ENOTFOUND || (s == TD_OK && !rc.target[0]))
        s = td_err_set(err, TD_EINVALID, "%s", _("the workbook does not say where its sheet is stored"));
    if (s)
        return s;
    char part[600];
    if (rc.target[0] == '/')
        snprintf(part, sizeof part, "%s", rc.target + 1);
    else
        snprintf(part, sizeof part, "xl/%s", rc.target);
    /* shared strings (optional) */
    sst_ctx sc;
    memset(&sc, 0, sizeof sc);
    sc.x = x;
    sc.p = new_parser(&sc);
    if (!sc.p)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    XML_SetElementHandler(sc.p, sst_start, sst_end);
    XML_SetCharacterDataHandler(sc.p, sst_text);
    s = parse_entry(x, sc.p, "xl/sharedStrings.xml", (size_t)1 << 30, err);
    XML_ParserFree(sc.p);
    free(sc.cur.p);
    x->sst = sc.arena.p;
    x->sst_off = sc.off;
    x->nsst = sc.n;
    if (sc.oom && s == TD_OK)
        s = td_err_set(err, TD_EINVALID, "%s", _("the shared strings of the workbook are too large"));
    if (s == TD_ENOTFOUND)
        s = TD_OK;
    if (s)
        return s;
    /* the sheet, left open for streaming */
    if (unzLocateFile(x->zip, part, 2) != UNZ_OK)
        return td_err_set(err, TD_EINVALID, _("the workbook part %s is missing"), part);
    unz_file_info64 fi;
    if (unzGetCurrentFileInfo64(x->zip, &fi, NULL, 0, NULL, 0, NULL, 0) == UNZ_OK)
        x->total = (long long)fi.uncompressed_size;
    if (unzOpenCurrentFile(x->zip) != UNZ_OK)
        return td_err_set(err, TD_EINVALID, _("the workbook part %s cannot be read"), part);
    x->xp = new_parser(x);
    if (!x->xp)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, ws_start, ws_end);
    XML_SetCharacterDataHandler(x->xp, ws_text);
    return TD_OK;
}

/* The worksheet parser's user data is the reader: its own DTD handler. */
static void XMLCALL ws_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    fail(ud, _("a DTD, which workbooks never have"));
}

static td_status finish_open(td_xlsx *x, const char *sheet, td_xlsx **out, td_err *err)
{
    td_status s = open_common(x, sheet, err);
    if (s) {
        td_xlsx_close(x);
        return s;
    }
    XML_SetStartDoctypeDeclHandler(x->xp, ws_doctype);
    *out = x;
    return TD_OK;
}

td_status td_xlsx_open(const char *path, const char *sheet, td_xlsx **out, td_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return td_err_set(err, TD_EIO, _("cannot open %s: %s"), path, strerror(errno));
    fclose(f);
    td_xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    x->zip = unzOpen64(path);
    if (!x->zip) {
        free(x);
        return td_err_set(err, TD_EINVALID, _("%s is not an Excel workbook (.xlsx)"), path);
    }
    return finish_open(x, sheet, out, err);
}

td_status td_xlsx_open_mem(const void *data, size_t len, const char *sheet, td_xlsx **out, td_err *err)
{
    *out = NULL;
    td_xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    x->mem.data = data;
    x->mem.len = len;
    zlib_filefunc64_def ff = { mz_open, mz_read, mz_write, mz_tell, mz_seek, mz_close, mz_error, &x->mem };
    x->zip = unzOpen2_64("mem", &ff);
    if (!x->zip) {
        free(x);
        return td_err_set(err, TD_EINVALID, "%s", _("this is not an Excel workbook (.xlsx)"));
    }
    return finish_open(x, sheet, out, err);
}

td_status td_xlsx_next(td_xlsx *x, td_xlsx_row **out, td_err *err)
{
    *out = NULL;
    if (x->failed)
        return td_err_set(err, TD_EINVALID, _("the worksheet cannot be read after row %ld: %s"), x->last_row,
                          x->err);
    for (;;) {
        enum XML_Status st;
        if (x->suspended) {
            x->suspended = false;
            st = XML_ResumeParser(x->xp);
        } else {
            if (x->at_end)
                return TD_OK;
            int n = unzReadCurrentFile(x->zip, x->chunk, sizeof x->chunk);
            if (n < 0) {
                x->failed = true;
                snprintf(x->err, sizeof x->err, "%s", _("the file is damaged"));
                return td_err_set(err, TD_EINVALID, _("the worksheet cannot be read after row %ld: %s"),
                                  x->last_row, x->err);
            }
            x->chunk_len = n;
            x->done += n;
            if (n == 0)
                x->at_end = true;
            st = XML_Parse(x->xp, x->chunk, n, n == 0);
        }
        if (st == XML_STATUS_SUSPENDED) {
            x->suspended = true;
            *out = &x->row;
            return TD_OK;
        }
        if (st == XML_STATUS_ERROR || x->failed) {
            if (!x->err[0])
                snprintf(x->err, sizeof x->err, "%s", XML_ErrorString(XML_GetErrorCode(x->xp)));
            x->failed = true;
            return td_err_set(err, TD_EINVALID, _("the worksheet cannot be read after row %ld: %s"), x->last_row,
                              x->err);
        }
        if (x->at_end)
            return TD_OK;
    }
}

bool td_xlsx_date1904(const td_xlsx *x)
{
    return x->date1904;
}

void td_xlsx_progress(const td_xlsx *x, long long *done, long long *total)
{
    *done = x->done;
    *total = x->total > x->done ? x->total : x->done;
}

void td_xlsx_close(td_xlsx *x)
{
    if (!x)
        return;
    if (x->xp)
        XML_ParserFree(x->xp);
    if (x->zip) {
        unzCloseCurrentFile(x->zip);
        unzClose(x->zip);
    }
    for (size_t i = 0; i < x->cap_cells; i++)
        free(x->row.cells[i]);
    free(x->row.cells);
    free(x->row.lens);
    free(x->row.kinds);
    free(x->text.p);
    free(x->sst);
    free(x->sst_off);
    free(x);
}

bool td_xlsx_serial_date(const char *text, bool date1904, char out[11])
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end || errno || !isfinite(v) || v < (date1904 ? 0 : 1) || v > 2958465)
        return false;
    long days = (long)floor(v);
    /* 1900 system: serial 1 = 1900-01-01, and Excel counts a 1900-02-29 that
     * never was (serial 60); 1904 system: serial 0 = 1904-01-01. */
    td_date base;
    if (date1904) {
        base.y = 1904, base.m = 1, base.d = 1;
    } else {
        if (days == 60)
            return false;
        if (days > 60)
            days--;
        base.y = 1899, base.m = 12, base.d = 31;
    }
    td_date d = td_date_from_days(td_date_to_days(base) + (int32_t)days);
    if (d.y < 1900 || d.y > 9999)
        return false;
    td_date_format(d, out);
    return true;
}
