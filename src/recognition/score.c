/* score.c — the recognition engine, ledger, snapshots and what-if.  See
 * score.h. */
#include "score.h"
#include "auth/access.h"
#include "base/audit.h"
#include "cases/case.h"
#include "cases/scope.h"
#include "people/mask.h"
#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A JSON string, or null for an empty one. */
static json_t *td_json_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

void td_score_result_free(td_score_result *r)
{
    if (!r)
        return;
    free(r->rows);
    free(r->groups);
    free(r->hits);
    memset(r, 0, sizeof *r);
}

static void append(char *buf, size_t len, const char *sep, const char *s)
{
    if (!buf || len == 0)
        return;
    size_t l = strlen(buf);
    if (l >= len - 1)
        return;
    snprintf(buf + l, len - l, "%s%s", l ? sep : "", s);
}

/* Points of one factor from the facts, verified only or all. */
static int eval_factor(const td_factor *f, const td_factset *fs, td_date as_of, bool vo,
                       char *input, size_t inlen, char *band, size_t bandlen)
{
    int best = 0, sum = 0;
    bool any = false;
    input[0] = band[0] = 0;
    if (f->input[0]) {
        long long v;
        char desc[96];
        if (td_facts_input(fs, f->input, as_of, vo, &v, desc, sizeof desc)) {
            char tmp[160];
            if (desc[0])
                snprintf(tmp, sizeof tmp, "%s=%lld (%s)", f->input, v, desc);
            else
                snprintf(tmp, sizeof tmp, "%s=%lld", f->input, v);
            append(input, inlen, "; ", tmp);
            for (size_t i = 0; i < f->nb; i++) {
                const td_band *b = &f->bands[i];
                bool lo_ok = b->lo_inf || (b->lo_incl ? v >= b->lo : v > b->lo);
                bool hi_ok = b->hi_inf || (b->hi_incl ? v <= b->hi : v < b->hi);
                if (lo_ok && hi_ok) {
                    if (!any || b->points > best) {
                        best = b->points;
                        if (f->agg_max)
                            snprintf(band, bandlen, "%s", b->label);
                    }
                    if (!f->agg_max)
                        append(band, bandlen, "; ", b->label);
                    sum += b->points;
                    any = true;
                    break;
                }
            }
        }
    }
    for (size_t i = 0; i < f->nm; i++) {
        const td_match *m = &f->matches[i];
        char which[TD_FACT_VALUE_LEN];
        if (!td_facts_match(fs, m->fact, m->values, as_of, vo, which, sizeof which))
            continue;
        char tmp[200];
        snprintf(tmp, sizeof tmp, "%s=%s", m->fact, which);
        if (!strstr(input, tmp))
            append(input, inlen, "; ", tmp);
        if (!any || m->points > best) {
            best = m->points;
            if (f->agg_max)
                snprintf(band, bandlen, "%s", m->label);
        }
        if (!f->agg_max)
            append(band, bandlen, "; ", m->label);
        sum += m->points;
        any = true;
    }
    return f->agg_max ? best : sum;
}

bool td_cond_eval(const td_cond *c, const td_factset *fs, td_date as_of, bool vo,
                       long long wage, char *why, size_t whylen)
{
    if (c->op == TD_OP_EQ || c->op == TD_OP_IN) {
        char which[TD_FACT_VALUE_LEN];
        if (!td_facts_match(fs, c->input, c->values, as_of, vo, which, sizeof which))
            return false;
        char tmp[200];
        snprintf(tmp, sizeof tmp, "%s=%s", c->input, which);
        append(why, whylen, "; ", tmp);
        return true;
    }
    long long v;
    if (!td_facts_input(fs, c->input, as_of, vo, &v, NULL, 0))
        return false;
    __int128 lhs = v, rhs = c->num;
    if (c->wage_x100) {
        if (wage <= 0)
            return false;
        lhs = (__int128)v * 100;
        rhs = (__int128)wage * c->wage_x100;
    }
    bool ok = false;
    switch (c->op) {
    case TD_OP_GE: ok = lhs >= rhs; break;
    case TD_OP_GT: ok = lhs > rhs; break;
    case TD_OP_LE: ok = lhs <= rhs; break;
    case TD_OP_LT: ok = lhs < rhs; break;
    default: break;
    }
    if (ok) {
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s=%lld (%s)", c->input, v, c->text);
        append(why, whylen, "; ", tmp);
    }
    return ok;
}

