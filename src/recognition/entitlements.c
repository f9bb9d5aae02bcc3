/* entitlements.c — 政策匹配 and tech-transfer rewards.  See entitlements.h. */
#include "entitlements.h"
#include "auth/access.h"
#include "base/text.h"
#include "people/idcheck.h"
#include "base/audit.h"
#include "cases/case.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "people/person.h"
#include "policy/policyfile.h"
#include "policy/pversion.h"
#include "rules.h"
#include "score.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ALTS 6
#define MAX_REQS 12

typedef struct req {
    td_cond alt[MAX_ALTS];
    int nalt;
    char text[256];
} req;

typedef struct benefit {
    td_entitlement e;          /* static parts */
    req reqs[MAX_REQS];
    int nreq;
    char tiers[128];
    long long per_contract_fen, per_unit_year_fen;
} benefit;

static const char *const benefit_keys[] = { "title", "source", "amount", "when", "tiers", "note",
                                            "per_contract_max", "per_unit_year_max", "min_years",
                                            "max_years", "min_area_m2", "max_area_m2", "about_area_m2",
                                            NULL };

static bool parse_yuan(const char *s, long long *fen)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    while (*end == ' ')
        end++;
    if (end == s || *end || v < 0 || v > 100000000000LL)
        return false;
    *fen = v * 100;
    return true;
}

static bool in_csv(const char *list, const char *v)
{
    size_t vl = strlen(v);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > p && t[-1] == ' ')
            t--;
        if (vl && (size_t)(t - p) == vl && strncmp(p, v, vl) == 0)
            return true;
        p = e;
    }
    return false;
}

static td_status parse_amount(const td_pf *pf, int line, const char *v, benefit *b, td_err *err)
{
    char w[32] = "";
    long long a = 0, c = 0;
    char of[40] = "";
    int n;
    td_entitlement *e = &b->e;
    if (strcmp(v, "none") == 0) {
        e->kind = TD_AMT_NONE;
        return TD_OK;
    }
    if (sscanf(v, "%31s %lld %n", w, &a, &n) >= 2) {
        const char *rest = v + n;
        if (strcmp(w, "max") == 0 && !*rest && a > 0) {
            e->kind = TD_AMT_MAX;
            e->max_fen = a * 100;
            return TD_OK;
        }
        if (strcmp(w, "range") == 0 && sscanf(rest, "%lld", &c) == 1 && a > 0 && c > a) {
            e->kind = TD_AMT_RANGE;
            e->min_fen = a * 100;
            e->max_fen = c * 100;
            return TD_OK;
        }
        if (strcmp(w, "percent") == 0 && sscanf(rest, "of %39s", of) == 1 && a > 0 && a <= 10000) {
            const td_fact_def *d = td_fact_def_find(of);
            if (!d || d->type != TD_FT_MONEY)
                return td_pf_error(pf, line, err, _("'%s' is not a money fact"), of);
            e->kind = TD_AMT_PERCENT;
            e->bp = (int)a;
            snprintf(e->percent_of, sizeof e->percent_of, "%s", of);
            return TD_OK;
        }
        if (strcmp(w, "reward") == 0 && !*rest && a > 0 && a <= 10000) {
            e->kind = TD_AMT_REWARD;
            e->bp = (int)a;
            return TD_OK;
        }
    }
    return td_pf_error(pf, line, err,
                       _("amount '%s' is not one of: none, max N, range LOW HIGH, percent BP of FACT, "
                         "reward BP"),
                       v);
}

static td_status parse_req(const td_pf *pf, int line, const char *v, req *r, td_err *err)
{
    snprintf(r->text, sizeof r->text, "%s", v);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", v);
    r->nalt = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
        if (r->nalt == MAX_ALTS)
            return td_pf_error(pf, line, err, _("too many alternatives"));
        td_cond *c = &r->alt[r->nalt];
        memset(c, 0, sizeof *c);
        if (!td_cond_parse(t, c))
            return td_pf_error(pf, line, err, _("condition '%s' is not of the form INPUT OP VALUE"), t);
        td_status s = td_cond_check(pf, line, c, false, err);
        if (s)
            return s;
        c->line = line;
        r->nalt++;
    }
    if (r->nalt == 0)
        return td_pf_error(pf, line, err, _("empty condition"));
    return TD_OK;
}

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

