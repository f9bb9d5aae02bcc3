/* spool.c — see spool.h. */
#include "spool.h"
#include "pdf.h"
#include "base/groupmode.h"
#include "base/i18n.h"
#include "base/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int mkdir_p(char *dir)
{
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int r = mkdir(dir, 0700);
        *p = '/';
        if (r != 0 && errno != EEXIST)
            return -1;
    }
    return mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/* case numbers are [A-Z0-9-]; anything else becomes '_' in a file name */
static void safe_name(const char *s, char *out, size_t len)
{
    size_t i = 0;
    for (; s[i] && i + 1 < len; i++) {
        char c = s[i];
        out[i] = ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') ? c : '_';
    }
    out[i] = 0;
}

td_status td_print_path(td_db *db, const char *case_no, const char *kind, const char ext[], char *out, size_t len,
                        td_err *err)
{
    const char *file = sqlite3_db_filename(td_db_handle(db), "main");
    if (!file || !*file)
        return td_err_set(err, TD_EINVALID, "%s", _("an in-memory database keeps no prints: give --pdf FILE"));
    char own[4096];
    if (td_group_owns(file)) /* the shared-server mode: prints are the clerk's own, in their data directory */
        file = td_default_db_path(own, sizeof own);
    char cn[64], k[32];
    safe_name(case_no, cn, sizeof cn);
    safe_name(kind, k, sizeof k);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s.prints/%s", file, cn);
    if (mkdir_p(dir) != 0)
        return td_err_set(err, TD_EIO, _("cannot create %s: %s"), dir, strerror(errno));
    snprintf(out, len, "%s/%s-%s.%s", dir, cn, k, ext);
    return TD_OK;
}

/* Runs argv with stdout into buf (when buf) and stderr discarded; returns the
 * exit status, or -1 when it could not run. */
static int run(char *const argv[], char *buf, size_t len)
{
    int fds[2] = { -1, -1 };
    if (buf && pipe(fds) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (buf) {
        posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
        posix_spawn_file_actions_addclose(&fa, fds[0]);
        posix_spawn_file_actions_addclose(&fa, fds[1]);
    } else {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    }
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (buf) {
        close(fds[1]);
        size_t o = 0;
        if (r == 0) {
            ssize_t k;
            while (o + 1 < len && (k = read(fds[0], buf + o, len - 1 - o)) > 0)
                o += (size_t)k;
        }
        buf[o] = 0;
        close(fds[0]);
    }
    if (r != 0)
        return -1;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void td_print_default_printer(char *out, size_t len)
{
    out[0] = 0;
    char buf[1024];
    char *argv[] = { "lpstat", "-d", NULL };
    if (run(argv, buf, sizeof buf) != 0)
        return;
    /* "system default destination: NAME" (the C locale's wording; lpstat
     * is run with the caller's locale, so take what follows the colon of a
     * line that has one and no spaces after it) */
    char *colon = strrchr(buf, ':');
    if (!colon || strncmp(buf, "no ", 3) == 0)
        return;
    char *name = colon + 1;
    while (*name == ' ')
        name++;
    name[strcspn(name, " \r\n")] = 0;
    snprintf(out, len, "%s", name);
}

td_status td_print_send(const char *file, const char *printer, td_print_result *res, td_err *err)
{
    res->sent = false;
    res->printer[0] = 0;
    char dest[128];
    if (printer && *printer)
        snprintf(dest, sizeof dest, "%s", printer);
    else
        td_print_default_printer(dest, sizeof dest);
    if (!dest[0])
        return TD_OK;
    char *argv[] = { "lp", "-d", dest, "--", (char *)file, NULL };
    int st = run(argv, NULL, 0);
    if (st == -1 && !(printer && *printer))
        return TD_OK; /* no lp: nothing to send to */
    if (st != 0)
        return td_err_set(err, TD_EIO, _("the printer %s refused %s (lp exit status %d)"), dest, file, st);
    res->sent = true;
    snprintf(res->printer, sizeof res->printer, "%s", dest);
    return TD_OK;
}

td_status td_print_case(td_db *db, const char *kind, const char *case_key, const char *extra_pdf,
                        const char *printer, bool no_send, td_print_result *res, td_err *err)
{
    memset(res, 0, sizeof *res);
    td_printdoc d;
    td_status s = td_print_build(db, kind, case_key, &d, err);
    if (s != TD_OK)
        return s;
    s = td_print_path(db, d.case_no, d.kind, "pdf", res->path, sizeof res->path, err);
    if (s == TD_OK)
        s = td_printdoc_pdf(&d, res->path, err);
    if (s == TD_OK && extra_pdf && *extra_pdf)
        s = td_printdoc_pdf(&d, extra_pdf, err);
    td_printdoc_free(&d);
    if (s == TD_OK && !no_send)
        s = td_print_send(res->path, printer, res, err);
    return s;
}

td_status td_print_case_as(td_db *db, const td_actor *a, const char *kind, const char *case_key,
                           const char *extra_pdf, const char *printer, bool no_send, td_print_result *res,
                           td_err *err)
{
    memset(res, 0, sizeof *res);
    td_printdoc d;
    td_status s = td_print_build_as(db, a, kind, case_key, &d, err);
    if (s)
        return s;
    td_printdoc_free(&d);
    return td_print_case(db, kind, case_key, extra_pdf, printer, no_send, res, err);
}
