/* rules.c — rule set loader and validator, policy_versions records, and
 * the local average wage table.  See rules.h and docs/scoring.md. */
#include "rules.h"
#include "base/actor.h"
#include "base/audit.h"
#include "facts.h"
#include "base/i18n.h"
#include "base/paths.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROW(arr, n, what)                                                                         \
    do {                                                                                           \
        void *p__ = realloc((arr), ((n) + 1) * sizeof *(arr));                                     \
        if (!p__)                                                                                  \
            abort();                                                                               \
        (arr) = p__;                                                                               \
        memset(&(arr)[(n)], 0, sizeof *(arr));                                                     \
        (void)(what);                                                                              \
    } while (0)

void td_ruleset_free(td_ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->nitems; i++)
        free(rs->items[i].conds);
    for (size_t i = 0; i < rs->nfactors; i++) {
        free(rs->factors[i].bands);
        free(rs->factors[i].matches);
    }
    free(rs->items);
    free(rs->factors);
    free(rs->groups);
    free(rs->tiers);
    free(rs->content);
    free(rs);
}

const td_tier *td_ruleset_tier(const td_ruleset *rs, const char *id)
{
    for (size_t i = 0; id && i < rs->ntiers; i++)
        if (strcmp(rs->tiers[i].id, id) == 0)
            return &rs->tiers[i];
    return NULL;
}

const td_factor *td_ruleset_factor(const td_ruleset *rs, const char *id)
{
    for (size_t i = 0; id && i < rs->nfactors; i++)
        if (strcmp(rs->factors[i].id, id) == 0)
            return &rs->factors[i];
    return NULL;
}

const td_group *td_ruleset_group(const td_ruleset *rs, const char *id)
{
    for (size_t i = 0; id && i < rs->ngroups; i++)
        if (strcmp(rs->groups[i].id, id) == 0)
            return &rs->groups[i];
    return NULL;
}

bool td_ruleset_in_force(const td_ruleset *rs, td_date as_of)
{
    td_date a;
    if (td_date_parse(rs->effective_from, &a) && td_date_cmp(as_of, a) < 0)
        return false;
    if (rs->effective_to[0] && td_date_parse(rs->effective_to, &a) && td_date_cmp(as_of, a) > 0)
        return false;
    return true;
}

/* ---- small parsers ------------------------------------------------------ */

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Strict integer (optional '-'); advances *s past it. */
static bool read_ll(const char **s, long long *out)
{
    const char *p = skip_ws(*s);
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (*p < '0' || *p > '9')
        return false;
    long long v = 0;
    while (*p >= '0' && *p <= '9') {
        if (v > (LLONG_MAX - 9) / 10)
            return false;
        v = v * 10 + (*p - '0');
        p++;
    }
    *out = neg ? -v : v;
    *s = p;
    return true;
}

static bool parse_small_int(const char *s, int *out)
{
    long long v;
    if (!s || !read_ll(&s, &v) || *skip_ws(s) || v < INT_MIN / 2 || v > INT_MAX / 2)
        return false;
    *out = (int)v;
    return true;
}

static void copy_trim(char *dst, size_t len, const char *s)
{
    s = skip_ws(s);
    snprintf(dst, len, "%s", s);
    size_t l = strlen(dst);
    while (l && (dst[l - 1] == ' ' || dst[l - 1] == '\t'))
        dst[--l] = 0;
}

static bool list_has(const char *list, const char *v)
{
    size_t vl = strlen(v);
    for (const char *p = list; *p;) {
        p = skip_ws(p);
        const char *e = strchr(p, ',');
        if (!e)
            e = p + strlen(p);
        const char *t = e;
        while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if ((size_t)(t - p) == vl && strncmp(p, v, vl) == 0)
            return true;
        p = *e ? e + 1 : e;
    }
    return false;
}

/* "[lo,hi) POINTS label" */
static bool parse_band(const char *s, td_band *b)
{
    s = skip_ws(s);
    if (*s != '[' && *s != '(')
        return false;
    b->lo_incl = *s == '[';
    s++;
    s = skip_ws(s);
    if (*s == ',') {
        b->lo_inf = true;
    } else if (!read_ll(&s, &b->lo)) {
        return false;
    }
    s = skip_ws(s);
    if (*s != ',')
        return false;
    s = skip_ws(s + 1);
    if (*s == ']' || *s == ')') {
        b->hi_inf = true;
    } else if (!read_ll(&s, &b->hi)) {
        return false;
    }
    s = skip_ws(s);
    if (*s != ']' && *s != ')')
        return false;
    b->hi_incl = *s == ']';
    s++;
    long long pts;
    if (*s != ' ' && *s != '\t')
        return false;
    if (!read_ll(&s, &pts) || pts < 0 || pts > 100000)
        return false;
    b->points = (int)pts;
    if (*s && *s != ' ' && *s != '\t')
        return false;
    copy_trim(b->label, sizeof b->label, s);
    return true;
}

