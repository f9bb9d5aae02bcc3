/* csv.c — see csv.h. */
#include "csv.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

typedef struct mem_src {
    const char *p;
    size_t len, at;
} mem_src;

struct td_csv {
    td_csv_read_fn fn;
    void *ud;
    char delim;
    mem_src mem;
    char *buf;
    size_t blen, bpos;
    bool eof;
    td_status failed;   /* status of a failed source read */
    td_err *err;        /* where the source reports (set per call) */
    size_t pos;         /* stream offset of the next byte */
    long line;          /* line of the next byte */
    int unget;          /* one byte of push-back, or -1 */
    /* the record being built */
    char *data;
    size_t dlen, dcap;
    size_t *offs, *lens;
    char **ptrs;
    size_t nf, fcap;
    size_t field_start;
    td_csv_record rec;
};

static td_status mem_read(void *ud, char *buf, size_t cap, size_t *got, td_err *err)
{
    (void)err;
    mem_src *m = ud;
    size_t n = m->len - m->at;
    if (n > cap)
        n = cap;
    memcpy(buf, m->p + m->at, n);
    m->at += n;
    *got = n;
    return TD_OK;
}

td_csv *td_csv_new(td_csv_read_fn fn, void *ud, char delim)
{
    td_csv *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->buf = malloc(CHUNK);
    if (!c->buf) {
        free(c);
        return NULL;
    }
    c->fn = fn;
    c->ud = ud;
    c->delim = delim ? delim : ',';
    c->line = 1;
    c->unget = -1;
    return c;
}

td_csv *td_csv_new_mem(const char *data, size_t len, char delim)
{
    td_csv *c = td_csv_new(mem_read, NULL, delim);
    if (!c)
        return NULL;
    c->mem.p = data;
    c->mem.len = len;
    c->ud = &c->mem;
    return c;
}

void td_csv_free(td_csv *c)
{
    if (!c)
        return;
    free(c->buf);
    free(c->data);
    free(c->offs);
    free(c->lens);
    free(c->ptrs);
    free(c);
}

/* Next byte (0..255), -1 at end of input, -2 when the source failed. */
static int getb(td_csv *c)
{
    if (c->unget >= 0) {
        int b = c->unget;
        c->unget = -1;
        c->pos++;
        return b;
    }
    if (c->bpos == c->blen) {
        if (c->eof)
            return -1;
        size_t got = 0;
        td_status s = c->fn(c->ud, c->buf, CHUNK, &got, c->err);
        if (s != TD_OK) {
            c->failed = s;
            return -2;
        }
        if (got == 0) {
            c->eof = true;
            return -1;
        }
        c->blen = got;
        c->bpos = 0;
    }
    c->pos++;
    return (unsigned char)c->buf[c->bpos++];
}

static void ungetb(td_csv *c, int b)
{
    c->unget = b;
    c->pos--;
}

static bool put(td_csv *c, char ch)
{
    if (c->dlen + 1 >= c->dcap) {
        size_t nc = c->dcap ? c->dcap * 2 : 4096;
        char *nd = realloc(c->data, nc);
        if (!nd)
            return false;
        c->data = nd;
        c->dcap = nc;
    }
    c->data[c->dlen++] = ch;
    return true;
}

static td_status end_field(td_csv *c, td_err *err)
{
    if (c->nf == TD_CSV_MAX_FIELDS)
        return td_err_set(err, TD_EINVALID, _("line %ld: more than %d fields in one record"), c->rec.line,
                          TD_CSV_MAX_FIELDS);
    if (c->nf == c->fcap) {
        size_t nc = c->fcap ? c->fcap * 2 : 32;
        size_t *no = realloc(c->offs, nc * sizeof *no);
        if (!no)
            return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
        c->offs = no;
        size_t *nl = realloc(c->lens, nc * sizeof *nl);
        if (!nl)
            return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
        c->lens = nl;
        char **np = realloc(c->ptrs, nc * sizeof *np);
        if (!np)
            return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
        c->ptrs = np;
        c->fcap = nc;
    }
    c->offs[c->nf] = c->field_start;
    c->lens[c->nf] = c->dlen - c->field_start;
    if (!put(c, '\0'))
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    c->nf++;
    c->field_start = c->dlen;
    return TD_OK;
}

static void finish(td_csv *c)
{
    for (size_t i = 0; i < c->nf; i++)
        c->ptrs[i] = c->data + c->offs[i];
    c->rec.nfields = c->nf;
    c->rec.fields = c->ptrs;
    c->rec.lens = c->lens;
    c->rec.pos_end = c->pos;
    c->rec.end_line = c->line - 1 >= c->rec.line ? c->line - 1 : c->rec.line;
}

