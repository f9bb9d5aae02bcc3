/* cmd_user.c — talentdesk user add|list|station-add (administrators). */
#include "base/actor.h"
#include "cli.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>

static int list_users(td_cli *c)
{
    td_err err;
    sqlite3_stmt *st = td_db_prepare(
        c->db,
        "SELECT u.username, u.display_name, s.code, IFNULL(u.department_id,''), "
        "IFNULL((SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles r WHERE "
        "r.user_id = u.id AND r.deleted_at IS NULL ORDER BY role)), ''), u.active "
        "FROM users u JOIN stations s ON s.id = u.station_id WHERE u.deleted_at IS NULL "
        "ORDER BY s.code, u.username",
        &err);
    if (!st)
        return td_cli_fail(c, &err);
    json_t *arr = c->json ? json_array() : NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *f[6];
        for (int i = 0; i < 5; i++)
            f[i] = (const char *)sqlite3_column_text(st, i);
        int active = sqlite3_column_int(st, 5);
        if (arr) {
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:s,s:b}", "username", f[0], "name", f[1],
                                                 "station", f[2], "department", td_json_str(f[3]),
                                                 "roles", f[4], "active", active));
        } else {
            const char *cells[5] = { f[0], f[1], f[2], f[3], f[4] };
            int w[5] = { 12, 10, 6, 6, 0 };
            td_cli_row(5, cells, w);
        }
    }
    sqlite3_reset(st);
    if (arr)
        td_cli_json(arr);
    return TD_OK;
}

int cmd_user(td_cli *c, int argc, char **argv)
{
    if (argc < 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk user add|list|station-add ..."));
    const char *sub = argv[1];
    argv++;
    argc--;
    td_err err;
    td_err_clear(&err);
    td_status s;
    if (strcmp(sub, "list") == 0) {
        if ((s = td_cli_actor(c)))
            return s;
        return list_users(c);
    }
    if (strcmp(sub, "add") == 0) {
        const char *name = td_cli_opt(&argc, argv, "name");
        const char *roles = td_cli_opt(&argc, argv, "roles");
        const char *dept = td_cli_opt(&argc, argv, "dept");
        const char *station = td_cli_opt(&argc, argv, "station");
        if (argc != 2 || !name || !roles)
            return td_cli_usage(c, "%s", _("usage: talentdesk user add USERNAME --name NAME --roles "
                                           "clerk,approver... [--dept CODE] [--station CODE]"));
        unsigned mask;
        if (!td_roles_parse(roles, &mask, &err))
            return td_cli_fail(c, &err);
        if ((s = td_cli_actor(c)))
            return s;
        char id[TD_UUID_LEN];
        if ((s = td_user_add(c->db, &c->actor, argv[1], name, station, dept, mask, id, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:s,s:s,s:s}", "id", id, "username", argv[1], "roles", roles));
        else
            td_cli_printf(_("User %s added.\n"), argv[1]);
        return TD_OK;
    }
    if (strcmp(sub, "station-add") == 0) {
        const char *name = td_cli_opt(&argc, argv, "name");
        const char *kind = td_cli_opt(&argc, argv, "kind");
        if (argc != 2 || !name)
            return td_cli_usage(c, "%s", _("usage: talentdesk user station-add CODE --name NAME "
                                           "[--kind hq|window|overseas|airport|park|online]"));
        if ((s = td_cli_actor(c)))
            return s;
        char id[TD_UUID_LEN];
        if ((s = td_station_add(c->db, &c->actor, argv[1], name, kind ? kind : "window", id, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:s,s:s}", "id", id, "code", argv[1]));
        else
            td_cli_printf(_("Station %s added.\n"), argv[1]);
        return TD_OK;
    }
    return td_cli_usage(c, _("unknown user command '%s' (add, list, station-add)"), sub);
}
