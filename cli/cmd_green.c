/* cmd_green.c — talentdesk green CASE --reason TEXT [--version N]: put a
 * case in the 绿色通道 (green channel). */
#include "cli.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "wf_cli.h"

#include <stdio.h>

int cmd_green(td_cli *c, int argc, char **argv)
{
    const char *reason = td_cli_opt(&argc, argv, "reason");
    long version;
    int rc = 0;
    if (!wf_cli_version(c, &argc, argv, &version, &rc))
        return rc;
    if (argc != 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk green CASE --reason TEXT [--version N]"));
    if ((rc = td_cli_actor(c)))
        return rc;
    td_err err;
    td_err_clear(&err);
    td_case k;
    if (td_wf_green_set(c->db, &c->actor, argv[1], reason, version, &err) || td_case_get_as(c->db, &c->actor, argv[1], &k, &err))
        return td_cli_fail(c, &err);
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:b,s:s,s:i}", "case_no", k.case_no, "green_channel", k.green_channel,
                              "green_reason", k.green_reason, "row_version", (int)k.row_version));
        return TD_OK;
    }
    char line[768];
    snprintf(line, sizeof line, _("%s is in the green channel: %s"), k.case_no, k.green_reason);
    td_cli_print(line);
    putchar('\n');
    return TD_OK;
}
