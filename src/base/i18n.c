/* i18n.c — see i18n.h. */
#include "i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TD_LOCALEDIR
#define TD_LOCALEDIR "/usr/local/share/locale"
#endif

static char g_lang[16] = "zh_CN";
static char g_exe_dir[PATH_MAX] = "";

const char *td_exe_dir(void)
{
    if (g_exe_dir[0])
        return g_exe_dir;
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) {
        strcpy(g_exe_dir, ".");
        return g_exe_dir;
    }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    snprintf(g_exe_dir, sizeof g_exe_dir, "%s", buf);
    return g_exe_dir;
}

static int has_catalogue(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/%s.mo", dir, TD_TEXTDOMAIN);
    return stat(path, &st) == 0;
}

static const char *find_localedir(const char *given, char *buf, size_t len)
{
    if (given && *given)
        return given;
    const char *env = getenv("TALENTDESK_LOCALEDIR");
    if (env && *env)
        return env;
    const char *exe = td_exe_dir();
    /* build tree: build/talentdesk and build/tests/test_*; install: bin/ */
    const char *rel[] = { "/locale", "/../locale", "/../share/locale" };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        snprintf(buf, len, "%s%s", exe, rel[i]);
        if (has_catalogue(buf))
            return buf;
    }
    return TD_LOCALEDIR;
}

static void normalise_lang(const char *in)
{
    if (!in || !*in || strncmp(in, "zh", 2) == 0)
        strcpy(g_lang, "zh_CN");
    else if (strncmp(in, "en", 2) == 0 || strcmp(in, "C") == 0)
        strcpy(g_lang, "en");
    else
        strcpy(g_lang, "zh_CN");
}

int td_i18n_init(const char *lang, const char *localedir)
{
    int rc = 0;
    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
        if (!setlocale(LC_ALL, "C.UTF-8") || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
            rc = -1;
    }
    if (!lang || !*lang)
        lang = getenv("TALENTDESK_LANG");
    normalise_lang(lang);
    /* LANGUAGE outranks LC_MESSAGES in GNU gettext; gettext ignores it only
     * in the plain "C" locale, which we have replaced by C.UTF-8 above. */
    setenv("LANGUAGE", g_lang, 1);
    if (strcmp(setlocale(LC_MESSAGES, NULL), "C") == 0)
        setlocale(LC_MESSAGES, "C.UTF-8");
    char buf[PATH_MAX];
    bindtextdomain(TD_TEXTDOMAIN, find_localedir(localedir, buf, sizeof buf));
    bind_textdomain_codeset(TD_TEXTDOMAIN, "UTF-8");
    return rc;
}

const char *td_i18n_lang(void)
{
    return g_lang;
}
