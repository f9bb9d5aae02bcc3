/* cmd_escalate.c — talentdesk escalate TASK --to USER --reason TEXT (督办). */
#include "cli.h"
#include "base/i18n.h"
#include "workflow/wf_tasks.h"

#include <stdio.h>

json_t *wf_cli_task_json(const td_wf_task *t);
void wf_cli_task_row(const td_wf_task *t, bool with_case);

int cmd_escalate(td_cli *c, int argc, char **argv)
{
    const char *to = td_cli_opt(&argc, argv, "to");
    const char *reason = td_cli_opt(&argc, argv, "reason");
    if (argc != 2 || !to)
        return td_cli_usage(c, "%s", _("usage: talentdesk escalate TASK --to USER --reason TEXT"));
    int rc = td_cli_actor(c);
    if (rc)
        return rc;
    td_err err;
    td_err_clear(&err);
    td_wf_task t;
    if (td_wf_escalate(c->db, &c->actor, argv[1], to, reason, &err) || td_wf_task_get_as(c->db, &c->actor, argv[1], &t, &err))
        return td_cli_fail(c, &err);
    if (c->json) {
        td_cli_json(wf_cli_task_json(&t));
        return TD_OK;
    }
    char line[512];
    snprintf(line, sizeof line, _("Escalated to %s: %s"), to, t.service_name);
    td_cli_print(line);
    putchar('\n');
    return TD_OK;
}
