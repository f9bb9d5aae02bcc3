/* groupmode.c — see groupmode.h. */
#include "groupmode.h"
#include "i18n.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool g_done, g_on, g_setgid;
static gid_t g_priv_gid;
static char g_db[PATH_MAX], g_conf[PATH_MAX], g_problem_path[PATH_MAX];
static const char *g_problem, *g_refused;

/* Variables that would point the program at other data, time or messages. */
static const char *const refused_env[] = {
    "TALENTDESK_DB", "TALENTDESK_DATA", "TALENTDESK_LOCALEDIR", "TALENTDESK_NOW", "TALENTDESK_COUNTRIES",
    "TALENTDESK_ISO3166_JSON", "TALENTDESK_ISO3166_MO", "TALENTDESK_TUI_SCRIPT", "TALENTDESK_TUI_OUTPUT",
    NULL,
};

/* What ncurses (use_terminfo_vars), gettext/glibc (AT_SECURE's unsecure
 * variables) and iconv ignore in a privileged program; removed here so that
 * it holds whatever the libraries do. */
static const char *const unsafe_env[] = {
    "TERMINFO", "TERMINFO_DIRS", "TERMCAP", "LOCPATH", "NLSPATH", "GCONV_PATH", "LOCALDOMAIN", "HOSTALIASES",
    "RES_OPTIONS", "TZDIR", "TMPDIR", "MALLOC_TRACE", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT",
    "SQLITE_TMPDIR", "NLSPATH", NULL,
};

/* Root-owned and writable by nobody else (a sticky root directory is fine). */
static bool safe_node(const char *p, bool dir)
{
    struct stat sb;
    if (lstat(p, &sb) != 0)
        return false;
    if (dir ? !S_ISDIR(sb.st_mode) : !S_ISREG(sb.st_mode))
        return false;
    if (sb.st_uid != 0)
        return false;
    if ((sb.st_mode & (S_IWGRP | S_IWOTH)) && !(dir && (sb.st_mode & S_ISVTX)))
        return false;
    return true;
}

/* The file and each directory above it (through the real path). */
static bool safe_path(const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return false;
    bool ok = safe_node(real, false);
    for (char *s = strrchr(real, '/'); ok && s; s = strrchr(real, '/')) {
        if (s == real) {
            ok = safe_node("/", true);
            break;
        }
        *s = '\0';
        ok = safe_node(real, true);
    }
    free(real);
    return ok;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    size_t k = strspn(s, " \t");
    memmove(s, s + k, strlen(s + k) + 1);
}

/* Reads "db = PATH" (comments start with #).  Hand-written: one setting. */
static int read_conf(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        g_problem = N_("cannot read the installation's configuration file %s");
        return -1;
    }
    char line[PATH_MAX + 64];
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        trim(line);
        if (!line[0])
            continue;
        char *eq = strchr(line, '=');
        if (!eq) {
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = line, *val = eq + 1;
        trim(key);
        trim(val);
        if (strcmp(key, "db") == 0 && val[0] == '/' && strlen(val) < sizeof g_db && !strstr(val, "/../"))
            snprintf(g_db, sizeof g_db, "%s", val);
        else if (strcmp(key, "group") != 0) /* group: documentation for make install */
            rc = -1;
    }
    fclose(f);
    if (rc)
        g_problem = N_("the installation's configuration file %s has a line this program does not know "
                       "(only `db = /absolute/path`)");
    return rc;
}

static bool find_conf(char *out, size_t len)
{
    struct stat sb;
    snprintf(out, len, "%s/talentdesk/talentdesk.conf", TD_SYSCONFDIR);
    if (stat(out, &sb) == 0)
        return true;
    snprintf(out, len, "%s/../etc/talentdesk/talentdesk.conf", td_exe_dir());
    if (stat(out, &sb) == 0)
        return true;
    out[0] = '\0';
    return false;
}

