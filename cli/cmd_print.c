/* cmd_print.c — talentdesk print: a case's 受理回执, 一次性告知书 or decision
 * notice as PDF, kept beside the case and sent to the printer.
 *   print receipt|notice|decision CASE [--pdf FILE] [--printer NAME] [--no-send]
 *         [--text FILE [--encoding utf-8|gb18030]]
 * --text writes the plain-text form instead (GB18030 for ESC/POS receipt
 * printers; "-" is stdout). */
#include "cli.h"
#include "base/atomicfile.h"
#include "base/i18n.h"
#include "print/printdoc.h"
#include "print/spool.h"
#include "workflow/wf_docs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static td_status write_text(td_cli *c, const char *kind, const char *key, const char *path, const char *enc)
{
    bool gb = false;
    if (enc && (!strcasecmp(enc, "gb18030") || !strcasecmp(enc, "gbk") || !strcasecmp(enc, "gb2312")))
        gb = true;
    else if (enc && strcasecmp(enc, "utf-8") != 0 && strcasecmp(enc, "utf8") != 0)
        return td_cli_usage(c, _("unknown encoding '%s' (utf-8 or gb18030)"), enc);
    td_err err;
    td_err_clear(&err);
    td_printdoc d;
    if (td_print_build_as(c->db, &c->actor, kind, key, &d, &err))
        return td_cli_fail(c, &err);
    char *text = td_printdoc_text(&d);
    td_printdoc_free(&d);
    char *bytes = text, *gbbuf = NULL;
    size_t len = strlen(text);
    if (gb) {
        if (td_to_gb18030(text, &gbbuf, &len, &err)) {
            free(text);
            return td_cli_fail(c, &err);
        }
        bytes = gbbuf;
    }
    td_status s = TD_OK;
    if (strcmp(path, "-") == 0) {
        if (fwrite(bytes, 1, len, stdout) != len)
            s = td_err_set(&err, TD_EIO, _("Cannot write %s"), "stdout");
    } else {
        td_afile af;
        s = td_afile_open(&af, path, 0600, &err);
        if (s == TD_OK) {
            fwrite(bytes, 1, len, td_afile_stream(&af));
            s = td_afile_commit(&af, &err);
        }
    }
    free(gbbuf);
    free(text);
    return s ? td_cli_fail(c, &err) : TD_OK;
}

int cmd_print(td_cli *c, int argc, char **argv)
{
    const char *pdf = td_cli_opt(&argc, argv, "pdf");
    const char *printer = td_cli_opt(&argc, argv, "printer");
    const char *text = td_cli_opt(&argc, argv, "text");
    const char *enc = td_cli_opt(&argc, argv, "encoding");
    bool no_send = td_cli_flag(&argc, argv, "no-send");
    if (argc != 3 || (strcmp(argv[1], "receipt") && strcmp(argv[1], "notice") && strcmp(argv[1], "decision")))
        return td_cli_usage(c, "%s",
                            _("usage: talentdesk print receipt|notice|decision CASE [--pdf FILE] [--printer NAME] "
                              "[--no-send] [--text FILE [--encoding utf-8|gb18030]]"));
    int rc = td_cli_actor(c);
    if (rc)
        return rc;
    if (text)
        return write_text(c, argv[1], argv[2], text, enc);
    td_err err;
    td_err_clear(&err);
    td_print_result res;
    if (td_print_case_as(c->db, &c->actor, argv[1], argv[2], pdf, printer, no_send, &res, &err))
        return td_cli_fail(c, &err);
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:s?,s:b,s:s}", "kind", argv[1], "path", res.path, "pdf", pdf,
                              "sent", res.sent, "printer", res.printer));
        return TD_OK;
    }
    printf(_("Saved %s\n"), res.path);
    if (pdf)
        printf(_("Saved %s\n"), pdf);
    if (res.sent)
        printf(_("Sent to the printer %s\n"), res.printer);
    else if (!no_send)
        printf("%s\n", _("No printer: the document is only saved."));
    return TD_OK;
}
