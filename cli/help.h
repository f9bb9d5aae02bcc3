/* help.h — usage of commands and sub-commands (cli/help.def), printed
 * without opening the database. */
#ifndef TD_CLI_HELP_H
#define TD_CLI_HELP_H

#include "cli.h"

#include <stdbool.h>

/* True when argv[1..argc-1] holds --help or -h (the command asks for its
 * usage instead of running). */
bool td_cli_wants_help(int argc, char **argv);

/* Prints the usage of command `cmd` on stdout (JSON with c->json):
 * the command's summary and its help.def lines; with argv (the command's
 * arguments, argv[0] the command) naming a known sub-command, only that
 * sub-command's lines.  Never opens the database.  Returns TD_OK, or
 * TD_EUSAGE (message printed) when cmd is not a command. */
int td_cli_help(td_cli *c, const char *cmd, int argc, char **argv);

#endif
