/* country.c — see country.h.  The .mo reader is hand-written (GNU gettext's
 * documented file format, about 40 lines): dgettext would answer in the
 * process locale, and the lookup must give Chinese names whatever it is. */
#include "country.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "policy/policyfile.h"
#include "policy/pversion.h"
#include "base/timeutil.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef TD_ISO_CODES_JSON
#define TD_ISO_CODES_JSON "/usr/share/iso-codes/json/iso_3166-1.json"
#endif
#ifndef TD_ISO_CODES_MO
#define TD_ISO_CODES_MO "/usr/share/locale/zh_CN/LC_MESSAGES/iso_3166-1.mo"
#endif

typedef struct alias {
    char *key;   /* folded */
    int idx;
    bool extra;  /* from countries.tdp, not from iso-codes */
} alias;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static td_country *tab;
static size_t ntab;
static alias *al;
static size_t nal, capal;
static char numeric[300][4];
static bool adding_extra;   /* add_alias marks what load_extra adds */
static bool loaded;         /* the table was built (use_db comes too late) */
static char *db_text;       /* countries.tdp content loaded into the database */
static char db_name[64];

/* Folds a name for matching: trims ASCII/ideographic spaces, drops a trailing
 * parenthesised remark, lower-cases ASCII.  Writes at most cap bytes. */
static void fold(const char *in, char *out, size_t cap)
{
    size_t n = strlen(in);
    const char *s = in;
    for (;;) {
        if (n && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        } else if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) {
            s += 3;
            n -= 3;
        } else {
            break;
        }
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    char *paren = strstr(out, "（");
    if (!paren)
        paren = strchr(out, '(');
    if (paren && paren != out)
        *paren = '\0';
    n = strlen(out);
    while (n && (out[n - 1] == ' ' || out[n - 1] == '\t' ||
                 (n >= 3 && memcmp(out + n - 3, "\xE3\x80\x80", 3) == 0))) {
        if (out[n - 1] == ' ' || out[n - 1] == '\t')
            out[--n] = '\0';
        else
            out[n -= 3] = '\0';
    }
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
}

static void add_alias(const char *name, int idx)
{
    if (!name || !*name)
        return;
    char k[256];
    fold(name, k, sizeof k);
    if (!k[0])
        return;
    if (nal == capal) {
        size_t nc = capal ? capal * 2 : 1024;
        alias *na = realloc(al, nc * sizeof *na);
        if (!na)
            return;
        al = na;
        capal = nc;
    }
    al[nal].key = strdup(k);
    if (!al[nal].key)
        return;
    al[nal].extra = adding_extra;
    al[nal++].idx = idx;
}

/* ---- the gettext catalogue ------------------------------------------------ */

typedef struct mo {
    unsigned char *buf;
    size_t len;
    bool swap;
    uint32_t n, orig, trans;
} mo;

static uint32_t u32(const mo *m, uint32_t off)
{
    if ((size_t)off + 4 > m->len)
        return 0;
    uint32_t v;
    memcpy(&v, m->buf + off, 4);
    if (m->swap)
        v = (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24);
    return v;
}

static bool mo_open(const char *path, mo *m)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    if (fseek(f, 0, SEEK_END) == 0) {
        long l = ftell(f);
        if (l > 28 && l < (32L << 20) && fseek(f, 0, SEEK_SET) == 0 && (m->buf = malloc((size_t)l + 1))) {
            m->len = fread(m->buf, 1, (size_t)l, f);
        }
    }
    fclose(f);
    if (m->len < 28) {
        free(m->buf);
        m->buf = NULL;
        return false;
    }
    uint32_t magic;
    memcpy(&magic, m->buf, 4);
    if (magic == 0x950412deU)
        m->swap = false;
    else if (magic == 0xde120495U)
        m->swap = true;
    else {
        free(m->buf);
        m->buf = NULL;
        return false;
    }
    m->n = u32(m, 8);
    m->orig = u32(m, 12);
    m->trans = u32(m, 16);
    return true;
}

/* The string of table entry i (orig or trans table), or NULL when it points
 * outside the file or is not NUL-terminated. */
static const char *mo_str(const mo *m, uint32_t table, uint32_t i)
{
    uint32_t l = u32(m, table + 8 * i), off = u32(m, table + 8 * i + 4);
    if ((size_t)off + l >= m->len || m->buf[off + l] != '\0')
        return NULL;
    return (const char *)m->buf + off;
}

