/* cmd_init.c — talentdesk init [--demo] [--station CODE --station-name NAME
 * --station-kind KIND] [--data DIR] [--admin-password-stdin]: create or
 * upgrade the database, load the policy data, and on a new database create
 * the local station and admin.  The admin's password is asked on the
 * terminal (twice, no echo) or read from standard input before any
 * transaction starts; with --demo every demo user, admin included, gets
 * TD_DEMO_PASSWORD instead.  Everything after the password is one
 * transaction (a kill leaves nothing of it), and a file that init created is
 * removed again when init fails. */
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
#include <sys/stat.h>
#include <unistd.h>

/* Removes a database file this run created, with its WAL and shared memory. */
static void remove_db(const char *path)
{
    char buf[4200];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-journal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s.checked", path);
    unlink(buf);
}

typedef struct init_args {
    bool demo;
    const char *code, *name, *kind, *dir;
    int n;
    bool fresh;
    char scode[12];
    const char *admin_pw;   /* set the admin's password to this, or NULL */
} init_args;

/* The work of init, inside the outer transaction. */
static td_status init_in_tx(td_cli *c, init_args *a, td_err *err)
{
    char sid[TD_UUID_LEN];
    a->fresh = td_local_station(c->db, sid, a->scode, NULL) != TD_OK;
    td_status s;
    if ((s = td_policy_load_all(c->db, a->dir, NULL, err)))
        return s;
    if (a->fresh) {
        if ((s = td_setup_local_station(c->db, a->code && *a->code ? a->code : "CQ",
                                        a->name && *a->name ? a->name : _("Chongqing one-stop talent service window"),
                                        a->kind && *a->kind ? a->kind : "hq", err)))
            return s;
        td_local_station(c->db, sid, a->scode, NULL);
    } else if (a->code && strcmp(a->code, a->scode) != 0) {
        return td_err_set(err, TD_ECONFLICT, _("This database belongs to station %s; it cannot become %s"),
                          a->scode, a->code);
    }
    if (a->admin_pw && (s = td_auth_set_password(c->db, NULL, "admin", a->admin_pw, false, err)))
        return s;
    if (a->demo) {
        long persons = 0;
        sqlite3_stmt *st = td_db_prepare(c->db, "SELECT count(*) FROM persons", NULL);
        if (st && sqlite3_step(st) == SQLITE_ROW)
            persons = sqlite3_column_int64(st, 0);
        if (st)
            sqlite3_reset(st);
        if (persons > 0)
            return td_err_set(err, TD_ECONFLICT, "%s", _("Demo data can only be added to a new database"));
        if ((s = td_demo_users(c->db, err)) || (s = td_demo_populate(c->db, a->n, 2026, err)))
            return s;
    }
    return TD_OK;
}

int cmd_init(td_cli *c, int argc, char **argv)
{
    init_args a = { 0 };
    a.demo = td_cli_flag(&argc, argv, "demo");
    a.code = td_cli_opt(&argc, argv, "station");
    a.name = td_cli_opt(&argc, argv, "station-name");
    a.kind = td_cli_opt(&argc, argv, "station-kind");
    const char *data = td_cli_opt(&argc, argv, "data");
    const char *npers = td_cli_opt(&argc, argv, "persons");
    bool pw_stdin = td_cli_flag(&argc, argv, "admin-password-stdin");
    if (argc > 1)
        return td_cli_usage(c, _("unexpected argument '%s' for init"), argv[1]);
    a.dir = data && *data ? data : td_data_dir();
    a.n = npers ? atoi(npers) : 36;
    struct stat sb;
    bool existed = strcmp(c->db_path, ":memory:") == 0 || stat(c->db_path, &sb) == 0;
    c->open_flags = TD_DB_CREATE | TD_DB_MIGRATE;
    td_status s = td_cli_open_db(c);
    if (s) {
        if (!existed)
            remove_db(c->db_path);
        return s;
    }
    td_err err;
    td_err_clear(&err);
    /* The first administrator's password, asked before any transaction (never
     * hold one while waiting for a key); also asked when an older database's
     * admin has none yet. */
    char sid[TD_UUID_LEN], scode[12];
    bool fresh = td_local_station(c->db, sid, scode, NULL) != TD_OK;
    bool need_pw = fresh && (!a.demo || pw_stdin);
    if (!fresh) {
        sqlite3_stmt *st = td_db_prepare(c->db,
                                         "SELECT 1 FROM users WHERE username = 'admin' AND "
                                         "IFNULL(password_hash,'') = ''",
                                         NULL);
        if (st && sqlite3_step(st) == SQLITE_ROW)
            need_pw = !a.demo || pw_stdin;
        if (st)
            sqlite3_reset(st);
    }
    char pw[TD_PW_MAX_BYTES + 2] = "";
    /* Bad policy data is said before anyone is asked for a password. */
    if (need_pw && (s = td_policy_check_all(a.dir, &err))) {
        td_cli_fail(c, &err);
        if (!existed) {
            td_db_close(c->db);
            c->db = NULL;
            remove_db(c->db_path);
        }
        return s;
    }
    if (need_pw) {
        s = td_cli_secret(c, _("Password for the administrator 'admin': "), pw_stdin, pw, sizeof pw);
        if (!s && !pw_stdin) {
            char again[TD_PW_MAX_BYTES + 2];
            s = td_cli_secret(c, _("The same password again: "), false, again, sizeof again);
            if (!s && strcmp(pw, again) != 0) {
                td_err_set(&err, TD_EINVALID, "%s", _("The two passwords differ; nothing was changed"));
                s = td_cli_fail(c, &err);
            }
            sodium_memzero(again, sizeof again);
        }
        if (!s && (s = td_pw_check_new(pw, "admin", &err)))
            td_cli_fail(c, &err);
        if (s) {
            sodium_memzero(pw, sizeof pw);
            if (!existed) {
                td_db_close(c->db);
                c->db = NULL;
                remove_db(c->db_path);
            }
            return s;
        }
        a.admin_pw = pw;
    }
    if ((s = td_db_begin_outer(c->db, &err)) == TD_OK) {
        s = init_in_tx(c, &a, &err);
        if (!s)
            s = td_db_end_outer(c->db, true, &err);
        else
            td_db_end_outer(c->db, false, NULL);
    }
    sodium_memzero(pw, sizeof pw);
    if (s) {
        td_cli_fail(c, &err);
        if (!existed) {
            td_db_close(c->db);
            c->db = NULL;
            remove_db(c->db_path);
        }
        return s;
    }
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:i,s:b,s:b,s:s}", "database", c->db_path, "station", a.scode,
                              "schema_version", td_db_schema_version(c->db), "created", a.fresh, "demo",
                              a.demo, "data_dir", a.dir));
    } else if (!c->quiet) {
        td_cli_printf(_("Database ready: %s (station %s, schema %d)\n"), c->db_path, a.scode,
               td_db_schema_version(c->db));
        td_cli_printf(_("Policy data loaded from %s\n"), a.dir);
        if (a.demo) {
            td_cli_printf(_("Demo data added: %d persons with cases; users clerk1, clerk2, reviewer1, approver1, "
                     "approver2, signer_rsj, signer_kjj, spec1, station1\n"),
                   a.n);
            td_cli_printf(_("Demo password of every demo user (admin too): %s  (sign in: talentdesk login clerk1)\n"),
                   TD_DEMO_PASSWORD);
        }
    }
    return TD_OK;
}