/* Validates the parsed benefits file pf: *out (caller frees) and *n on TD_OK;
 * TD_EPOLICY "file:line: …" otherwise.  pf stays the caller's. */
static td_status parse_benefits(const td_pf *pf, benefit **out, size_t *n, td_err *err)
{
    td_status s = TD_OK;
    benefit *v = calloc(pf->n + 1, sizeof *v);
    if (!v)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < pf->n && !s; i++) {
        const td_pf_section *sec = &pf->secs[i];
        benefit *b = &v[k];
        const char *x;
        if (strcmp(sec->type, "benefit") != 0) {
            s = td_pf_error(pf, sec->line, err, _("unknown section [%s] (benefit)"), sec->type);
            break;
        }
        if (!sec->id[0] || strlen(sec->id) >= sizeof b->e.id) {
            s = td_pf_error(pf, sec->line, err, _("[benefit] needs a short id"));
            break;
        }
        for (size_t j = 0; j < k; j++)
            if (strcmp(v[j].e.id, sec->id) == 0)
                s = td_pf_error(pf, sec->line, err, _("[%s %s] is defined twice"), sec->type, sec->id);
        if (s || (s = td_pf_check_keys(pf, sec, benefit_keys, err)))
            break;
        snprintf(b->e.id, sizeof b->e.id, "%s", sec->id);
        if ((s = need(pf, sec, "title", &x, err)))
            break;
        snprintf(b->e.title, sizeof b->e.title, "%s", x);
        if ((s = need(pf, sec, "source", &x, err)))
            break;
        snprintf(b->e.source, sizeof b->e.source, "%s", x);
        if ((s = need(pf, sec, "amount", &x, err)) ||
            (s = parse_amount(pf, td_pf_find(sec, "amount")->line, x, b, err)))
            break;
        if ((x = td_pf_get(sec, "note")))
            snprintf(b->e.note, sizeof b->e.note, "%s", x);
        if ((x = td_pf_get(sec, "tiers")))
            snprintf(b->tiers, sizeof b->tiers, "%s", x);
        /* terms of a benefit in kind: office space 000 §12 (at most 3 years, 200 m²), visas and
         * permits 000 §4 / 004 §9 (2–5 years), housing 000 §16 (150–240 m², about 100 m²) */
        static const char *const lim_keys[] = { "min_years", "max_years", "min_area_m2", "max_area_m2",
                                                "about_area_m2" };
        int *lim_dst[] = { &b->e.min_years, &b->e.max_years, &b->e.min_area_m2, &b->e.max_area_m2,
                           &b->e.about_area_m2 };
        for (int q = 0; q < 5 && !s; q++) {
            const td_pf_entry *le = td_pf_find(sec, lim_keys[q]);
            if (!le)
                continue;
            for (size_t j = 0; j < sec->n && !s; j++)
                if (&sec->entries[j] != le && strcmp(sec->entries[j].key, lim_keys[q]) == 0)
                    s = td_pf_error(pf, sec->entries[j].line, err, _("'%s' is given twice"), lim_keys[q]);
            char *end;
            long v = strtol(le->value, &end, 10);
            if (!s && (*end || end == le->value || v < 1 || v > 1000000))
                s = td_pf_error(pf, le->line, err, _("%s must be a whole number above 0"), lim_keys[q]);
            else if (!s)
                *lim_dst[q] = (int)v;
        }
        if (!s && b->e.min_years && b->e.max_years && b->e.min_years > b->e.max_years)
            s = td_pf_error(pf, td_pf_find(sec, "min_years")->line, err, "%s",
                            _("min_years is more than max_years"));
        if (!s && b->e.min_area_m2 && b->e.max_area_m2 && b->e.min_area_m2 > b->e.max_area_m2)
            s = td_pf_error(pf, td_pf_find(sec, "min_area_m2")->line, err, "%s",
                            _("min_area_m2 is more than max_area_m2"));
        if (s)
            break;
        if (b->e.kind == TD_AMT_REWARD) {
            if ((s = need(pf, sec, "per_contract_max", &x, err)))
                break;
            if (!parse_yuan(x, &b->per_contract_fen)) {
                s = td_pf_error(pf, td_pf_find(sec, "per_contract_max")->line, err,
                                _("'%s' is not a whole number of yuan"), x);
                break;
            }
            if ((s = need(pf, sec, "per_unit_year_max", &x, err)))
                break;
            if (!parse_yuan(x, &b->per_unit_year_fen)) {
                s = td_pf_error(pf, td_pf_find(sec, "per_unit_year_max")->line, err,
                                _("'%s' is not a whole number of yuan"), x);
                break;
            }
        }
        for (size_t j = 0; j < sec->n && !s; j++) {
            const td_pf_entry *e = &sec->entries[j];
            if (strcmp(e->key, "when") != 0)
                continue;
            if (b->nreq == MAX_REQS) {
                s = td_pf_error(pf, e->line, err, _("too many conditions"));
                break;
            }
            s = parse_req(pf, e->line, e->value, &b->reqs[b->nreq++], err);
        }
        if (!s && b->nreq == 0 && !b->tiers[0])
            s = td_pf_error(pf, sec->line, err, _("[benefit %s] needs a 'when' or 'tiers'"), sec->id);
        k++;
    }
    if (s) {
        free(v);
        return s;
    }
    *out = v;
    *n = k;
    return TD_OK;
}

