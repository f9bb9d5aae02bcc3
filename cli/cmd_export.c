/* cmd_export.c — talentdesk export persons|cases|services FILE
 * [--encoding utf-8-bom|utf-8|gb18030] [--state S]  (FILE.xlsx → Excel). */
#include "cli.h"
#include "io/decode.h"
#include "io/export.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>

int cmd_export(td_cli *c, int argc, char **argv)
{
    td_export_opts o;
    memset(&o, 0, sizeof o);
    const char *enc = td_cli_opt(&argc, argv, "encoding");
    o.state = td_cli_opt(&argc, argv, "state");
    o.xlsx = td_cli_flag(&argc, argv, "xlsx");
    o.purpose = td_cli_opt(&argc, argv, "purpose");
    td_export_what what;
    if (argc != 3 || !td_export_what_parse(argv[1], &what))
        return td_cli_usage(c, "%s",
                            _("usage: talentdesk export persons|cases|services FILE[.csv|.xlsx] "
                              "[--encoding utf-8-bom|utf-8|gb18030] [--state STATE] [--purpose TEXT]"));
    if (enc && !td_enc_parse(enc, &o.encoding))
        return td_cli_usage(c, _("unknown encoding '%s' (utf-8, gb18030, gbk)"), enc);
    td_status s = td_cli_actor(c);
    if (s)
        return s;
    td_err err;
    td_err_clear(&err);
    long rows = 0;
    if ((s = td_export(c->db, &c->actor, what, argv[2], &o, &rows, &err)))
        return td_cli_fail(c, &err);
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:i}", "what", argv[1], "file", argv[2], "rows", (int)rows));
    } else {
        char line[1024];
        snprintf(line, sizeof line, _("Exported %ld rows to %s"), rows, argv[2]);
        td_cli_print(line);
        putchar('\n');
    }
    return TD_OK;
}