/* The closed integer range a band covers. */
static void band_range(const td_band *b, long long *lo, long long *hi)
{
    *lo = b->lo_inf ? LLONG_MIN : (b->lo_incl ? b->lo : b->lo + 1);
    *hi = b->hi_inf ? LLONG_MAX : (b->hi_incl ? b->hi : b->hi - 1);
}

static int band_cmp(const void *x, const void *y)
{
    long long a, b, h;
    band_range(x, &a, &h);
    band_range(y, &b, &h);
    return a < b ? -1 : a > b;
}

/* "FACT=V1,V2 POINTS label" */
static bool parse_match(const char *s, td_match *m)
{
    s = skip_ws(s);
    const char *eq = strchr(s, '=');
    if (!eq || eq == s || (size_t)(eq - s) >= sizeof m->fact)
        return false;
    size_t fl = (size_t)(eq - s);
    while (fl && (s[fl - 1] == ' ' || s[fl - 1] == '\t'))
        fl--;
    memcpy(m->fact, s, fl);
    m->fact[fl] = 0;
    const char *v = eq + 1;
    const char *sp = v;
    while (*sp && *sp != ' ' && *sp != '\t')
        sp++;
    if (sp == v || (size_t)(sp - v) >= sizeof m->values)
        return false;
    memcpy(m->values, v, (size_t)(sp - v));
    m->values[sp - v] = 0;
    long long pts;
    if (!read_ll(&sp, &pts) || pts < 0 || pts > 100000)
        return false;
    m->points = (int)pts;
    if (*sp && *sp != ' ' && *sp != '\t')
        return false;
    copy_trim(m->label, sizeof m->label, sp);
    return true;
}

bool td_cond_parse(const char *s, td_cond *c)
{
    copy_trim(c->text, sizeof c->text, s);
    s = skip_ws(s);
    const char *e = s;
    while (*e && *e != ' ' && *e != '\t' && *e != '=' && *e != '<' && *e != '>')
        e++;
    if (e == s || (size_t)(e - s) >= sizeof c->input)
        return false;
    memcpy(c->input, s, (size_t)(e - s));
    c->input[e - s] = 0;
    s = skip_ws(e);
    if (strncmp(s, ">=", 2) == 0) {
        c->op = TD_OP_GE;
        s += 2;
    } else if (strncmp(s, "<=", 2) == 0) {
        c->op = TD_OP_LE;
        s += 2;
    } else if (*s == '>') {
        c->op = TD_OP_GT;
        s++;
    } else if (*s == '<') {
        c->op = TD_OP_LT;
        s++;
    } else if (*s == '=') {
        c->op = TD_OP_EQ;
        s++;
    } else if (strncmp(s, "in", 2) == 0 && (s[2] == ' ' || s[2] == '\t')) {
        c->op = TD_OP_IN;
        s += 2;
    } else {
        return false;
    }
    s = skip_ws(s);
    if (!*s)
        return false;
    if (c->op == TD_OP_EQ || c->op == TD_OP_IN) {
        if (*s == '=' || *s == '<' || *s == '>')
            return false; /* "=>", "==": not an operator here */
        copy_trim(c->values, sizeof c->values, s);
        return true;
    }
    if (strncmp(s, "wage*", 5) == 0) {
        s += 5;
        long long whole;
        if (!read_ll(&s, &whole) || whole < 0 || whole > 1000)
            return false;
        int frac = 0;
        if (*s == '.') {
            s++;
            int digits = 0;
            while (*s >= '0' && *s <= '9' && digits < 2) {
                frac = frac * 10 + (*s - '0');
                s++;
                digits++;
            }
            if (digits == 1)
                frac *= 10;
        }
        c->wage_x100 = (int)whole * 100 + frac;
        return *skip_ws(s) == 0 && c->wage_x100 > 0;
    }
    return read_ll(&s, &c->num) && *skip_ws(s) == 0;
}

/* ---- validation --------------------------------------------------------- */

static const char *const ruleset_keys[] = { "title", "basis", "effective_from", "effective_to",
                                            "sample", "wage_region", "note", NULL };
static const char *const tier_keys[] = { "name", "rank", "min_points", "note", NULL };
static const char *const cat_keys[] = { "title", "tier", "when", "basis", "note", NULL };
static const char *const factor_keys[] = { "title", "cap", "aggregate", "input", "band", "match",
                                           "note", NULL };
static const char *const group_keys[] = { "title", "cap", "factors", "note", NULL };

/* The required key `key` of sec, or an error naming the section's line. */
static td_status need(const td_pf *pf, const td_pf_section *sec, const char *key, const char **out,
                      td_err *err)
{
    const char *v = td_pf_get(sec, key);
    if (!v || !*v)
        return td_pf_error(pf, sec->line, err, _("[%s %s]: missing field '%s'"), sec->type, sec->id,
                           key);
    *out = v;
    return TD_OK;
}

