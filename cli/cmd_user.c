/* cmd_user.c — talentdesk user add|list|station-add|passwd|unlock|config. */
#include "base/actor.h"
#include "cli.h"
#include "base/i18n.h"
#include "auth/account.h"
#include "auth/password.h"
#include "auth/peer.h"
#include "auth/session.h"
#include "auth/tokenfile.h"

#include <sodium.h>

#include <stdio.h>
#include <string.h>

static int list_users(td_cli *c)
{
    td_err err;
    sqlite3_stmt *st = td_db_prepare(
        c->db,
        "SELECT u.username, u.display_name, s.code, IFNULL(u.department_id,''), "
        "IFNULL((SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles r WHERE "
        "r.user_id = u.id AND r.deleted_at IS NULL ORDER BY role)), ''), u.active, IFNULL(u.scope, '') "
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
        /* The record scope in force (users.scope, else the default of the
         * roles: td_actor_scope) and whether it was set for the user. */
        const char *set = (const char *)sqlite3_column_text(st, 6);
        td_actor a;
        memset(&a, 0, sizeof a);
        td_roles_parse(f[4], &a.roles, NULL);
        int k = td_scope_parse(set);
        a.scope = k > 0 ? (td_scope)k : TD_SCOPE_DEFAULT;
        td_scope sc = td_actor_scope(&a);
        if (arr) {
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:s,s:b,s:s,s:b}", "username", f[0], "name", f[1],
                                                 "station", f[2], "department", td_json_str(f[3]),
                                                 "roles", f[4], "active", active, "scope", td_scope_code(sc),
                                                 "scope_default", a.scope == TD_SCOPE_DEFAULT));
        } else {
            char scope[96];
            snprintf(scope, sizeof scope, a.scope == TD_SCOPE_DEFAULT ? _("%s (by role)") : "%s", td_scope_name(sc));
            const char *cells[6] = { f[0], f[1], f[2], f[3], f[4], scope };
            int w[6] = { 12, 10, 6, 6, 24, 0 };
            td_cli_row(6, cells, w);
        }
    }
    sqlite3_reset(st);
    if (arr)
        td_cli_json(arr);
    return TD_OK;
}

/* user passwd [USER] [--password-stdin]: an administrator signed in resets
 * another user's password (one line: the new one; the user must change it
 * at first sign-in); anyone changes their own with the old one (two lines:
 * old, new).  Needs no session for one's own. */