static bool item_holds(const td_cat_item *it, const td_factset *fs, td_date as_of, bool vo,
                       long long wage, char *why, size_t whylen)
{
    why[0] = 0;
    for (size_t i = 0; i < it->nc; i++)
        if (!td_cond_eval(&it->conds[i], fs, as_of, vo, wage, why, whylen))
            return false;
    return it->nc > 0;
}

void td_score_eval(const td_ruleset *rs, const td_factset *fs, td_date as_of, long long wage,
                   const char *wage_source, td_score_result *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->rule_set_id, sizeof out->rule_set_id, "%s", rs->id);
    snprintf(out->rule_set_title, sizeof out->rule_set_title, "%s", rs->title);
    snprintf(out->rule_set_hash, sizeof out->rule_set_hash, "%s", rs->sha256);
    snprintf(out->policy_version, sizeof out->policy_version, "%s", rs->policy_version);
    out->sample = rs->sample;
    td_date_format(as_of, out->as_of);
    out->wage_yuan = rs->wage_region[0] ? wage : 0;
    out->wage_missing = rs->wage_region[0] && wage <= 0;
    if (rs->wage_region[0] && wage_source)
        snprintf(out->wage_source, sizeof out->wage_source, "%s", wage_source);
    out->max_points = rs->max_points;

    out->rows = calloc(rs->nfactors + 1, sizeof *out->rows);
    out->groups = calloc(rs->ngroups + 1, sizeof *out->groups);
    out->hits = calloc(rs->nitems + 1, sizeof *out->hits);
    if (!out->rows || !out->groups || !out->hits)
        abort();

    /* Catalogue first. */
    const td_tier *cat_best = NULL;
    for (size_t i = 0; i < rs->nitems; i++) {
        const td_cat_item *it = &rs->items[i];
        char why[256];
        bool ver = item_holds(it, fs, as_of, true, wage, why, sizeof why);
        if (!ver && !item_holds(it, fs, as_of, false, wage, why, sizeof why))
            continue;
        td_cat_hit *h = &out->hits[out->nhits++];
        snprintf(h->id, sizeof h->id, "%s", it->id);
        snprintf(h->title, sizeof h->title, "%s", it->title);
        snprintf(h->tier, sizeof h->tier, "%s", it->tier);
        snprintf(h->why, sizeof h->why, "%s", why);
        h->claimed_only = !ver;
        const td_tier *t = td_ruleset_tier(rs, it->tier);
        if (ver && t && (!cat_best || t->rank < cat_best->rank)) {
            cat_best = t;
            snprintf(out->catalogue_item, sizeof out->catalogue_item, "%s", it->id);
        }
    }

    /* Points. */
    int total = 0;
    for (size_t i = 0; i < rs->nfactors; i++) {
        const td_factor *f = &rs->factors[i];
        td_ledger_row *r = &out->rows[out->nrows++];
        snprintf(r->factor, sizeof r->factor, "%s", f->id);
        snprintf(r->title, sizeof r->title, "%s", f->title);
        snprintf(r->group, sizeof r->group, "%s", f->group);
        r->raw = eval_factor(f, fs, as_of, true, r->input, sizeof r->input, r->band, sizeof r->band);
        r->cap = f->cap;
        r->final = r->raw > f->cap ? f->cap : r->raw;
        r->capped = r->raw > f->cap;
        char cin[160];
        int craw = eval_factor(f, fs, as_of, false, cin, sizeof cin, r->claimed_band,
                               sizeof r->claimed_band);
        r->claimed_final = craw > f->cap ? f->cap : craw;
        if (r->claimed_final == r->final)
            r->claimed_band[0] = 0;
        if (!f->group[0])
            total += r->final;
    }
    for (size_t g = 0; g < rs->ngroups; g++) {
        td_group_row *gr = &out->groups[out->ngroups++];
        snprintf(gr->group, sizeof gr->group, "%s", rs->groups[g].id);
        snprintf(gr->title, sizeof gr->title, "%s", rs->groups[g].title);
        gr->cap = rs->groups[g].cap;
        for (size_t i = 0; i < out->nrows; i++)
            if (strcmp(out->rows[i].group, gr->group) == 0)
                gr->sum += out->rows[i].final;
        gr->final = gr->sum > gr->cap ? gr->cap : gr->sum;
        total += gr->final;
    }
    out->total = total;

    const td_tier *pts_best = NULL;
    for (size_t i = 0; i < rs->ntiers; i++) {
        const td_tier *t = &rs->tiers[i];
        if (t->has_min && total >= t->min_points && (!pts_best || t->rank < pts_best->rank))
            pts_best = t;
    }
    if (pts_best)
        snprintf(out->points_tier, sizeof out->points_tier, "%s", pts_best->id);
    if (cat_best)
        snprintf(out->catalogue_tier, sizeof out->catalogue_tier, "%s", cat_best->id);
    const td_tier *decided = NULL;
    if (cat_best && (!pts_best || cat_best->rank <= pts_best->rank)) {
        decided = cat_best;
        snprintf(out->route, sizeof out->route, "catalogue");
    } else {
        decided = pts_best;
        snprintf(out->route, sizeof out->route, "points");
        out->catalogue_item[0] = 0;
    }
    if (decided) {
        snprintf(out->tier, sizeof out->tier, "%s", decided->id);
        snprintf(out->tier_name, sizeof out->tier_name, "%s", decided->name);
    } else {
        snprintf(out->tier, sizeof out->tier, "none");
        snprintf(out->tier_name, sizeof out->tier_name, "%s", _("not recognised"));
    }
}