/* Translation of msgid (originals are sorted: binary search), or NULL. */
static const char *mo_get(const mo *m, const char *msgid)
{
    if (!m->buf || !msgid)
        return NULL;
    uint32_t lo = 0, hi = m->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *o = mo_str(m, m->orig, mid);
        if (!o)
            return NULL;
        int c = strcmp(msgid, o);
        if (c == 0) {
            const char *t = mo_str(m, m->trans, mid);
            return t && *t ? t : NULL;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ---- loading -------------------------------------------------------------- */

static int cmp_alias(const void *a, const void *b)
{
    return strcmp(((const alias *)a)->key, ((const alias *)b)->key);
}

static int find_idx(const char *alpha3)
{
    for (size_t i = 0; i < ntab; i++)
        if (strcmp(tab[i].alpha3, alpha3) == 0)
            return (int)i;
    return -1;
}

/* data/countries.tdp: [country hkg] alias = 中国香港, display = 中国香港,
 * region = yes — the version loaded into the database (td_country_use_db),
 * else the file ($TALENTDESK_COUNTRIES, else under the data directory).
 * Errors in it are ignored here (`policy check` and `policy load` refuse
 * them); a missing file only loses the extra names. */
static void load_extra(void)
{
    char path[4096];
    const char *env = getenv("TALENTDESK_COUNTRIES");
    if (env && *env)
        snprintf(path, sizeof path, "%s", env);
    else
        snprintf(path, sizeof path, "%s/countries.tdp", td_data_dir());
    td_pf *pf = NULL;
    td_err e;
    if (!(env && *env) && db_text) {
        if (td_pf_parse(db_name, db_text, strlen(db_text), &pf, &e) != TD_OK)
            return;
    } else if (td_pf_load(path, &pf, &e) != TD_OK) {
        return;
    }
    adding_extra = true;
    for (size_t s = 0; s < pf->n; s++) {
        const td_pf_section *sec = &pf->secs[s];
        if (strcmp(sec->type, "country") != 0)
            continue;
        char code[4] = "";
        for (int i = 0; i < 3 && sec->id[i]; i++)
            code[i] = (char)toupper((unsigned char)sec->id[i]);
        int idx = strlen(sec->id) == 3 ? find_idx(code) : -1;
        if (idx < 0)
            continue;
        for (size_t k = 0; k < sec->n; k++) {
            const td_pf_entry *en = &sec->entries[k];
            if (strcmp(en->key, "alias") == 0) {
                add_alias(en->value, idx);
            } else if (strcmp(en->key, "display") == 0) {
                char *d = strdup(en->value);
                if (d) {
                    free((char *)tab[idx].name_zh); /* replaces the iso-codes name (owned) */
                    tab[idx].name_zh = d;
                }
                add_alias(en->value, idx);
            } else if (strcmp(en->key, "region") == 0) {
                tab[idx].region = strcmp(en->value, "yes") == 0;
            }
        }
    }
    adding_extra = false;
    td_pf_free(pf);
}

static void load(void)
{
    const char *jp = getenv("TALENTDESK_ISO3166_JSON");
    const char *mp = getenv("TALENTDESK_ISO3166_MO");
    json_error_t je;
    json_t *root = json_load_file(jp && *jp ? jp : TD_ISO_CODES_JSON, 0, &je);
    json_t *arr = root ? json_object_get(root, "3166-1") : NULL;
    if (!json_is_array(arr)) {
        json_decref(root);
        return;
    }
    mo m;
    mo_open(mp && *mp ? mp : TD_ISO_CODES_MO, &m);
    size_t n = json_array_size(arr);
    tab = calloc(n ? n : 1, sizeof *tab);
    if (!tab) {
        json_decref(root);
        free(m.buf);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        const char *a3 = json_string_value(json_object_get(o, "alpha_3"));
        const char *a2 = json_string_value(json_object_get(o, "alpha_2"));
        const char *nm = json_string_value(json_object_get(o, "name"));
        const char *on = json_string_value(json_object_get(o, "official_name"));
        const char *cn = json_string_value(json_object_get(o, "common_name"));
        const char *num = json_string_value(json_object_get(o, "numeric"));
        if (!a3 || strlen(a3) != 3 || !nm)
            continue;
        td_country *c = &tab[ntab];
        int idx = (int)ntab++;
        snprintf(c->alpha3, sizeof c->alpha3, "%s", a3);
        snprintf(c->alpha2, sizeof c->alpha2, "%s", a2 ? a2 : "");
        c->name_en = strdup(nm);
        const char *zh = mo_get(&m, nm);
        c->name_zh = strdup(zh ? zh : nm);
        add_alias(a3, idx);
        add_alias(a2, idx);
        if (num && idx < 300)
            snprintf(numeric[idx], sizeof numeric[idx], "%.3s", num);
        add_alias(num, idx);
        const char *names[] = { nm, on, cn };
        for (size_t k = 0; k < 3; k++) {
            add_alias(names[k], idx);
            add_alias(mo_get(&m, names[k]), idx);
        }
    }
    free(m.buf);
    json_decref(root);
    load_extra();
    qsort(al, nal, sizeof *al, cmp_alias);
}

static void load_once(void)
{
    load();
    loaded = true;
}

static void ensure(void)
{
    pthread_once(&once, load_once);
}

const td_country *td_country_all(size_t *n)
{
    ensure();
    *n = ntab;
    return tab;
}

const td_country *td_country_find(const char *alpha3)
{
    ensure();
    if (!alpha3)
        return NULL;
    int i = find_idx(alpha3);
    return i < 0 ? NULL : &tab[i];
}

const char *td_country_display(const char *alpha3)
{
    const td_country *c = td_country_find(alpha3);
    return c ? c->name_zh : (alpha3 ? alpha3 : "");
}

td_status td_country_resolve(const char *input, char out[4], td_err *err)
{
    ensure();
    out[0] = '\0';
    char k[256];
    fold(input ? input : "", k, sizeof k);
    if (!k[0])
        return td_err_set(err, TD_EINVALID, "%s", _("country or region is empty"));
    if (ntab == 0) {
        if (strlen(k) == 3 && isalpha((unsigned char)k[0]) && isalpha((unsigned char)k[1]) &&
            isalpha((unsigned char)k[2])) {
            for (int i = 0; i < 3; i++)
                out[i] = (char)toupper((unsigned char)k[i]);
            out[3] = '\0';
            return TD_OK;
        }
        return td_err_set(err, TD_EINVALID,
                          _("country '%s' cannot be looked up: the iso-codes package is not installed; "
                            "write the 3-letter code (CHN, HKG, USA)"),
                          input);
    }
    alias key = { k, 0, false };
    const alias *hit = bsearch(&key, al, nal, sizeof *al, cmp_alias);
    if (!hit)
        return td_err_set(err, TD_EINVALID,
                          _("unknown country or region '%s': write its name (China, United Kingdom, Hong Kong) "
                            "or its ISO code (CHN, GBR, HKG)"),
                          input);
    memcpy(out, tab[hit->idx].alpha3, 4);
    return TD_OK;
}

/* Case-insensitive (ASCII) substring test. */
static bool contains(const char *hay, const char *needle)
{
    if (!*needle)
        return true;
    if (!hay)
        return false;
    size_t nl = strlen(needle);
    for (const char *h = hay; *h; h++)
        if (strncasecmp(h, needle, nl) == 0)
            return true;
    return false;
}

size_t td_country_search(const char *query, const td_country **out, size_t max)
{
    ensure();
    char q[256];
    fold(query ? query : "", q, sizeof q);
    size_t got = 0;
    /* two passes: China and its regions first, then the rest */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < ntab && got < max; i++) {
            const td_country *c = &tab[i];
            bool first = strcmp(c->alpha3, "CHN") == 0 || c->region;
            if (first != (pass == 0))
                continue;
            if (contains(c->alpha3, q) || contains(c->alpha2, q) || contains(c->name_en, q) ||
                contains(c->name_zh, q))
                out[got++] = c;
        }
    }
    return got;
}

