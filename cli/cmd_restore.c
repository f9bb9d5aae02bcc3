/* cmd_restore.c — talentdesk restore FILE: check the backup, keep the current
 * database aside, copy the backup in (administrators).  A database too
 * damaged to open is replaced as a file. */
#include "cli.h"
#include "base/i18n.h"
#include "setup/backup.h"

#include <stdio.h>
#include <string.h>

int cmd_restore(td_cli *c, int argc, char **argv)
{
    if (argc != 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk restore FILE"));
    td_err err;
    td_err_clear(&err);
    td_backup_info info;
    td_status s = td_backup_inspect(argv[1], &info, &err);
    if (s)
        return td_cli_fail(c, &err);
    char aside[4300] = "";
    bool upgrade = false;
    td_db *probe = NULL;
    td_err perr;
    td_err_clear(&perr);
    /* the current database opens: restore into it (other processes may have
     * it open), as an administrator of it */
    if (td_db_open_ex(c->db_path, TD_DB_EXISTING, &probe, &perr) == TD_OK) {
        td_db_close(probe);
        if ((s = td_cli_actor(c)))
            return s;
        s = td_restore(c->db, c->db_path, &c->actor, argv[1], aside, sizeof aside, &upgrade, &err);
    } else {
        /* missing, or too damaged to open: replace the file */
        s = td_restore_file(c->db_path, argv[1], aside, sizeof aside, &upgrade, &err);
    }
    if (s)
        return td_cli_fail(c, &err);
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:o,s:i,s:b}", "restored_from", argv[1], "database", c->db_path,
                              "previous_kept_as", td_json_str(aside[0] ? aside : NULL), "schema_version",
                              info.schema_version, "needs_upgrade", upgrade));
    } else if (!c->quiet) {
        td_cli_printf(_("Restored %s from %s (%ld persons, %ld cases).\n"), c->db_path, argv[1], info.persons,
                      info.cases);
        if (aside[0])
            td_cli_printf(_("The previous database was kept as %s.\n"), aside);
        if (upgrade)
            td_cli_printf("%s\n", _("The backup has an older schema: run `talentdesk upgrade` now."));
    }
    return TD_OK;
}
