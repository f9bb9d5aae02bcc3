/* cmd_login.c — talentdesk login [USER] [--password-stdin] | logout [USER] |
 * whoami: CLI sessions (src/auth/session.h, src/auth/tokenfile.h). */
#include "cli.h"
#include "auth/account.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/tokenfile.h"
#include "base/i18n.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Asks for a new password twice (terminal) or reads one line (stdin). */
static td_status new_password(td_cli *c, bool from_stdin, char *buf, size_t len)
{
    td_status s = td_cli_secret(c, _("New password: "), from_stdin, buf, len);
    if (s || from_stdin)
        return s;
    char again[TD_PW_MAX_BYTES + 2];
    if ((s = td_cli_secret(c, _("New password again: "), false, again, sizeof again)))
        return s;
    bool same = strcmp(again, buf) == 0;
    sodium_memzero(again, sizeof again);
    if (!same) {
        td_err err;
        td_err_set(&err, TD_EINVALID, "%s", _("The two passwords differ; nothing was changed"));
        return td_cli_fail(c, &err);
    }
    return TD_OK;
}

int cmd_login(td_cli *c, int argc, char **argv)
{
    bool from_stdin = td_cli_flag(&argc, argv, "password-stdin");
    const char *user = argc >= 2 ? argv[1] : (c->user && *c->user ? c->user : NULL);
    if (argc > 2 || !user)
        return td_cli_usage(c, "%s", _("usage: talentdesk login USER [--password-stdin]"));
    td_status s = td_cli_open_db(c);
    if (s)
        return s;
    td_err err;
    td_err_clear(&err);
    if ((s = td_local_station(c->db, NULL, NULL, &err)))
        return td_cli_fail(c, &err);
    char pw[TD_PW_MAX_BYTES + 2], prompt[128];
    snprintf(prompt, sizeof prompt, _("Password of %s: "), user);
    if ((s = td_cli_secret(c, prompt, from_stdin, pw, sizeof pw)))
        return s;
    td_actor who;
    bool must_change = false;
    s = td_auth_login(c->db, user, pw, &who, &must_change, &err);
    if (s) {
        sodium_memzero(pw, sizeof pw);
        c->denial_audited = true; /* td_auth_login audited it */
        return td_cli_fail(c, &err);
    }
    if (must_change) {
        if (!from_stdin)
            fprintf(stderr, "%s\n", _("You must choose a new password before going on."));
        char npw[TD_PW_MAX_BYTES + 2];
        if ((s = new_password(c, from_stdin, npw, sizeof npw))) {
            sodium_memzero(pw, sizeof pw);
            return s;
        }
        s = td_auth_change_password(c->db, user, pw, npw, &err);
        sodium_memzero(npw, sizeof npw);
        if (s) {
            sodium_memzero(pw, sizeof pw);
            c->denial_audited = true;
            return td_cli_fail(c, &err);
        }
    }
    sodium_memzero(pw, sizeof pw);
    char token[TD_TOKEN_LEN];
    if ((s = td_session_start(c->db, &who, "cli", token, &err)))
        return td_cli_fail(c, &err);
    s = td_token_save(c->db_path, who.username, token, &err);
    if (s) {
        td_session_end(c->db, token, NULL);
        sodium_memzero(token, sizeof token);
        return td_cli_fail(c, &err);
    }
    sodium_memzero(token, sizeof token);
    td_auth_policy pol;
    td_auth_policy_get(c->db, &pol);
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:i}", "username", who.username, "name", who.display_name,
                              "session_minutes", pol.session_minutes));
    } else if (!c->quiet) {
        char line[256];
        snprintf(line, sizeof line, _("Signed in as %s (%s); the session lasts %d minutes."), who.username,
                 who.display_name, pol.session_minutes);
        td_cli_print(line);
        putchar('\n');
    }
    return TD_OK;
}

int cmd_logout(td_cli *c, int argc, char **argv)
{
    const char *user = argc >= 2 ? argv[1] : (c->user && *c->user ? c->user : NULL);
    if (argc > 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk logout [USER]"));
    td_status s = td_cli_open_db(c);
    if (s)
        return s;
    td_err err;
    td_err_clear(&err);
    char token[TD_TOKEN_LEN], name[64] = "";
    s = td_token_load(c->db_path, user, token, name, sizeof name, &err);
    if (s == TD_ENOTFOUND) {
        if (!c->quiet && !c->json)
            printf("%s\n", _("Nobody was signed in."));
        if (c->json)
            td_cli_json(json_pack("{s:b}", "signed_out", 0));
        return TD_OK;
    }
    if (s)
        return td_cli_fail(c, &err);
    s = td_session_end(c->db, token, &err);
    sodium_memzero(token, sizeof token);
    td_token_remove(c->db_path, name);
    if (s)
        return td_cli_fail(c, &err);
    if (c->json)
        td_cli_json(json_pack("{s:b,s:s}", "signed_out", 1, "username", name));
    else if (!c->quiet) {
        char line[128];
        snprintf(line, sizeof line, _("Signed out: %s"), name);
        td_cli_print(line);
        putchar('\n');
    }
    return TD_OK;
}

int cmd_whoami(td_cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return td_cli_usage(c, "%s", _("usage: talentdesk whoami"));
    td_status s = td_cli_actor(c);
    if (s)
        return s;
    char roles[128];
    td_roles_format(c->actor.roles, roles, sizeof roles);
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:s,s:o,s:s}", "username", c->actor.username, "name",
                              c->actor.display_name, "station", c->actor.station_code, "department",
                              td_json_str(c->actor.department_id), "roles", roles));
    } else {
        const char *cells[4] = { c->actor.username, c->actor.display_name, c->actor.station_code, roles };
        int w[4] = { 0, 0, 0, 0 };
        td_cli_row(4, cells, w);
    }
    return TD_OK;
}
