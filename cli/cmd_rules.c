/* cmd_rules.c — talentdesk rules list | show ID | check FILE|DIR. */
#include "cli.h"
#include "base/i18n.h"
#include "recognition/rules.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int list_cb(const td_ruleset_info *ri, void *ud)
{
    json_t *arr = ud;
    if (arr) {
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:b,s:s,s:s}", "id", ri->id, "title",
                                             ri->title, "effective_from", ri->effective_from,
                                             "effective_to", td_json_str(ri->effective_to), "sample",
                                             ri->sample, "sha256", ri->sha256, "origin", ri->origin));
        return 0;
    }
    char eff[40], sha[16];
    snprintf(eff, sizeof eff, "%s…%s", ri->effective_from, ri->effective_to);
    snprintf(sha, sizeof sha, "%.12s", ri->sha256);
    const char *cells[5] = { ri->id, eff, sha, ri->sample ? _("sample") : _("official"), ri->title };
    int w[5] = { 24, 22, 12, 8, 0 };
    td_cli_row(5, cells, w);
    return 0;
}

static json_t *ruleset_json(const td_ruleset *rs)
{
    json_t *tiers = json_array(), *cat = json_array(), *facs = json_array(), *groups = json_array();
    for (size_t i = 0; i < rs->ntiers; i++) {
        const td_tier *t = &rs->tiers[i];
        json_array_append_new(tiers, json_pack("{s:s,s:s,s:i,s:o}", "id", t->id, "name", t->name, "rank",
                                               t->rank, "min_points",
                                               t->has_min ? json_integer(t->min_points) : json_null()));
    }
    for (size_t i = 0; i < rs->nitems; i++) {
        const td_cat_item *it = &rs->items[i];
        json_t *w = json_array();
        for (size_t k = 0; k < it->nc; k++)
            json_array_append_new(w, json_string(it->conds[k].text));
        json_array_append_new(cat, json_pack("{s:s,s:s,s:s,s:o,s:s}", "id", it->id, "title", it->title,
                                             "tier", it->tier, "when", w, "basis", it->basis));
    }
    for (size_t i = 0; i < rs->nfactors; i++) {
        const td_factor *f = &rs->factors[i];
        json_t *bands = json_array(), *m = json_array();
        for (size_t k = 0; k < f->nb; k++) {
            const td_band *b = &f->bands[k];
            json_array_append_new(
                bands, json_pack("{s:o,s:b,s:o,s:b,s:i,s:s}", "low",
                                 b->lo_inf ? json_null() : json_integer(b->lo), "low_inclusive", b->lo_incl,
                                 "high", b->hi_inf ? json_null() : json_integer(b->hi), "high_inclusive",
                                 b->hi_incl, "points", b->points, "label", b->label));
        }
        for (size_t k = 0; k < f->nm; k++)
            json_array_append_new(m, json_pack("{s:s,s:s,s:i,s:s}", "fact", f->matches[k].fact, "values",
                                               f->matches[k].values, "points", f->matches[k].points,
                                               "label", f->matches[k].label));
        json_array_append_new(facs, json_pack("{s:s,s:s,s:o,s:i,s:s,s:o,s:o,s:o}", "id", f->id, "title",
                                              f->title, "input", td_json_str(f->input), "cap", f->cap,
                                              "aggregate", f->agg_max ? "max" : "sum", "group",
                                              td_json_str(f->group), "bands", bands, "matches", m));
    }
    for (size_t i = 0; i < rs->ngroups; i++)
        json_array_append_new(groups, json_pack("{s:s,s:s,s:i}", "id", rs->groups[i].id, "title",
                                                rs->groups[i].title, "cap", rs->groups[i].cap));
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:b,s:s,s:o,s:i,s:o,s:o,s:o,s:o}", "id", rs->id, "title",
                     rs->title, "basis", rs->basis, "note", rs->note, "effective_from",
                     rs->effective_from, "effective_to", td_json_str(rs->effective_to), "sample",
                     rs->sample, "sha256", rs->sha256, "policy_version", td_json_str(rs->policy_version),
                     "max_points", rs->max_points, "tiers", tiers, "catalogue", cat, "factors", facs,
                     "groups", groups);
}

static void band_text(const td_band *b, char *out, size_t len)
{
    char lo[32] = "", hi[32] = "";
    if (!b->lo_inf)
        snprintf(lo, sizeof lo, "%lld", b->lo);
    if (!b->hi_inf)
        snprintf(hi, sizeof hi, "%lld", b->hi);
    snprintf(out, len, "%c%s, %s%c", b->lo_incl && !b->lo_inf ? '[' : '(', lo, hi,
             b->hi_incl && !b->hi_inf ? ']' : ')');
}