json_t *td_score_result_json(const td_score_result *r)
{
    json_t *ledger = json_array();
    for (size_t i = 0; i < r->nrows; i++) {
        const td_ledger_row *l = &r->rows[i];
        json_t *claimed = json_null();
        if (l->claimed_final != l->final)
            claimed = json_pack("{s:i,s:s}", "points", l->claimed_final, "band", l->claimed_band);
        json_array_append_new(
            ledger, json_pack("{s:s,s:s,s:o,s:s,s:o,s:i,s:i,s:i,s:b,s:o}", "factor", l->factor,
                              "title", l->title, "group", td_json_or_null(l->group), "input",
                              l->input, "band", td_json_or_null(l->band), "raw", l->raw, "cap",
                              l->cap, "final", l->final, "capped", l->capped, "claimed_not_counted",
                              claimed));
    }
    json_t *groups = json_array();
    for (size_t i = 0; i < r->ngroups; i++) {
        const td_group_row *g = &r->groups[i];
        json_array_append_new(groups, json_pack("{s:s,s:s,s:i,s:i,s:i}", "group", g->group, "title",
                                                g->title, "sum", g->sum, "cap", g->cap, "final",
                                                g->final));
    }
    json_t *hits = json_array();
    for (size_t i = 0; i < r->nhits; i++) {
        const td_cat_hit *h = &r->hits[i];
        json_array_append_new(hits, json_pack("{s:s,s:s,s:s,s:s,s:b}", "id", h->id, "title",
                                              h->title, "tier", h->tier, "why", h->why,
                                              "claimed_only", h->claimed_only));
    }
    json_t *wage = r->wage_yuan ? json_pack("{s:I,s:s}", "annual_yuan", (json_int_t)r->wage_yuan,
                                            "source", r->wage_source)
                                : json_null();
    json_t *j = json_pack("{s:{s:s,s:s,s:s,s:o,s:b},s:s,s:o,s:o,s:o,s:o,s:i,s:i,s:o,s:o,s:o,s:s,s:s,s:s}",
                     "rule_set", "id", r->rule_set_id, "title", r->rule_set_title, "sha256",
                     r->rule_set_hash, "policy_version", td_json_or_null(r->policy_version),
                     "sample", r->sample, "as_of", r->as_of, "wage", wage, "catalogue", hits,
                     "ledger", ledger, "groups", groups, "total", r->total, "max_points",
                     r->max_points, "points_tier", td_json_or_null(r->points_tier),
                     "catalogue_tier", td_json_or_null(r->catalogue_tier), "catalogue_item",
                     td_json_or_null(r->catalogue_item), "tier", r->tier, "tier_name",
                     r->tier_name, "route", r->route);
    if (j)
        json_object_set_new(j, "wage_missing", json_boolean(r->wage_missing));
    return j;
}