/* Loads and validates the benefits file (path NULL = <data dir>/entitlements.tdp). */
static td_status load_benefits(const char *path, benefit **out, size_t *n, td_err *err)
{
    char buf[4096];
    if (!path) {
        snprintf(buf, sizeof buf, "%s/entitlements.tdp", td_data_dir());
        path = buf;
    }
    td_pf *pf = NULL;
    td_status s = td_pf_load(path, &pf, err);
    if (s)
        return s;
    s = parse_benefits(pf, out, n, err);
    td_pf_free(pf);
    return s;
}

/* The benefits in force for db: the entitlements.tdp version loaded into it
 * (td_pversion_current), else — no version yet, or db NULL — the file under
 * the data directory. */
static td_status load_benefits_db(td_db *db, benefit **out, size_t *n, td_err *err)
{
    td_pf *pf = NULL;
    td_err e2;
    td_err_clear(&e2);
    td_status s = db ? td_pversion_current(db, "entitlements", &pf, &e2) : TD_ENOTFOUND;
    if (s == TD_ENOTFOUND)
        return load_benefits(NULL, out, n, err);
    if (s) {
        *err = e2;
        return s;
    }
    s = parse_benefits(pf, out, n, err);
    td_pf_free(pf);
    return s;
}

td_status td_entitlements_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/entitlements.tdp", dir);
    td_pf *pf = NULL;
    td_status s = td_pf_load(path, &pf, err);
    if (s == TD_ENOTFOUND)
        return TD_OK; /* optional: evaluation then falls back to <data dir>/entitlements.tdp */
    if (s)
        return s;
    benefit *v = NULL;
    size_t n = 0;
    if (!(s = parse_benefits(pf, &v, &n, err))) {
        char now[TD_TS_LEN];
        td_now_utc(now);
        if (!(s = td_db_begin(db, err))) {
            s = td_pversion_put(db, "entitlements", pf, user_id, now, NULL, err);
            if (s)
                td_db_rollback(db);
            else
                s = td_db_commit(db, err);
        }
    }
    free(v);
    td_pf_free(pf);
    return s;
}

td_status td_entitlements_check(const char *path, int *count, td_err *err)
{
    benefit *v;
    size_t n;
    td_status s = load_benefits(path, &v, &n, err);
    if (s)
        return s;
    free(v);
    if (count)
        *count = (int)n;
    return TD_OK;
}

