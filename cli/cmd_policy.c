/* cmd_policy.c — talentdesk policy check [DIR] | load [DIR] | list:
 * validate the policy files under data/, load them (administrators), and
 * list the file versions recorded in the database. */
#include "cli.h"
#include "workflow/workflow.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "policy/refdata.h"
#include "report/targets.h"
#include "setup/policy_load.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    json_t *arr;
    int n;
} list_ud;

static int version_cb(const td_policy_version *v, void *ud)
{
    list_ud *u = ud;
    u->n++;
    if (u->arr) {
        json_array_append_new(u->arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:b}", "id", v->id, "kind",
                                                v->kind, "name", v->name, "sha256", v->sha256, "loaded_by",
                                                td_json_str(v->loaded_by), "created_at", v->created_at,
                                                "updated_at", v->updated_at, "current", v->current));
        return 0;
    }
    char hash[16];
    snprintf(hash, sizeof hash, "%.12s", v->sha256);
    char when[20];
    snprintf(when, sizeof when, "%.16s", v->updated_at);
    const char *cells[6] = { v->current ? "*" : "", v->kind, v->name, hash, when,
                             v->loaded_by[0] ? v->loaded_by : "-" };
    int w[6] = { 1, 11, 20, 12, 16, 0 };
    td_cli_row(6, cells, w);
    return 0;
}

static int list_versions(td_cli *c)
{
    td_err err;
    td_err_clear(&err);
    list_ud u = { .arr = c->json ? json_array() : NULL };
    if (!u.arr) {
        const char *head[6] = { " ", _("Kind"), _("File"), _("SHA-256"), _("Loaded (UTC)"), _("By") };
        int w[6] = { 1, 11, 20, 12, 16, 0 };
        td_cli_row(6, head, w);
    }
    if (td_policy_versions_each(c->db, version_cb, &u, &err) != TD_OK) {
        json_decref(u.arr);
        return td_cli_fail(c, &err);
    }
    if (u.arr)
        td_cli_json(u.arr);
    else
        printf("%s\n", _("* = the version in force"));
    return TD_OK;
}

int cmd_policy(td_cli *c, int argc, char **argv)
{
    const char *usage = _("usage: talentdesk policy check [DIR] | load [DIR] | list");
    if (argc < 2 || argc > 3)
        return td_cli_usage(c, "%s", usage);
    const char *sub = argv[1];
    const char *dir = argc == 3 ? argv[2] : td_data_dir();
    td_err err;
    td_err_clear(&err);
    td_status s;
    if (strcmp(sub, "check") == 0) {
        if ((s = td_policy_check_all(dir, &err))) /* the very checks of `policy load` */
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:b,s:s}", "ok", 1, "dir", dir));
        else if (!c->quiet)
            td_cli_printf(_("Policy data in %s is valid.\n"), dir);
        return TD_OK;
    }
    if (strcmp(sub, "load") == 0) {
        if ((s = td_cli_actor(c)))
            return s;
        td_due_report due;
        if ((s = td_policy_load_as(c->db, &c->actor, dir, &due, &err)))
            return td_cli_fail(c, &err);
        if (c->json) {
            td_cli_json(json_pack("{s:b,s:s,s:i,s:i,s:i,s:i}", "loaded", 1, "dir", dir, "due_dates_changed",
                                  (int)due.changed, "tasks_changed", (int)due.tasks, "cases_changed",
                                  (int)due.cases, "notices_changed", (int)due.notices));
        } else if (!c->quiet) {
            td_cli_printf(_("Policy data loaded from %s\n"), dir);
            td_cli_printf(_("Due dates recounted under the holiday calendar: %ld of %ld open changed "
                     "(%ld tasks, %ld cases, %ld notices)\n"),
                   due.changed, due.examined, due.tasks, due.cases, due.notices);
        }
        return TD_OK;
    }
    if (strcmp(sub, "list") == 0 && argc == 2) {
        if ((s = td_cli_open_db(c)))
            return s;
        return list_versions(c);
    }
    return td_cli_usage(c, "%s", usage);
}
