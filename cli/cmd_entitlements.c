/* cmd_entitlements.c — talentdesk entitlements PERSON|CASE [--as-of DATE]
 * (政策匹配), and entitlements reward UNIT AMOUNT [--contract C] [--date D]
 * [--person P] [--grant] (tech-transfer reward under the yearly cap), and
 * entitlements terms BENEFIT [--years N] [--area M2] (within its terms?). */
#include "cli.h"
#include "cases/scope.h"
#include "recognition/entitlements.h"
#include "base/i18n.h"
#include "people/person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *status_name(const char *st)
{
    if (strcmp(st, "eligible") == 0)
        return _("eligible");
    if (strcmp(st, "unverified") == 0)
        return _("eligible once verified");
    return _("not eligible");
}

static void amount_text(const td_entitlement *e, char *out, size_t len)
{
    char a[32], b[32];
    switch (e->kind) {
    case TD_AMT_MAX:
        td_money_format(e->max_fen, a, sizeof a);
        snprintf(out, len, _("up to %s yuan"), a);
        break;
    case TD_AMT_RANGE:
        td_money_format(e->min_fen, a, sizeof a);
        td_money_format(e->max_fen, b, sizeof b);
        snprintf(out, len, _("%s-%s yuan"), a, b);
        break;
    case TD_AMT_PERCENT:
        td_money_format(e->amount_fen, a, sizeof a);
        if (e->amount_fen)
            snprintf(out, len, _("%s yuan (%d.%02d%% of %s)"), a, e->bp / 100, e->bp % 100, e->percent_of);
        else
            snprintf(out, len, _("%d.%02d%% of %s"), e->bp / 100, e->bp % 100, e->percent_of);
        break;
    case TD_AMT_REWARD:
        td_money_format(e->max_fen, a, sizeof a);
        td_money_format(e->min_fen, b, sizeof b);
        snprintf(out, len, _("%d.%02d%% per contract, <= %s a contract, <= %s a unit a year"), e->bp / 100,
                 e->bp % 100, a, b);
        break;
    default:
        td_entitlement_terms_text(e, out, len);
        if (!out[0])
            snprintf(out, len, "—");
    }
}

static int reward_cmd(td_cli *c, int argc, char **argv)
{
    const char *contract = td_cli_opt(&argc, argv, "contract");
    const char *date = td_cli_opt(&argc, argv, "date");
    const char *person = td_cli_opt(&argc, argv, "person");
    const char *unit_name = td_cli_opt(&argc, argv, "unit-name");
    bool grant = td_cli_flag(&argc, argv, "grant");
    if (argc != 4)
        return td_cli_usage(c, "%s", _("usage: talentdesk entitlements reward UNIT-CREDIT-CODE AMOUNT-YUAN "
                                       "[--unit-name NAME] [--contract NO] [--date DATE] [--person P] [--grant]"));
    char *end;
    long long amount = strtoll(argv[3], &end, 10);
    if (*end || amount <= 0)
        return td_cli_usage(c, _("'%s' is not a whole number of yuan"), argv[3]);
    td_status s;
    td_err err;
    td_err_clear(&err);
    if ((s = td_cli_actor(c)))
        return s;
    char pid[TD_UUID_LEN] = "";
    if (person) {
        td_person p;
        if ((s = td_person_get_as(c->db, &c->actor, person, &p, &err)))
            return td_cli_fail(c, &err);
        snprintf(pid, sizeof pid, "%s", p.id);
    }
    td_reward_calc r;
    char gid[TD_UUID_LEN] = "";
    td_reward_req q = { argv[2], unit_name, contract, amount, date, pid[0] ? pid : NULL };
    if ((s = td_tech_transfer_reward(c->db, &c->actor, &q, grant, &r, gid, &err)))
        return td_cli_fail(c, &err);
    if (c->json) {
        td_cli_json(json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:i,s:s,s:s,s:o}", "transaction_fen",
                              (json_int_t)r.transaction_fen, "percent_fen", (json_int_t)r.percent_fen,
                              "per_contract_cap_fen", (json_int_t)r.per_contract_cap_fen,
                              "unit_year_cap_fen", (json_int_t)r.unit_year_cap_fen, "granted_before_fen",
                              (json_int_t)r.granted_before_fen, "amount_fen", (json_int_t)r.amount_fen,
                              "year", r.year, "source", r.source, "explain", r.explain, "grant_id",
                              td_json_str(gid)));
    } else {
        td_cli_print(r.explain);
        char src[300];
        snprintf(src, sizeof src, "\n%s %s\n", _("Source:"), r.source);
        td_cli_print(src);
        if (gid[0])
            td_cli_printf(_("Granted and recorded (%s).\n"), gid);
        else
            printf("%s\n", _("Computed only (use --grant to record it)."));
    }
    return TD_OK;
}

