/* cmd_upgrade.c — talentdesk upgrade: apply pending schema migrations to an
 * existing database.  The only command besides init that changes the schema
 * (every other command refuses an older schema and points here). */
#include "cli.h"
#include "base/i18n.h"

#include <stdio.h>

int cmd_upgrade(td_cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return td_cli_usage(c, "%s", _("usage: talentdesk upgrade"));
    c->open_flags = TD_DB_MIGRATE;
    td_status s = td_cli_open_db(c);
    if (s)
        return s;
    int v = td_db_schema_version(c->db);
    if (c->json)
        td_cli_json(json_pack("{s:s,s:i}", "database", c->db_path, "schema_version", v));
    else if (!c->quiet)
        td_cli_printf(_("Database %s is at schema %d\n"), c->db_path, v);
    return TD_OK;
}
