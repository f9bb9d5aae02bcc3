/* refdata.c — see refdata.h.  Reads the reference files under data/
 * (formats: data/README.md), validates all of them into an in-memory model,
 * then writes the model in one transaction. */
#include "refdata.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "policyfile.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ model */

typedef struct {
    const char *id, *name, *name_en, *description, *source;
    int rank, sort, line;
} rd_item; /* a department, category, tier, document type or area */

typedef struct {
    const char *doc;
    bool required;
} rd_sdoc;

typedef struct {
    const char *id, *name, *name_en, *area_name, *dept, *source;
    int days, sort, line;
    bool days_default;
    rd_sdoc *docs;
    size_t ndocs;
} rd_service;

typedef struct {
    char date[TD_DATE_LEN];
    int32_t day;
    const char *kind; /* "off" | "work" */
    const char *name;
    const td_pf *pf;  /* the calendar file it came from */
    int line;
} rd_calday;

typedef struct {
    int year;
    const char *source;
} rd_calyear;

typedef struct {
    size_t n, cap;
    void *v;
} rd_vec;

typedef struct {
    td_pf *dept, *cat, *tier, *doc, *svc;
    td_pf **cal;
    size_t ncal;

    rd_vec depts, cats, tiers, docs, areas, services, days, years; /* of rd_item / ... */
} rd_model;

static void *vec_push(rd_vec *v, size_t size)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 16;
        void *nv = realloc(v->v, nc * size);
        if (!nv)
            abort(); /* out of memory: no safe way on */
        v->v = nv;
        v->cap = nc;
    }
    void *p = (char *)v->v + v->n * size;
    memset(p, 0, size);
    v->n++;
    return p;
}

#define VEC_AT(vec, type, i) (&((type *)(vec).v)[i])

static void model_free(rd_model *m)
{
    td_pf_free(m->dept);
    td_pf_free(m->cat);
    td_pf_free(m->tier);
    td_pf_free(m->doc);
    td_pf_free(m->svc);
    for (size_t i = 0; i < m->ncal; i++)
        td_pf_free(m->cal[i]);
    free(m->cal);
    for (size_t i = 0; i < m->services.n; i++)
        free(VEC_AT(m->services, rd_service, i)->docs);
    free(m->depts.v);
    free(m->cats.v);
    free(m->tiers.v);
    free(m->docs.v);
    free(m->areas.v);
    free(m->services.v);
    free(m->days.v);
    free(m->years.v);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------- helpers */

/* A code: a lower-case ASCII letter, then letters, digits or '_', at most
 * max bytes. */
static bool code_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

static td_status check_code(const td_pf *pf, const td_pf_section *sec, size_t max, td_err *err)
{
    if (!sec->id[0])
        return td_pf_error(pf, sec->line, err, _("[%s] needs a code, e.g. [%s example_code]"),
                           sec->type, sec->type);
    if (!code_ok(sec->id, max))
        return td_pf_error(pf, sec->line, err,
                           _("invalid code '%s' (use at most %d lower-case letters, digits and _, "
                             "starting with a letter)"),
                           sec->id, (int)max);
    return TD_OK;
}

/* Reads a single-valued key: *out is the value or NULL when absent.  A key
 * given twice, or an empty/too long value, is an error; so is a missing
 * required key. */
static td_status get1(const td_pf *pf, const td_pf_section *sec, const char *key, bool required,
                      size_t maxlen, const char **out, td_err *err)
{
    *out = NULL;
    const td_pf_entry *first = NULL;
    for (size_t i = 0; i < sec->n; i++) {
        if (strcmp(sec->entries[i].key, key) != 0)
            continue;
        if (first)
            return td_pf_error(pf, sec->entries[i].line, err,
                               _("'%s' is given twice in [%s %s] (first at line %d)"), key,
                               sec->type, sec->id, first->line);
        first = &sec->entries[i];
    }
    if (!first) {
        if (required)
            return td_pf_error(pf, sec->line, err, _("[%s %s] lacks the required key '%s'"),
                               sec->type, sec->id, key);
        return TD_OK;
    }
    if (!first->value[0])
        return td_pf_error(pf, first->line, err, _("'%s' has an empty value"), key);
    if (strlen(first->value) > maxlen)
        return td_pf_error(pf, first->line, err, _("'%s' is too long (at most %d bytes)"), key,
                           (int)maxlen);
    *out = first->value;
    return TD_OK;
}

static const char *or_empty(const char *s) { return s ? s : ""; }

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    if (!s || !*s)
        return false;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
        if (v > 1000000)
            return false;
    }
    if (v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* Strict YYYY-MM-DD (what the files use), a real date. */
static bool parse_iso(const char *s, td_date *out)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    td_date d = { atoi(s), atoi(s + 5), atoi(s + 8) };
    if (!td_date_valid(d.y, d.m, d.d))
        return false;
    *out = d;
    return true;
}

static const rd_item *find_item(const rd_vec *v, const char *id)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(((rd_item *)v->v)[i].id, id) == 0)
            return &((rd_item *)v->v)[i];
    return NULL;
}

static td_status unexpected_section(const td_pf *pf, const td_pf_section *sec, const char *expected,
                                    td_err *err)
{
    return td_pf_error(pf, sec->line, err, _("unexpected section [%s] (this file holds [%s ...])"),
                       sec->type, expected);
}

/* Reads a simple item section (department, category, tier, doc, area)
 * into a new element of v, after checking its code and that it is unique. */