void td_entitlement_list_free(td_entitlement_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static void add_text(char *buf, size_t len, const char *s)
{
    size_t l = strlen(buf);
    if (l + 1 < len)
        snprintf(buf + l, len - l, "%s%s", l ? "；" : "", s);
}

void td_money_format(long long fen, char *out, size_t len)
{
    bool neg = fen < 0;
    unsigned long long v = (unsigned long long)(neg ? -fen : fen);
    unsigned long long yuan = v / 100, cents = v % 100;
    char digits[32], grouped[48];
    snprintf(digits, sizeof digits, "%llu", yuan);
    size_t dl = strlen(digits), o = 0;
    for (size_t i = 0; i < dl; i++) {
        if (i && (dl - i) % 3 == 0)
            grouped[o++] = ',';
        grouped[o++] = digits[i];
    }
    grouped[o] = 0;
    if (cents)
        snprintf(out, len, "%s%s.%02llu", neg ? "-" : "", grouped, cents);
    else
        snprintf(out, len, "%s%s", neg ? "-" : "", grouped);
}

/* Matches fs and tier against the n benefits v (freed here) into *out. */
static td_status eval_benefits(benefit *v, size_t n, const td_factset *fs, const char *tier, td_date as_of,
                               td_entitlement_list *out);

td_status td_entitlements_eval(const char *path, const td_factset *fs, const char *tier,
                               td_date as_of, td_entitlement_list *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    benefit *v;
    size_t n;
    td_status s = load_benefits(path, &v, &n, err);
    if (s)
        return s;
    return eval_benefits(v, n, fs, tier, as_of, out);
}

td_status td_entitlements_eval_db(td_db *db, const td_factset *fs, const char *tier, td_date as_of,
                                  td_entitlement_list *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    benefit *v;
    size_t n;
    td_status s = load_benefits_db(db, &v, &n, err);
    if (s)
        return s;
    return eval_benefits(v, n, fs, tier, as_of, out);
}

static td_status eval_benefits(benefit *v, size_t n, const td_factset *fs, const char *tier, td_date as_of,
                               td_entitlement_list *out)
{
    out->v = calloc(n + 1, sizeof *out->v);
    if (!out->v)
        abort();
    snprintf(out->tier, sizeof out->tier, "%s", tier && strcmp(tier, "none") != 0 ? tier : "");
    td_date_format(as_of, out->as_of);
    for (size_t i = 0; i < n; i++) {
        benefit *b = &v[i];
        td_entitlement *e = &out->v[out->n++];
        *e = b->e;
        bool all_verified = true, all_claimed = true;
        if (b->tiers[0]) {
            char t[200];
            if (out->tier[0] && in_csv(b->tiers, out->tier)) {
                snprintf(t, sizeof t, _("tier %s"), out->tier);
                add_text(e->met, sizeof e->met, t);
            } else {
                snprintf(t, sizeof t, _("a Golden Phoenix tier (%s)"), b->tiers);
                add_text(e->missing, sizeof e->missing, t);
                all_verified = all_claimed = false;
            }
        }
        for (int r = 0; r < b->nreq; r++) {
            const req *q = &b->reqs[r];
            bool ver = false, cla = false;
            for (int a = 0; a < q->nalt && !ver; a++)
                ver = td_cond_eval(&q->alt[a], fs, as_of, true, 0, NULL, 0);
            for (int a = 0; a < q->nalt && !ver && !cla; a++)
                cla = td_cond_eval(&q->alt[a], fs, as_of, false, 0, NULL, 0);
            if (ver) {
                add_text(e->met, sizeof e->met, q->text);
            } else if (cla) {
                char t[300];
                snprintf(t, sizeof t, _("%s (claimed, not verified)"), q->text);
                add_text(e->missing, sizeof e->missing, t);
                all_verified = false;
            } else {
                add_text(e->missing, sizeof e->missing, q->text);
                all_verified = all_claimed = false;
            }
        }
        snprintf(e->status, sizeof e->status, "%s",
                 all_verified ? "eligible" : all_claimed ? "unverified" : "not_eligible");
        switch (e->kind) {
        case TD_AMT_MAX:
        case TD_AMT_RANGE:
            e->amount_fen = e->max_fen;
            break;
        case TD_AMT_PERCENT: {
            long long yuan;
            if (td_facts_input(fs, e->percent_of, as_of, true, &yuan, NULL, 0))
                e->amount_fen = yuan * 100 * e->bp / 10000; /* whole fen, rounded down */
            break;
        }
        case TD_AMT_REWARD:
            e->max_fen = b->per_contract_fen;
            e->min_fen = b->per_unit_year_fen; /* the yearly cap, for display */
            e->amount_fen = 0;
            break;
        case TD_AMT_NONE:
            break;
        }
    }
    free(v);
    return TD_OK;
}

static const char *kind_name(td_amount_kind k)
{
    switch (k) {
    case TD_AMT_MAX: return "max";
    case TD_AMT_RANGE: return "range";
    case TD_AMT_PERCENT: return "percent";
    case TD_AMT_REWARD: return "reward";
    default: return "none";
    }
}

json_t *td_entitlements_json(const td_entitlement_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const td_entitlement *e = &l->v[i];
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", e->id, "title", e->title,
                              "status", e->status, "source", e->source, "amount_kind",
                              kind_name(e->kind), "met", e->met, "missing", e->missing, "note",
                              e->note);
        if (e->kind == TD_AMT_MAX || e->kind == TD_AMT_PERCENT)
            json_object_set_new(o, "amount_fen", json_integer(e->amount_fen));
        if (e->kind == TD_AMT_RANGE) {
            json_object_set_new(o, "min_fen", json_integer(e->min_fen));
            json_object_set_new(o, "max_fen", json_integer(e->max_fen));
        }
        if (e->kind == TD_AMT_PERCENT) {
            json_object_set_new(o, "percent_bp", json_integer(e->bp));
            json_object_set_new(o, "percent_of", json_string(e->percent_of));
        }
        const char *const tk[] = { "min_years", "max_years", "min_area_m2", "max_area_m2", "about_area_m2" };
        const int tv[] = { e->min_years, e->max_years, e->min_area_m2, e->max_area_m2, e->about_area_m2 };
        for (int q = 0; q < 5; q++)
            if (tv[q])
                json_object_set_new(o, tk[q], json_integer(tv[q]));
        if (e->kind == TD_AMT_REWARD) {
            json_object_set_new(o, "percent_bp", json_integer(e->bp));
            json_object_set_new(o, "per_contract_max_fen", json_integer(e->max_fen));
            json_object_set_new(o, "per_unit_year_max_fen", json_integer(e->min_fen));
        }
        json_array_append_new(a, o);
    }
    return json_pack("{s:o,s:s,s:o}", "tier", l->tier[0] ? json_string(l->tier) : json_null(),
                     "as_of", l->as_of, "entitlements", a);
}

