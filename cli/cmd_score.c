/* cmd_score.c — talentdesk score: score a case or facts given on the command
 * line under a rule set, print the ledger; --save writes a snapshot;
 * --what-if scores changed facts without saving and shows the differences. */
#include "cases/case.h"
#include "cases/scope.h"
#include "cli.h"
#include "recognition/facts.h"
#include "base/i18n.h"
#include "recognition/rules.h"
#include "recognition/score.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KV 64

/* Collects every --NAME value (repeatable) into fs. */
static td_status collect(td_cli *c, int *argc, char **argv, const char *name, bool verified,
                         td_factset *fs)
{
    const char *v;
    while ((v = td_cli_opt(argc, argv, name)) != NULL) {
        td_fact f;
        td_err err;
        if (td_fact_parse_kv(v, verified, &f, &err) != TD_OK)
            return td_cli_fail(c, &err);
        td_factset_add(fs, &f);
    }
    return TD_OK;
}

static void print_ledger(const td_score_result *r)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s %s (%s)\n", _("Rule set:"), r->rule_set_title, r->rule_set_id);
    td_cli_print(buf);
    snprintf(buf, sizeof buf, "  sha256 %.16s…%s", r->rule_set_hash,
             r->sample ? _("  [editable sample policy, not an official table]") : "");
    td_cli_print(buf);
    snprintf(buf, sizeof buf, "\n%s %s\n", _("Judged as of:"), r->as_of);
    td_cli_print(buf);
    if (r->wage_yuan) {
        snprintf(buf, sizeof buf, _("Local average wage: %lld yuan (%s)"), r->wage_yuan, r->wage_source);
        td_cli_print(buf);
        printf("\n");
    } else if (r->wage_missing) {
        printf("%s\n", _("Warning: no local average wage is in force on this date (data/wage.tdp), so the "
                          "salary-multiple routes were not assessed"));
    }
    if (r->nhits) {
        printf("\n%s\n", _("Catalogue (evaluated first):"));
        for (size_t i = 0; i < r->nhits; i++) {
            const td_cat_hit *h = &r->hits[i];
            char why[512];
            td_facts_humanize(h->why, why, sizeof why);
            const char *cells[4] = { h->tier, h->title, why,
                                     h->claimed_only ? _("claimed only - not counted") : "" };
            int w[4] = { 12, 40, 36, 0 };
            td_cli_row(4, cells, w);
        }
    }
    printf("\n");
    const char *head[7] = { _("Factor"), _("Input"), _("Band"), _("Raw"), _("Cap"), _("Points"),
                            _("Claimed, not counted") };
    int w[7] = { 22, 34, 24, -4, -4, -6, 0 };
    td_cli_row(7, head, w);
    for (size_t i = 0; i < r->nrows; i++) {
        const td_ledger_row *l = &r->rows[i];
        char raw[16], cap[16], fin[24], cl[200] = "";
        snprintf(raw, sizeof raw, "%d", l->raw);
        snprintf(cap, sizeof cap, "%d", l->cap);
        snprintf(fin, sizeof fin, "%d%s", l->final, l->capped ? "*" : "");
        if (l->claimed_final != l->final)
            snprintf(cl, sizeof cl, _("%d points (%s)"), l->claimed_final, l->claimed_band);
        char title[160];
        if (l->group[0])
            snprintf(title, sizeof title, "%s [%s]", l->title, l->group);
        else
            snprintf(title, sizeof title, "%s", l->title);
        char input[512];
        td_facts_humanize(l->input, input, sizeof input);
        const char *cells[7] = { title, l->input[0] ? input : _("(no verified fact)"), l->band,
                                 raw, cap, fin, cl };
        td_cli_row(7, cells, w);
    }
    for (size_t i = 0; i < r->ngroups; i++) {
        const td_group_row *g = &r->groups[i];
        snprintf(buf, sizeof buf, _("Group %s: %d points, cap %d -> %d"), g->title, g->sum, g->cap,
                 g->final);
        td_cli_print(buf);
        printf("\n");
    }
    printf("\n%s %d / %d   ", _("Total:"), r->total, r->max_points);
    snprintf(buf, sizeof buf, _("Tier: %s (%s) via %s"), r->tier_name, r->tier,
             strcmp(r->route, "catalogue") == 0 ? _("catalogue") : _("points"));
    td_cli_print(buf);
    if (r->catalogue_item[0]) {
        snprintf(buf, sizeof buf, " [%s]", r->catalogue_item);
        td_cli_print(buf);
    }
    printf("\n");
}

