/* cmd_backup.c — talentdesk backup FILE: a consistent, verified copy of the
 * database taken while clerks keep working (administrators). */
#include "cli.h"
#include "base/i18n.h"
#include "setup/backup.h"

#include <stdio.h>

int cmd_backup(td_cli *c, int argc, char **argv)
{
    if (argc != 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk backup FILE"));
    td_status s = td_cli_actor(c);
    if (s)
        return s;
    td_err err;
    td_err_clear(&err);
    td_backup_info info;
    if ((s = td_backup(c->db, &c->actor, argv[1], &info, &err)))
        return td_cli_fail(c, &err);
    if (c->json)
        td_cli_json(json_pack("{s:s,s:i,s:I,s:i,s:i,s:i}", "file", argv[1], "schema_version", info.schema_version,
                              "bytes", (json_int_t)info.bytes, "persons", (int)info.persons, "cases",
                              (int)info.cases, "audit_rows", (int)info.audit_rows));
    else if (!c->quiet)
        td_cli_printf(_("Backup written to %s (%lld bytes, schema %d, %ld persons, %ld cases), integrity "
                        "checked.\n"),
                      argv[1], info.bytes, info.schema_version, info.persons, info.cases);
    return TD_OK;
}
