/* cmd_case.c — talentdesk case new|show|list. */
#include "cases/case.h"
#include "cli.h"
#include "case_extra.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "people/person.h"
#include "workflow/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *td_case_json(const td_case *c)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:i}", "id", c->id,
                     "case_no", c->case_no, "person_id", c->person_id, "person_name", c->person_name,
                     "type", c->case_type, "channel", c->channel, "state", c->state, "state_name",
                     td_state_name(c->state), "green_channel", c->green_channel, "tier",
                     td_json_str(c->tier_id), "talent_code", td_json_str(c->talent_code), "due_date",
                     td_json_str(c->due_date), "closed_at", td_json_str(c->closed_at), "created_at",
                     c->created_at, "updated_at", c->updated_at, "state_since", c->state_since,
                     "row_version", (int)c->row_version);
}

static int svc_json_cb(const td_service_request *r, void *ud)
{
    json_array_append_new(ud, json_pack("{s:s,s:s,s:s,s:s,s:i,s:o}", "id", r->id, "service", r->service_id,
                                        "name", r->service_name, "status", r->status, "days", r->days,
                                        "due_date", td_json_str(r->due_date)));
    return 0;
}

static int svc_print_cb(const td_service_request *r, void *ud)
{
    (void)ud;
    char days[16];
    snprintf(days, sizeof days, "%d", r->days);
    const char *cells[4] = { r->service_name, td_request_status_name(r->status), days, r->due_date };
    int w[4] = { 24, 12, -4, 0 };
    td_cli_row(4, cells, w);
    return 0;
}

static void print_case(td_cli *c, const td_case *k)
{
    char due[64];
    snprintf(due, sizeof due, "%s%s", k->due_date, k->due_approx && k->due_date[0] ? _(" (approx.)") : "");
    const char *rows[][2] = {
        { _("Case"), k->case_no },          { _("Applicant"), k->person_name },
        { _("State"), td_state_name(k->state) },
        { _("Type"), strcmp(k->case_type, "service") == 0 ? _("service application") : _("talent recognition") },
        { _("Channel"), k->channel },       { _("Tier"), k->tier_id },
        { _("Talent code"), k->talent_code }, { _("Due"), due },
        { _("Opened"), k->created_at },     { _("Closed at"), k->closed_at },
    };
    int w[2] = { 10, 0 };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!rows[i][1] || !*rows[i][1])
            continue;
        const char *cells[2] = { rows[i][0], rows[i][1] };
        td_cli_row(2, cells, w);
    }
    if (k->green_channel) {
        const char *cells[2] = { _("Green channel"), k->green_reason };
        td_cli_row(2, cells, w);
    }
    printf("\n%s\n", _("Services:"));
    td_err err;
    td_case_services_each_as(c->db, &c->actor, k->id, svc_print_cb, NULL, &err);
}

typedef struct {
    json_t *arr;
    int n;
} list_ctx;

static int list_cb(const td_case *k, void *ud)
{
    list_ctx *l = ud;
    l->n++;
    if (l->arr) {
        json_array_append_new(l->arr, td_case_json(k));
        return 0;
    }
    char upd[17];
    snprintf(upd, sizeof upd, "%.16s", k->updated_at);
    const char *cells[4] = { k->case_no, k->person_name, td_state_name(k->state), upd };
    int w[4] = { 16, 16, 10, 0 };
    td_cli_row(4, cells, w);
    return 0;
}

