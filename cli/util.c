/* util.c — helpers shared by the CLI commands (see cli.h). */
#include "cli.h"
#include "base/i18n.h"
#include "base/text.h"
#include "base/groupmode.h"
#include "auth/access.h"
#include "auth/account.h"
#include "auth/peer.h"
#include "auth/tokenfile.h"
#include "cases/scope.h"
#include "people/country.h"
#include "people/mask.h"
#include "policy/roles.h"

#include <sodium.h>

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The shared-server mode: the real Unix user, when an administrator linked
 * it to a TalentDesk user (and --user names that user or nobody), signs in
 * as that user by the operating system's login (auth/peer.h).  A session is
 * started and kept like `talentdesk login`'s, so the sign-in is audited once
 * per session.  TD_ENOTFOUND quietly when there is no such link. */
static td_status peer_signin(td_cli *c, const char *want, td_actor *out, td_err *err)
{
    if (!td_group_mode())
        return TD_ENOTFOUND;
    struct passwd *pw = getpwuid(getuid());
    if (!pw || !pw->pw_name)
        return TD_ENOTFOUND;
    char unix_user[64];
    snprintf(unix_user, sizeof unix_user, "%s", pw->pw_name);
    td_actor who;
    td_status s = td_peer_actor(c->db, unix_user, &who, err);
    if (s)
        return s;
    if (want && strcmp(want, who.username) != 0)
        return TD_ENOTFOUND;
    char reason[96];
    snprintf(reason, sizeof reason, "unix:%s", unix_user);
    td_auth_audit(c->db, &who, "auth.login_peer", who.username, reason);
    char token[TD_TOKEN_LEN];
    if ((s = td_session_start(c->db, &who, "cli", token, err)))
        return s;
    s = td_token_save(c->db_path, who.username, token, err);
    sodium_memzero(token, sizeof token);
    if (s)
        return s;
    *out = who;
    return TD_OK;
}

td_status td_cli_open_db(td_cli *c)
{
    if (c->db)
        return TD_OK;
    td_err err;
    td_err_clear(&err);
    if (td_db_open_ex(c->db_path, c->open_flags | TD_DB_CHECK_WRITES, &c->db, &err) != TD_OK)
        return td_cli_fail(c, &err);
    /* Country names follow the countries.tdp version loaded into this database. */
    td_country_use_db(c->db);
    /* Who may do what follows the roles.tdp version loaded into it. */
    if (td_roles_use_db(c->db, &err) != TD_OK)
        return td_cli_fail(c, &err);
    return TD_OK;
}

/* The actor is known (c->actor): phones and the viewer follow its role, and
 * every argument that names a case, task or person is checked against its
 * record scope.  TD_OK, or the refusal (already printed and audited). */
static td_status actor_ready(td_cli *c)
{
    c->have_actor = true;
    td_cli_show_phones = td_may_see_phone(&c->actor);
    td_cli_viewer = &c->actor;
    for (int i = 1; i < c->nargs && td_actor_scope(&c->actor) != TD_SCOPE_ALL; i++) {
        const char *a = c->args[i];
        if (!a || !*a || a[0] == '-')
            continue;
        td_status s = td_cli_case_scope(c, a);
        if (s)
            return s;
    }
    return TD_OK;
}

td_status td_cli_actor(td_cli *c)
{
    td_status s = td_cli_open_db(c);
    if (s)
        return s;
    if (c->have_actor)
        return TD_OK;
    td_err err;
    td_err_clear(&err);
    if (td_local_station(c->db, NULL, NULL, &err) != TD_OK) /* "run talentdesk init" */
        return td_cli_fail(c, &err);
    /* --user NAME selects NAME's live session; without it, the user who
     * signed in last.  A name without a session is refused. */
    const char *want = c->user && *c->user ? c->user : NULL;
    char token[TD_TOKEN_LEN], user[64] = "";
    s = td_token_load(c->db_path, want, token, user, sizeof user, &err);
    if (s == TD_OK) {
        s = td_session_resume(c->db, token, &c->actor, &err);
        sodium_memzero(token, sizeof token);
        if (s == TD_OK)
            return actor_ready(c);
        if (s != TD_EDENIED) /* a database error */
            return td_cli_fail(c, &err);
    } else if (s != TD_ENOTFOUND) {
        return td_cli_fail(c, &err);
    } else if (want) {
        td_err_set(&err, TD_EDENIED, _("User %s is not signed in; sign in first: talentdesk login %s"), want, want);
    } else {
        td_err_set(&err, TD_EDENIED, "%s", _("Nobody is signed in; sign in first: talentdesk login USER"));
    }
    /* No live session: the Unix login of a linked account (shared-server mode). */
    td_err perr;
    td_err_clear(&perr);
    td_status ps = peer_signin(c, want, &c->actor, &perr);
    if (ps == TD_OK)
        return actor_ready(c);
    return td_cli_fail(c, ps == TD_ENOTFOUND ? &err : &perr);
}

bool td_cli_show_phones;
const td_actor *td_cli_viewer;

td_status td_cli_case_scope(td_cli *c, const char *key)
{
    td_err err;
    td_err_clear(&err);
    td_status s = td_scope_check_key(c->db, &c->actor, key, &err);
    return s == TD_EDENIED ? td_cli_fail(c, &err) : TD_OK; /* not found etc.: the command says so */
}