/* Tier of a case: its tier_id, else its latest snapshot's. */
static void case_tier(td_db *db, const td_case *c, char *tier, size_t len)
{
    snprintf(tier, len, "%s", c->tier_id);
    if (tier[0])
        return;
    td_snapshot snap;
    td_err ignore;
    if (td_snapshot_latest(db, c->id, &snap, &ignore) == TD_OK) {
        snprintf(tier, len, "%s", snap.tier_id);
        td_snapshot_free(&snap);
    }
}

td_status td_entitlements_for(td_db *db, const td_actor *by, const char *key, const char *as_of,
                              td_entitlement_list *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    td_status s = td_actor_require(by, ~0u, err);
    if (s)
        return s;
    if ((s = td_read_check(db, by, key, err))) /* role and record scope (cases/scope.h) */
        return s;
    td_date d = td_today();
    if (as_of && *as_of && !td_date_parse(as_of, &d))
        return td_err_set(err, TD_EINVALID, _("'%s' is not a valid date"), as_of);
    char person_id[TD_UUID_LEN], tier[16] = "";
    td_case c;
    td_err e2;
    if (td_case_get(db, key, &c, &e2) == TD_OK) {
        snprintf(person_id, sizeof person_id, "%s", c.person_id);
        case_tier(db, &c, tier, sizeof tier);
    } else {
        td_person p;
        if ((s = td_person_get(db, key, &p, err)))
            return td_err_set(err, TD_ENOTFOUND, _("no case or person matches '%s'"), key);
        snprintf(person_id, sizeof person_id, "%s", p.id);
        /* The tier of the person's most recently recognised case. */
        sqlite3_stmt *st = td_db_prepare(
            db,
            "SELECT coalesce(c.tier_id, (SELECT s.tier_id FROM score_snapshots s WHERE s.case_id ="
            " c.id ORDER BY s.created_at DESC, s.rowid DESC LIMIT 1)) FROM cases c WHERE c.person_id = ?"
            " AND c.deleted_at IS NULL ORDER BY c.created_at DESC",
            err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, person_id);
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
                td_col_copy(st, 0, tier, sizeof tier);
                break;
            }
        }
        sqlite3_reset(st);
    }
    td_factset fs = { 0 };
    if ((s = td_facts_load(db, person_id, &fs, err)) == TD_OK)
        s = td_entitlements_eval_db(db, &fs, tier, d, out, err);
    td_factset_free(&fs);
    return s;
}

