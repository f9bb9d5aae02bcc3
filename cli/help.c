/* help.c — see help.h.  The tables come from commands.def and help.def. */
#include "help.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *summary;
} cmds[] = {
#define CMD(name, fn, summary) { name, summary },
#include "commands.def"
#undef CMD
};

static const struct {
    const char *cmd, *sub, *usage;
} lines[] = {
#define HELP(cmd, sub, usage) { cmd, sub, usage },
#include "help.def"
#undef HELP
};

#define NCMDS (sizeof cmds / sizeof cmds[0])
#define NLINES (sizeof lines / sizeof lines[0])

bool td_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

/* The first argument naming a sub-command of cmd in help.def, or "". */
static const char *find_sub(const char *cmd, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        for (size_t k = 0; k < NLINES; k++)
            if (lines[k].sub[0] && strcmp(lines[k].cmd, cmd) == 0 && strcmp(lines[k].sub, argv[i]) == 0)
                return lines[k].sub;
    }
    return "";
}

int td_cli_help(td_cli *c, const char *cmd, int argc, char **argv)
{
    const char *summary = NULL;
    for (size_t k = 0; k < NCMDS; k++)
        if (strcmp(cmds[k].name, cmd) == 0)
            summary = cmds[k].summary;
    if (!summary)
        return td_cli_usage(c, _("unknown command '%s' (see talentdesk --help)"), cmd);
    const char *sub = find_sub(cmd, argc, argv);
    json_t *arr = c->json ? json_array() : NULL;
    if (!c->json)
        printf("talentdesk %s%s%s — %s\n", cmd, sub[0] ? " " : "", sub, _(summary));
    for (size_t k = 0; k < NLINES; k++) {
        if (strcmp(lines[k].cmd, cmd) != 0 || (sub[0] && strcmp(lines[k].sub, sub) != 0))
            continue;
        bool seen = false; /* sub-commands sharing the overview's line print it once */
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(lines[j].cmd, cmd) == 0 && (!sub[0] || strcmp(lines[j].sub, sub) == 0) &&
                   strcmp(lines[j].usage, lines[k].usage) == 0;
        if (seen)
            continue;
        if (arr)
            json_array_append_new(arr, json_string(_(lines[k].usage)));
        else
            printf("  %s\n", _(lines[k].usage));
    }
    if (arr) {
        json_t *j = json_object();
        json_object_set_new(j, "command", json_string(cmd));
        json_object_set_new(j, "sub_command", sub[0] ? json_string(sub) : json_null());
        json_object_set_new(j, "summary", json_string(_(summary)));
        json_object_set_new(j, "usage", arr);
        td_cli_json(j);
    } else {
        printf("%s\n", _("Global options (--db, --user, --lang, --json): see talentdesk --help."));
    }
    return TD_OK;
}