int cmd_case(td_cli *c, int argc, char **argv)
{
    if (argc < 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk case new|show|list ..."));
    const char *sub = argv[1];
    argv++;
    argc--;
    /* Workflow verbs live in cmd_wf.c. */
    if (!strcmp(sub, "act") || !strcmp(sub, "actions") || !strcmp(sub, "history")) {
        int cmd_case_wf(td_cli *c, int argc, char **argv);
        return cmd_case_wf(c, argc, argv);
    }
    td_err err;
    td_err_clear(&err);
    td_status s;
    if (strcmp(sub, "new") == 0) {
        td_case_new_args a;
        memset(&a, 0, sizeof a);
        a.case_type = td_cli_opt(&argc, argv, "type");
        a.channel = td_cli_opt(&argc, argv, "channel");
        a.specialist = td_cli_opt(&argc, argv, "specialist");
        char *lists[TD_MAX_SERVICES];
        int nl = 0, ns = 0;
        const char *v;
        while (nl < TD_MAX_SERVICES && (v = td_cli_opt(&argc, argv, "service")) != NULL) {
            lists[nl] = strdup(v);
            char *save = NULL;
            for (char *t = strtok_r(lists[nl], ",", &save); t && ns < TD_MAX_SERVICES - 1;
                 t = strtok_r(NULL, ",", &save))
                a.services[ns++] = t;
            nl++;
        }
        int rc = TD_OK;
        if (argc != 2) {
            rc = td_cli_usage(c, "%s", _("usage: talentdesk case new PERSON --service CODE [--service CODE ...] "
                                         "[--type recognition|service] [--channel C] [--specialist USER]"));
        } else if ((rc = td_cli_actor(c)) == TD_OK) {
            a.person_id = argv[1];
            td_case k;
            if ((rc = td_case_new(c->db, &c->actor, &a, &k, &err)) != TD_OK) {
                td_cli_fail(c, &err);
            } else if (c->json) {
                json_t *j = td_case_json(&k);
                json_t *svcs = json_array();
                td_case_services_each_as(c->db, &c->actor, k.id, svc_json_cb, svcs, &err);
                json_object_set_new(j, "services", svcs);
                td_cli_json(j);
            } else {
                td_cli_printf(_("Case %s opened.\n"), k.case_no);
                print_case(c, &k);
            }
        }
        for (int i = 0; i < nl; i++)
            free(lists[i]);
        return rc;
    }
    if (strcmp(sub, "show") == 0) {
        if (argc != 2)
            return td_cli_usage(c, "%s", _("usage: talentdesk case show CASE-NUMBER"));
        if ((s = td_cli_actor(c)))
            return s;
        td_case k;
        if ((s = td_case_get_as(c->db, &c->actor, argv[1], &k, &err)))
            return td_cli_fail(c, &err);
        if (c->json) {
            json_t *j = td_case_json(&k);
            json_t *svcs = json_array();
            td_case_services_each_as(c->db, &c->actor, k.id, svc_json_cb, svcs, &err);
            json_object_set_new(j, "services", svcs);
            td_cli_case_extra(c, &k, j);
            td_cli_json(j);
        } else {
            print_case(c, &k);
            td_cli_case_extra(c, &k, NULL);
        }
        return TD_OK;
    }
    if (strcmp(sub, "list") == 0) {
        td_case_query q = { 0 };
        q.state = td_cli_opt(&argc, argv, "state");
        const char *person = td_cli_opt(&argc, argv, "person");
        bool mine = td_cli_flag(&argc, argv, "mine");
        const char *lim = td_cli_opt(&argc, argv, "limit");
        const char *off = td_cli_opt(&argc, argv, "offset");
        q.limit = lim ? atoi(lim) : 100;
        q.offset = off ? atoi(off) : 0;
        if (argc > 1)
            return td_cli_usage(c, _("unexpected argument '%s'"), argv[1]);
        if ((s = td_cli_actor(c)))
            return s;
        td_person p;
        if (person) {
            if ((s = td_person_get_as(c->db, &c->actor, person, &p, &err)))
                return td_cli_fail(c, &err);
            q.person_id = p.id;
        }
        if (mine)
            q.assignee_id = c->actor.user_id;
        td_case_query_scope(&q, &c->actor);
        list_ctx l = { c->json ? json_array() : NULL, 0 };
        if ((s = td_case_list_as(c->db, &c->actor, &q, list_cb, &l, &err))) {
            json_decref(l.arr);
            return td_cli_fail(c, &err);
        }
        if (c->json)
            td_cli_json(l.arr);
        else if (l.n == 0)
            printf("%s\n", _("No cases found."));
        return TD_OK;
    }
    return td_cli_usage(c, _("unknown case command '%s' (new, show, list)"), sub);
}