static td_status check_match_values(const td_pf *pf, int line, const char *fact, const char *values,
                                    td_err *err)
{
    const td_fact_def *def = td_fact_def_find(fact);
    if (!def)
        return td_pf_error(pf, line, err, _("unknown fact '%s'"), fact);
    if (def->type != TD_FT_ENUM && def->type != TD_FT_BOOL && def->type != TD_FT_TEXT)
        return td_pf_error(pf, line, err,
                           _("fact '%s' is not a code: compare it with a band or >=, <"), fact);
    if (def->type == TD_FT_TEXT)
        return TD_OK;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", values);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char item[128];
        copy_trim(item, sizeof item, t);
        bool ok = def->type == TD_FT_BOOL ? strcmp(item, "yes") == 0 : list_has(def->values, item);
        if (!ok)
            return td_pf_error(pf, line, err, _("fact '%s' has no value '%s'"), fact, item);
    }
    return TD_OK;
}

td_status td_cond_check(const td_pf *pf, int line, const td_cond *c, bool wage_ok, td_err *err)
{
    if (c->op == TD_OP_EQ || c->op == TD_OP_IN)
        return check_match_values(pf, line, c->input, c->values, err);
    if (!td_input_known(c->input))
        return td_pf_error(pf, line, err, _("unknown input '%s'"), c->input);
    if (c->wage_x100 && !wage_ok)
        return td_pf_error(pf, line, err, _("a wage multiple needs 'wage_region' in [ruleset]"));
    return TD_OK;
}

static td_status parse_ruleset_sec(const td_pf *pf, const td_pf_section *sec, td_ruleset *rs,
                                   td_err *err)
{
    td_status s;
    const char *v;
    if ((s = td_pf_check_keys(pf, sec, ruleset_keys, err)))
        return s;
    char base[256];
    snprintf(base, sizeof base, "%s", pf->name);
    char *dot = strrchr(base, '.');
    if (dot && strcmp(dot, ".tdp") == 0)
        *dot = 0;
    if (!sec->id[0] || strlen(sec->id) >= sizeof rs->id)
        return td_pf_error(pf, sec->line, err, _("[ruleset] needs an id"));
    if (strcmp(sec->id, base) != 0)
        return td_pf_error(pf, sec->line, err,
                           _("rule set id '%s' must match the file name (%s.tdp)"), sec->id, sec->id);
    snprintf(rs->id, sizeof rs->id, "%s", sec->id);
    if ((s = need(pf, sec, "title", &v, err)))
        return s;
    snprintf(rs->title, sizeof rs->title, "%s", v);
    if ((s = need(pf, sec, "basis", &v, err)))
        return s;
    snprintf(rs->basis, sizeof rs->basis, "%s", v);
    if ((s = need(pf, sec, "effective_from", &v, err)))
        return s;
    td_date d, d2;
    if (!td_date_parse(v, &d))
        return td_pf_error(pf, td_pf_find(sec, "effective_from")->line, err, _("'%s' is not a date"),
                           v);
    td_date_format(d, rs->effective_from);
    if ((v = td_pf_get(sec, "effective_to")) && *v) {
        if (!td_date_parse(v, &d2) || td_date_cmp(d2, d) < 0)
            return td_pf_error(pf, td_pf_find(sec, "effective_to")->line, err,
                               _("effective_to '%s' is not a date on or after effective_from"), v);
        td_date_format(d2, rs->effective_to);
    }
    if ((s = need(pf, sec, "sample", &v, err)))
        return s;
    if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
        return td_pf_error(pf, td_pf_find(sec, "sample")->line, err, _("sample must be yes or no"));
    rs->sample = strcmp(v, "yes") == 0;
    if ((v = td_pf_get(sec, "wage_region")))
        snprintf(rs->wage_region, sizeof rs->wage_region, "%s", v);
    if ((v = td_pf_get(sec, "note")))
        snprintf(rs->note, sizeof rs->note, "%s", v);
    return TD_OK;
}

static td_status dup_id(const td_pf *pf, const td_pf_section *sec, bool dup, td_err *err)
{
    if (!sec->id[0])
        return td_pf_error(pf, sec->line, err, _("[%s] needs an id"), sec->type);
    if (dup)
        return td_pf_error(pf, sec->line, err, _("[%s %s] is defined twice"), sec->type, sec->id);
    return TD_OK;
}

static td_status parse_tier(const td_pf *pf, const td_pf_section *sec, td_ruleset *rs, td_err *err)
{
    td_status s;
    const char *v;
    if ((s = td_pf_check_keys(pf, sec, tier_keys, err)) ||
        (s = dup_id(pf, sec, td_ruleset_tier(rs, sec->id) != NULL, err)))
        return s;
    if (strlen(sec->id) >= sizeof rs->tiers[0].id)
        return td_pf_error(pf, sec->line, err, _("tier id '%s' is too long"), sec->id);
    GROW(rs->tiers, rs->ntiers, 0);
    td_tier *t = &rs->tiers[rs->ntiers];
    snprintf(t->id, sizeof t->id, "%s", sec->id);
    t->line = sec->line;
    if ((s = need(pf, sec, "name", &v, err)))
        return s;
    snprintf(t->name, sizeof t->name, "%s", v);
    if ((s = need(pf, sec, "rank", &v, err)))
        return s;
    if (!parse_small_int(v, &t->rank) || t->rank < 1)
        return td_pf_error(pf, td_pf_find(sec, "rank")->line, err, _("rank must be a whole number >= 1"));
    for (size_t i = 0; i < rs->ntiers; i++)
        if (rs->tiers[i].rank == t->rank)
            return td_pf_error(pf, td_pf_find(sec, "rank")->line, err,
                               _("rank %d is used by tier '%s' too"), t->rank, rs->tiers[i].id);
    if ((v = td_pf_get(sec, "min_points"))) {
        if (!parse_small_int(v, &t->min_points) || t->min_points < 0)
            return td_pf_error(pf, td_pf_find(sec, "min_points")->line, err,
                               _("min_points must be a whole number >= 0"));
        t->has_min = true;
    }
    rs->ntiers++;
    return TD_OK;
}