json_t *td_facts_json(const td_factset *fs)
{
    json_t *a = json_array();
    for (size_t i = 0; i < fs->n; i++) {
        const td_fact *f = &fs->v[i];
        json_array_append_new(
            a, json_pack("{s:o,s:s,s:s,s:o,s:s,s:o,s:o,s:s}", "id", td_json_or_null(f->id), "name",
                         f->name, "value", f->value, "date", td_json_or_null(f->date), "status",
                         f->verified ? "verified" : "claimed", "verified_by",
                         td_json_or_null(f->verified_by), "verified_at",
                         td_json_or_null(f->verified_at), "evidence", f->evidence));
    }
    return a;
}

td_status td_score_facts(td_db *db, const char *rule_set_id, const td_factset *facts,
                         td_date as_of, td_score_result *out, td_err *err)
{
    char def[64];
    if (!rule_set_id || !*rule_set_id) {
        td_rules_default(db, def, sizeof def);
        rule_set_id = def;
    }
    td_ruleset *rs = NULL;
    td_status s = td_rules_get(db, rule_set_id, NULL, &rs, err);
    if (s)
        return s;
    char ds[TD_DATE_LEN];
    td_date_format(as_of, ds);
    if (!td_ruleset_in_force(rs, as_of)) {
        s = td_err_set(err, TD_EINVALID, _("rule set %s is not in force on %s (effective %s to %s)"),
                       rs->id, ds, rs->effective_from,
                       rs->effective_to[0] ? rs->effective_to : _("open"));
        td_ruleset_free(rs);
        return s;
    }
    long long wage = 0;
    char src[512] = "";
    if (rs->wage_region[0]) {
        td_wage w;
        td_err werr;
        if (td_wage_lookup(NULL, rs->wage_region, as_of, &w, &werr) == TD_OK) {
            wage = w.annual_yuan;
            snprintf(src, sizeof src, "%s %s%s", w.id, w.source, w.sample ? _(" [sample figure]") : "");
        }
    }
    td_score_eval(rs, facts, as_of, wage, src, out);
    td_ruleset_free(rs);
    return TD_OK;
}

/* The China (UTC+8) calendar date of a UTC timestamp "YYYY-MM-DDTHH:…". */
static td_date china_date_of(const char *ts)
{
    td_date d;
    char day[TD_DATE_LEN];
    snprintf(day, sizeof day, "%.10s", ts);
    if (!td_date_parse(day, &d))
        return td_today();
    int hh = (ts[11] - '0') * 10 + (ts[12] - '0');
    if (strlen(ts) >= 13 && hh >= 16)
        d = td_date_from_days(td_date_to_days(d) + 1);
    return d;
}