static td_status read_item(const td_pf *pf, const td_pf_section *sec, const char *const *known,
                           size_t idmax, rd_vec *v, rd_item **out, td_err *err)
{
    td_status s;
    if ((s = td_pf_check_keys(pf, sec, known, err)) || (s = check_code(pf, sec, idmax, err)))
        return s;
    const rd_item *dup = find_item(v, sec->id);
    if (dup)
        return td_pf_error(pf, sec->line, err, _("duplicate code '%s' (already at line %d)"),
                           sec->id, dup->line);
    rd_item it = { .id = sec->id, .line = sec->line, .sort = (int)v->n + 1 };
    for (const char *const *k = known; *k; k++) {
        const char *val;
        bool req = strcmp(*k, "name") == 0;
        size_t max = strcmp(*k, "description") == 0 ? 2000 : strcmp(*k, "source") == 0 ? 255 : 127;
        if (strcmp(*k, "rank") == 0)
            max = 16;
        if ((s = get1(pf, sec, *k, req, max, &val, err)))
            return s;
        if (strcmp(*k, "name") == 0) it.name = val;
        else if (strcmp(*k, "name_en") == 0) it.name_en = val;
        else if (strcmp(*k, "description") == 0) it.description = val;
        else if (strcmp(*k, "source") == 0) it.source = val;
    }
    rd_item *p = vec_push(v, sizeof *p);
    *p = it;
    *out = p;
    return TD_OK;
}

/* ------------------------------------------------------------ loaders */

static td_status load_departments(rd_model *m, td_err *err)
{
    static const char *const known[] = { "name", "short", "name_en", "source", NULL };
    const td_pf *pf = m->dept;
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "department") != 0)
            return unexpected_section(pf, sec, "department", err);
        rd_item *it;
        td_status s = read_item(pf, sec, known, 31, &m->depts, &it, err);
        if (s)
            return s;
    }
    if (m->depts.n == 0)
        return td_pf_error(pf, 1, err, "%s", _("no [department ...] section in the file"));
    return TD_OK;
}

static td_status load_categories(rd_model *m, td_err *err)
{
    static const char *const known[] = { "name", "name_en", "description", "source", NULL };
    const td_pf *pf = m->cat;
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "category") != 0)
            return unexpected_section(pf, sec, "category", err);
        rd_item *it;
        td_status s = read_item(pf, sec, known, 63, &m->cats, &it, err);
        if (s)
            return s;
    }
    if (m->cats.n == 0)
        return td_pf_error(pf, 1, err, "%s", _("no [category ...] section in the file"));
    return TD_OK;
}

static td_status load_tiers(rd_model *m, td_err *err)
{
    static const char *const known[] = { "name", "name_en", "rank", "description", "source", NULL };
    const td_pf *pf = m->tier;
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "tier") != 0)
            return unexpected_section(pf, sec, "tier", err);
        rd_item *it;
        td_status s = read_item(pf, sec, known, 63, &m->tiers, &it, err);
        if (s)
            return s;
        const td_pf_entry *e = td_pf_find(sec, "rank");
        if (!e)
            return td_pf_error(pf, sec->line, err, _("[%s %s] lacks the required key '%s'"),
                               sec->type, sec->id, "rank");
        if (!parse_int(e->value, 1, 99, &it->rank))
            return td_pf_error(pf, e->line, err, _("rank must be a whole number from 1 to 99, not '%s'"),
                               e->value);
        for (size_t j = 0; j + 1 < m->tiers.n; j++) {
            const rd_item *o = VEC_AT(m->tiers, rd_item, j);
            if (o->rank == it->rank)
                return td_pf_error(pf, e->line, err, _("rank %d is already used by [tier %s] (line %d)"),
                                   it->rank, o->id, o->line);
        }
    }
    if (m->tiers.n == 0)
        return td_pf_error(pf, 1, err, "%s", _("no [tier ...] section in the file"));
    return TD_OK;
}

static td_status load_doc_types(rd_model *m, td_err *err)
{
    static const char *const known[] = { "name", "name_en", "description", NULL };
    const td_pf *pf = m->doc;
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "doc") != 0)
            return unexpected_section(pf, sec, "doc", err);
        rd_item *it;
        td_status s = read_item(pf, sec, known, 63, &m->docs, &it, err);
        if (s)
            return s;
    }
    if (m->docs.n == 0)
        return td_pf_error(pf, 1, err, "%s", _("no [doc ...] section in the file"));
    return TD_OK;
}