/* Trims, collapses runs of spaces (also U+3000) to one, NFC: names are
 * normalised for display only; identity is the credit code.  `dflt` when
 * nothing is left. */
static void display_name(const char *in, const char *dflt, char *out, size_t len)
{
    char *n = in ? td_text_normalize(in) : NULL;
    size_t o = 0;
    bool space = false;
    for (const char *p = n ? n : ""; *p && o + 4 < len;) {
        if (*p == ' ' || *p == '\t' || strncmp(p, "\xE3\x80\x80", 3) == 0) { /* never reads past the NUL */
            p += (*p == ' ' || *p == '\t') ? 1 : 3;
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = false;
        out[o++] = *p++;
    }
    while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80 && o + 4 >= len)
        o--; /* never cut a character */
    out[o] = '\0';
    free(n);
    if (!out[0])
        snprintf(out, len, "%s", dflt);
}

/* TD_OK when the person is a verified offshore talent on day d (000 §15:
 * "离岸人才 … 成功转移转化科技成果"). */
static td_status offshore_talent(td_db *db, const char *person_id, td_date d, td_err *err)
{
    td_factset fs = { 0 };
    td_status s = td_facts_load(db, person_id, &fs, err);
    if (s == TD_OK && !td_facts_match(&fs, "offshore_talent", "yes", d, true, NULL, 0))
        s = td_err_set(err, TD_EINVALID, "%s",
                       _("the reward is for offshore talents (seed 000, item 15): the person has no verified fact "
                         "offshore_talent=yes"));
    td_factset_free(&fs);
    return s;
}

/* TD_ECONFLICT when the contract was rewarded already. */
static td_status contract_unrewarded(td_db *db, const char *contract, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT grant_date, unit FROM benefit_grants WHERE kind = 'tech_transfer_reward'"
                                     " AND contract = ? AND deleted_at IS NULL LIMIT 1",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, contract);
    td_status s = TD_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        s = td_err_set(err, TD_ECONFLICT, _("contract %s was already rewarded on %s (unit %s): a contract is "
                                            "rewarded once"),
                       contract, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
    sqlite3_reset(st);
    return s;
}

