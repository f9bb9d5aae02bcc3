/* cmd_facts.c — talentdesk facts PERSON list | add NAME=VALUE[@DATE]
 * [--verified --evidence E] [--note N] | verify FACT --evidence E;
 * facts names lists the registry. */
#include "cli.h"
#include "cases/scope.h"
#include "recognition/facts.h"
#include "base/i18n.h"
#include "people/person.h"
#include "people/mask.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value as the signed-in user may see it: salaries masked for roles
 * without need (people/mask.h). */
static const char *fact_value(const td_fact *f, char *buf, size_t len)
{
    return td_fact_is_salary(f->name) ? td_pii_view(td_cli_viewer, TD_PII_SALARY, f->value, buf, len) : f->value;
}

static json_t *fact_json(const td_fact *f)
{
    char vb[64];
    return json_pack("{s:s,s:s,s:s,s:o,s:s,s:o,s:o,s:s,s:s,s:i}", "id", f->id, "name", f->name, "value",
                     fact_value(f, vb, sizeof vb), "date", td_json_str(f->date), "status", f->verified ? "verified" : "claimed",
                     "verified_by", td_json_str(f->verified_by), "verified_at",
                     td_json_str(f->verified_at), "evidence", f->evidence, "note", f->note,
                     "row_version", (int)f->row_version);
}

static void print_fact(const td_fact *f)
{
    char vb[64];
    const char *cells[6] = { f->id[0] ? f->id : "-", f->name, fact_value(f, vb, sizeof vb), f->date,
                             f->verified ? _("verified") : _("claimed"), f->evidence };
    int w[6] = { 36, 26, 24, 10, 8, 0 };
    td_cli_row(6, cells, w);
}

int cmd_facts(td_cli *c, int argc, char **argv)
{
    td_err err;
    td_err_clear(&err);
    td_status s;
    if (argc >= 2 && strcmp(argv[1], "names") == 0) {
        size_t n;
        const td_fact_def *d = td_fact_defs(&n);
        static const char *types[] = { "date", "int", "yuan", "code", "yes", "period", "text" };
        json_t *arr = c->json ? json_array() : NULL;
        for (size_t i = 0; i < n; i++) {
            if (arr) {
                json_array_append_new(arr, json_pack("{s:s,s:s,s:b,s:o,s:s}", "name", d[i].name, "type",
                                                     types[d[i].type], "multi", d[i].multi, "values",
                                                     td_json_str(d[i].values), "label", _(d[i].label)));
                continue;
            }
            const char *cells[4] = { d[i].name, types[d[i].type], _(d[i].label), d[i].values ? d[i].values : "" };
            int w[4] = { 32, 6, 30, 0 };
            td_cli_row(4, cells, w);
        }
        if (arr)
            td_cli_json(arr);
        return TD_OK;
    }
    const char *evidence = td_cli_opt(&argc, argv, "evidence");
    const char *note = td_cli_opt(&argc, argv, "note");
    const char *rv = td_cli_opt(&argc, argv, "row-version");
    bool verified = td_cli_flag(&argc, argv, "verified");
    if (argc < 3)
        return td_cli_usage(c, "%s", _("usage: talentdesk facts PERSON list | add NAME=VALUE[@DATE] [--verified "
                                       "--evidence TEXT] | verify FACT-ID --evidence TEXT | facts names"));
    if ((s = td_cli_actor(c)))
        return s;
    td_person p;
    if ((s = td_person_get_as(c->db, &c->actor, argv[1], &p, &err)))
        return td_cli_fail(c, &err);
    const char *sub = argv[2];
    if (strcmp(sub, "list") == 0) {
        td_factset fs = { 0 };
        if ((s = td_facts_load_as(c->db, &c->actor, p.id, &fs, &err)))
            return td_cli_fail(c, &err);
        if (c->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < fs.n; i++)
                json_array_append_new(arr, fact_json(&fs.v[i]));
            td_cli_json(arr);
        } else {
            for (size_t i = 0; i < fs.n; i++)
                print_fact(&fs.v[i]);
            if (!fs.n)
                printf("%s\n", _("No facts recorded."));
        }
        td_factset_free(&fs);
        return TD_OK;
    }
    if (strcmp(sub, "add") == 0) {
        if (argc != 4)
            return td_cli_usage(c, "%s", _("usage: talentdesk facts PERSON add NAME=VALUE[@DATE] [--verified --evidence TEXT]"));
        td_fact f;
        if ((s = td_fact_parse_kv(argv[3], verified, &f, &err)))
            return td_cli_fail(c, &err);
        snprintf(f.person_id, sizeof f.person_id, "%s", p.id);
        if (evidence)
            snprintf(f.evidence, sizeof f.evidence, "%s", evidence);
        if (note)
            snprintf(f.note, sizeof f.note, "%s", note);
        if ((s = td_fact_add(c->db, &c->actor, &f, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(fact_json(&f));
        else
            print_fact(&f);
        return TD_OK;
    }
    if (strcmp(sub, "verify") == 0) {
        if (argc != 4)
            return td_cli_usage(c, "%s", _("usage: talentdesk facts PERSON verify FACT-ID --evidence TEXT"));
        if ((s = td_fact_verify(c->db, &c->actor, argv[3], evidence, rv ? atol(rv) : 0, &err)))
            return td_cli_fail(c, &err);
        td_fact f;
        if ((s = td_fact_get_as(c->db, &c->actor, argv[3], &f, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(fact_json(&f));
        else
            print_fact(&f);
        return TD_OK;
    }
    return td_cli_usage(c, _("unknown facts command '%s' (list, add, verify)"), sub);
}
