/* cmd_notice.c — talentdesk notice: print a 一次性告知书.
 *   notice CASE|NOTICE_NO [--encoding utf-8|gb18030] [--output FILE]
 * GB18030 is for receipt printers: the bytes go to --output (or stdout). */
#include "cli.h"
#include "base/atomicfile.h"
#include "base/i18n.h"
#include "workflow/wf_docs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cmd_notice(td_cli *c, int argc, char **argv)
{
    const char *enc = td_cli_opt(&argc, argv, "encoding");
    const char *outpath = td_cli_opt(&argc, argv, "output");
    if (argc != 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk notice CASE|NOTICE_NO [--encoding utf-8|gb18030] [--output FILE]"));
    bool gb = false;
    if (enc && (!strcasecmp(enc, "gb18030") || !strcasecmp(enc, "gbk") || !strcasecmp(enc, "gb2312")))
        gb = true;
    else if (enc && strcasecmp(enc, "utf-8") != 0 && strcasecmp(enc, "utf8") != 0)
        return td_cli_usage(c, _("unknown encoding '%s' (utf-8 or gb18030)"), enc);
    int rc = td_cli_actor(c);
    if (rc)
        return rc;
    td_err err;
    td_err_clear(&err);
    td_notice n;
    if (td_notice_get_as(c->db, &c->actor, argv[1], &n, &err))
        return td_cli_fail(c, &err);
    char *text = td_notice_render(&n);
    if (c->json) {
        json_t *items = json_array();
        for (int i = 0; i < n.nitems; i++)
            json_array_append_new(items, json_pack("{s:i,s:s,s:s,s:s,s:s,s:s}", "n", n.items[i].n, "doc",
                                                   n.items[i].doc_type_id, "name", n.items[i].doc_name, "problem",
                                                   n.items[i].problem, "note", n.items[i].note, "services",
                                                   n.items[i].services));
        td_cli_json(json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:o,s:s}", "notice_no", n.notice_no, "case_no", n.case_no,
                              "applicant", n.person_name, "issued_on", n.issued_on, "deadline", n.deadline,
                              "deadline_approx", n.deadline_approx, "clerk", n.clerk_name, "items", items, "text", text));
        free(text);
        td_notice_free(&n);
        return TD_OK;
    }
    char *bytes = text;
    size_t len = strlen(text);
    char *gbbuf = NULL;
    if (gb) {
        if (td_to_gb18030(text, &gbbuf, &len, &err)) {
            free(text);
            td_notice_free(&n);
            return td_cli_fail(c, &err);
        }
        bytes = gbbuf;
    }
    td_status s = TD_OK;
    if (outpath) {
        /* complete or absent: a failed write leaves an older file as it was */
        td_afile af;
        if ((s = td_afile_open(&af, outpath, 0600, &err)) == TD_OK) {
            if (fwrite(bytes, 1, len, td_afile_stream(&af)) != len) {
                td_afile_abort(&af);
                s = td_err_set(&err, TD_EIO, _("Cannot write %s"), outpath);
            } else {
                s = td_afile_commit(&af, &err);
            }
        }
        if (s)
            s = td_cli_fail(c, &err);
    } else if (fwrite(bytes, 1, len, stdout) != len) {
        td_err_set(&err, TD_EIO, _("Cannot write %s"), "stdout");
        s = td_cli_fail(c, &err);
    }
    free(gbbuf);
    free(text);
    td_notice_free(&n);
    return s;
}