td_status td_tech_transfer_reward(td_db *db, const td_actor *by, const td_reward_req *req, bool grant,
                                  td_reward_calc *out, char grant_id[TD_UUID_LEN], td_err *err)
{
    memset(out, 0, sizeof *out);
    td_status s;
    long long transaction_yuan = req->transaction_yuan;
    const char *date = req->date, *person_id = req->person_id;
    if (grant &&
        (s = td_access_require(db, by, TD_ACT_BENEFIT_GRANT, err)))
        return s;
    if (!req->unit_code || !*req->unit_code)
        return td_err_set(err, TD_EINVALID, "%s",
                          _("the receiving unit is required, by its unified social credit code"));
    char code[TD_USCC_LEN];
    if ((s = td_uscc_validate(req->unit_code, code, err)))
        return s;
    char unit[256];
    display_name(req->unit_name, code, unit, sizeof unit);
    char contract[128];
    display_name(req->contract, "", contract, sizeof contract);
    if (grant && !contract[0])
        return td_err_set(err, TD_EINVALID, "%s", _("a reward is granted for a contract: give its number"));
    if (grant && (!person_id || !*person_id))
        return td_err_set(err, TD_EINVALID, "%s",
                          _("a reward is granted for an offshore talent's transfer: give the person"));
    if (transaction_yuan <= 0 || transaction_yuan > 100000000000LL)
        return td_err_set(err, TD_EINVALID, _("the transaction amount must be a positive number of yuan"));
    td_date d = td_today();
    if (date && *date && !td_date_parse(date, &d))
        return td_err_set(err, TD_EINVALID, _("'%s' is not a valid date"), date);
    char ds[TD_DATE_LEN];
    td_date_format(d, ds);
    /* Rates and caps from the data file. */
    benefit *v;
    size_t n;
    if ((s = load_benefits(NULL, &v, &n, err)))
        return s;
    const benefit *b = NULL;
    for (size_t i = 0; i < n; i++)
        if (v[i].e.kind == TD_AMT_REWARD)
            b = &v[i];
    if (!b) {
        free(v);
        return td_err_set(err, TD_EPOLICY, _("entitlements.tdp has no tech-transfer reward"));
    }
    out->transaction_fen = transaction_yuan * 100;
    out->percent_fen = out->transaction_fen * b->e.bp / 10000;
    out->per_contract_cap_fen = b->per_contract_fen;
    out->unit_year_cap_fen = b->per_unit_year_fen;
    out->year = d.y;
    snprintf(out->source, sizeof out->source, "%s", b->e.source);
    int bp = b->e.bp;
    free(v);

    if (grant && (s = td_db_begin(db, err)))
        return s;
    if (person_id && *person_id && (s = offshore_talent(db, person_id, d, err)))
        goto fail;
    if (contract[0] && (s = contract_unrewarded(db, contract, err)))
        goto fail;
    char y0[TD_DATE_LEN], y1[TD_DATE_LEN];
    snprintf(y0, sizeof y0, "%04d-01-01", d.y);
    snprintf(y1, sizeof y1, "%04d-12-31", d.y);
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT coalesce(sum(amount_yuan), 0) FROM benefit_grants WHERE kind ="
        " 'tech_transfer_reward' AND (unit_code = ?1 OR (unit_code = '' AND unit = ?4))"
        " AND grant_date BETWEEN ?2 AND ?3 AND deleted_at IS NULL",
        err);
    if (!st) {
        s = TD_EDB;
        goto fail;
    }
    td_bind_text(st, 1, code);
    td_bind_text(st, 2, y0);
    td_bind_text(st, 3, y1);
    td_bind_text(st, 4, unit);
    if (sqlite3_step(st) == SQLITE_ROW)
        out->granted_before_fen = sqlite3_column_int64(st, 0) * 100;
    sqlite3_reset(st);
    long long amt = out->percent_fen;
    if (amt > out->per_contract_cap_fen)
        amt = out->per_contract_cap_fen;
    long long room = out->unit_year_cap_fen - out->granted_before_fen;
    if (room < 0)
        room = 0;
    if (amt > room)
        amt = room;
    amt -= amt % 100; /* rewards are granted in whole yuan */
    out->amount_fen = amt;
    char t[32], p[32], cc[32], g[32], yc[32], a[32];
    td_money_format(out->transaction_fen, t, sizeof t);
    td_money_format(out->percent_fen, p, sizeof p);
    td_money_format(out->per_contract_cap_fen, cc, sizeof cc);
    td_money_format(out->granted_before_fen, g, sizeof g);
    td_money_format(out->unit_year_cap_fen, yc, sizeof yc);
    td_money_format(out->amount_fen, a, sizeof a);
    snprintf(out->explain, sizeof out->explain,
             _("%d.%02d%% of %s = %s; per-contract cap %s; %s already granted to this unit in %d of "
               "%s a year; reward %s yuan"),
             bp / 100, bp % 100, t, p, cc, g, d.y, yc, a);
    if (grant) {
        char id[TD_UUID_LEN], now[TD_TS_LEN];
        td_uuid7(id);
        td_now_utc(now);
        st = td_db_prepare(db,
                           "INSERT INTO benefit_grants (id, kind, unit, person_id, contract, base_yuan,"
                           " amount_yuan, grant_date, source, created_by, created_at, updated_at, unit_code)"
                           " VALUES (?, 'tech_transfer_reward', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           err);
        if (!st) {
            s = TD_EDB;
            goto fail;
        }
        td_bind_text(st, 1, id);
        td_bind_text(st, 2, unit);
        td_bind_text(st, 3, person_id && *person_id ? person_id : NULL);
        td_bind_text(st, 4, contract);
        sqlite3_bind_int64(st, 5, transaction_yuan);
        sqlite3_bind_int64(st, 6, out->amount_fen / 100);
        td_bind_text(st, 7, ds);
        td_bind_text(st, 8, out->source);
        td_bind_text(st, 9, by->user_id);
        td_bind_text(st, 10, now);
        td_bind_text(st, 11, now);
        td_bind_text(st, 12, code);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(db, _("recording the reward"), err);
            goto fail;
        }
        char nv[64];
        snprintf(nv, sizeof nv, "%lld", out->amount_fen / 100);
        if ((s = td_audit(db, by, NULL, "benefit.grant", "benefit_grants", id, "amount_yuan", NULL, nv,
                          out->explain, err)))
            goto fail;
        if ((s = td_db_commit(db, err)))
            return s;
        if (grant_id)
            snprintf(grant_id, TD_UUID_LEN, "%s", id);
    }
    return TD_OK;