static td_status load_service(rd_model *m, const td_pf_section *sec, td_err *err)
{
    static const char *const known[] = { "name",       "name_en", "area",  "days",        "days_default",
                                         "department", "source",  "doc",   "doc_optional", NULL };
    const td_pf *pf = m->svc;
    td_status s;
    if ((s = td_pf_check_keys(pf, sec, known, err)) || (s = check_code(pf, sec, 47, err)))
        return s;
    for (size_t i = 0; i < m->services.n; i++) {
        const rd_service *o = VEC_AT(m->services, rd_service, i);
        if (strcmp(o->id, sec->id) == 0)
            return td_pf_error(pf, sec->line, err, _("duplicate code '%s' (already at line %d)"),
                               sec->id, o->line);
    }
    rd_service sv = { .id = sec->id, .line = sec->line, .sort = (int)m->services.n + 1,
                      .days_default = true };
    const char *area, *days, *dflt;
    if ((s = get1(pf, sec, "name", true, 127, &sv.name, err)) ||
        (s = get1(pf, sec, "name_en", false, 127, &sv.name_en, err)) ||
        (s = get1(pf, sec, "area", true, 63, &area, err)) ||
        (s = get1(pf, sec, "days", true, 16, &days, err)) ||
        (s = get1(pf, sec, "days_default", false, 16, &dflt, err)) ||
        (s = get1(pf, sec, "department", true, 31, &sv.dept, err)) ||
        (s = get1(pf, sec, "source", true, 255, &sv.source, err)))
        return s;
    for (size_t i = 0; i < m->services.n; i++) {
        const rd_service *o = VEC_AT(m->services, rd_service, i);
        if (strcmp(o->name, sv.name) == 0)
            return td_pf_error(pf, td_pf_find(sec, "name")->line, err,
                               _("the name '%s' is already used by [service %s] (line %d)"), sv.name,
                               o->id, o->line);
    }
    const rd_item *a = find_item(&m->areas, area);
    if (!a)
        return td_pf_error(pf, td_pf_find(sec, "area")->line, err,
                           _("unknown area '%s' (define it with [area %s] first)"), area, area);
    sv.area_name = a->name;
    if (!parse_int(days, 1, 365, &sv.days))
        return td_pf_error(pf, td_pf_find(sec, "days")->line, err,
                           _("days must be a whole number of working days from 1 to 365, not '%s'"),
                           days);
    if (dflt) {
        if (strcmp(dflt, "yes") == 0)
            sv.days_default = true;
        else if (strcmp(dflt, "no") == 0)
            sv.days_default = false;
        else
            return td_pf_error(pf, td_pf_find(sec, "days_default")->line, err,
                               _("days_default must be yes or no, not '%s'"), dflt);
    }
    if (!find_item(&m->depts, sv.dept))
        return td_pf_error(pf, td_pf_find(sec, "department")->line, err,
                           _("unknown department '%s' (not in departments.tdp)"), sv.dept);
    for (size_t i = 0; i < sec->n; i++) {
        const td_pf_entry *e = &sec->entries[i];
        bool req = strcmp(e->key, "doc") == 0;
        if (!req && strcmp(e->key, "doc_optional") != 0)
            continue;
        if (!find_item(&m->docs, e->value)) {
            free(sv.docs);
            return td_pf_error(pf, e->line, err, _("unknown document type '%s' (not in doc_types.tdp)"),
                               e->value);
        }
        for (size_t j = 0; j < sv.ndocs; j++)
            if (strcmp(sv.docs[j].doc, e->value) == 0) {
                free(sv.docs);
                return td_pf_error(pf, e->line, err, _("document '%s' is listed twice for this service"),
                                   e->value);
            }
        rd_sdoc *nd = realloc(sv.docs, sizeof *nd * (sv.ndocs + 1));
        if (!nd)
            abort();
        sv.docs = nd;
        sv.docs[sv.ndocs++] = (rd_sdoc){ e->value, req };
    }
    bool any_required = false;
    for (size_t j = 0; j < sv.ndocs; j++)
        any_required |= sv.docs[j].required;
    if (!any_required) {
        free(sv.docs);
        return td_pf_error(pf, sec->line, err,
                           _("[service %s] lists no required document (add at least one 'doc = CODE')"),
                           sec->id);
    }
    rd_service *p = vec_push(&m->services, sizeof *p);
    *p = sv;
    return TD_OK;
}

static td_status load_services(rd_model *m, td_err *err)
{
    static const char *const area_keys[] = { "name", "name_en", NULL };
    const td_pf *pf = m->svc;
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        td_status s;
        if (strcmp(sec->type, "area") == 0) {
            rd_item *it;
            if ((s = read_item(pf, sec, area_keys, 31, &m->areas, &it, err)))
                return s;
            if (strlen(it->name) > 63)
                return td_pf_error(pf, td_pf_find(sec, "name")->line, err,
                                   _("'%s' is too long (at most %d bytes)"), "name", 63);
        } else if (strcmp(sec->type, "service") == 0) {
            if ((s = load_service(m, sec, err)))
                return s;
        } else {
            return unexpected_section(pf, sec, "area / service", err);
        }
    }
    if (m->services.n == 0)
        return td_pf_error(pf, 1, err, "%s", _("no [service ...] section in the file"));
    return TD_OK;
}

static td_status add_day(rd_model *m, const td_pf *pf, int line, int year, td_date d, const char *kind,
                         const char *name, td_err *err)
{
    char ds[TD_DATE_LEN];
    td_date_format(d, ds);
    if (d.y != year)
        return td_pf_error(pf, line, err, _("%s is not in %d, the year of this file"), ds, year);
    int wd = td_date_weekday(d);
    if (strcmp(kind, "work") == 0 && wd < 5)
        return td_pf_error(pf, line, err,
                           _("%s is a weekday: only a Saturday or Sunday can be a worked weekend day"),
                           ds);
    int32_t day = td_date_to_days(d);
    for (size_t i = 0; i < m->days.n; i++) {
        const rd_calday *o = VEC_AT(m->days, rd_calday, i);
        if (o->day == day)
            return td_pf_error(pf, line, err, _("%s is listed twice (also %s:%d)"), ds, o->pf->name,
                               o->line);
    }
    rd_calday *c = vec_push(&m->days, sizeof *c);
    memcpy(c->date, ds, sizeof ds);
    c->day = day;
    c->kind = kind;
    c->name = name;
    c->pf = pf;
    c->line = line;
    return TD_OK;
}