int td_group_init(void)
{
    if (g_done)
        return g_problem ? -1 : 0;
    g_done = true;
    g_setgid = getegid() != getgid();
    if (g_setgid) {
        g_priv_gid = getegid();
        if (setegid(getgid()) != 0) { /* cannot drop: refuse to run with it */
            g_problem = N_("cannot give up the group privilege (%s)");
            snprintf(g_problem_path, sizeof g_problem_path, "setegid");
            g_on = true;
            return -1;
        }
    }
    bool conf = find_conf(g_conf, sizeof g_conf);
    g_on = g_setgid || conf;
    if (!g_on)
        return 0;
    snprintf(g_db, sizeof g_db, "%s/talentdesk.db", TD_STATEDIR);
    for (size_t i = 0; unsafe_env[i]; i++)
        unsetenv(unsafe_env[i]);
    const char *lang = getenv("LANGUAGE"); /* gettext: no paths in language names */
    if (lang && strchr(lang, '/'))
        unsetenv("LANGUAGE");
    for (size_t i = 0; refused_env[i]; i++) {
        const char *v = getenv(refused_env[i]);
        if (v && *v && !g_refused)
            g_refused = refused_env[i];
        unsetenv(refused_env[i]);
    }
    if (conf) {
        snprintf(g_problem_path, sizeof g_problem_path, "%s", g_conf);
        if (!safe_path(g_conf)) {
            g_problem = N_("the installation's configuration file %s (or a directory above it) is not owned by "
                           "root or may be written by others; the program refuses to trust it");
            return -1;
        }
        if (read_conf(g_conf) != 0)
            return -1;
        g_problem_path[0] = '\0';
    }
    /* The directory through its real path: SQLite names its files so. */
    char *slash = strrchr(g_db, '/'), *real = NULL;
    if (slash && slash != g_db) {
        *slash = '\0';
        real = realpath(g_db, NULL);
        *slash = '/';
    }
    if (real) {
        char name[PATH_MAX];
        snprintf(name, sizeof name, "%s", slash + 1);
        if (strlen(real) + strlen(name) + 2 <= sizeof g_db)
            snprintf(g_db, sizeof g_db, "%s/%s", real, name);
        free(real);
    }
    return 0;
}

bool td_group_mode(void)
{
    return g_on;
}

const char *td_group_db_path(void)
{
    return g_on ? g_db : "";
}

const char *td_group_conf_path(void)
{
    return g_conf;
}

const char *td_group_problem(void)
{
    return g_problem ? g_problem : "";
}

const char *td_group_problem_path(void)
{
    return g_problem_path;
}

const char *td_group_refused_env(void)
{
    return g_refused;
}

bool td_group_admin(void)
{
    if (!g_on || getuid() == 0)
        return true;
    bool raised = td_group_raise(g_db);
    struct stat sb;
    bool own = stat(g_db, &sb) == 0 && sb.st_uid == getuid();
    td_group_lower(raised);
    return own;
}

bool td_group_owns(const char *path)
{
    if (!g_on || !path || !g_db[0])
        return false;
    size_t n = strlen(g_db);
    if (strncmp(path, g_db, n) != 0)
        return false;
    const char *rest = path + n;
    if (!*rest)
        return true;
    if (strstr(rest, "/..") || strstr(rest, "/./"))
        return false;
    return strcmp(rest, "-wal") == 0 || strcmp(rest, "-shm") == 0 || strcmp(rest, "-journal") == 0 ||
           strcmp(rest, ".key") == 0 || strcmp(rest, ".keys") == 0 || strcmp(rest, ".peerkeys") == 0 ||
           strncmp(rest, ".prints", 7) == 0 ||
           strncmp(rest, ".key.", 5) == 0;
}

static int g_depth; /* raise/lower nest */

bool td_group_raise(const char *path)
{
    if (!g_setgid || !td_group_owns(path))
        return false;
    if (g_depth == 0 && setegid(g_priv_gid) != 0)
        return false;
    g_depth++;
    return true;
}

void td_group_lower(bool raised)
{
    if (!raised || g_depth <= 0)
        return;
    if (--g_depth == 0 && setegid(getgid()) != 0)
        abort(); /* never carry the privilege on */
}

unsigned td_group_file_mode(const char *path, unsigned otherwise)
{
    if (!td_group_owns(path))
        return otherwise;
    size_t n = strlen(g_db);
    if (strcmp(path + n, ".key") == 0 || strcmp(path + n, ".keys") == 0 || strcmp(path + n, ".peerkeys") == 0)
        return 0640;
    if (path[n] == '\0')
        return 0660;
    return otherwise;
}