static td_status insert_snapshot(td_db *db, const td_actor *by, const td_case *c,
                                 const td_score_result *r, const td_factset *fs,
                                 char id_out[TD_UUID_LEN], td_err *err)
{
    td_snapshot prev;
    memset(&prev, 0, sizeof prev);
    td_err perr;
    bool have_prev = td_snapshot_latest(db, c->id, &prev, &perr) == TD_OK;
    char id[TD_UUID_LEN], now[TD_TS_LEN];
    td_uuid7(id);
    td_now_utc(now);
    json_t *inj = td_facts_json(fs);
    json_t *lj = td_score_result_json(r);
    char *ins = json_dumps(inj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *led = json_dumps(lj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(inj);
    json_decref(lj);
    if (!ins || !led)
        abort();
    td_status s = TD_OK;
    sqlite3_stmt *st = td_db_prepare(
        db,
        "INSERT INTO score_snapshots (id, case_id, person_id, rule_set_id, rule_set_hash, as_of,"
        " route, total, tier_id, inputs_json, ledger_json, prev_id, created_by, created_at,"
        " updated_at, policy_version, catalogue_item, wage_yuan)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        err);
    if (!st) {
        s = TD_EDB;
        goto out;
    }
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, c->id);
    td_bind_text(st, 3, c->person_id);
    td_bind_text(st, 4, r->rule_set_id);
    td_bind_text(st, 5, r->rule_set_hash);
    td_bind_text(st, 6, r->as_of);
    td_bind_text(st, 7, r->route);
    sqlite3_bind_int(st, 8, r->total);
    td_bind_text(st, 9, r->tier);
    td_bind_text(st, 10, ins);
    td_bind_text(st, 11, led);
    td_bind_text(st, 12, have_prev ? prev.id : NULL);
    td_bind_text(st, 13, by->user_id);
    td_bind_text(st, 14, now);
    td_bind_text(st, 15, now);
    td_bind_text(st, 16, r->policy_version[0] ? r->policy_version : NULL);
    td_bind_text(st, 17, r->catalogue_item[0] ? r->catalogue_item : NULL);
    if (r->wage_yuan)
        sqlite3_bind_int64(st, 18, r->wage_yuan);
    else
        sqlite3_bind_null(st, 18);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("saving the score snapshot"), err);
        goto out;
    }
    char reason[160];
    snprintf(reason, sizeof reason, "%s %.12s %s %d", r->rule_set_id, r->rule_set_hash, r->route,
             r->total);
    s = td_audit(db, by, c->id, "score.snapshot", "score_snapshots", id, "tier_id",
                 have_prev ? prev.tier_id : NULL, r->tier, reason, err);
    if (!s && id_out)
        snprintf(id_out, TD_UUID_LEN, "%s", id);
out:
    td_snapshot_free(&prev);
    free(ins);
    free(led);
    return s;
}

td_status td_score_case(td_db *db, const td_actor *by, const td_score_case_args *a,
                        td_score_result *out, char snapshot_id[TD_UUID_LEN], td_err *err)
{
    memset(out, 0, sizeof *out);
    bool save = a->save && !a->what_if;
    td_status s = td_access_require(db, by, save ? TD_ACT_SCORE_SAVE : TD_ACT_CASE_READ, err);
    if (s)
        return s;
    td_case c;
    if ((s = td_case_get_as(db, by, a->case_key, &c, err)))
        return s;
    td_date as_of;
    if (a->as_of && *a->as_of) {
        if (!td_date_parse(a->as_of, &as_of))
            return td_err_set(err, TD_EINVALID, _("'%s' is not a valid date"), a->as_of);
    } else {
        as_of = china_date_of(c.created_at);
    }
    td_factset fs = { 0 };
    if ((s = td_facts_load(db, c.person_id, &fs, err)))
        goto out;
    if (a->what_if)
        td_factset_override(&fs, a->what_if);
    if ((s = td_score_facts(db, a->rule_set_id, &fs, as_of, out, err)))
        goto out;
    if (save) {
        if ((s = td_db_begin(db, err)))
            goto out;
        if ((s = insert_snapshot(db, by, &c, out, &fs, snapshot_id, err))) {
            td_db_rollback(db);
            goto out;
        }
        s = td_db_commit(db, err);
    }
    if (s == TD_OK) /* the snapshot keeps the amounts; what `by` is shown follows people/mask.h */
        td_score_result_mask(by, out);
out:
    if (s)
        td_score_result_free(out);
    td_factset_free(&fs);
    return s;
}

