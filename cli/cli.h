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
} td_cli;

/* Opens c->db_path as c->open_flags allow (by default an existing database of
 * the current schema, read-only when the file cannot be written; writes are
 * refused when its quick_check fails).  Prints the error and returns its
 * status on failure. */
td_status td_cli_open_db(td_cli *c);

/* Opens the database and loads the acting user (--user, TALENTDESK_USER, or
 * the single admin of a fresh database).  Prints errors. */
td_status td_cli_actor(td_cli *c);

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