static td_status parse_factor(const td_pf *pf, const td_pf_section *sec, td_ruleset *rs, td_err *err)
{
    td_status s;
    const char *v;
    if ((s = td_pf_check_keys(pf, sec, factor_keys, err)) ||
        (s = dup_id(pf, sec, td_ruleset_factor(rs, sec->id) != NULL, err)))
        return s;
    if (strlen(sec->id) >= sizeof rs->factors[0].id)
        return td_pf_error(pf, sec->line, err, _("factor id '%s' is too long"), sec->id);
    GROW(rs->factors, rs->nfactors, 0);
    td_factor *f = &rs->factors[rs->nfactors++];
    snprintf(f->id, sizeof f->id, "%s", sec->id);
    f->line = sec->line;
    if ((s = need(pf, sec, "title", &v, err)))
        return s;
    snprintf(f->title, sizeof f->title, "%s", v);
    if ((s = need(pf, sec, "cap", &v, err)))
        return s;
    if (!parse_small_int(v, &f->cap) || f->cap < 0)
        return td_pf_error(pf, td_pf_find(sec, "cap")->line, err, _("cap must be a whole number >= 0"));
    if ((s = need(pf, sec, "aggregate", &v, err)))
        return s;
    if (strcmp(v, "max") != 0 && strcmp(v, "sum") != 0)
        return td_pf_error(pf, td_pf_find(sec, "aggregate")->line, err,
                           _("aggregate '%s' must be 'sum' or 'max'"), v);
    f->agg_max = strcmp(v, "max") == 0;
    if ((v = td_pf_get(sec, "input"))) {
        if (!td_input_known(v) || strlen(v) >= sizeof f->input)
            return td_pf_error(pf, td_pf_find(sec, "input")->line, err,
                               _("unknown input '%s' (a number fact, age, experience_years, "
                                 "years_in_china, years_in_chongqing or count:FACT)"),
                               v);
        snprintf(f->input, sizeof f->input, "%s", v);
    }
    for (size_t i = 0; i < sec->n; i++) {
        const td_pf_entry *e = &sec->entries[i];
        if (strcmp(e->key, "band") == 0) {
            if (!f->input[0])
                return td_pf_error(pf, e->line, err, _("a band needs the factor's 'input'"));
            td_band b;
            memset(&b, 0, sizeof b);
            if (!parse_band(e->value, &b))
                return td_pf_error(pf, e->line, err,
                                   _("band '%s' is not of the form [LOW,HIGH) POINTS label"), e->value);
            b.line = e->line;
            long long lo, hi;
            band_range(&b, &lo, &hi);
            if (lo > hi)
                return td_pf_error(pf, e->line, err, _("band '%s' is empty"), e->value);
            if (b.points > f->cap)
                return td_pf_error(pf, e->line, err, _("band gives %d points, more than the cap %d"),
                                   b.points, f->cap);
            GROW(f->bands, f->nb, 0);
            f->bands[f->nb++] = b;
        } else if (strcmp(e->key, "match") == 0) {
            td_match m;
            memset(&m, 0, sizeof m);
            if (!parse_match(e->value, &m))
                return td_pf_error(pf, e->line, err,
                                   _("match '%s' is not of the form FACT=V1,V2 POINTS label"), e->value);
            m.line = e->line;
            if ((s = check_match_values(pf, e->line, m.fact, m.values, err)))
                return s;
            if (m.points > f->cap)
                return td_pf_error(pf, e->line, err, _("match gives %d points, more than the cap %d"),
                                   m.points, f->cap);
            GROW(f->matches, f->nm, 0);
            f->matches[f->nm++] = m;
        }
    }
    if (f->input[0] && f->nb == 0)
        return td_pf_error(pf, td_pf_find(sec, "input")->line, err,
                           _("factor '%s' has an input but no band"), f->id);
    if (f->nb == 0 && f->nm == 0)
        return td_pf_error(pf, sec->line, err, _("factor '%s' has no band and no match"), f->id);
    /* Bands: no overlaps, no gaps between the lowest and the highest. */
    if (f->nb > 1) {
        td_band *sorted = malloc(f->nb * sizeof *sorted);
        if (!sorted)
            abort();
        memcpy(sorted, f->bands, f->nb * sizeof *sorted);
        qsort(sorted, f->nb, sizeof *sorted, band_cmp);
        for (size_t i = 1; i < f->nb; i++) {
            long long plo, phi, lo, hi;
            band_range(&sorted[i - 1], &plo, &phi);
            band_range(&sorted[i], &lo, &hi);
            int line = sorted[i].line > sorted[i - 1].line ? sorted[i].line : sorted[i - 1].line;
            int other = sorted[i].line == line ? sorted[i - 1].line : sorted[i].line;
            if (phi == LLONG_MAX || lo <= phi) {
                free(sorted);
                return td_pf_error(pf, line, err, _("band overlaps the band on line %d"), other);
            }
            if (lo > phi + 1) {
                free(sorted);
                return td_pf_error(pf, line, err,
                                   _("gap between bands: values %lld to %lld are in no band (see line %d)"),
                                   phi + 1, lo - 1, other);
            }
        }
        free(sorted);
    }
    return TD_OK;
}

