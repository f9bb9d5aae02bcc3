/* cmd_tui.c — `talentdesk tui`: the full-screen terminal interface (also
 * what runs without a command).
 *
 *   talentdesk tui [--ambiwidth 1|2] [--no-color] [--script FILE] [--size ROWSxCOLS]
 *
 * --script FILE (or TALENTDESK_TUI_SCRIPT) runs headless: keys are read from
 * FILE and the screen is drawn to a virtual terminal; `:dump OUT` lines in
 * the script write the screen as text (see ui/app.c and tests/tui_*.sh).
 * The ambiguous-width setting also comes from ~/.config/talentdesk/config
 * ("ambiwidth = 2"); NO_COLOR turns colours off.
 */
#include "cli.h"
#include "base/i18n.h"
#include "ui.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Reads "key = value" lines of the user's config file. */
static void read_config(ui_options *o)
{
    char path[4096];
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(path, sizeof path, "%s/talentdesk/config", xdg);
    else if (home && *home)
        snprintf(path, sizeof path, "%s/.config/talentdesk/config", home);
    else
        return;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char k[64], v[64];
        if (line[0] == '#' || sscanf(line, " %63[a-z_] = %63s", k, v) != 2)
            continue;
        if (strcmp(k, "ambiwidth") == 0)
            o->ambiwidth = atoi(v) == 2 ? 2 : 1;
        else if (strcmp(k, "color") == 0)
            o->no_color = strcasecmp(v, "no") == 0 || strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0;
    }
    fclose(f);
}

/* The terminal's character set as the user's environment says (before the
 * program forced a UTF-8 LC_CTYPE for itself): the screen must not be drawn
 * in UTF-8 to a terminal expecting GB18030 or ASCII. */
static bool env_is_utf8(char *codeset, size_t len)
{
    const char *names[] = { "LC_ALL", "LC_CTYPE", "LANG" };
    const char *val = NULL;
    for (size_t i = 0; i < 3 && !val; i++) {
        const char *e = getenv(names[i]);
        if (e && *e)
            val = e;
    }
    if (!val)
        val = "C";
    locale_t l = newlocale(LC_CTYPE_MASK, val, (locale_t)0);
    if (l) {
        snprintf(codeset, len, "%s", nl_langinfo_l(CODESET, l));
        freelocale(l);
        return strcmp(codeset, "UTF-8") == 0;
    }
    /* not installed: judge by its name */
    snprintf(codeset, len, "%s", val);
    return strcasestr(val, "utf-8") || strcasestr(val, "utf8");
}

int cmd_tui(td_cli *c, int argc, char **argv)
{
    ui_options o;
    memset(&o, 0, sizeof o);
    o.ambiwidth = 1;
    read_config(&o);
    const char *amb = td_cli_opt(&argc, argv, "ambiwidth");
    if (amb) {
        if (strcmp(amb, "1") != 0 && strcmp(amb, "2") != 0)
            return td_cli_usage(c, "%s", _("--ambiwidth takes 1 or 2"));
        o.ambiwidth = atoi(amb);
    }
    if (td_cli_flag(&argc, argv, "no-color"))
        o.no_color = true;
    const char *script = td_cli_opt(&argc, argv, "script");
    if (!script)
        script = getenv("TALENTDESK_TUI_SCRIPT");
    o.script = script && *script ? script : NULL;
    const char *out = getenv("TALENTDESK_TUI_OUTPUT");
    o.output = out && *out ? out : NULL;
    const char *size = td_cli_opt(&argc, argv, "size");
    const char *idle = td_cli_opt(&argc, argv, "idle-lock");
    if (!size)
        size = getenv("TALENTDESK_TUI_SIZE");
    o.rows = 24;
    o.cols = 80;
    if (size && *size && (sscanf(size, "%dx%d", &o.rows, &o.cols) != 2 || o.rows < 2 || o.cols < 10))
        return td_cli_usage(c, "%s", _("--size takes ROWSxCOLS, e.g. 24x80"));
    if (argc > 1)
        return td_cli_usage(c, _("unexpected argument %s"), argv[1]);

    char codeset[128];
    if (!o.script && !env_is_utf8(codeset, sizeof codeset)) {
        fprintf(stderr, "talentdesk: %s\n",
                _("the terminal's character set is not UTF-8; TalentDesk draws Chinese text and needs a UTF-8 "
                  "locale. Set LANG=zh_CN.UTF-8 (or C.UTF-8) and try again."));
        td_cli_eprintf("talentdesk: %s %s\n", _("current character set:"), codeset);
        return TD_EUSAGE;
    }
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
        fprintf(stderr, "talentdesk: %s\n", _("no UTF-8 locale is available (install C.UTF-8)"));
        return TD_EUSAGE;
    }
    /* A live session (talentdesk login) is used as it is; otherwise the
     * login screen comes first. */
    td_status s = td_cli_open_db(c);
    if (s)
        return s;
    td_err err;
    td_err_clear(&err);
    if (td_local_station(c->db, NULL, NULL, &err) != TD_OK)
        return td_cli_fail(c, &err);
    if (td_cli_session(c, &c->actor))
        c->have_actor = true;
    else {
        memset(&c->actor, 0, sizeof c->actor);
        snprintf(c->actor.username, sizeof c->actor.username, "%s", c->user ? c->user : "");
    }
    if (idle && *idle && (o.idle_seconds = atoi(idle)) <= 0)
        return td_cli_usage(c, "%s", _("--idle-lock takes a number of seconds"));
    if (ui_run(c->db, &c->actor, &o, &err) != 0)
        return td_cli_fail(c, &err);
    return TD_OK;
}
