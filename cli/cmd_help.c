/* cmd_help.c — talentdesk help [COMMAND [SUB-COMMAND]]: the usage of a
 * command (the same as `talentdesk COMMAND [SUB] --help`), without a
 * database; with no command, the list of commands is talentdesk --help. */
#include "cli.h"
#include "help.h"

int cmd_help(td_cli *c, int argc, char **argv)
{
    if (argc < 2)
        return td_cli_help(c, "help", argc, argv);
    return td_cli_help(c, argv[1], argc - 1, argv + 1);
}