static td_status parse_catalogue(const td_pf *pf, const td_pf_section *sec, td_ruleset *rs,
                                 td_err *err)
{
    td_status s;
    const char *v;
    bool dup = false;
    for (size_t i = 0; i < rs->nitems; i++)
        dup |= strcmp(rs->items[i].id, sec->id) == 0;
    if ((s = td_pf_check_keys(pf, sec, cat_keys, err)) || (s = dup_id(pf, sec, dup, err)))
        return s;
    if (strlen(sec->id) >= sizeof rs->items[0].id)
        return td_pf_error(pf, sec->line, err, _("catalogue id '%s' is too long"), sec->id);
    GROW(rs->items, rs->nitems, 0);
    td_cat_item *it = &rs->items[rs->nitems++];
    snprintf(it->id, sizeof it->id, "%s", sec->id);
    it->line = sec->line;
    if ((s = need(pf, sec, "title", &v, err)))
        return s;
    snprintf(it->title, sizeof it->title, "%s", v);
    if ((s = need(pf, sec, "tier", &v, err)))
        return s;
    snprintf(it->tier, sizeof it->tier, "%s", v);
    it->tier_line = td_pf_find(sec, "tier")->line;
    if ((v = td_pf_get(sec, "basis")))
        snprintf(it->basis, sizeof it->basis, "%s", v);
    if ((s = need(pf, sec, "when", &v, err)))
        return s;
    for (size_t i = 0; i < sec->n; i++) {
        const td_pf_entry *e = &sec->entries[i];
        if (strcmp(e->key, "when") != 0)
            continue;
        td_cond c;
        memset(&c, 0, sizeof c);
        if (!td_cond_parse(e->value, &c))
            return td_pf_error(pf, e->line, err,
                               _("condition '%s' is not of the form INPUT OP VALUE (=, in, >=, >, <=, <)"),
                               e->value);
        c.line = e->line;
        if ((s = td_cond_check(pf, e->line, &c, rs->wage_region[0] != 0, err)))
            return s;
        GROW(it->conds, it->nc, 0);
        it->conds[it->nc++] = c;
    }
    return TD_OK;
}

static td_status parse_group(const td_pf *pf, const td_pf_section *sec, td_ruleset *rs, td_err *err)
{
    td_status s;
    const char *v;
    if ((s = td_pf_check_keys(pf, sec, group_keys, err)) ||
        (s = dup_id(pf, sec, td_ruleset_group(rs, sec->id) != NULL, err)))
        return s;
    if (strlen(sec->id) >= sizeof rs->groups[0].id)
        return td_pf_error(pf, sec->line, err, _("group id '%s' is too long"), sec->id);
    GROW(rs->groups, rs->ngroups, 0);
    td_group *g = &rs->groups[rs->ngroups++];
    snprintf(g->id, sizeof g->id, "%s", sec->id);
    g->line = sec->line;
    if ((s = need(pf, sec, "title", &v, err)))
        return s;
    snprintf(g->title, sizeof g->title, "%s", v);
    if ((s = need(pf, sec, "cap", &v, err)))
        return s;
    if (!parse_small_int(v, &g->cap) || g->cap < 0)
        return td_pf_error(pf, td_pf_find(sec, "cap")->line, err, _("cap must be a whole number >= 0"));
    return need(pf, sec, "factors", &v, err);
}

/* Second pass: group member lists refer to factors defined anywhere. */
static td_status link_groups(const td_pf *pf, td_ruleset *rs, td_err *err)
{
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "group") != 0)
            continue;
        const td_pf_entry *e = td_pf_find(sec, "factors");
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", e->value);
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            char id[64];
            copy_trim(id, sizeof id, t);
            td_factor *f = (td_factor *)td_ruleset_factor(rs, id);
            if (!f)
                return td_pf_error(pf, e->line, err, _("unknown factor '%s'"), id);
            if (f->group[0])
                return td_pf_error(pf, e->line, err, _("factor '%s' is already in group '%s'"), id,
                                   f->group);
            snprintf(f->group, sizeof f->group, "%s", sec->id);
        }
    }
    return TD_OK;
}

