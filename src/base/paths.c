/* paths.c — see paths.h. */
#include "paths.h"
#include "i18n.h"

#include <errno.h>
#include <sodium.h>
#include <unistd.h>
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

/* Makes dir (0700) or checks an existing one is ours and private. */
static bool private_dir(const char *dir)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return false;
    struct stat st;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
        return false;
    if (st.st_mode & 077)
        return chmod(dir, 0700) == 0;
    return true;
}

bool td_user_runtime_dir(const char *db_path, char *buf, size_t len)
{
    char base[PATH_MAX];
    const char *rt = getenv("XDG_RUNTIME_DIR");
    bool ok = false;
    if (rt && rt[0] == '/') {
        snprintf(base, sizeof base, "%s/talentdesk", rt);
        ok = private_dir(base);
    }
    if (!ok) {
        snprintf(base, sizeof base, "/tmp/talentdesk-%u", (unsigned)geteuid());
        ok = private_dir(base);
    }
    if (!ok) {
        snprintf(buf, len, "%s", base);
        return false;
    }
    char real[PATH_MAX];
    const char *p = realpath(db_path, real) ? real : db_path;
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)p, strlen(p), NULL, 0);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return (size_t)snprintf(buf, len, "%s/%s", base, hex) < len && private_dir(buf);
}