/* entitlements terms BENEFIT [--years N] [--area M2]: is what is asked
 * within the benefit's terms (000 §4, §12, §16; 004 §9)?  Exit 0 within,
 * 6 (invalid) beyond, naming the limit and its source. */
static int terms_cmd(td_cli *c, int argc, char **argv)
{
    const char *ys = td_cli_opt(&argc, argv, "years");
    const char *as = td_cli_opt(&argc, argv, "area");
    if (argc != 3)
        return td_cli_usage(c, "%s", _("usage: talentdesk entitlements terms BENEFIT [--years N] [--area M2]"));
    int years = 0, area = 0;
    const char *vals[2] = { ys, as };
    int *dst[2] = { &years, &area };
    for (int i = 0; i < 2; i++) {
        if (!vals[i])
            continue;
        char *end;
        long v = strtol(vals[i], &end, 10);
        if (*end || end == vals[i] || v < 1 || v > 1000000)
            return td_cli_usage(c, _("'%s' is not a whole number above 0"), vals[i]);
        *dst[i] = (int)v;
    }
    td_err err;
    td_err_clear(&err);
    td_entitlement e;
    memset(&e, 0, sizeof e);
    /* The terms in force are those of the database's entitlements.tdp version,
     * when there is a database; the file under data/ otherwise. */
    struct stat sb;
    td_status s;
    if (!c->db && c->db_path && stat(c->db_path, &sb) == 0 && (s = td_cli_open_db(c)))
        return s;
    s = td_entitlement_check_terms_db(c->db, argv[2], years, area, &e, &err);
    if (s && s != TD_EINVALID)
        return td_cli_fail(c, &err);
    char terms[128];
    td_entitlement_terms_text(&e, terms, sizeof terms);
    if (c->json) {
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b}", "id", e.id, "title", e.title, "source", e.source, "terms",
                              terms, "within", s == TD_OK);
        const char *const tk[] = { "min_years", "max_years", "min_area_m2", "max_area_m2", "about_area_m2" };
        const int tv[] = { e.min_years, e.max_years, e.min_area_m2, e.max_area_m2, e.about_area_m2 };
        for (int q = 0; q < 5; q++)
            if (tv[q])
                json_object_set_new(o, tk[q], json_integer(tv[q]));
        if (s)
            json_object_set_new(o, "error", json_string(err.msg));
        td_cli_json(o);
        return s ? td_cli_fail(c, &err) : TD_OK;
    }
    if (s)
        return td_cli_fail(c, &err);
    char line[600];
    snprintf(line, sizeof line, "%s: %s (%s)\n", e.title, terms[0] ? terms : "—", e.source);
    td_cli_print(line);
    return TD_OK;
}

int cmd_entitlements(td_cli *c, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "reward") == 0)
        return reward_cmd(c, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "terms") == 0)
        return terms_cmd(c, argc, argv);
    const char *as_of = td_cli_opt(&argc, argv, "as-of");
    if (argc != 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk entitlements PERSON|CASE [--as-of DATE] | reward ... | terms ..."));
    td_status s;
    td_err err;
    td_err_clear(&err);
    if ((s = td_cli_actor(c)))
        return s;
    td_entitlement_list l;
    if ((s = td_entitlements_for(c->db, &c->actor, argv[1], as_of, &l, &err)))
        return td_cli_fail(c, &err);
    if (c->json) {
        td_cli_json(td_entitlements_json(&l));
    } else {
        char head[256];
        snprintf(head, sizeof head, "%s %s   %s %s\n", _("Tier:"), l.tier[0] ? l.tier : _("(not recognised)"),
                 _("As of:"), l.as_of);
        td_cli_print(head);
        for (int pass = 0; pass < 3; pass++) {
            const char *want = pass == 0 ? "eligible" : pass == 1 ? "unverified" : "not_eligible";
            for (size_t i = 0; i < l.n; i++) {
                const td_entitlement *e = &l.v[i];
                if (strcmp(e->status, want) != 0)
                    continue;
                char amt[200];
                amount_text(e, amt, sizeof amt);
                const char *cells[4] = { status_name(e->status), e->title, amt, e->source };
                int w[4] = { 14, 44, 30, 0 };
                td_cli_row(4, cells, w);
                if (e->missing[0]) {
                    char buf[700];
                    snprintf(buf, sizeof buf, "    %s %s\n", _("missing:"), e->missing);
                    td_cli_print(buf);
                }
            }
        }
    }
    td_entitlement_list_free(&l);
    return TD_OK;
}