fail:
    if (grant)
        td_db_rollback(db);
    return s;
}

/* "2-5", "at most 5", "at least 2" for one pair of bounds into out. */
static void range_text(int lo, int hi, const char *unit, char *out, size_t len)
{
    if (lo && hi && lo == hi)
        snprintf(out, len, "%d %s", hi, unit);
    else if (lo && hi)
        snprintf(out, len, "%d-%d %s", lo, hi, unit);
    else if (hi)
        snprintf(out, len, _("at most %d %s"), hi, unit);
    else if (lo)
        snprintf(out, len, _("at least %d %s"), lo, unit);
    else
        out[0] = '\0';
}

void td_entitlement_terms_text(const td_entitlement *e, char *out, size_t len)
{
    char y[64], a[64];
    range_text(e->min_years, e->max_years, _("years"), y, sizeof y);
    if (e->min_area_m2 || e->max_area_m2)
        range_text(e->min_area_m2, e->max_area_m2, "m2", a, sizeof a);
    else if (e->about_area_m2)
        snprintf(a, sizeof a, _("about %d m2"), e->about_area_m2);
    else
        a[0] = '\0';
    snprintf(out, len, "%s%s%s", y, y[0] && a[0] ? ", " : "", a);
}

/* check_terms on the n benefits v (freed here). */
static td_status terms_of(benefit *v, size_t n, const char *id, int years, int area_m2, td_entitlement *out,
                          td_err *err);

td_status td_entitlement_check_terms(const char *path, const char *id, int years, int area_m2,
                                     td_entitlement *out, td_err *err)
{
    benefit *v;
    size_t n;
    td_status s = load_benefits(path, &v, &n, err);
    if (s)
        return s;
    return terms_of(v, n, id, years, area_m2, out, err);
}

td_status td_entitlement_check_terms_db(td_db *db, const char *id, int years, int area_m2, td_entitlement *out,
                                        td_err *err)
{
    benefit *v;
    size_t n;
    td_status s = load_benefits_db(db, &v, &n, err);
    if (s)
        return s;
    return terms_of(v, n, id, years, area_m2, out, err);
}

static td_status terms_of(benefit *v, size_t n, const char *id, int years, int area_m2, td_entitlement *out,
                          td_err *err)
{
    td_status s;
    const td_entitlement *e = NULL;
    for (size_t i = 0; i < n && !e; i++)
        if (strcmp(v[i].e.id, id) == 0)
            e = &v[i].e;
    if (!e) {
        free(v);
        return td_err_set(err, TD_ENOTFOUND, _("No benefit '%s' in entitlements.tdp"), id);
    }
    if (out)
        *out = *e;
    s = TD_OK;
    if (years && !e->min_years && !e->max_years)
        s = td_err_set(err, TD_EINVALID, _("%s has no term in years"), e->title);
    else if (area_m2 && !e->min_area_m2 && !e->max_area_m2 && !e->about_area_m2)
        s = td_err_set(err, TD_EINVALID, _("%s has no area"), e->title);
    else if (years && e->max_years && years > e->max_years)
        s = td_err_set(err, TD_EINVALID, _("%s: at most %d years (%s); %d years asked"), e->title, e->max_years,
                       e->source, years);
    else if (years && e->min_years && years < e->min_years)
        s = td_err_set(err, TD_EINVALID, _("%s: at least %d years (%s); %d years asked"), e->title,
                       e->min_years, e->source, years);
    else if (area_m2 && e->max_area_m2 && area_m2 > e->max_area_m2)
        s = td_err_set(err, TD_EINVALID, _("%s: at most %d m2 (%s); %d m2 asked"), e->title, e->max_area_m2,
                       e->source, area_m2);
    else if (area_m2 && e->min_area_m2 && area_m2 < e->min_area_m2)
        s = td_err_set(err, TD_EINVALID, _("%s: at least %d m2 (%s); %d m2 asked"), e->title, e->min_area_m2,
                       e->source, area_m2);
    free(v);
    return s;
}