td_status td_ruleset_from_pf(const td_pf *pf, td_ruleset **out, td_err *err)
{
    *out = NULL;
    td_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs)
        abort();
    td_status s = TD_OK;
    int nrule = 0;
    for (size_t i = 0; i < pf->n && !s; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "ruleset") == 0) {
            if (nrule++)
                s = td_pf_error(pf, sec->line, err, _("only one [ruleset] section per file"));
            else
                s = parse_ruleset_sec(pf, sec, rs, err);
        } else if (strcmp(sec->type, "tier") == 0) {
            s = parse_tier(pf, sec, rs, err);
        } else if (strcmp(sec->type, "factor") == 0) {
            s = parse_factor(pf, sec, rs, err);
        } else if (strcmp(sec->type, "group") == 0) {
            s = parse_group(pf, sec, rs, err);
        } else if (strcmp(sec->type, "catalogue") == 0) {
            s = parse_catalogue(pf, sec, rs, err);
        } else {
            s = td_pf_error(pf, sec->line, err,
                            _("unknown section [%s] (ruleset, tier, catalogue, factor, group)"),
                            sec->type);
        }
    }
    if (!s && nrule == 0)
        s = td_pf_error(pf, 1, err, _("no [ruleset] section"));
    if (!s && rs->ntiers == 0)
        s = td_pf_error(pf, 1, err, _("no [tier] section"));
    if (!s)
        s = link_groups(pf, rs, err);
    /* Catalogue tiers exist; point thresholds fall as the rank falls. */
    for (size_t i = 0; !s && i < rs->nitems; i++)
        if (!td_ruleset_tier(rs, rs->items[i].tier))
            s = td_pf_error(pf, rs->items[i].tier_line, err,
                            _("catalogue item '%s': unknown tier '%s'"), rs->items[i].id,
                            rs->items[i].tier);
    for (size_t i = 0; !s && i < rs->ntiers; i++)
        for (size_t j = 0; !s && j < rs->ntiers; j++) {
            const td_tier *a = &rs->tiers[i], *b = &rs->tiers[j];
            if (a->has_min && b->has_min && a->rank < b->rank && a->min_points <= b->min_points)
                s = td_pf_error(pf, a->line > b->line ? a->line : b->line, err,
                                _("tier '%s' ranks above '%s' but needs no more points (%d <= %d)"),
                                a->id, b->id, a->min_points, b->min_points);
        }
    if (s) {
        td_ruleset_free(rs);
        return s;
    }
    /* Maximum points: factor caps, group caps applied. */
    int max = 0;
    for (size_t i = 0; i < rs->nfactors; i++)
        if (!rs->factors[i].group[0])
            max += rs->factors[i].cap;
    for (size_t g = 0; g < rs->ngroups; g++) {
        int sum = 0;
        for (size_t i = 0; i < rs->nfactors; i++)
            if (strcmp(rs->factors[i].group, rs->groups[g].id) == 0)
                sum += rs->factors[i].cap;
        max += sum < rs->groups[g].cap ? sum : rs->groups[g].cap;
    }
    rs->max_points = max;
    snprintf(rs->file, sizeof rs->file, "%s", pf->name);
    snprintf(rs->sha256, sizeof rs->sha256, "%s", pf->sha256);
    rs->content = strdup(pf->content ? pf->content : "");
    if (!rs->content)
        abort();
    *out = rs;
    return TD_OK;
}

td_status td_ruleset_load_file(const char *path, td_ruleset **out, td_err *err)
{
    td_pf *pf = NULL;
    *out = NULL;
    td_status s = td_pf_load(path, &pf, err);
    if (s)
        return s;
    s = td_ruleset_from_pf(pf, out, err);
    td_pf_free(pf);
    return s;
}