/* year: from the file name calendar-YYYY.tdp. */
static td_status load_calendar(rd_model *m, const td_pf *pf, int year, td_err *err)
{
    static const char *const year_keys[] = { "source", NULL };
    static const char *const hol_keys[] = { "name", "name_en", "off", "work", NULL };
    const td_pf_section *ysec = NULL;
    rd_vec codes = { 0 };
    td_status s = TD_OK;
    for (size_t i = 0; i < pf->n && !s; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "year") == 0) {
            if (ysec) {
                s = td_pf_error(pf, sec->line, err, _("a second [year] section (first at line %d)"),
                                ysec->line);
                break;
            }
            ysec = sec;
            int y;
            if (!parse_int(sec->id, 1800, 9999, &y) || y != year) {
                s = td_pf_error(pf, sec->line, err,
                                _("[year %s] does not match the file name (expected [year %d])"),
                                sec->id, year);
                break;
            }
            const char *src;
            if ((s = td_pf_check_keys(pf, sec, year_keys, err)) ||
                (s = get1(pf, sec, "source", true, 255, &src, err)))
                break;
            rd_calyear *cy = vec_push(&m->years, sizeof *cy);
            cy->year = year;
            cy->source = src;
        } else if (strcmp(sec->type, "holiday") == 0) {
            rd_item *it;
            static const char *const item_keys[] = { "name", "name_en", NULL };
            /* check every key first, then read name/name_en as an item */
            if ((s = td_pf_check_keys(pf, sec, hol_keys, err)))
                break;
            td_pf_section only = *sec; /* name/name_en only, for read_item */
            only.entries = malloc(sizeof *only.entries * (sec->n ? sec->n : 1));
            if (!only.entries)
                abort();
            only.n = 0;
            for (size_t j = 0; j < sec->n; j++)
                if (strcmp(sec->entries[j].key, "name") == 0 || strcmp(sec->entries[j].key, "name_en") == 0)
                    only.entries[only.n++] = sec->entries[j];
            s = read_item(pf, &only, item_keys, 63, &codes, &it, err);
            free(only.entries);
            if (s)
                break;
            bool any = false;
            for (size_t j = 0; j < sec->n && !s; j++) {
                const td_pf_entry *e = &sec->entries[j];
                bool off = strcmp(e->key, "off") == 0;
                if (!off && strcmp(e->key, "work") != 0)
                    continue;
                any = true;
                td_date a, b;
                const char *dots = strstr(e->value, "..");
                if (dots && off) {
                    char first[32];
                    size_t n = (size_t)(dots - e->value);
                    if (n >= sizeof first) {
                        s = td_pf_error(pf, e->line, err, _("invalid date '%s' (write YYYY-MM-DD)"),
                                        e->value);
                        break;
                    }
                    memcpy(first, e->value, n);
                    first[n] = '\0';
                    const char *last = dots + 2;
                    while (n > 0 && first[n - 1] == ' ')
                        first[--n] = '\0';
                    while (*last == ' ')
                        last++;
                    if (!parse_iso(first, &a) || !parse_iso(last, &b)) {
                        s = td_pf_error(pf, e->line, err,
                                        _("invalid date range '%s' (write YYYY-MM-DD..YYYY-MM-DD)"),
                                        e->value);
                        break;
                    }
                    if (td_date_cmp(a, b) > 0) {
                        s = td_pf_error(pf, e->line, err, _("the range '%s' ends before it starts"),
                                        e->value);
                        break;
                    }
                    if (td_date_to_days(b) - td_date_to_days(a) > 31) {
                        s = td_pf_error(pf, e->line, err,
                                        _("the range '%s' is longer than a month; check the dates"),
                                        e->value);
                        break;
                    }
                } else if (!parse_iso(e->value, &a)) {
                    s = td_pf_error(pf, e->line, err, _("invalid date '%s' (write YYYY-MM-DD)"),
                                    e->value);
                    break;
                } else {
                    b = a;
                }
                for (int32_t d = td_date_to_days(a); d <= td_date_to_days(b) && !s; d++)
                    s = add_day(m, pf, e->line, year, td_date_from_days(d), off ? "off" : "work",
                                it->name, err);
            }
            if (!s && !any)
                s = td_pf_error(pf, sec->line, err, _("[holiday %s] lists no 'off' or 'work' date"),
                                sec->id);
        } else {
            s = unexpected_section(pf, sec, "year / holiday", err);
        }
    }
    free(codes.v);
    if (!s && !ysec)
        s = td_pf_error(pf, 1, err, _("the file lacks its [year %d] section"), year);
    return s;
}

/* ------------------------------------------------------------ reading */

static const struct {
    const char *file, *kind;
} FILES[] = {
    { "departments.tdp", "departments" }, { "categories.tdp", "categories" }, { "tiers.tdp", "tiers" },
    { "doc_types.tdp", "doc_types" },     { "services.tdp", "services" },
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True for calendar-YYYY.tdp (year into *year). */
static bool calendar_name(const char *name, int *year)
{
    if (strncmp(name, "calendar-", 9) != 0)
        return false;
    size_t n = strlen(name);
    if (n != 9 + 4 + 4 || strcmp(name + 13, ".tdp") != 0)
        return false;
    char y[5] = { name[9], name[10], name[11], name[12], 0 };
    return parse_int(y, 1800, 9999, year);
}

static td_status read_all(const char *dir, rd_model *m, td_err *err)
{
    memset(m, 0, sizeof *m);
    char path[4096];
    td_pf **slots[] = { &m->dept, &m->cat, &m->tier, &m->doc, &m->svc };
    for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i].file);
        td_status s = td_pf_load(path, slots[i], err);
        if (s)
            return s;
    }
    DIR *d = opendir(dir);
    if (!d)
        return td_err_set(err, errno == ENOENT ? TD_ENOTFOUND : TD_EIO, _("%s: cannot open: %s"), dir,
                          strerror(errno));
    char **names = NULL;
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strncmp(de->d_name, "calendar-", 9) != 0)
            continue;
        size_t l = strlen(de->d_name);
        if (l < 4 || strcmp(de->d_name + l - 4, ".tdp") != 0)
            continue;
        char **nn2 = realloc(names, sizeof *names * (nn + 1));
        if (!nn2 || !(nn2[nn] = strdup(de->d_name)))
            abort();
        names = nn2;
        nn++;
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_str);
    td_status s = TD_OK;
    for (size_t i = 0; i < nn; i++) {
        int year;
        if (!s && !calendar_name(names[i], &year))
            s = td_err_set(err, TD_EPOLICY, _("%s: a calendar file must be named calendar-YYYY.tdp"),
                           names[i]);
        if (!s) {
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            td_pf *pf;
            s = td_pf_load(path, &pf, err);
            if (!s) {
                td_pf **nc = realloc(m->cal, sizeof *nc * (m->ncal + 1));
                if (!nc)
                    abort();
                m->cal = nc;
                m->cal[m->ncal++] = pf;
            }
        }
        free(names[i]);
    }
    free(names);
    return s;
}

