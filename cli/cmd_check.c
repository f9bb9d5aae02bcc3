/* cmd_check.c — talentdesk check [--only NAME]: every named check of
 * src/setup/check.h (integrity, references, audit chains, counters, policy
 * versions); exit 0 when all pass, 7 (database) when one fails. */
#include "cli.h"
#include "base/i18n.h"
#include "setup/check.h"

#include <stdio.h>

static void print_result(const td_check *k, bool ok, const char *detail, void *ud)
{
    json_t *arr = ud;
    if (arr) {
        json_array_append_new(arr, json_pack("{s:s,s:s,s:b,s:s}", "name", k->name, "title", _(k->title), "ok", ok,
                                             "detail", detail));
        return;
    }
    td_cli_printf("%s  %-16s %s: %s\n", ok ? "[ OK ]" : "[FAIL]", k->name, _(k->title), detail);
}

int cmd_check(td_cli *c, int argc, char **argv)
{
    const char *only = td_cli_opt(&argc, argv, "only");
    if (argc != 1)
        return td_cli_usage(c, "%s", _("usage: talentdesk check [--only NAME]"));
    td_status s = td_cli_open_db(c);
    if (s)
        return s;
    td_err err;
    td_err_clear(&err);
    json_t *arr = c->json ? json_array() : NULL;
    int failed = 0;
    if ((s = td_check_run(c->db, only, print_result, arr, &failed, &err))) {
        json_decref(arr);
        return td_cli_fail(c, &err);
    }
    if (arr)
        td_cli_json(json_pack("{s:b,s:i,s:o}", "ok", failed == 0, "failed", failed, "checks", arr));
    else if (failed)
        td_cli_printf(_("%d check(s) failed: restore a backup with `talentdesk restore FILE` if the database is "
                        "damaged.\n"),
                      failed);
    return failed ? TD_EDB : TD_OK;
}
