/* paths.c — see paths.h. */
#include "paths.h"
#include "i18n.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef TD_DATADIR
#define TD_DATADIR "/usr/local/share/talentdesk/data"
#endif

static int is_data_dir(const char *dir)
{
    char p[PATH_MAX];
    struct stat st;
    snprintf(p, sizeof p, "%s/services.tdp", dir);
    return stat(p, &st) == 0;
}

const char *td_data_dir(void)
{
    static char dir[PATH_MAX];
    if (dir[0])
        return dir;
    const char *env = getenv("TALENTDESK_DATA");
    if (env && *env) {
        snprintf(dir, sizeof dir, "%s", env);
        return dir;
    }
    const char *rel[] = { "/../data", "/../../data", "/../share/talentdesk/data" };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char cand[PATH_MAX];
        snprintf(cand, sizeof cand, "%s%s", td_exe_dir(), rel[i]);
        if (is_data_dir(cand)) {
            char *real = realpath(cand, NULL);
            snprintf(dir, sizeof dir, "%s", real ? real : cand);
            free(real);
            return dir;
        }
    }
    snprintf(dir, sizeof dir, "%s", TD_DATADIR);
    return dir;
}

static void mkdir_p(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    mkdir(path, 0700);
}

const char *td_default_db_path(char *buf, size_t len)
{
    char dir[PATH_MAX];
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(dir, sizeof dir, "%s/talentdesk", xdg);
    else
        snprintf(dir, sizeof dir, "%s/.local/share/talentdesk", home && *home ? home : ".");
    mkdir_p(dir);
    snprintf(buf, len, "%s/talentdesk.db", dir);
    return buf;
}
