/* policyfile.c — see policyfile.h. */
#include "policyfile.h"
#include "base/i18n.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dupn(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Trims ASCII spaces/tabs (and a trailing CR) from both ends of [*b, *e). */
static void trim(const char **b, const char **e)
{
    while (*b < *e && (**b == ' ' || **b == '\t'))
        (*b)++;
    while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
        (*e)--;
}

/* Validates UTF-8 in [s, e) and rejects control characters except tab (a CR
 * only as the last byte: CRLF line ends), and the invisible characters that
 * would make a policy line read differently from what it does: zero-width and
 * format characters, bidi controls.  Returns NULL when fine, or a translated
 * problem description in buf. */
static const char *check_line(const unsigned char *s, const unsigned char *e, char *buf, size_t len)
{
    while (s < e) {
        unsigned char c = *s;
        if (c < 0x80) {
            if (c == '\r' && s + 1 == e) {
                s++;
                continue;
            }
            if (c == '\r')
                return _("carriage return inside the line (only at the end of a line, as in CRLF)");
            if ((c < 0x20 && c != '\t') || c == 0x7F)
                return _("control character in the line");
            s++;
            continue;
        }
        int n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!n || (c == 0xC0 || c == 0xC1) || c > 0xF4 || e - s < n)
            return _("invalid UTF-8 (save the file as UTF-8)");
        uint32_t cp = c & (0x7F >> n);
        for (int i = 1; i < n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return _("invalid UTF-8 (save the file as UTF-8)");
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) ||
            cp > 0x10FFFF)
            return _("invalid UTF-8 (save the file as UTF-8)");
        if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C || cp == 0x200E || cp == 0x200F) {
            snprintf(buf, len, _("control or bidi character U+%04X in the line"), (unsigned)cp);
            return buf;
        }
        if ((cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF ||
            cp == 0x00AD || cp == 0x180E) {
            snprintf(buf, len, _("invisible zero-width character U+%04X in the line"), (unsigned)cp);
            return buf;
        }
        s += n;
    }
    return NULL;
}

static int add_section(td_pf *pf, const char *type, size_t tl, const char *id, size_t il, int line)
{
    td_pf_section *ns = realloc(pf->secs, sizeof *ns * (pf->n + 1));
    if (!ns)
        return -1;
    pf->secs = ns;
    td_pf_section *s = &pf->secs[pf->n];
    memset(s, 0, sizeof *s);
    s->type = dupn(type, tl);
    s->id = dupn(id, il);
    s->line = line;
    pf->n++;
    return (s->type && s->id) ? 0 : -1;
}

static int add_entry(td_pf_section *s, const char *k, size_t kl, const char *v, size_t vl, int line)
{
    td_pf_entry *ne = realloc(s->entries, sizeof *ne * (s->n + 1));
    if (!ne)
        return -1;
    s->entries = ne;
    td_pf_entry *e = &s->entries[s->n++];
    e->key = dupn(k, kl);
    e->value = dupn(v, vl);
    e->line = line;
    return (e->key && e->value) ? 0 : -1;
}