/* Consumes the rest of a line end that began with b ('\r' or '\n'). */
static td_status line_end(td_csv *c, int b)
{
    if (b == '\r') {
        int n = getb(c);
        if (n == -2)
            return c->failed;
        if (n != '\n' && n >= 0)
            ungetb(c, n);
    }
    c->line++;
    return TD_OK;
}

enum { S_START, S_UNQUOTED, S_QUOTED, S_QUOTE_SEEN };

td_status td_csv_next(td_csv *c, td_csv_record **out, td_err *err)
{
    *out = NULL;
    c->err = err;
    c->nf = 0;
    c->dlen = 0;
    c->field_start = 0;
    memset(&c->rec, 0, sizeof c->rec);
    c->rec.line = c->line;
    c->rec.pos_start = c->pos;
    int state = S_START;
    bool any = false;
    long quote_line = 0;
    td_status s;
    for (;;) {
        int b = getb(c);
        if (b == -2)
            return c->failed ? c->failed : TD_EIO;
        if (b == -1) {
            if (state == S_START && c->nf == 0 && !any)
                return TD_OK; /* end of input */
            if (state == S_QUOTED && !c->rec.problem)
                c->rec.problem = _("a quoted field is not closed before the end of the file");
            (void)quote_line;
            if ((s = end_field(c, err)) != TD_OK)
                return s;
            c->line++; /* finish() reports line - 1 */
            finish(c);
            c->line--;
            *out = &c->rec;
            return TD_OK;
        }
        if (c->dlen - c->field_start >= TD_CSV_MAX_FIELD)
            return td_err_set(err, TD_EINVALID, _("line %ld: a field is longer than %u bytes"), c->rec.line,
                              TD_CSV_MAX_FIELD);
        char ch = (char)b;
        switch (state) {
        case S_START:
        case S_UNQUOTED:
            if (state == S_START && ch == '"') {
                state = S_QUOTED;
                quote_line = c->line;
                any = true;
            } else if (ch == c->delim) {
                if ((s = end_field(c, err)) != TD_OK)
                    return s;
                state = S_START;
                any = true;
            } else if (ch == '\n' || ch == '\r') {
                if ((s = line_end(c, b)) != TD_OK)
                    return s;
                if (state == S_START && c->nf == 0 && !any) { /* blank line */
                    c->rec.line = c->line;
                    c->rec.pos_start = c->pos;
                    break;
                }
                if ((s = end_field(c, err)) != TD_OK)
                    return s;
                finish(c);
                *out = &c->rec;
                return TD_OK;
            } else {
                if (!put(c, ch))
                    return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
                state = S_UNQUOTED;
                any = true;
            }
            break;
        case S_QUOTED:
            if (ch == '"') {
                state = S_QUOTE_SEEN;
                break;
            }
            if (!put(c, ch))
                return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
            if (ch == '\n') {
                c->line++;
            } else if (ch == '\r') {
                int n = getb(c);
                if (n == -2)
                    return c->failed;
                if (n >= 0)
                    ungetb(c, n);
                if (n != '\n')
                    c->line++;
            }
            break;
        case S_QUOTE_SEEN:
            if (ch == '"') {
                if (!put(c, '"'))
                    return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
                state = S_QUOTED;
            } else if (ch == c->delim) {
                if ((s = end_field(c, err)) != TD_OK)
                    return s;
                state = S_START;
            } else if (ch == '\n' || ch == '\r') {
                if ((s = line_end(c, b)) != TD_OK)
                    return s;
                if ((s = end_field(c, err)) != TD_OK)
                    return s;
                finish(c);
                *out = &c->rec;
                return TD_OK;
            } else {
                if (!c->rec.problem)
                    c->rec.problem = _("text follows a closing quote inside a field");
                if (!put(c, ch))
                    return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
                state = S_UNQUOTED;
            }
            break;
        }
    }
}

bool td_csv_needs_quote(const char *s, char delim)
{
    if (!*s)
        return false;
    if (s[0] == ' ' || s[strlen(s) - 1] == ' ')
        return true;
    for (const char *p = s; *p; p++)
        if (*p == delim || *p == '"' || *p == '\r' || *p == '\n')
            return true;
    return false;
}

static bool grow(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t nc = *cap ? *cap : 256;
    while (nc < need)
        nc *= 2;
    char *nb = realloc(*buf, nc);
    if (!nb)
        return false;
    *buf = nb;
    *cap = nc;
    return true;
}

bool td_csv_append_field(char **buf, size_t *len, size_t *cap, const char *s, char delim)
{
    size_t n = strlen(s);
    if (!grow(buf, cap, *len + 2 * n + 3))
        return false;
    char *o = *buf + *len;
    if (td_csv_needs_quote(s, delim)) {
        *o++ = '"';
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                *o++ = '"';
            *o++ = *p;
        }
        *o++ = '"';
    } else {
        memcpy(o, s, n);
        o += n;
    }
    *o = '\0';
    *len = (size_t)(o - *buf);
    return true;
}