/* ---- directories and the database -------------------------------------- */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted *.tdp names in dir (caller frees each and the array). */
static td_status list_tdp(const char *dir, char ***names, size_t *n, td_err *err)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return td_err_set(err, TD_EIO, _("cannot open the directory %s"), dir);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".tdp") != 0 || e->d_name[0] == '.')
            continue;
        char **nn = realloc(*names, (*n + 1) * sizeof *nn);
        if (!nn)
            abort();
        *names = nn;
        (*names)[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(*names, *n, sizeof **names, name_cmp);
    return TD_OK;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Parses every file; on success *sets holds n rule sets. */
static td_status load_all(const char *dir_in, td_ruleset ***sets, size_t *n, td_err *err)
{
    char **names;
    size_t nn;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/rules", dir_in);
    DIR *probe = opendir(dir);
    if (probe)
        closedir(probe);
    else
        snprintf(dir, sizeof dir, "%s", dir_in);
    td_status s = list_tdp(dir, &names, &nn, err);
    if (s)
        return s;
    td_ruleset **v = calloc(nn + 1, sizeof *v);
    if (!v)
        abort();
    for (size_t i = 0; i < nn && !s; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        s = td_ruleset_load_file(path, &v[i], err);
    }
    free_names(names, nn);
    if (s) {
        for (size_t i = 0; i < nn; i++)
            td_ruleset_free(v[i]);
        free(v);
        return s;
    }
    *sets = v;
    *n = nn;
    return TD_OK;
}

td_status td_rules_check_dir(const char *dir, int *checked, td_err *err)
{
    td_ruleset **v;
    size_t n;
    td_status s = load_all(dir, &v, &n, err);
    if (s)
        return s;
    for (size_t i = 0; i < n; i++)
        td_ruleset_free(v[i]);
    free(v);
    if (checked)
        *checked = (int)n;
    return TD_OK;
}

td_status td_rules_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err)
{
    td_ruleset **v;
    size_t n;
    td_status s = load_all(dir, &v, &n, err);
    if (s)
        return s;
    if ((s = td_db_begin(db, err)))
        goto out;
    for (size_t i = 0; i < n && !s; i++) {
        sqlite3_stmt *st = td_db_prepare(
            db, "SELECT 1 FROM policy_versions WHERE kind = 'rules' AND name = ? AND sha256 = ?", err);
        if (!st) {
            s = TD_EDB;
            break;
        }
        td_bind_text(st, 1, v[i]->file);
        td_bind_text(st, 2, v[i]->sha256);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_ROW)
            continue;
        char id[TD_UUID_LEN], now[TD_TS_LEN];
        td_uuid7(id);
        td_now_utc(now);
        st = td_db_prepare(db,
                           "INSERT INTO policy_versions (id, kind, name, sha256, content, loaded_by,"
                           " created_at, updated_at) VALUES (?, 'rules', ?, ?, ?, ?, ?, ?)",
                           err);
        if (!st) {
            s = TD_EDB;
            break;
        }
        td_bind_text(st, 1, id);
        td_bind_text(st, 2, v[i]->file);
        td_bind_text(st, 3, v[i]->sha256);
        td_bind_text(st, 4, v[i]->content);
        td_bind_text(st, 5, user_id);
        td_bind_text(st, 6, now);
        td_bind_text(st, 7, now);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(db, _("recording the rule set"), err);
            break;
        }
        /* Audited like the reference data (once the database has a station). */
        char station[TD_UUID_LEN];
        if (td_db_setting_get(db, "local_station", station, sizeof station)) {
            td_actor by;
            memset(&by, 0, sizeof by);
            if (user_id)
                snprintf(by.user_id, sizeof by.user_id, "%s", user_id);
            s = td_audit(db, &by, NULL, "policy.load", "policy_versions", id, v[i]->file, NULL,
                         v[i]->sha256, NULL, err);
        }
    }
    if (s)
        td_db_rollback(db);
    else
        s = td_db_commit(db, err);
out:
    for (size_t i = 0; i < n; i++)
        td_ruleset_free(v[i]);
    free(v);
    return s;
}

static bool safe_id(const char *id)
{
    if (!id || !*id || strlen(id) > 60 || strstr(id, ".."))
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    return true;
}

