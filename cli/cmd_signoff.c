/* cmd_signoff.c — talentdesk signoff: 联审 (joint sign-off).
 *   signoff CASE approve|return [--reason TEXT] [--dept D] [--version N]
 *   signoff CASE list */
#include "cli.h"
#include "base/i18n.h"
#include "wf_cli.h"
#include "workflow/wf_signoff.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    json_t *arr;
} list_ctx;

static int list_cb(const td_wf_signoff_row *s, void *ud)
{
    list_ctx *l = ud;
    if (l->arr) {
        json_array_append_new(l->arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:s}", "id", s->id, "round", s->round,
                                                "transition", s->transition, "department", s->department_id, "status",
                                                s->status, "signer", td_json_str(s->signer), "reason", s->reason,
                                                "signed_at", td_json_str(s->signed_at), "created_at", s->created_at));
        return 0;
    }
    const char *st = !strcmp(s->status, "pending")    ? _("signoff pending")
                     : !strcmp(s->status, "approved") ? _("signoff approved")
                     : !strcmp(s->status, "returned") ? _("signoff returned")
                                                      : _("signoff void");
    char at[17];
    snprintf(at, sizeof at, "%.16s", s->signed_at[0] ? s->signed_at : s->created_at);
    const char *cells[5] = { s->department_name, st, s->signer, at, s->reason };
    int w[5] = { 24, 8, 12, 16, 0 };
    td_cli_row(5, cells, w);
    return 0;
}

int cmd_signoff(td_cli *c, int argc, char **argv)
{
    const char *reason = td_cli_opt(&argc, argv, "reason");
    const char *dept = td_cli_opt(&argc, argv, "dept");
    long version;
    int rc = 0;
    if (!wf_cli_version(c, &argc, argv, &version, &rc))
        return rc;
    const char *usage = _("usage: talentdesk signoff CASE approve|return|list [--reason TEXT] [--dept D]");
    if (argc != 3)
        return td_cli_usage(c, "%s", usage);
    if ((rc = td_cli_actor(c)) || (rc = td_cli_case_scope(c, argv[1])))
        return rc;
    td_err err;
    td_err_clear(&err);
    if (!strcmp(argv[2], "list")) {
        list_ctx l = { c->json ? json_array() : NULL };
        if (td_wf_signoffs_each_as(c->db, &c->actor, argv[1], list_cb, &l, &err)) {
            json_decref(l.arr);
            return td_cli_fail(c, &err);
        }
        if (l.arr)
            td_cli_json(l.arr);
        return TD_OK;
    }
    bool approve;
    if (!strcmp(argv[2], "approve"))
        approve = true;
    else if (!strcmp(argv[2], "return"))
        approve = false;
    else
        return td_cli_usage(c, "%s", usage);
    td_wf_result res;
    if (td_wf_signoff(c->db, &c->actor, argv[1], dept, approve, reason, version, &res, &err))
        return td_cli_fail(c, &err);
    if (!approve) {
        wf_cli_result(c, &res);
        return TD_OK;
    }
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:s,s:i}", "case_no", res.case_no, "department", c->actor.department_id,
                              "status", "approved", "row_version", (int)res.row_version));
        return TD_OK;
    }
    char line[256];
    snprintf(line, sizeof line, _("%s: signed for %s"), res.case_no, c->actor.department_id);
    td_cli_print(line);
    putchar('\n');
    return TD_OK;
}