void td_score_result_mask(const td_actor *viewer, td_score_result *r)
{
    for (size_t i = 0; i < r->nrows; i++) {
        td_salary_mask_buf(viewer, r->rows[i].input, sizeof r->rows[i].input);
        td_salary_mask_buf(viewer, r->rows[i].band, sizeof r->rows[i].band);
        td_salary_mask_buf(viewer, r->rows[i].claimed_band, sizeof r->rows[i].claimed_band);
    }
    for (size_t i = 0; i < r->nhits; i++)
        td_salary_mask_buf(viewer, r->hits[i].why, sizeof r->hits[i].why);
}

void td_snapshot_free(td_snapshot *s)
{
    if (!s)
        return;
    free(s->inputs_json);
    free(s->ledger_json);
    s->inputs_json = s->ledger_json = NULL;
}

#define SNAP_COLS                                                                                  \
    "id, case_id, person_id, rule_set_id, rule_set_hash, as_of, route, total, tier_id, prev_id,"  \
    " created_by, created_at, inputs_json, ledger_json"

static void row_to_snap(sqlite3_stmt *st, td_snapshot *o)
{
    memset(o, 0, sizeof *o);
    td_col_copy(st, 0, o->id, sizeof o->id);
    td_col_copy(st, 1, o->case_id, sizeof o->case_id);
    td_col_copy(st, 2, o->person_id, sizeof o->person_id);
    td_col_copy(st, 3, o->rule_set_id, sizeof o->rule_set_id);
    td_col_copy(st, 4, o->rule_set_hash, sizeof o->rule_set_hash);
    td_col_copy(st, 5, o->as_of, sizeof o->as_of);
    td_col_copy(st, 6, o->route, sizeof o->route);
    o->total = sqlite3_column_int(st, 7);
    td_col_copy(st, 8, o->tier_id, sizeof o->tier_id);
    td_col_copy(st, 9, o->prev_id, sizeof o->prev_id);
    td_col_copy(st, 10, o->created_by, sizeof o->created_by);
    td_col_copy(st, 11, o->created_at, sizeof o->created_at);
    const char *in = (const char *)sqlite3_column_text(st, 12);
    const char *led = (const char *)sqlite3_column_text(st, 13);
    o->inputs_json = strdup(in ? in : "[]");
    o->ledger_json = strdup(led ? led : "{}");
    if (!o->inputs_json || !o->ledger_json)
        abort();
}

td_status td_snapshot_latest(td_db *db, const char *case_id, td_snapshot *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT " SNAP_COLS " FROM score_snapshots WHERE case_id = ?"
                                     " AND deleted_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 1",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_snap(st, out);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return td_err_set(err, TD_ENOTFOUND, _("this case has not been scored yet"));
    return TD_OK;
}

td_status td_snapshot_get(td_db *db, const char *id, td_snapshot *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT " SNAP_COLS " FROM score_snapshots WHERE id = ? AND deleted_at IS NULL", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_snap(st, out);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return td_err_set(err, TD_ENOTFOUND, _("no such score snapshot: %s"), id);
    return TD_OK;
}

static const td_ledger_row *find_row(const td_score_result *r, const char *factor)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (strcmp(r->rows[i].factor, factor) == 0)
            return &r->rows[i];
    return NULL;
}

json_t *td_score_diff_json(const td_score_result *base, const td_score_result *wi)
{
    json_t *rows = json_array();
    for (int pass = 0; pass < 2; pass++) {
        const td_score_result *a = pass == 0 ? base : wi;
        const td_score_result *b = pass == 0 ? wi : base;
        for (size_t i = 0; i < a->nrows; i++) {
            const td_ledger_row *x = &a->rows[i];
            const td_ledger_row *y = find_row(b, x->factor);
            if (pass == 1 && y)
                continue; /* already listed */
            int bv = pass == 0 ? x->final : (y ? y->final : 0);
            int wv = pass == 0 ? (y ? y->final : 0) : x->final;
            json_array_append_new(rows, json_pack("{s:s,s:s,s:i,s:i,s:i}", "factor", x->factor,
                                                  "title", x->title, "base", bv, "what_if", wv,
                                                  "delta", wv - bv));
        }
    }
    return json_pack("{s:o,s:{s:i,s:i,s:i},s:{s:s,s:s},s:{s:s,s:s},s:b}", "factors", rows, "total",
                     "base", base->total, "what_if", wi->total, "delta", wi->total - base->total,
                     "tier", "base", base->tier, "what_if", wi->tier, "route", "base", base->route,
                     "what_if", wi->route, "binding", 0);
}

