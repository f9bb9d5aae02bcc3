/* main.c — talentdesk entry point: global options, then one command. */
#include "cli.h"
#include "help.h"
#include "base/groupmode.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "base/uuid.h"
#include "workflow/wf_due.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#ifndef TD_VERSION
#define TD_VERSION "0.0.0"
#endif

#define CMD(name, fn, summary) int fn(td_cli *c, int argc, char **argv);
#include "commands.def"
#undef CMD

typedef struct {
    const char *name;
    int (*fn)(td_cli *, int, char **);
    const char *summary;
} command;

static const command commands[] = {
#define CMD(name, fn, summary) { name, fn, summary },
#include "commands.def"
#undef CMD
};

static void usage(FILE *f)
{
    fprintf(f, "%s\n\n", _("TalentDesk - one-stop talent service counter"));
    fprintf(f, "%s\n", _("Usage: talentdesk [OPTIONS] [COMMAND] [ARGS...]"));
    fprintf(f, "\n%s\n", _("Options:"));
    fprintf(f, "  --db PATH        %s\n", _("database file (default $XDG_DATA_HOME/talentdesk/talentdesk.db)"));
    fprintf(f, "  --user NAME      %s\n", _("act as this user (or TALENTDESK_USER)"));
    fprintf(f, "  --json           %s\n", _("machine-readable JSON output"));
    fprintf(f, "  --lang zh|en     %s\n", _("language of messages (default Chinese; or TALENTDESK_LANG)"));
    fprintf(f, "  --version        %s\n", _("print the version"));
    fprintf(f, "  --help           %s\n", _("print this help"));
    fprintf(f, "\n%s\n", _("Commands:"));
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(f, "\n%s\n", _("Without a command, the terminal interface opens. Exit codes: see README."));
}

/* Prints "talentdesk: 错误：<msg>" for a refusal of the shared-server mode
 * and returns TD_EDENIED (exit 4). */
static int group_refuse(const char *fmt, const char *arg)
{
    fprintf(stderr, "talentdesk: %s", _("error: "));
    td_cli_eprintf(fmt, arg);
    fputc('\n', stderr);
    return TD_EDENIED;
}

/* In the shared-server mode: what an ordinary clerk's account may not do.
 * Returns 0 or the exit code of a printed refusal. */
static int group_check(const char *name, int argc, char **argv)
{
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        if (strcmp(a, "--data") == 0 || strncmp(a, "--data=", 7) == 0 || strcmp(a, "--script") == 0 ||
            strncmp(a, "--script=", 9) == 0)
            return group_refuse(_("%s cannot be used in the shared-server installation: the program reads only "
                                  "its installed data and the terminal"),
                                strncmp(a, "--data", 6) == 0 ? "--data" : "--script");
    }
    /* Commands that make, replace or copy the database and its keys. */
    bool admin = strcmp(name, "init") == 0 || strcmp(name, "upgrade") == 0 || strcmp(name, "restore") == 0 ||
                 strcmp(name, "backup") == 0 ||
                 (strcmp(name, "sync") == 0 && argc > 1 && (strcmp(argv[1], "keys") == 0 || strcmp(argv[1], "join") == 0));
    if (admin && !td_group_admin())
        return group_refuse(_("In the shared-server installation only the administrator's Unix account (root or "
                              "the owner of %s) may run this command"),
                            td_group_db_path());
    return 0;
}

/* A write command also finishes the due-date moves a killed `policy load`
 * left (src/workflow/wf_due.h), in short transactions after its own; a
 * failure there leaves them planned (the command's result stands) and says so. */
static void finish_due_dates(td_db *db)
{
    td_err err;
    td_err_clear(&err);
    long left = 0;
    if (td_due_pending(db, &left, &err) || left == 0)
        return;
    if (td_due_resume(db, NULL, &err) == TD_OK)
        return;
    td_cli_eprintf(_("talentdesk: %ld due dates are still to be moved under the new holiday calendar (%s); the "
                     "next write command or `talentdesk policy load` goes on\n"),
                   left, err.msg);
}