static int passwd(td_cli *c, int argc, char **argv)
{
    bool from_stdin = td_cli_flag(&argc, argv, "password-stdin");
    if (argc > 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk user passwd [USER] [--password-stdin]"));
    td_status s = td_cli_open_db(c);
    if (s)
        return s;
    td_err err;
    td_err_clear(&err);
    td_actor me;
    bool signed_in = td_cli_session(c, &me);
    char target[64] = "";
    if (argc == 2)
        snprintf(target, sizeof target, "%s", argv[1]);
    else if (c->user && *c->user)
        snprintf(target, sizeof target, "%s", c->user);
    else if (signed_in)
        snprintf(target, sizeof target, "%s", me.username);
    else
        return td_cli_usage(c, "%s", _("usage: talentdesk user passwd [USER] [--password-stdin]"));
    char old[TD_PW_MAX_BYTES + 2], npw[TD_PW_MAX_BYTES + 2], again[TD_PW_MAX_BYTES + 2], prompt[128];
    bool reset = signed_in && strcmp(me.username, target) != 0;
    if (reset) {
        c->actor = me;
        c->have_actor = true;
    } else {
        snprintf(prompt, sizeof prompt, _("Current password of %s: "), target);
        if ((s = td_cli_secret(c, prompt, from_stdin, old, sizeof old)))
            return s;
    }
    if ((s = td_cli_secret(c, _("New password: "), from_stdin, npw, sizeof npw))) {
        sodium_memzero(old, sizeof old);
        return s;
    }
    if (!from_stdin) {
        if ((s = td_cli_secret(c, _("New password again: "), false, again, sizeof again)))
            goto out;
        bool same = strcmp(again, npw) == 0;
        sodium_memzero(again, sizeof again);
        if (!same) {
            td_err_set(&err, TD_EINVALID, "%s", _("The two passwords differ; nothing was changed"));
            s = td_cli_fail(c, &err);
            goto out;
        }
    }
    s = reset ? td_auth_set_password(c->db, &me, target, npw, true, &err)
              : td_auth_change_password(c->db, target, old, npw, &err);
    c->denial_audited = true; /* the core audited a refusal */
    if (s) {
        s = td_cli_fail(c, &err);
        goto out;
    }
    if (c->json)
        td_cli_json(json_pack("{s:s,s:b}", "username", target, "must_change", reset));
    else if (!c->quiet)
        printf(reset ? _("Password of %s reset; it must be changed at the next sign-in.\n")
                     : _("Password of %s changed.\n"),
               target);
out:
    if (!reset)
        sodium_memzero(old, sizeof old);
    sodium_memzero(npw, sizeof npw);
    return s;
}

int cmd_user(td_cli *c, int argc, char **argv)
{
    if (argc < 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk user add|list|station-add|passwd|unlock|scope|config ..."));
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
    if (strcmp(sub, "passwd") == 0)
        return passwd(c, argc, argv);
    if (strcmp(sub, "unlock") == 0) {
        if (argc != 2)
            return td_cli_usage(c, "%s", _("usage: talentdesk user unlock USER"));
        if ((s = td_cli_actor(c)))
            return s;
        c->denial_audited = true;
        if ((s = td_auth_unlock(c->db, &c->actor, argv[1], &err)))
            return td_cli_fail(c, &err);
        if (!c->quiet && !c->json)
            printf(_("User %s unlocked.\n"), argv[1]);
        if (c->json)
            td_cli_json(json_pack("{s:s}", "unlocked", argv[1]));
        return TD_OK;
    }
    if (strcmp(sub, "scope") == 0) { /* record scope (cases/scope.h) */
        int k = argc == 3 ? td_scope_parse(argv[2]) : -1;
        if (k < 0)
            return td_cli_usage(c, "%s", _("usage: talentdesk user scope USER own|station|department|all|default"));
        if ((s = td_cli_actor(c)))
            return s;
        if ((s = td_user_set_scope(c->db, &c->actor, argv[1], (td_scope)k, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:s,s:s}", "username", argv[1], "scope", k ? td_scope_code((td_scope)k) : "default"));
        else
            td_cli_printf(_("Record scope of %s: %s\n"), argv[1], td_scope_name((td_scope)k));
        return TD_OK;
    }
    if (strcmp(sub, "config") == 0) {
        if (argc != 1 && argc != 3)
            return td_cli_usage(c, "%s", _("usage: talentdesk user config [lock_after|session_minutes|"
                                           "idle_minutes VALUE]"));
        if ((s = td_cli_actor(c)))
            return s;
        if (argc == 3) {
            c->denial_audited = true;
            if ((s = td_auth_policy_set(c->db, &c->actor, argv[1], argv[2], &err)))
                return td_cli_fail(c, &err);
        }
        td_auth_policy p;
        td_auth_policy_get(c->db, &p);
        if (c->json)
            td_cli_json(json_pack("{s:i,s:i,s:i}", "lock_after", p.lock_after, "session_minutes",
                                  p.session_minutes, "idle_minutes", p.idle_minutes));
        else
            printf("lock_after %d\nsession_minutes %d\nidle_minutes %d\n", p.lock_after, p.session_minutes,
                   p.idle_minutes);
        return TD_OK;
    }
    if (strcmp(sub, "add") == 0) {
        bool pw_stdin = td_cli_flag(&argc, argv, "password-stdin");
        const char *name = td_cli_opt(&argc, argv, "name");
        const char *roles = td_cli_opt(&argc, argv, "roles");
        const char *dept = td_cli_opt(&argc, argv, "dept");
        const char *station = td_cli_opt(&argc, argv, "station");
        const char *scope = td_cli_opt(&argc, argv, "scope");
        int sk = scope ? td_scope_parse(scope) : 0;
        const char *unix_user = td_cli_opt(&argc, argv, "unix-user");
        if (argc != 2 || !name || !roles || sk < 0)
            return td_cli_usage(c, "%s", _("usage: talentdesk user add USERNAME --name NAME --roles "
                                           "clerk,approver... [--dept CODE] [--station CODE] "
                                           "[--scope own|station|department|all] [--unix-user NAME] "
                                           "[--password-stdin]"));
        unsigned mask;
        if (!td_roles_parse(roles, &mask, &err))
            return td_cli_fail(c, &err);
        if ((s = td_cli_actor(c)))
            return s;
        char id[TD_UUID_LEN];
        /* The first password: from stdin, or made up and shown once; the
         * user must change it at the first sign-in. */
        char pw[TD_PW_MAX_BYTES + 2];
        bool made_up = !pw_stdin;
        if (pw_stdin) {
            if ((s = td_cli_secret(c, "", true, pw, sizeof pw)))
                return s;
            if ((s = td_pw_check_new(pw, argv[1], &err))) {
                sodium_memzero(pw, sizeof pw);
                return td_cli_fail(c, &err);
            }
        } else {
            static const char set[] = "abcdefghjkmnpqrstuvwxyz23456789";
            for (int k = 0; k < 12; k++)
                pw[k] = set[randombytes_uniform(sizeof set - 1)];
            pw[12] = '\0';
        }
        if ((s = td_user_add(c->db, &c->actor, argv[1], name, station, dept, mask, id, &err))) {
            sodium_memzero(pw, sizeof pw);
            return td_cli_fail(c, &err);
        }
        s = td_auth_set_password(c->db, &c->actor, argv[1], pw, true, &err);
        if (!s && sk > 0)
            s = td_user_set_scope(c->db, &c->actor, argv[1], (td_scope)sk, &err);
        if (s) {
            sodium_memzero(pw, sizeof pw);
            return td_cli_fail(c, &err);
        }
        if (unix_user && (s = td_peer_link(c->db, &c->actor, argv[1], unix_user, &err))) {
            sodium_memzero(pw, sizeof pw);
            return td_cli_fail(c, &err);
        }
        if (made_up && !c->json)
            printf(_("First password of %s (shown once; it must be changed at the first sign-in): %s\n"),
                   argv[1], pw);
        sodium_memzero(pw, sizeof pw);
        if (c->json)
            td_cli_json(json_pack("{s:s,s:s,s:s}", "id", id, "username", argv[1], "roles", roles));
        else
            td_cli_printf(_("User %s added.\n"), argv[1]);
        return TD_OK;
    }
    if (strcmp(sub, "unix-link") == 0) {
        bool clear = td_cli_flag(&argc, argv, "clear");
        if (argc != (clear ? 2 : 3))
            return td_cli_usage(c, "%s", _("usage: talentdesk user unix-link USER UNIX-NAME | USER --clear"));
        if ((s = td_cli_actor(c)))
            return s;
        c->denial_audited = true;
        if ((s = td_peer_link(c->db, &c->actor, argv[1], clear ? NULL : argv[2], &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:s,s:o}", "username", argv[1], "unix_user", td_json_str(clear ? NULL : argv[2])));
        else if (clear)
            td_cli_printf(_("User %s is no longer linked to a Unix account.\n"), argv[1]);
        else
            td_cli_printf(_("User %s is linked to the Unix account %s.\n"), argv[1], argv[2]);
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
    return td_cli_usage(c, _("unknown user command '%s' (add, list, station-add, passwd, unlock, config)"), sub);
}
