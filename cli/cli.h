/* cli.h — the command-line front end: shared state of one invocation and the
 * helpers every command uses.  Commands live in cli/cmd_*.c and are listed
 * once in cli/commands.def.
 *
 * Conventions for a command `int cmd_x(td_cli *c, int argc, char **argv)`:
 *  - argv[0] is the command name; options may appear anywhere;
 *  - it returns a td_status, which becomes the exit code;
 *  - errors: td_cli_fail(c, &err) prints "talentdesk: 错误：…" on stderr;
 *  - output: with c->json, exactly one JSON document on stdout (td_cli_json);
 *    otherwise human text, every datum passed through the text module.
 */
#ifndef TD_CLI_H
#define TD_CLI_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct td_cli {
    const char *db_path;
    const char *user;        /* --user or TALENTDESK_USER */
    bool json;
    bool quiet;
    td_db *db;               /* opened by td_cli_open_db */
    unsigned open_flags;     /* TD_DB_CREATE / TD_DB_MIGRATE: only init and upgrade set them */
    td_actor actor;          /* loaded by td_cli_actor */
    bool have_actor;
    bool denial_audited;     /* a refusal was already written to the audit log */
    int nargs;               /* the command's arguments as given (before option parsing), */
    char **args;             /* checked against the record scope by td_cli_actor */
} td_cli;

/* Opens c->db_path as c->open_flags allow (by default an existing database of
 * the current schema, read-only when the file cannot be written; writes are
 * refused when its quick_check fails).  Prints the error and returns its
 * status on failure. */
td_status td_cli_open_db(td_cli *c);

/* Opens the database and loads the signed-in user: the live session of
 * --user / TALENTDESK_USER, or of the user who signed in last (see
 * src/auth/tokenfile.h).  Without a live session TD_EDENIED (exit 4), audited.
 * Then every argument of the command that names a case, task or person
 * (c->args) is checked against the user's record scope
 * (td_scope_check_key): one out of scope is refused, TD_EDENIED (exit 4),
 * audited — so no command opens another station's case.  Prints errors. */
td_status td_cli_actor(td_cli *c);

/* Whether the signed-in user may see full mobile numbers (people/mask.h);
 * set by td_cli_actor, false before: output masks them by default. */
extern bool td_cli_show_phones;

/* The signed-in user for masking (people/mask.h td_pii_view): set by
 * td_cli_actor, NULL before (everything masked). */
extern const td_actor *td_cli_viewer;

/* After td_cli_actor: TD_OK unless the record `key` — a case, a service
 * task (id or CASE:SERVICE) or a person — lies outside the signed-in user's
 * record scope (cases/scope.h td_scope_check_key), then the refusal is
 * printed (and audited) and TD_EDENIED returned.  Unknown keys pass (the
 * command reports them). */
td_status td_cli_case_scope(td_cli *c, const char *key);

/* True and *out filled when --user / the current user has a live session;
 * false quietly otherwise (no message, nothing audited). */
bool td_cli_session(td_cli *c, td_actor *out);

/* Reads a secret (password) without echo from the terminal (/dev/tty), with
 * prompt on stderr, or — from_stdin — one line of standard input.  The line
 * ends are removed.  TD_EUSAGE when no terminal is there and not from_stdin;
 * TD_EIO at end of input.  Wipe buf with sodium_memzero when done. */
td_status td_cli_secret(td_cli *c, const char *prompt, bool from_stdin, char *buf, size_t len);

/* Prints err on stderr as "talentdesk: 错误：<message>" (sanitised); with
 * --json also prints {"error": {...}} on stdout.  Returns err->code. */
td_status td_cli_fail(td_cli *c, const td_err *err);

/* Prints a usage error (TD_EUSAGE) with the given message. */
td_status td_cli_usage(td_cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints j (stolen: the reference is released) as pretty JSON on stdout.
 * Control, C1, bidi and zero-width characters inside strings are written as
 * \uXXXX escapes so that no stored text can drive a terminal. */
void td_cli_json(json_t *j);

/* Prints text sanitised for the terminal (keeps newlines). */
void td_cli_print(const char *s);

/* printf to stdout / stderr, the whole formatted text sanitised as by
 * td_cli_print: for messages that carry paths, names or anything else not
 * written by the program itself. */
void td_cli_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void td_cli_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a row of cells, each fitted to its column width (CJK-aware),
 * separated by two spaces, then a newline.  widths[i] < 0 means right-aligned;
 * 0 means unbounded (the text as it is, sanitised). */
void td_cli_row(int n, const char *const *cells, const int *widths);

/* Option parsing: returns the value of --name VALUE or --name=VALUE in argv
 * and removes it (argc updated), or NULL.  td_cli_flag returns and removes a
 * boolean --name. */
const char *td_cli_opt(int *argc, char **argv, const char *name);
bool td_cli_flag(int *argc, char **argv, const char *name);

/* JSON helper: string or null. */
json_t *td_json_str(const char *s);

/* JSON objects of core records (identity numbers masked), shared by commands. */
struct td_person;
struct td_case;
json_t *td_person_json(const struct td_person *p);
json_t *td_case_json(const struct td_case *c);

#endif