int main(int argc, char **argv)
{
    /* The shared-server mode first: it drops the group privilege and cleans
     * the environment before any library reads it (see base/groupmode.h). */
    int group_rc = td_group_init();

    /* Language first: it decides every message below. */
    const char *lang = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            lang = argv[i + 1];
        else if (strncmp(argv[i], "--lang=", 7) == 0)
            lang = argv[i] + 7;
    }
    td_i18n_init(lang, NULL);
    if (td_crypto_init() != 0) {
        fprintf(stderr, "talentdesk: %s\n", _("the system random source is unavailable"));
        return TD_ERR;
    }

    /* Files this program makes (database, key, sessions, drafts, exports)
     * are owner-only; passwords never reach a core dump. */
    umask(077);
    struct rlimit no_core = { 0, 0 };
    setrlimit(RLIMIT_CORE, &no_core);
#if !defined(__SANITIZE_ADDRESS__)
    /* Not dumpable: no core file, and no other process of the same user may
     * attach or read /proc/PID/mem while a password is typed.  (Left out
     * under AddressSanitizer: its leak checker needs ptrace.) */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif

    if (group_rc != 0)
        return group_refuse(_(td_group_problem()), td_group_problem_path());
    if (td_group_mode() && td_group_refused_env())
        return group_refuse(_("%s is not accepted in the shared-server installation: the database, policy data, "
                              "messages and clock are the installed ones (unset it)"),
                            td_group_refused_env());

    td_cli c = { 0 };
    char dbbuf[4096];
    c.user = getenv("TALENTDESK_USER");
    const char *db_env = td_group_mode() ? NULL : getenv("TALENTDESK_DB");
    c.db_path = (db_env && *db_env) ? db_env : NULL;

    /* Global options come before the command; --json may appear anywhere. */
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            printf("talentdesk %s\n", TD_VERSION);
            return 0;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--json") == 0) {
            c.json = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            c.quiet = true;
        } else if ((strcmp(a, "--db") == 0 || strcmp(a, "--user") == 0 || strcmp(a, "--lang") == 0) &&
                   i + 1 < argc) {
            if (strcmp(a, "--db") == 0 && td_group_mode())
                return group_refuse(_("%s cannot be used in the shared-server installation: every clerk works on "
                                      "the installed database"),
                                    "--db");
            if (strcmp(a, "--db") == 0)
                c.db_path = argv[i + 1];
            else if (strcmp(a, "--user") == 0)
                c.user = argv[i + 1];
            i++;
        } else if (strncmp(a, "--db=", 5) == 0) {
            if (td_group_mode())
                return group_refuse(_("%s cannot be used in the shared-server installation: every clerk works on "
                                      "the installed database"),
                                    "--db");
            c.db_path = a + 5;
        } else if (strncmp(a, "--user=", 7) == 0) {
            c.user = a + 7;
        } else if (strncmp(a, "--lang=", 7) == 0) {
            /* handled above */
        } else if (a[0] == '-' && a[1] == '-') {
            return td_cli_usage(&c, _("unknown option %s (see talentdesk --help)"), a);
        } else {
            break;
        }
    }
    if (td_group_mode())
        c.db_path = td_group_db_path();
    else if (!c.db_path)
        c.db_path = td_default_db_path(dbbuf, sizeof dbbuf);

    const char *name = i < argc ? argv[i] : "tui";
    int sub_argc = i < argc ? argc - i : 1;
    char *tui_argv[] = { (char *)"tui", NULL };
    char **sub_argv = i < argc ? argv + i : tui_argv;
    if (td_cli_flag(&sub_argc, sub_argv, "json"))
        c.json = true;
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        if (strcmp(commands[k].name, name) == 0) {
            /* CMD [SUB] --help: usage only, the database stays unopened */
            if (td_cli_wants_help(sub_argc, sub_argv))
                return td_cli_help(&c, name, sub_argc, sub_argv);
            int grc = td_group_mode() ? group_check(name, sub_argc, sub_argv) : 0;
            if (grc)
                return grc;
            char **args = malloc(sizeof *args * ((size_t)sub_argc + 1));
            if (args) { /* a copy: commands remove the options they parse from sub_argv */
                memcpy(args, sub_argv, sizeof *args * (size_t)sub_argc);
                c.nargs = sub_argc;
                c.args = args;
            }
            int rc = commands[k].fn(&c, sub_argc, sub_argv);
            if (td_db_acts(c.db) > 0)
                finish_due_dates(c.db);
            free(args);
            td_db_close(c.db);
            return rc;
        }
    }
    return td_cli_usage(&c, _("unknown command '%s' (see talentdesk --help)"), name);
}