/* ---- countries.tdp as a policy file ---------------------------------------- */

/* The code a folded name has in iso-codes alone, or -1. */
static int iso_idx(const char *folded)
{
    alias key = { (char *)folded, 0, false };
    const alias *hit = bsearch(&key, al, nal, sizeof *al, cmp_alias);
    if (!hit)
        return -1;
    /* equal keys sit together: look for one that iso-codes gave */
    const alias *lo = hit, *hi = hit;
    while (lo > al && strcmp(lo[-1].key, folded) == 0)
        lo--;
    while (hi + 1 < al + nal && strcmp(hi[1].key, folded) == 0)
        hi++;
    for (const alias *a = lo; a <= hi; a++)
        if (!a->extra)
            return a->idx;
    return -1;
}

td_status td_country_data_check(const td_pf *pf, td_err *err)
{
    ensure();
    static const char *const known[] = { "alias", "display", "region", NULL };
    typedef struct seen {
        char key[256];
        char code[4];
        int line;
    } seen;
    size_t nseen = 0, cap = 0;
    seen *v = NULL;
    td_status s = TD_OK;
    for (size_t i = 0; !s && i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "country") != 0) {
            s = td_pf_error(pf, sec->line, err, _("unknown section [%s] (expected [country CODE])"), sec->type);
            break;
        }
        char code[4] = "";
        bool ok = strlen(sec->id) == 3;
        for (int k = 0; ok && k < 3; k++) {
            ok = isalpha((unsigned char)sec->id[k]) != 0;
            code[k] = (char)toupper((unsigned char)sec->id[k]);
        }
        if (!ok) {
            s = td_pf_error(pf, sec->line, err, _("'%s' is not a 3-letter ISO 3166-1 code"), sec->id);
            break;
        }
        if (ntab && find_idx(code) < 0) {
            s = td_pf_error(pf, sec->line, err, _("'%s' is not an ISO 3166-1 code known to iso-codes"), sec->id);
            break;
        }
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(pf->secs[j].id, sec->id) == 0)
                s = td_pf_error(pf, sec->line, err, _("[country %s] is defined twice"), sec->id);
        if (s || (s = td_pf_check_keys(pf, sec, known, err)))
            break;
        int ndisp = 0, nreg = 0;
        for (size_t k = 0; !s && k < sec->n; k++) {
            const td_pf_entry *en = &sec->entries[k];
            if (!strcmp(en->key, "region")) {
                if (nreg++)
                    s = td_pf_error(pf, en->line, err, _("'%s' is given twice"), en->key);
                else if (strcmp(en->value, "yes") && strcmp(en->value, "no"))
                    s = td_pf_error(pf, en->line, err, "%s", _("region must be yes or no"));
                continue;
            }
            if (!strcmp(en->key, "display") && ndisp++) {
                s = td_pf_error(pf, en->line, err, _("'%s' is given twice"), en->key);
                break;
            }
            char k2[256];
            fold(en->value, k2, sizeof k2);
            if (!k2[0]) {
                s = td_pf_error(pf, en->line, err, _("%s is empty"), en->key);
                break;
            }
            int other = ntab ? iso_idx(k2) : -1;
            if (other >= 0 && strcmp(tab[other].alpha3, code) != 0) {
                s = td_pf_error(pf, en->line, err, _("'%s' already names %s (%s) in iso-codes"), en->value,
                                tab[other].alpha3, tab[other].name_zh);
                break;
            }
            for (size_t q = 0; q < nseen; q++)
                if (!strcmp(v[q].key, k2) && strcmp(v[q].code, code) != 0) {
                    s = td_pf_error(pf, en->line, err, _("'%s' already names %s on line %d"), en->value, v[q].code,
                                    v[q].line);
                    break;
                }
            if (s)
                break;
            if (nseen == cap) {
                cap = cap ? cap * 2 : 64;
                seen *nv = realloc(v, cap * sizeof *nv);
                if (!nv) {
                    s = td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
                    break;
                }
                v = nv;
            }
            snprintf(v[nseen].key, sizeof v[nseen].key, "%s", k2);
            memcpy(v[nseen].code, code, 4);
            v[nseen++].line = en->line;
        }
    }
    free(v);
    return s;
}

td_status td_countries_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/countries.tdp", dir);
    td_pf *pf = NULL;
    td_status s = td_pf_load(path, &pf, err);
    if (s == TD_ENOTFOUND)
        return TD_OK; /* optional: iso-codes' names alone */
    if (s)
        return s;
    if (!(s = td_country_data_check(pf, err))) {
        char now[TD_TS_LEN];
        td_now_utc(now);
        if (!(s = td_db_begin(db, err))) {
            s = td_pversion_put(db, "countries", pf, user_id, now, NULL, err);
            if (s)
                td_db_rollback(db);
            else
                s = td_db_commit(db, err);
        }
    }
    td_pf_free(pf);
    return s;
}

bool td_country_use_db(td_db *db)
{
    if (loaded || db_text)
        return false;
    td_pf *pf = NULL;
    td_err e;
    if (td_pversion_current(db, "countries", &pf, &e) != TD_OK)
        return false;
    db_text = strdup(pf->content);
    snprintf(db_name, sizeof db_name, "%s", pf->name);
    td_pf_free(pf);
    return db_text != NULL;
}