/* Reads and validates everything in dir into m (freed by the caller with
 * model_free, also on error). */
static td_status build_model(const char *dir, rd_model *m, td_err *err)
{
    td_status s = read_all(dir, m, err);
    if (s)
        return s;
    if ((s = load_departments(m, err)) || (s = load_categories(m, err)) || (s = load_tiers(m, err)) ||
        (s = load_doc_types(m, err)) || (s = load_services(m, err)))
        return s;
    for (size_t i = 0; i < m->ncal; i++) {
        int year = 0;
        calendar_name(m->cal[i]->name, &year);
        if ((s = load_calendar(m, m->cal[i], year, err)))
            return s;
    }
    return TD_OK;
}

td_status td_refdata_check(const char *dir, td_err *err)
{
    rd_model m;
    td_status s = build_model(dir, &m, err);
    model_free(&m);
    return s;
}

/* ------------------------------------------------------------ writing */

typedef struct {
    const char *col;
    const char *s; /* text value (NULL → use i) */
    long long i;
    bool is_int;
} rd_val;

#define VT(c, v) ((rd_val){ .col = (c), .s = or_empty(v) })
#define VI(c, v) ((rd_val){ .col = (c), .i = (v), .is_int = true })

typedef struct {
    td_db *db;
    const char *now;
    int changed; /* rows inserted, updated or soft-deleted */
    td_err *err;
} rd_writer;

static void bind_val(sqlite3_stmt *st, int idx, const rd_val *v)
{
    if (v->is_int)
        sqlite3_bind_int64(st, idx, v->i);
    else
        sqlite3_bind_text(st, idx, v->s, -1, SQLITE_TRANSIENT);
}

/* Inserts row id of table, or updates it (row_version + 1, undeleting it)
 * when any value differs.  pv: the policy version to record (NULL for tables
 * without a policy_version column). */
static td_status upsert(rd_writer *w, const char *table, const char *id, const rd_val *v, int nv,
                        const char *pv)
{
    sqlite3 *h = td_db_handle(w->db);
    char sql[1024];
    size_t o = 0;
    /* SELECT col... , deleted_at FROM table WHERE id = ? */
    o += (size_t)snprintf(sql + o, sizeof sql - o, "SELECT ");
    for (int i = 0; i < nv; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s, ", v[i].col);
    snprintf(sql + o, sizeof sql - o, "deleted_at FROM %s WHERE id = ?", table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(w->db, _("loading policy data"), w->err);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    bool exists = rc == SQLITE_ROW, same = exists;
    if (exists) {
        for (int i = 0; i < nv && same; i++) {
            if (v[i].is_int)
                same = sqlite3_column_type(st, i) == SQLITE_INTEGER && sqlite3_column_int64(st, i) == v[i].i;
            else {
                const char *c = (const char *)sqlite3_column_text(st, i);
                same = c && strcmp(c, v[i].s) == 0;
            }
        }
        if (sqlite3_column_type(st, nv) != SQLITE_NULL)
            same = false;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return td_db_fail(w->db, _("loading policy data"), w->err);
    if (same)
        return TD_OK;

    o = 0;
    if (!exists) {
        o += (size_t)snprintf(sql + o, sizeof sql - o, "INSERT INTO %s(id, ", table);
        for (int i = 0; i < nv; i++)
            o += (size_t)snprintf(sql + o, sizeof sql - o, "%s, ", v[i].col);
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%screated_at, updated_at) VALUES(?",
                              pv ? "policy_version, " : "");
        for (int i = 0; i < nv + (pv ? 3 : 2); i++)
            o += (size_t)snprintf(sql + o, sizeof sql - o, ", ?");
        snprintf(sql + o, sizeof sql - o, ")");
    } else {
        o += (size_t)snprintf(sql + o, sizeof sql - o, "UPDATE %s SET ", table);
        for (int i = 0; i < nv; i++)
            o += (size_t)snprintf(sql + o, sizeof sql - o, "%s = ?, ", v[i].col);
        snprintf(sql + o, sizeof sql - o,
                 "%s updated_at = ?, deleted_at = NULL, row_version = row_version + 1 WHERE id = ?",
                 pv ? "policy_version = ?," : "");
    }
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(w->db, _("loading policy data"), w->err);
    int k = 1;
    if (!exists)
        sqlite3_bind_text(st, k++, id, -1, SQLITE_TRANSIENT);
    for (int i = 0; i < nv; i++)
        bind_val(st, k++, &v[i]);
    if (pv)
        sqlite3_bind_text(st, k++, pv, -1, SQLITE_TRANSIENT);
    if (!exists)
        sqlite3_bind_text(st, k++, w->now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, k++, w->now, -1, SQLITE_TRANSIENT);
    if (exists)
        sqlite3_bind_text(st, k++, id, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(w->db, _("loading policy data"), w->err);
    w->changed++;
    return TD_OK;
}

/* Soft-deletes the live rows of table whose id is not in ids[0..n). */
static td_status retire_missing(rd_writer *w, const char *table, char **ids, size_t n)
{
    sqlite3 *h = td_db_handle(w->db);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE deleted_at IS NULL", table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(w->db, _("loading policy data"), w->err);
    char **gone = NULL;
    size_t ng = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        bool keep = false;
        for (size_t i = 0; i < n && !keep; i++)
            keep = strcmp(ids[i], id) == 0;
        if (!keep) {
            char **ng2 = realloc(gone, sizeof *gone * (ng + 1));
            if (!ng2 || !(ng2[ng] = strdup(id)))
                abort();
            gone = ng2;
            ng++;
        }
    }
    sqlite3_finalize(st);
    td_status s = rc == SQLITE_DONE ? TD_OK : td_db_fail(w->db, _("loading policy data"), w->err);
    if (!s && ng) {
        snprintf(sql, sizeof sql,
                 "UPDATE %s SET deleted_at = ?1, updated_at = ?1, row_version = row_version + 1 "
                 "WHERE id = ?2",
                 table);
        if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
            s = td_db_fail(w->db, _("loading policy data"), w->err);
        for (size_t i = 0; i < ng && !s; i++) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, w->now, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, gone[i], -1, SQLITE_TRANSIENT);
            if (sqlite3_step(st) != SQLITE_DONE)
                s = td_db_fail(w->db, _("loading policy data"), w->err);
            else
                w->changed++;
        }
        sqlite3_finalize(st);
    }
    for (size_t i = 0; i < ng; i++)
        free(gone[i]);
    free(gone);
    return s;
}