static void print_diff(json_t *d)
{
    printf("\n%s\n", _("What-if (not saved, not binding) - differences:"));
    const char *head[4] = { _("Factor"), _("Now"), _("What-if"), _("Change") };
    int w[4] = { 24, -6, -8, -7 };
    td_cli_row(4, head, w);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(d, "factors"), i, x)
    {
        int delta = (int)json_integer_value(json_object_get(x, "delta"));
        if (!delta)
            continue;
        char a[16], b[16], dd[16];
        snprintf(a, sizeof a, "%d", (int)json_integer_value(json_object_get(x, "base")));
        snprintf(b, sizeof b, "%d", (int)json_integer_value(json_object_get(x, "what_if")));
        snprintf(dd, sizeof dd, "%+d", delta);
        const char *cells[4] = { json_string_value(json_object_get(x, "title")), a, b, dd };
        td_cli_row(4, cells, w);
    }
    json_t *t = json_object_get(d, "total"), *tr = json_object_get(d, "tier");
    char line[256];
    snprintf(line, sizeof line, _("Total %d -> %d; tier %s -> %s\n"), (int)json_integer_value(json_object_get(t, "base")),
           (int)json_integer_value(json_object_get(t, "what_if")),
           json_string_value(json_object_get(tr, "base")),
           json_string_value(json_object_get(tr, "what_if")));
    td_cli_print(line);
}

static int hist_cb(const td_snapshot *sn, void *ud)
{
    json_t *arr = ud;
    if (arr) {
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:o,s:s,s:s}", "id", sn->id,
                                             "rule_set_id", sn->rule_set_id, "rule_set_hash",
                                             sn->rule_set_hash, "as_of", sn->as_of, "route", sn->route,
                                             "total", sn->total, "tier", sn->tier_id, "prev_id",
                                             td_json_str(sn->prev_id), "created_by", sn->created_by,
                                             "created_at", sn->created_at));
        return 0;
    }
    char total[16], when[20];
    snprintf(total, sizeof total, "%d", sn->total);
    snprintf(when, sizeof when, "%.16s", sn->created_at);
    const char *cells[6] = { sn->id, when, sn->rule_set_id, total, sn->tier_id, sn->route };
    int w[6] = { 36, 16, 22, -4, 12, 0 };
    td_cli_row(6, cells, w);
    return 0;
}

/* score --history CASE | score --snapshot ID */
static int stored(td_cli *c, const char *history, const char *snapshot)
{
    td_err err;
    td_err_clear(&err);
    td_status s;
    if ((s = td_cli_actor(c)))
        return s;
    if (history) {
        td_case k;
        if ((s = td_case_get_as(c->db, &c->actor, history, &k, &err)))
            return td_cli_fail(c, &err);
        json_t *arr = c->json ? json_array() : NULL;
        if ((s = td_snapshot_each_as(c->db, &c->actor, k.id, hist_cb, arr, &err))) {
            json_decref(arr);
            return td_cli_fail(c, &err);
        }
        if (arr)
            td_cli_json(arr);
        return TD_OK;
    }
    td_snapshot snap;
    td_score_result r;
    bool same = false;
    if ((s = td_snapshot_reproduce_as(c->db, &c->actor, snapshot, &snap, &r, &same, &err)))
        return td_cli_fail(c, &err);
    if (c->json) {
        json_error_t je;
        json_t *st = json_loads(snap.ledger_json, 0, &je);
        json_t *j = json_pack("{s:s,s:s,s:s,s:o,s:b,s:o}", "snapshot_id", snap.id, "created_by",
                              snap.created_by, "created_at", snap.created_at, "prev_id",
                              td_json_str(snap.prev_id), "reproduced_identical", same, "stored",
                              st ? st : json_null());
        td_cli_json(j);
    } else {
        print_ledger(&r);
        char line[256];
        snprintf(line, sizeof line, _("Snapshot %s, saved %s.\n"), snap.id, snap.created_at);
        td_cli_print(line);
        printf("%s\n", same ? _("Recomputed from the stored facts and rule version: identical.")
                            : _("WARNING: recomputing gives a different result than the stored snapshot."));
    }
    td_score_result_free(&r);
    td_snapshot_free(&snap);
    return same ? TD_OK : TD_ECONFLICT;
}