bool td_cli_session(td_cli *c, td_actor *out)
{
    char token[TD_TOKEN_LEN];
    const char *want = c->user && *c->user ? c->user : NULL;
    if (td_cli_open_db(c))
        return false;
    bool ok = td_token_load(c->db_path, want, token, NULL, 0, NULL) == TD_OK &&
              td_session_resume(c->db, token, out, NULL) == TD_OK;
    sodium_memzero(token, sizeof token);
    if (!ok && td_local_station(c->db, NULL, NULL, NULL) == TD_OK)
        ok = peer_signin(c, want, out, NULL) == TD_OK;
    return ok;
}

/* Writes s to f with every character a terminal could act on made visible. */
static void put_safe(FILE *f, const char *s, bool multiline)
{
    size_t cap = strlen(s) * 10 + 16;
    char *buf = malloc(cap);
    if (!buf)
        return;
    if (multiline)
        td_text_sanitize_multiline(s, buf, cap);
    else
        td_text_sanitize(s, buf, cap);
    fputs(buf, f);
    free(buf);
}

td_status td_cli_fail(td_cli *c, const td_err *err)
{
    td_status code = err->code ? err->code : TD_ERR;
    /* Every refusal is audited (sign-in failures audit themselves). */
    if (c && code == TD_EDENIED && c->db && !c->denial_audited && !err->audited && !td_db_in_tx(c->db)) {
        td_err e = *err;
        td_access_denied(c->db, c->have_actor ? &c->actor : NULL, c->user ? c->user : "", &e);
        c->denial_audited = e.audited;
    }
    fprintf(stderr, "talentdesk: %s", _("error: "));
    put_safe(stderr, err->msg[0] ? err->msg : td_status_name(code), false);
    fputc('\n', stderr);
    if (c && c->json) {
        json_t *j = json_pack("{s:{s:i,s:s,s:s}}", "error", "code", (int)code, "kind",
                              td_status_name(code), "message", err->msg);
        td_cli_json(j);
    }
    return code;
}

td_status td_cli_usage(td_cli *c, const char *fmt, ...)
{
    td_err err;
    err.code = TD_EUSAGE;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err.msg, sizeof err.msg, fmt, ap);
    va_end(ap);
    return td_cli_fail(c, &err);
}

void td_cli_json(json_t *j)
{
    if (!j)
        return;
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!s)
        return;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = td_utf8_decode(s + i, len - i, &cp);
        /* jansson already escapes C0 inside strings; bytes below 0x20 left
         * are the document's own newlines and indentation. */
        if (cp >= 0x7F && cp > 0xFFFF && td_text_cp_unsafe(cp)) { /* surrogate pair */
            uint32_t v = cp - 0x10000;
            printf("\\u%04x\\u%04x", (unsigned)(0xD800 + (v >> 10)), (unsigned)(0xDC00 + (v & 0x3FF)));
        } else if (cp >= 0x7F && td_text_cp_unsafe(cp)) {
            printf("\\u%04x", (unsigned)cp);
        } else {
            fwrite(s + i, 1, (size_t)n, stdout);
        }
        i += (size_t)n;
    }
    fputc('\n', stdout);
    free(s);
}

void td_cli_print(const char *s)
{
    put_safe(stdout, s, true);
}

static void vput_safe(FILE *f, const char *fmt, va_list ap)
{
    char small[1024];
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(small, sizeof small, fmt, aq);
    va_end(aq);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        put_safe(f, small, true);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big)
        return;
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    put_safe(f, big, true);
    free(big);
}

void td_cli_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vput_safe(stdout, fmt, ap);
    va_end(ap);
}

void td_cli_eprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vput_safe(stderr, fmt, ap);
    va_end(ap);
}

void td_cli_row(int n, const char *const *cells, const int *widths)
{
    for (int i = 0; i < n; i++) {
        const char *cell = cells[i] ? cells[i] : "";
        int w = widths[i];
        if (w == 0) { /* unbounded column: no padding, but still sanitised */
            put_safe(stdout, cell, false);
            if (i < n - 1)
                fputs("  ", stdout);
            continue;
        }
        size_t cap = strlen(cell) * 10 + (size_t)abs(w) * 4 + 16;
        char *buf = malloc(cap);
        if (!buf)
            return;
        if (w < 0)
            td_text_fit_right(cell, -w, buf, cap);
        else
            td_text_fit(cell, w, true, buf, cap);
        fputs(buf, stdout);
        free(buf);
        if (i < n - 1)
            fputs("  ", stdout);
    }
    fputc('\n', stdout);
}

const char *td_cli_opt(int *argc, char **argv, const char *name)
{
    size_t nl = strlen(name);
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] != '-' || strncmp(a + 2, name, nl) != 0)
            continue;
        const char *val = NULL;
        int take = 0;
        if (a[2 + nl] == '=') {
            val = a + 3 + nl;
            take = 1;
        } else if (a[2 + nl] == '\0' && i + 1 < *argc) {
            val = argv[i + 1];
            take = 2;
        } else {
            continue;
        }
        memmove(&argv[i], &argv[i + take], sizeof(char *) * (size_t)(*argc - i - take));
        *argc -= take;
        argv[*argc] = NULL;
        return val;
    }
    return NULL;
}

bool td_cli_flag(int *argc, char **argv, const char *name)
{
    size_t nl = strlen(name);
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-' && strncmp(a + 2, name, nl) == 0 && a[2 + nl] == '\0') {
            memmove(&argv[i], &argv[i + 1], sizeof(char *) * (size_t)(*argc - i - 1));
            (*argc)--;
            argv[*argc] = NULL;
            return true;
        }
    }
    return false;
}

json_t *td_json_str(const char *s)
{
    return (s && *s) ? json_string(s) : json_null();
}