/* An older version coming back into force (content A → B → A): its
 * updated_at moves to now so that it is the current one again.  Nothing
 * happens when it already is the current version of that file. */
static td_status make_current(rd_writer *w, const char *kind, const char *name, const char *id)
{
    sqlite3_stmt *st = td_db_prepare(
        w->db,
        "SELECT id FROM policy_versions WHERE kind = ? AND name = ? AND deleted_at IS NULL "
        "ORDER BY updated_at DESC, id DESC LIMIT 1",
        w->err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, kind);
    td_bind_text(st, 2, name);
    char cur[TD_UUID_LEN] = "";
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        td_col_copy(st, 0, cur, sizeof cur);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return td_db_fail(w->db, _("loading policy data"), w->err);
    if (strcmp(cur, id) == 0)
        return TD_OK;
    st = td_db_prepare(w->db,
                       "UPDATE policy_versions SET updated_at = ?, row_version = row_version + 1 "
                       "WHERE id = ?",
                       w->err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, w->now);
    td_bind_text(st, 2, id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(w->db, _("loading policy data"), w->err);
    w->changed++;
    return TD_OK;
}

/* The policy version of pf: the existing row with the same kind, name and
 * hash, or a new one (recorded in audit when the database has a station). */
static td_status policy_version(rd_writer *w, const char *kind, const td_pf *pf, const char *user_id,
                                char id[TD_UUID_LEN])
{
    sqlite3_stmt *st = td_db_prepare(
        w->db, "SELECT id FROM policy_versions WHERE kind = ? AND name = ? AND sha256 = ?", w->err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, kind);
    td_bind_text(st, 2, pf->name);
    td_bind_text(st, 3, pf->sha256);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        td_col_copy(st, 0, id, TD_UUID_LEN);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return make_current(w, kind, pf->name, id);
    if (rc != SQLITE_DONE)
        return td_db_fail(w->db, _("loading policy data"), w->err);
    td_uuid7(id);
    st = td_db_prepare(w->db,
                       "INSERT INTO policy_versions(id, kind, name, sha256, content, loaded_by, "
                       "created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                       w->err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, kind);
    td_bind_text(st, 3, pf->name);
    td_bind_text(st, 4, pf->sha256);
    td_bind_text(st, 5, pf->content);
    td_bind_text(st, 6, user_id);
    td_bind_text(st, 7, w->now);
    td_bind_text(st, 8, w->now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(w->db, _("loading policy data"), w->err);
    w->changed++;
    char station[TD_UUID_LEN];
    if (td_db_setting_get(w->db, "local_station", station, sizeof station)) {
        td_actor by;
        memset(&by, 0, sizeof by);
        if (user_id)
            snprintf(by.user_id, sizeof by.user_id, "%s", user_id);
        return td_audit(w->db, &by, NULL, "policy.load", "policy_versions", id, pf->name, NULL,
                        pf->sha256, NULL, w->err);
    }
    return TD_OK;
}

static td_status write_items(rd_writer *w, const char *table, const rd_vec *v, int which,
                             const char *pv)
{
    char **ids = malloc(sizeof *ids * (v->n ? v->n : 1));
    if (!ids)
        abort();
    td_status s = TD_OK;
    for (size_t i = 0; i < v->n && !s; i++) {
        const rd_item *it = &((const rd_item *)v->v)[i];
        ids[i] = (char *)it->id;
        rd_val vals[6];
        int nv = 0;
        vals[nv++] = VT("name", it->name);
        switch (which) {
        case 0: /* departments */
            break;
        case 1: /* talent_categories */
            vals[nv++] = VT("name_en", it->name_en);
            vals[nv++] = VT("description", it->description);
            vals[nv++] = VI("sort", it->sort);
            break;
        case 2: /* tiers */
            vals[nv++] = VT("name_en", it->name_en);
            vals[nv++] = VI("rank", it->rank);
            vals[nv++] = VT("description", it->description);
            vals[nv++] = VT("source", it->source);
            break;
        case 3: /* doc_types */
            vals[nv++] = VT("name_en", it->name_en);
            vals[nv++] = VT("description", it->description);
            break;
        }
        s = upsert(w, table, it->id, vals, nv, pv);
    }
    if (!s)
        s = retire_missing(w, table, ids, v->n);
    free(ids);
    return s;
}

static td_status write_services(rd_writer *w, const rd_model *m, const char *pv)
{
    size_t nd = 0;
    for (size_t i = 0; i < m->services.n; i++)
        nd += VEC_AT(m->services, rd_service, i)->ndocs;
    char **sids = calloc(m->services.n + 1, sizeof *sids);
    char **dids = calloc(nd + 1, sizeof *dids);
    if (!sids || !dids)
        abort();
    td_status s = TD_OK;
    size_t k = 0;
    for (size_t i = 0; i < m->services.n && !s; i++) {
        const rd_service *sv = VEC_AT(m->services, rd_service, i);
        sids[i] = (char *)sv->id;
        rd_val vals[] = {
            VT("name", sv->name),       VT("name_en", sv->name_en),
            VT("area", sv->area_name),  VI("days", sv->days),
            VI("days_is_default", sv->days_default), VT("department_id", sv->dept),
            VT("source", sv->source),   VI("sort", sv->sort),
        };
        s = upsert(w, "services", sv->id, vals, (int)(sizeof vals / sizeof vals[0]), pv);
        for (size_t j = 0; j < sv->ndocs && !s; j++) {
            char id[160];
            snprintf(id, sizeof id, "%s:%s", sv->id, sv->docs[j].doc);
            dids[k] = strdup(id);
            if (!dids[k++])
                abort();
            rd_val dv[] = { VT("service_id", sv->id), VT("doc_type_id", sv->docs[j].doc),
                            VI("required", sv->docs[j].required), VI("sort", (long long)j + 1) };
            s = upsert(w, "service_docs", id, dv, 4, pv);
        }
    }
    if (!s)
        s = retire_missing(w, "services", sids, m->services.n);
    if (!s)
        s = retire_missing(w, "service_docs", dids, k);
    for (size_t i = 0; i < k; i++)
        free(dids[i]);
    free(dids);
    free(sids);
    return s;
}

static td_status write_calendar(rd_writer *w, const rd_model *m, char (*pvs)[TD_UUID_LEN])
{
    char **ids = calloc(m->days.n + 1, sizeof *ids);
    if (!ids)
        abort();
    td_status s = TD_OK;
    for (size_t i = 0; i < m->days.n && !s; i++) {
        const rd_calday *c = VEC_AT(m->days, rd_calday, i);
        ids[i] = (char *)c->date;
        const char *pv = NULL;
        for (size_t f = 0; f < m->ncal; f++)
            if (m->cal[f] == c->pf)
                pv = pvs[f];
        rd_val vals[] = { VT("kind", c->kind), VT("name", c->name) };
        s = upsert(w, "calendar_days", c->date, vals, 2, pv);
    }
    if (!s)
        s = retire_missing(w, "calendar_days", ids, m->days.n);
    free(ids);
    if (s)
        return s;

    /* calendar_years (local): exactly the years of the files. */
    sqlite3 *h = td_db_handle(w->db);
    for (size_t i = 0; i < m->years.n && !s; i++) {
        const rd_calyear *y = VEC_AT(m->years, rd_calyear, i);
        sqlite3_stmt *st = td_db_prepare(w->db, "SELECT source FROM calendar_years WHERE year = ?", w->err);
        if (!st)
            return TD_EDB;
        sqlite3_bind_int(st, 1, y->year);
        int rc = sqlite3_step(st);
        bool same = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), y->source) == 0;
        sqlite3_reset(st);
        if (same)
            continue;
        st = td_db_prepare(w->db, "INSERT OR REPLACE INTO calendar_years(year, source) VALUES(?, ?)", w->err);
        if (!st)
            return TD_EDB;
        sqlite3_bind_int(st, 1, y->year);
        td_bind_text(st, 2, y->source);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return td_db_fail(w->db, _("loading policy data"), w->err);
        w->changed++;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "SELECT year FROM calendar_years", -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(w->db, _("loading policy data"), w->err);
    int gone[64], ng = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int y = sqlite3_column_int(st, 0);
        bool keep = false;
        for (size_t i = 0; i < m->years.n && !keep; i++)
            keep = VEC_AT(m->years, rd_calyear, i)->year == y;
        if (!keep && ng < 64)
            gone[ng++] = y;
    }
    sqlite3_finalize(st);
    for (int i = 0; i < ng; i++) {
        st = td_db_prepare(w->db, "DELETE FROM calendar_years WHERE year = ?", w->err);
        if (!st)
            return TD_EDB;
        sqlite3_bind_int(st, 1, gone[i]);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return td_db_fail(w->db, _("loading policy data"), w->err);
        w->changed++;
    }
    return TD_OK;
}

static td_status write_model(rd_writer *w, const rd_model *m, const char *user_id)
{
    char pv[5][TD_UUID_LEN];
    const td_pf *pfs[5] = { m->dept, m->cat, m->tier, m->doc, m->svc };
    td_status s;
    for (int i = 0; i < 5; i++)
        if ((s = policy_version(w, FILES[i].kind, pfs[i], user_id, pv[i])))
            return s;
    char (*cpv)[TD_UUID_LEN] = calloc(m->ncal + 1, sizeof *cpv);
    if (!cpv)
        abort();
    s = TD_OK;
    for (size_t i = 0; i < m->ncal && !s; i++)
        s = policy_version(w, "calendar", m->cal[i], user_id, cpv[i]);
    if (!s)
        s = write_items(w, "departments", &m->depts, 0, NULL);
    if (!s)
        s = write_items(w, "talent_categories", &m->cats, 1, pv[1]);
    if (!s)
        s = write_items(w, "tiers", &m->tiers, 2, pv[2]);
    if (!s)
        s = write_items(w, "doc_types", &m->docs, 3, pv[3]);
    if (!s)
        s = write_services(w, m, pv[4]);
    if (!s)
        s = write_calendar(w, m, cpv);
    free(cpv);
    return s;
}

td_status td_refdata_load(td_db *db, const char *dir, const char *user_id, td_err *err)
{
    if (td_db_in_tx(db))
        return td_err_set(err, TD_ERR, "%s",
                          _("internal error: policy data must be loaded outside a transaction"));
    rd_model m;
    td_status s = build_model(dir, &m, err);
    if (s) {
        model_free(&m);
        return s;
    }
    if ((s = td_db_begin(db, err))) {
        model_free(&m);
        return s;
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    rd_writer w = { .db = db, .now = now, .err = err };
    s = write_model(&w, &m, user_id);
    model_free(&m);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

/* ------------------------------------------------------------ queries */

static void row_service(sqlite3_stmt *st, td_service *out)
{
    memset(out, 0, sizeof *out);
    td_col_copy(st, 0, out->id, sizeof out->id);
    td_col_copy(st, 1, out->name, sizeof out->name);
    td_col_copy(st, 2, out->name_en, sizeof out->name_en);
    td_col_copy(st, 3, out->area, sizeof out->area);
    out->days = sqlite3_column_int(st, 4);
    out->days_is_default = sqlite3_column_int(st, 5) != 0;
    td_col_copy(st, 6, out->department_id, sizeof out->department_id);
    td_col_copy(st, 7, out->source, sizeof out->source);
}

td_status td_service_get(td_db *db, const char *code_or_name, td_service *out, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT id, name, name_en, area, days, days_is_default, department_id, source FROM services "
        "WHERE deleted_at IS NULL AND (id = ?1 OR name = ?1) ORDER BY id = ?1 DESC LIMIT 1",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, code_or_name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_service(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("reading the service catalogue"), err);
    return td_err_set(err, TD_ENOTFOUND, _("No such service: %s"), code_or_name);
}

td_status td_service_each(td_db *db, int (*cb)(const td_service *s, void *ud), void *ud, td_err *err)
{
    /* Collected first so that cb may run other queries. */
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT id, name, name_en, area, days, days_is_default, department_id, source FROM services "
        "WHERE deleted_at IS NULL ORDER BY sort, id",
        err);
    if (!st)
        return TD_EDB;
    td_service *all = NULL;
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_service *na = realloc(all, sizeof *all * (n + 1));
        if (!na)
            abort();
        all = na;
        row_service(st, &all[n++]);
    }
    sqlite3_reset(st);
    td_status s = rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("reading the service catalogue"), err);
    for (size_t i = 0; i < n && !s; i++)
        if (cb(&all[i], ud))
            break;
    free(all);
    return s;
}