td_status td_pf_parse(const char *name, const char *text, size_t len, td_pf **out, td_err *err)
{
    *out = NULL;
    td_pf *pf = calloc(1, sizeof *pf);
    if (!pf)
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    pf->path = strdup(name);
    pf->name = strdup(base_name(name));
    pf->content = dupn(text, len);
    if (!pf->path || !pf->name || !pf->content) {
        td_pf_free(pf);
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    }
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, (const unsigned char *)text, len);
    sodium_bin2hex(pf->sha256, sizeof pf->sha256, hash, sizeof hash);

    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    int line = 0;
    while (p < end) {
        line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *b = p, *e = le;
        p = nl ? nl + 1 : end;
        char why[160];
        const char *bad = check_line((const unsigned char *)b, (const unsigned char *)e, why, sizeof why);
        if (bad) {
            td_pf_error(pf, line, err, "%s", bad);
            td_pf_free(pf);
            return TD_EPOLICY;
        }
        trim(&b, &e);
        if (b == e || *b == '#')
            continue;
        if (*b == '[') {
            if (e[-1] != ']' || e - b < 3) {
                td_pf_error(pf, line, err, "%s", _("a section header must look like [type id]"));
                td_pf_free(pf);
                return TD_EPOLICY;
            }
            const char *ib = b + 1, *ie = e - 1;
            trim(&ib, &ie);
            const char *sp = ib;
            while (sp < ie && *sp != ' ' && *sp != '\t')
                sp++;
            const char *idb = sp, *ide = ie;
            trim(&idb, &ide);
            if (sp == ib || add_section(pf, ib, (size_t)(sp - ib), idb, (size_t)(ide - idb), line)) {
                td_pf_error(pf, line, err, "%s", _("a section header must look like [type id]"));
                td_pf_free(pf);
                return TD_EPOLICY;
            }
            continue;
        }
        const char *eq = memchr(b, '=', (size_t)(e - b));
        if (!eq) {
            td_pf_error(pf, line, err, "%s", _("expected 'key = value', '[section]' or a '#' comment"));
            td_pf_free(pf);
            return TD_EPOLICY;
        }
        const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;
        trim(&kb, &ke);
        trim(&vb, &ve);
        if (kb == ke) {
            td_pf_error(pf, line, err, "%s", _("missing key before '='"));
            td_pf_free(pf);
            return TD_EPOLICY;
        }
        if (pf->n == 0) {
            td_pf_error(pf, line, err, "%s", _("entry before the first [section]"));
            td_pf_free(pf);
            return TD_EPOLICY;
        }
        if (add_entry(&pf->secs[pf->n - 1], kb, (size_t)(ke - kb), vb, (size_t)(ve - vb), line)) {
            td_pf_free(pf);
            return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
        }
    }
    *out = pf;
    return TD_OK;
}

td_status td_pf_load(const char *path, td_pf **out, td_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return td_err_set(err, errno == ENOENT ? TD_ENOTFOUND : TD_EIO, _("%s: cannot open: %s"), path,
                          strerror(errno));
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int rerr = ferror(f);
    fclose(f);
    if (!buf)
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    if (rerr) {
        free(buf);
        return td_err_set(err, TD_EIO, _("%s: read error"), path);
    }
    td_status s = td_pf_parse(path, buf, len, out, err);
    free(buf);
    return s;
}

void td_pf_free(td_pf *pf)
{
    if (!pf)
        return;
    for (size_t i = 0; i < pf->n; i++) {
        td_pf_section *s = &pf->secs[i];
        for (size_t j = 0; j < s->n; j++) {
            free(s->entries[j].key);
            free(s->entries[j].value);
        }
        free(s->entries);
        free(s->type);
        free(s->id);
    }
    free(pf->secs);
    free(pf->path);
    free(pf->name);
    free(pf->content);
    free(pf);
}

const td_pf_entry *td_pf_find(const td_pf_section *sec, const char *key)
{
    for (size_t i = 0; i < sec->n; i++)
        if (strcmp(sec->entries[i].key, key) == 0)
            return &sec->entries[i];
    return NULL;
}

const char *td_pf_get(const td_pf_section *sec, const char *key)
{
    const td_pf_entry *e = td_pf_find(sec, key);
    return e ? e->value : NULL;
}

td_status td_pf_error(const td_pf *pf, int line, td_err *err, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return td_err_set(err, TD_EPOLICY, "%s:%d: %s", pf->name, line, msg);
}

td_status td_pf_check_keys(const td_pf *pf, const td_pf_section *sec, const char *const *known,
                           td_err *err)
{
    for (size_t i = 0; i < sec->n; i++) {
        bool ok = false;
        for (const char *const *k = known; *k; k++)
            if (strcmp(*k, sec->entries[i].key) == 0) {
                ok = true;
                break;
            }
        if (!ok)
            return td_pf_error(pf, sec->entries[i].line, err, _("unknown key '%s' in [%s]"),
                               sec->entries[i].key, sec->type);
    }
    return TD_OK;
}