td_status td_rules_get(td_db *db, const char *id, const char *sha256, td_ruleset **out,
                       td_err *err)
{
    *out = NULL;
    if (!safe_id(id))
        return td_err_set(err, TD_ENOTFOUND, _("no such rule set: %s"), id ? id : "");
    char name[128];
    snprintf(name, sizeof name, "%s.tdp", id);
    if (db) {
        sqlite3_stmt *st = td_db_prepare(
            db,
            "SELECT id, content FROM policy_versions WHERE kind = 'rules' AND name = ?1 AND"
            " (?2 IS NULL OR sha256 = ?2) AND deleted_at IS NULL ORDER BY created_at DESC, id DESC"
            " LIMIT 1",
            err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, name);
        td_bind_text(st, 2, sha256);
        if (sqlite3_step(st) == SQLITE_ROW) {
            char pv[TD_UUID_LEN];
            td_col_copy(st, 0, pv, sizeof pv);
            const char *text = (const char *)sqlite3_column_text(st, 1);
            int len = sqlite3_column_bytes(st, 1);
            td_pf *pf = NULL;
            td_status s = td_pf_parse(name, text ? text : "", (size_t)len, &pf, err);
            sqlite3_reset(st);
            if (s)
                return s;
            s = td_ruleset_from_pf(pf, out, err);
            td_pf_free(pf);
            if (!s)
                snprintf((*out)->policy_version, sizeof (*out)->policy_version, "%s", pv);
            return s;
        }
        sqlite3_reset(st);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/rules/%s", td_data_dir(), name);
    td_status s = td_ruleset_load_file(path, out, err);
    if (s == TD_EIO)
        return td_err_set(err, TD_ENOTFOUND, _("no such rule set: %s"), id);
    if (!s && sha256 && strcmp((*out)->sha256, sha256) != 0) {
        td_ruleset_free(*out);
        *out = NULL;
        return td_err_set(err, TD_ENOTFOUND,
                          _("rule set %s version %.12s is not stored in this database"), id, sha256);
    }
    return s;
}

td_status td_rules_list(td_db *db, int (*cb)(const td_ruleset_info *ri, void *ud), void *ud,
                        td_err *err)
{
    char **seen = NULL;
    size_t nseen = 0;
    td_status s = TD_OK;
    int stop = 0;
    if (db) {
        sqlite3_stmt *st = td_db_prepare(
            db,
            "SELECT DISTINCT name FROM policy_versions WHERE kind = 'rules' AND deleted_at IS NULL"
            " ORDER BY name",
            err);
        if (!st)
            return TD_EDB;
        while (sqlite3_step(st) == SQLITE_ROW) {
            char **nn = realloc(seen, (nseen + 1) * sizeof *nn);
            if (!nn)
                abort();
            seen = nn;
            seen[nseen++] = strdup((const char *)sqlite3_column_text(st, 0));
        }
        sqlite3_reset(st);
    }
    size_t ndb = nseen;
    char **files = NULL;
    size_t nfiles = 0;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/rules", td_data_dir());
    td_err ignore;
    if (list_tdp(dir, &files, &nfiles, &ignore) != TD_OK)
        nfiles = 0;
    for (size_t i = 0; i < ndb + nfiles && !stop; i++) {
        const char *name = i < ndb ? seen[i] : files[i - ndb];
        if (i >= ndb) {
            bool dup = false;
            for (size_t j = 0; j < ndb; j++)
                dup |= strcmp(seen[j], name) == 0;
            if (dup)
                continue;
        }
        char id[128];
        snprintf(id, sizeof id, "%s", name);
        char *dot = strrchr(id, '.');
        if (dot)
            *dot = 0;
        td_ruleset *rs = NULL;
        if (td_rules_get(i < ndb ? db : NULL, id, NULL, &rs, &ignore) != TD_OK)
            continue;
        td_ruleset_info ri;
        memset(&ri, 0, sizeof ri);
        snprintf(ri.id, sizeof ri.id, "%s", rs->id);
        snprintf(ri.title, sizeof ri.title, "%s", rs->title);
        snprintf(ri.effective_from, sizeof ri.effective_from, "%s", rs->effective_from);
        snprintf(ri.effective_to, sizeof ri.effective_to, "%s", rs->effective_to);
        ri.sample = rs->sample;
        snprintf(ri.sha256, sizeof ri.sha256, "%s", rs->sha256);
        snprintf(ri.origin, sizeof ri.origin, "%s", i < ndb ? "database" : "file");
        td_ruleset_free(rs);
        stop = cb(&ri, ud);
    }
    free_names(seen, nseen);
    if (files)
        free_names(files, nfiles);
    return s;
}

void td_rules_default(td_db *db, char *buf, size_t len)
{
    if (db && td_db_setting_get(db, "scoring.default_rules", buf, len) && buf[0])
        return;
    snprintf(buf, len, "cq-recognition-sample");
}

/* ---- wage table --------------------------------------------------------- */

static const char *const wage_keys[] = { "region", "annual_yuan", "effective_from", "source",
                                         "sample", "note", NULL };

td_status td_wage_lookup(const char *path, const char *region, td_date as_of, td_wage *out,
                         td_err *err)
{
    char buf[4096];
    if (!path) {
        snprintf(buf, sizeof buf, "%s/wage.tdp", td_data_dir());
        path = buf;
    }
    td_pf *pf = NULL;
    td_status s = td_pf_load(path, &pf, err);
    if (s)
        return s;
    bool found = false;
    td_date best = { 0, 0, 0 };
    for (size_t i = 0; i < pf->n && !s; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "wage") != 0) {
            s = td_pf_error(pf, sec->line, err, _("unknown section [%s] (wage)"), sec->type);
            break;
        }
        if ((s = td_pf_check_keys(pf, sec, wage_keys, err)))
            break;
        const char *r, *a, *f, *src, *smp;
        if ((s = need(pf, sec, "region", &r, err)) || (s = need(pf, sec, "annual_yuan", &a, err)) ||
            (s = need(pf, sec, "effective_from", &f, err)) || (s = need(pf, sec, "source", &src, err)) ||
            (s = need(pf, sec, "sample", &smp, err)))
            break;
        td_date d;
        long long yuan;
        const char *ap = a;
        if (!td_date_parse(f, &d)) {
            s = td_pf_error(pf, td_pf_find(sec, "effective_from")->line, err, _("'%s' is not a date"), f);
            break;
        }
        if (!read_ll(&ap, &yuan) || *skip_ws(ap) || yuan <= 0) {
            s = td_pf_error(pf, td_pf_find(sec, "annual_yuan")->line, err,
                            _("annual_yuan must be a whole number of yuan > 0"));
            break;
        }
        if (strcmp(r, region) != 0 || td_date_cmp(d, as_of) > 0)
            continue;
        if (found && td_date_cmp(d, best) <= 0)
            continue;
        found = true;
        best = d;
        memset(out, 0, sizeof *out);
        snprintf(out->id, sizeof out->id, "%s", sec->id);
        snprintf(out->region, sizeof out->region, "%s", r);
        out->annual_yuan = yuan;
        td_date_format(d, out->effective_from);
        snprintf(out->source, sizeof out->source, "%s", src);
        out->sample = strcmp(smp, "yes") == 0;
    }
    td_pf_free(pf);
    if (s)
        return s;
    if (!found) {
        char ds[TD_DATE_LEN];
        td_date_format(as_of, ds);
        return td_err_set(err, TD_ENOTFOUND, _("no average wage of %s in force on %s (data/wage.tdp)"),
                          region, ds);
    }
    return TD_OK;
}