int cmd_score(td_cli *c, int argc, char **argv)
{
    const char *history = td_cli_opt(&argc, argv, "history");
    const char *snapshot = td_cli_opt(&argc, argv, "snapshot");
    if (history || snapshot) {
        if (argc != 1 || (history && snapshot))
            return td_cli_usage(c, "%s", _("usage: talentdesk score --history CASE | --snapshot ID"));
        return stored(c, history, snapshot);
    }

    td_err err;
    td_err_clear(&err);
    td_status s = TD_OK;
    const char *rules = td_cli_opt(&argc, argv, "rules");
    const char *as_of = td_cli_opt(&argc, argv, "as-of");
    const char *file = td_cli_opt(&argc, argv, "facts");
    const char *wrules = td_cli_opt(&argc, argv, "what-if-rules");
    bool save = td_cli_flag(&argc, argv, "save");
    td_factset adhoc = { 0 }, whatif = { 0 };
    td_score_result base = { 0 }, alt = { 0 };
    bool have_alt = false;
    char snap[TD_UUID_LEN] = "";
    if ((s = collect(c, &argc, argv, "fact", true, &adhoc)) ||
        (s = collect(c, &argc, argv, "what-if", true, &whatif)))
        goto out;
    bool adhoc_mode = file || adhoc.n > 0;
    if ((adhoc_mode && argc != 1) || (!adhoc_mode && argc != 2)) {
        s = td_cli_usage(c, "%s",
                         _("usage: talentdesk score CASE | --facts FILE.json | --fact NAME=VALUE ... "
                           "[--rules ID] [--as-of DATE] [--save] [--what-if NAME=VALUE ...] [--what-if-rules ID]"));
        goto out;
    }
    if (adhoc_mode && save) {
        s = td_cli_usage(c, "%s", _("--save needs a case: facts given on the command line are not stored"));
        goto out;
    }
    if (adhoc_mode) {
        if (file && (s = td_facts_from_json_file(file, &adhoc, &err))) {
            td_cli_fail(c, &err);
            goto out;
        }
        if ((s = td_cli_open_db(c)))
            goto out;
        td_date d = td_today();
        if (as_of && !td_date_parse(as_of, &d)) {
            s = td_cli_usage(c, _("'%s' is not a valid date"), as_of);
            goto out;
        }
        if ((s = td_score_facts(c->db, rules, &adhoc, d, &base, &err))) {
            td_cli_fail(c, &err);
            goto out;
        }
        if (whatif.n || wrules) {
            td_factset_override(&adhoc, &whatif);
            if ((s = td_score_facts(c->db, wrules ? wrules : rules, &adhoc, d, &alt, &err))) {
                td_cli_fail(c, &err);
                goto out;
            }
            have_alt = true;
        }
    } else {
        if ((s = td_cli_actor(c)))
            goto out;
        td_score_case_args a = { .case_key = argv[1], .rule_set_id = rules, .as_of = as_of,
                                 .save = save && whatif.n == 0 && !wrules };
        if ((s = td_score_case(c->db, &c->actor, &a, &base, snap, &err))) {
            td_cli_fail(c, &err);
            goto out;
        }
        if (whatif.n || wrules) {
            a.save = false;
            a.what_if = whatif.n ? &whatif : NULL;
            a.rule_set_id = wrules ? wrules : rules;
            if ((s = td_score_case(c->db, &c->actor, &a, &alt, NULL, &err))) {
                td_cli_fail(c, &err);
                goto out;
            }
            have_alt = true;
        }
    }
    if (c->json) {
        json_t *j = td_score_result_json(&base);
        json_object_set_new(j, "snapshot_id", snap[0] ? json_string(snap) : json_null());
        if (have_alt) {
            json_t *w = json_object();
            json_object_set_new(w, "result", td_score_result_json(&alt));
            json_object_set_new(w, "diff", td_score_diff_json(&base, &alt));
            json_object_set_new(j, "what_if", w);
        }
        td_cli_json(j);
    } else {
        print_ledger(&base);
        if (snap[0])
            td_cli_printf(_("Saved as snapshot %s.\n"), snap);
        else if (save && have_alt)
            printf("%s\n", _("Not saved: a what-if is never saved."));
        if (have_alt) {
            json_t *d = td_score_diff_json(&base, &alt);
            print_diff(d);
            json_decref(d);
        }
    }
out:
    td_factset_free(&adhoc);
    td_factset_free(&whatif);
    td_score_result_free(&base);
    td_score_result_free(&alt);
    return s;
}