td_status td_snapshot_each(td_db *db, const char *case_id,
                           int (*cb)(const td_snapshot *s, void *ud), void *ud, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT " SNAP_COLS " FROM score_snapshots WHERE case_id = ?"
                                     " AND deleted_at IS NULL ORDER BY created_at DESC, rowid DESC",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, case_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_snapshot snap;
        row_to_snap(st, &snap);
        int stop = cb(&snap, ud);
        td_snapshot_free(&snap);
        if (stop)
            break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return td_db_fail(db, _("reading score snapshots"), err);
    return TD_OK;
}

td_status td_snapshot_reproduce(td_db *db, const td_snapshot *snap, td_score_result *out,
                                bool *identical, td_err *err)
{
    memset(out, 0, sizeof *out);
    *identical = false;
    td_ruleset *rs = NULL;
    td_status s = td_rules_get(db, snap->rule_set_id, snap->rule_set_hash, &rs, err);
    if (s)
        return s;
    json_error_t je;
    json_t *inputs = json_loads(snap->inputs_json, 0, &je);
    json_t *ledger = json_loads(snap->ledger_json, 0, &je);
    td_factset fs = { 0 };
    size_t i;
    json_t *x;
    json_array_foreach(inputs, i, x)
    {
        td_fact f;
        memset(&f, 0, sizeof f);
        const char *v;
        if ((v = json_string_value(json_object_get(x, "id"))))
            snprintf(f.id, sizeof f.id, "%s", v);
        if ((v = json_string_value(json_object_get(x, "name"))))
            snprintf(f.name, sizeof f.name, "%s", v);
        if ((v = json_string_value(json_object_get(x, "value"))))
            snprintf(f.value, sizeof f.value, "%s", v);
        if ((v = json_string_value(json_object_get(x, "date"))))
            snprintf(f.date, sizeof f.date, "%s", v);
        if ((v = json_string_value(json_object_get(x, "verified_by"))))
            snprintf(f.verified_by, sizeof f.verified_by, "%s", v);
        if ((v = json_string_value(json_object_get(x, "verified_at"))))
            snprintf(f.verified_at, sizeof f.verified_at, "%s", v);
        if ((v = json_string_value(json_object_get(x, "evidence"))))
            snprintf(f.evidence, sizeof f.evidence, "%s", v);
        v = json_string_value(json_object_get(x, "status"));
        f.verified = v && strcmp(v, "verified") == 0;
        td_factset_add(&fs, &f);
    }
    json_t *wage = json_object_get(ledger, "wage");
    long long wy = (long long)json_integer_value(json_object_get(wage, "annual_yuan"));
    const char *wsrc = json_string_value(json_object_get(wage, "source"));
    td_date as_of;
    if (!td_date_parse(snap->as_of, &as_of)) {
        s = td_err_set(err, TD_EINVALID, _("'%s' is not a valid date"), snap->as_of);
    } else {
        td_score_eval(rs, &fs, as_of, wy, wsrc, out);
        json_t *now = td_score_result_json(out);
        /* Where the rule text came from (database row or file) may differ;
         * its content hash may not. */
        json_object_del(json_object_get(now, "rule_set"), "policy_version");
        json_object_del(json_object_get(ledger, "rule_set"), "policy_version");
        *identical = ledger && json_equal(now, ledger);
        json_decref(now);
    }
    json_decref(inputs);
    json_decref(ledger);
    td_factset_free(&fs);
    td_ruleset_free(rs);
    return s;
}