td_status td_service_docs_each(td_db *db, const char *service_id,
                               int (*cb)(const char *doc_id, const char *doc_name, bool required,
                                         void *ud),
                               void *ud, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT sd.doc_type_id, d.name, sd.required FROM service_docs sd "
        "JOIN doc_types d ON d.id = sd.doc_type_id "
        "WHERE sd.service_id = ? AND sd.deleted_at IS NULL ORDER BY sd.sort, sd.id",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, service_id);
    typedef struct {
        char id[64], name[256];
        bool req;
    } row;
    row *all = NULL;
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row *na = realloc(all, sizeof *all * (n + 1));
        if (!na)
            abort();
        all = na;
        td_col_copy(st, 0, all[n].id, sizeof all[n].id);
        td_col_copy(st, 1, all[n].name, sizeof all[n].name);
        all[n].req = sqlite3_column_int(st, 2) != 0;
        n++;
    }
    sqlite3_reset(st);
    td_status s = rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("reading the service catalogue"), err);
    for (size_t i = 0; i < n && !s; i++)
        if (cb(all[i].id, all[i].name, all[i].req, ud))
            break;
    free(all);
    return s;
}

td_status td_policy_versions_each(td_db *db, int (*cb)(const td_policy_version *v, void *ud), void *ud,
                                  td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT p.id, p.kind, p.name, p.sha256, "
        "COALESCE((SELECT username FROM users u WHERE u.id = p.loaded_by), p.loaded_by, ''), "
        "p.created_at, p.updated_at, "
        "p.id = (SELECT q.id FROM policy_versions q WHERE q.kind = p.kind AND q.name = p.name AND "
        "q.deleted_at IS NULL ORDER BY q.updated_at DESC, q.id DESC LIMIT 1) "
        "FROM policy_versions p WHERE p.deleted_at IS NULL "
        "ORDER BY p.kind, p.name, p.updated_at DESC, p.id DESC",
        err);
    if (!st)
        return TD_EDB;
    td_policy_version *all = NULL;
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_policy_version *na = realloc(all, sizeof *all * (n + 1));
        if (!na)
            abort();
        all = na;
        td_policy_version *v = &all[n++];
        memset(v, 0, sizeof *v);
        td_col_copy(st, 0, v->id, sizeof v->id);
        td_col_copy(st, 1, v->kind, sizeof v->kind);
        td_col_copy(st, 2, v->name, sizeof v->name);
        td_col_copy(st, 3, v->sha256, sizeof v->sha256);
        td_col_copy(st, 4, v->loaded_by, sizeof v->loaded_by);
        td_col_copy(st, 5, v->created_at, sizeof v->created_at);
        td_col_copy(st, 6, v->updated_at, sizeof v->updated_at);
        v->current = sqlite3_column_int(st, 7) != 0;
    }
    sqlite3_reset(st);
    td_status s = rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("reading policy versions"), err);
    for (size_t i = 0; i < n && !s; i++)
        if (cb(&all[i], ud))
            break;
    free(all);
    return s;
}

td_status td_department_name(td_db *db, const char *id, char *buf, size_t len, td_err *err)
{
    sqlite3_stmt *st =
        td_db_prepare(db, "SELECT name FROM departments WHERE id = ? AND deleted_at IS NULL", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        td_col_copy(st, 0, buf, len);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("reading the service catalogue"), err);
    if (len)
        buf[0] = '\0';
    return td_err_set(err, TD_ENOTFOUND, _("No such department: %s"), id ? id : "");
}

void td_category_name(td_db *db, const char *id, char *buf, size_t len)
{
    snprintf(buf, len, "%s", id ? id : "");
    if (!id || !*id)
        return;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT name FROM talent_categories WHERE id = ?", NULL);
    if (!st)
        return;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, buf, len);
    sqlite3_reset(st);
}
