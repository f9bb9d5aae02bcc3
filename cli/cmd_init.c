/* cmd_init.c — talentdesk init [--demo] [--station CODE --station-name NAME
 * --station-kind KIND] [--data DIR] [--admin-password-stdin]: create or
 * upgrade the database, load the policy data, and on a new database create
 * the local station and admin.  The admin's password is asked on the
 * terminal (twice, no echo) or read from standard input; with --demo every
 * demo user, admin included, gets TD_DEMO_PASSWORD instead. */
#include "base/actor.h"
#include "cli.h"
#include "setup/demo.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "setup/policy_load.h"
#include "setup/setup.h"
#include "auth/account.h"
#include "auth/password.h"

#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_init(td_cli *c, int argc, char **argv)
{
    bool demo = td_cli_flag(&argc, argv, "demo");
    const char *code = td_cli_opt(&argc, argv, "station");
    const char *name = td_cli_opt(&argc, argv, "station-name");
    const char *kind = td_cli_opt(&argc, argv, "station-kind");
    const char *data = td_cli_opt(&argc, argv, "data");
    const char *npers = td_cli_opt(&argc, argv, "persons");
    bool pw_stdin = td_cli_flag(&argc, argv, "admin-password-stdin");
    if (argc > 1)
        return td_cli_usage(c, _("unexpected argument '%s' for init"), argv[1]);
    td_status s = td_cli_open_db(c);
    if (s)
        return s;
    td_err err;
    td_err_clear(&err);
    char sid[TD_UUID_LEN], scode[12];
    bool fresh = td_local_station(c->db, sid, scode, NULL) != TD_OK;

    const char *dir = data && *data ? data : td_data_dir();
    if ((s = td_policy_load_all(c->db, dir, NULL, &err)))
        return td_cli_fail(c, &err);
    /* The first administrator's password, asked once the policy data is known good.
     * Also asked when an older database's admin has none yet. */
    bool need_pw = fresh && (!demo || pw_stdin);
    if (!fresh) {
        sqlite3_stmt *st = td_db_prepare(c->db,
                                         "SELECT 1 FROM users WHERE username = 'admin' AND "
                                         "IFNULL(password_hash,'') = ''",
                                         NULL);
        if (st && sqlite3_step(st) == SQLITE_ROW)
            need_pw = !demo || pw_stdin;
        if (st)
            sqlite3_reset(st);
    }
    char pw[TD_PW_MAX_BYTES + 2] = "";
    if (need_pw) {
        if ((s = td_cli_secret(c, _("Password for the administrator 'admin': "), pw_stdin, pw, sizeof pw)))
            return s;
        if (!pw_stdin) {
            char again[TD_PW_MAX_BYTES + 2];
            if ((s = td_cli_secret(c, _("The same password again: "), false, again, sizeof again)))
                return s;
            bool same = strcmp(pw, again) == 0;
            sodium_memzero(again, sizeof again);
            if (!same) {
                sodium_memzero(pw, sizeof pw);
                td_err_set(&err, TD_EINVALID, "%s", _("The two passwords differ; nothing was changed"));
                return td_cli_fail(c, &err);
            }
        }
        if ((s = td_pw_check_new(pw, "admin", &err))) {
            sodium_memzero(pw, sizeof pw);
            return td_cli_fail(c, &err);
        }
    }

    if (fresh) {
        if ((s = td_setup_local_station(c->db, code && *code ? code : "CQ",
                              name && *name ? name : _("Chongqing one-stop talent service window"),
                              kind && *kind ? kind : "hq", &err)))
            return td_cli_fail(c, &err);
        td_local_station(c->db, sid, scode, NULL);
    } else if (code && strcmp(code, scode) != 0) {
        sodium_memzero(pw, sizeof pw);
        td_err_set(&err, TD_ECONFLICT, _("This database belongs to station %s; it cannot become %s"), scode,
                   code);
        return td_cli_fail(c, &err);
    }
    if (need_pw) {
        s = td_auth_set_password(c->db, NULL, "admin", pw, false, &err);
        sodium_memzero(pw, sizeof pw);
        if (s)
            return td_cli_fail(c, &err);
    }
    int n = npers ? atoi(npers) : 36;
    if (demo) {
        long cases = 0;
        sqlite3_stmt *st = td_db_prepare(c->db, "SELECT count(*) FROM persons", NULL);
        if (st && sqlite3_step(st) == SQLITE_ROW)
            cases = sqlite3_column_int64(st, 0);
        if (st)
            sqlite3_reset(st);
        if (cases > 0) {
            td_err_set(&err, TD_ECONFLICT, "%s", _("Demo data can only be added to a new database"));
            return td_cli_fail(c, &err);
        }
        if ((s = td_demo_users(c->db, &err)) || (s = td_demo_populate(c->db, n, 2026, &err)))
            return td_cli_fail(c, &err);
    }
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:i,s:b,s:b,s:s}", "database", c->db_path, "station", scode,
                              "schema_version", td_db_schema_version(c->db), "created", fresh, "demo",
                              demo, "data_dir", dir));
    } else if (!c->quiet) {
        printf(_("Database ready: %s (station %s, schema %d)\n"), c->db_path, scode,
               td_db_schema_version(c->db));
        printf(_("Policy data loaded from %s\n"), dir);
        if (demo)
        {
            printf(_("Demo data added: %d persons with cases; users clerk1, clerk2, reviewer1, approver1, "
                     "approver2, signer_rsj, signer_kjj, spec1, station1\n"),
                   n);
            printf(_("Demo password of every demo user (admin too): %s  (sign in: talentdesk login clerk1)\n"),
                   TD_DEMO_PASSWORD);
        }
    }
    return TD_OK;
}
