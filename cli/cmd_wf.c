/* cmd_wf.c — the workflow verbs of `talentdesk case` (dispatched from
 * cmd_case.c):
 *   case act CASE ACTION [--reason R] [--version N]
 *   case actions CASE
 *   case history CASE        (state changes with who, when and why)
 */
#include "cli.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "wf_cli.h"
#include "workflow/wf_audit.h"

#include <stdio.h>
#include <string.h>

static int do_act(td_cli *c, int argc, char **argv)
{
    const char *reason = td_cli_opt(&argc, argv, "reason");
    long version;
    int rc = 0;
    if (!wf_cli_version(c, &argc, argv, &version, &rc))
        return rc;
    if (argc != 3)
        return td_cli_usage(c, "%s", _("usage: talentdesk case act CASE ACTION [--reason TEXT] [--version N]"));
    if ((rc = td_cli_actor(c)))
        return rc;
    td_err err;
    td_err_clear(&err);
    td_wf_result res;
    td_status s = td_wf_act(c->db, &c->actor, argv[1], argv[2], reason, version, &res, &err);
    if (s)
        return td_cli_fail(c, &err);
    wf_cli_result(c, &res);
    return TD_OK;
}

static int do_actions(td_cli *c, int argc, char **argv)
{
    if (argc != 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk case actions CASE"));
    int rc = td_cli_actor(c);
    if (rc)
        return rc;
    td_err err;
    td_err_clear(&err);
    td_case k;
    td_wf_action acts[TD_WF_MAX_ACTIONS];
    size_t n;
    td_status s = td_case_get_as(c->db, &c->actor, argv[1], &k, &err);
    if (!s)
        s = td_wf_actions(c->db, &c->actor, argv[1], acts, TD_WF_MAX_ACTIONS, &n, &err);
    if (s)
        return td_cli_fail(c, &err);
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:o}", "action", acts[i].name, "label",
                                                 acts[i].label, "to", acts[i].to, "allowed", acts[i].allowed,
                                                 "reason_required", acts[i].reason_required, "exception",
                                                 acts[i].exception, "why_not", td_json_str(acts[i].why)));
        td_cli_json(json_pack("{s:s,s:s,s:s,s:i,s:o}", "case_no", k.case_no, "state", k.state, "state_name",
                              wf_cli_state(c, &k, k.state), "row_version", (int)k.row_version, "actions", arr));
        return TD_OK;
    }
    char line[512];
    snprintf(line, sizeof line, _("%s at %s (version %ld): actions for %s:"), k.case_no,
             wf_cli_state(c, &k, k.state), k.row_version, c->actor.username);
    td_cli_print(line);
    putchar('\n');
    if (n == 0) {
        td_cli_print(_("(none: the case is finished)"));
        putchar('\n');
    }
    int w[4] = { 18, 26, 10, 0 };
    for (size_t i = 0; i < n; i++) {
        char label[200];
        snprintf(label, sizeof label, "%s%s", acts[i].label, acts[i].reason_required ? _(" (reason)") : "");
        const char *cells[4] = { acts[i].name, label, wf_cli_state(c, &k, acts[i].to),
                                 acts[i].allowed ? _("allowed") : acts[i].why };
        td_cli_row(4, cells, w);
    }
    return TD_OK;
}

typedef struct {
    td_cli *c;
    json_t *arr;
} hist_ctx;

static int hist_cb(const td_audit_row *r, void *ud)
{
    hist_ctx *h = ud;
    if (h->arr) {
        json_array_append_new(h->arr, json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", r->id,
                                                "seq", (int)r->seq, "station", r->station_code, "at", r->at,
                                                "user", r->username, "action", r->action, "entity", r->entity,
                                                "field", r->field, "old", r->old_value, "new", r->new_value,
                                                "reason", r->reason));
        return 0;
    }
    char at[20], change[1100];
    snprintf(at, sizeof at, "%.19s", r->at);
    if (r->field[0])
        snprintf(change, sizeof change, "%s: %s -> %s", r->field, r->old_value[0] ? r->old_value : "-",
                 r->new_value[0] ? r->new_value : "-");
    else
        change[0] = '\0';
    const char *cells[5] = { at, r->username[0] ? r->username : "-", r->action, change, r->reason };
    int w[5] = { 19, 12, 16, 40, 0 };
    td_cli_row(5, cells, w);
    return 0;
}

/* Also used by `talentdesk audit log CASE`. */
int wf_cli_history(td_cli *c, const char *case_key)
{
    int rc = td_cli_actor(c);
    if (rc || (rc = td_cli_case_scope(c, case_key)))
        return rc;
    td_err err;
    td_err_clear(&err);
    hist_ctx h = { c, c->json ? json_array() : NULL };
    td_status s = td_audit_case_each_as(c->db, &c->actor, case_key, NULL, 0, hist_cb, &h, &err);
    if (s) {
        json_decref(h.arr);
        return td_cli_fail(c, &err);
    }
    if (h.arr)
        td_cli_json(h.arr);
    return TD_OK;
}

int cmd_case_wf(td_cli *c, int argc, char **argv);
int cmd_case_wf(td_cli *c, int argc, char **argv)
{
    if (!strcmp(argv[0], "act"))
        return do_act(c, argc, argv);
    if (!strcmp(argv[0], "actions"))
        return do_actions(c, argc, argv);
    if (argc != 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk case history CASE"));
    return wf_cli_history(c, argv[1]);
}