static void print_ruleset(const td_ruleset *rs)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s  (%s)\n%s %s\n%s %s ... %s\n%s %s\n", rs->title, rs->id, _("Legal basis:"),
             rs->basis, _("In force:"), rs->effective_from, rs->effective_to[0] ? rs->effective_to : _("open"),
             "sha256:", rs->sha256);
    td_cli_print(buf);
    if (rs->sample)
        printf("%s\n", _("EDITABLE SAMPLE POLICY - not an official table."));
    if (rs->note[0]) {
        td_cli_print(rs->note);
        printf("\n");
    }
    printf("\n%s\n", _("Tiers:"));
    for (size_t i = 0; i < rs->ntiers; i++) {
        char rank[8], min[16] = "";
        snprintf(rank, sizeof rank, "%d", rs->tiers[i].rank);
        if (rs->tiers[i].has_min)
            snprintf(min, sizeof min, "≥ %d", rs->tiers[i].min_points);
        else
            snprintf(min, sizeof min, "%s", _("catalogue only"));
        const char *cells[4] = { rank, rs->tiers[i].id, rs->tiers[i].name, min };
        int w[4] = { -2, 12, 20, 0 };
        td_cli_row(4, cells, w);
    }
    printf("\n%s\n", _("Catalogue (evaluated before points):"));
    for (size_t i = 0; i < rs->nitems; i++) {
        const td_cat_item *it = &rs->items[i];
        char conds[512] = "";
        for (size_t k = 0; k < it->nc; k++) {
            size_t l = strlen(conds);
            snprintf(conds + l, sizeof conds - l, "%s%s", k ? " AND " : "", it->conds[k].text);
        }
        const char *cells[3] = { it->tier, it->title, conds };
        int w[3] = { 12, 40, 0 };
        td_cli_row(3, cells, w);
    }
    printf("\n%s %d\n", _("Factors - maximum points:"), rs->max_points);
    for (size_t i = 0; i < rs->nfactors; i++) {
        const td_factor *f = &rs->factors[i];
        snprintf(buf, sizeof buf, _("%s (%s): cap %d, %s%s%s%s\n"), f->title, f->id, f->cap,
                 f->agg_max ? _("highest item counts") : _("items are summed"), f->input[0] ? ", input " : "",
                 f->input, f->group[0] ? _(", in a group") : "");
        td_cli_print(buf);
        for (size_t k = 0; k < f->nb; k++) {
            char iv[80], pts[16];
            band_text(&f->bands[k], iv, sizeof iv);
            snprintf(pts, sizeof pts, "%d", f->bands[k].points);
            const char *cells[4] = { "", iv, pts, f->bands[k].label };
            int w[4] = { 2, 24, -4, 0 };
            td_cli_row(4, cells, w);
        }
        for (size_t k = 0; k < f->nm; k++) {
            char m[300], pts[16];
            snprintf(m, sizeof m, "%s=%s", f->matches[k].fact, f->matches[k].values);
            snprintf(pts, sizeof pts, "%d", f->matches[k].points);
            const char *cells[4] = { "", m, pts, f->matches[k].label };
            int w[4] = { 2, 24, -4, 0 };
            td_cli_row(4, cells, w);
        }
    }
    for (size_t i = 0; i < rs->ngroups; i++) {
        snprintf(buf, sizeof buf, _("Group %s (%s): cap %d\n"), rs->groups[i].title, rs->groups[i].id,
                 rs->groups[i].cap);
        td_cli_print(buf);
    }
}

int cmd_rules(td_cli *c, int argc, char **argv)
{
    td_err err;
    td_err_clear(&err);
    td_status s;
    const char *sub = argc >= 2 ? argv[1] : "list";
    if (strcmp(sub, "list") == 0) {
        if ((s = td_cli_open_db(c)))
            return s;
        json_t *arr = c->json ? json_array() : NULL;
        if ((s = td_rules_list(c->db, list_cb, arr, &err))) {
            json_decref(arr);
            return td_cli_fail(c, &err);
        }
        if (arr)
            td_cli_json(arr);
        return TD_OK;
    }
    if (strcmp(sub, "show") == 0) {
        const char *ver = td_cli_opt(&argc, argv, "sha256");
        if (argc != 3)
            return td_cli_usage(c, "%s", _("usage: talentdesk rules show ID [--sha256 HASH]"));
        if ((s = td_cli_open_db(c)))
            return s;
        td_ruleset *rs;
        if ((s = td_rules_get(c->db, argv[2], ver, &rs, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(ruleset_json(rs));
        else
            print_ruleset(rs);
        td_ruleset_free(rs);
        return TD_OK;
    }
    if (strcmp(sub, "check") == 0) {
        if (argc != 3)
            return td_cli_usage(c, "%s", _("usage: talentdesk rules check FILE.tdp|DIRECTORY"));
        struct stat sb;
        int n = 1;
        if (stat(argv[2], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            s = td_rules_check_dir(argv[2], &n, &err);
        } else {
            td_ruleset *rs = NULL;
            s = td_ruleset_load_file(argv[2], &rs, &err);
            td_ruleset_free(rs);
        }
        if (s)
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:b,s:i}", "ok", 1, "files", n));
        else
            td_cli_printf(_("%d rule file(s) valid.\n"), n);
        return TD_OK;
    }
    return td_cli_usage(c, _("unknown rules command '%s' (list, show, check)"), sub);
}
