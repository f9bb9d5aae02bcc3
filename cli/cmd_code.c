/* cmd_code.c — talentdesk code verify CODE | show CASE [--png F] [--svg F]
 * [--invert]: the 人才服务码 and its QR code. */
#include "cli.h"
#include "base/i18n.h"
#include "recognition/talentcode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *info_json(const td_talent_code_info *i)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:b}", "code", i->code, "case_id", i->case_id,
                     "case_no", i->case_no, "person_id", i->person_id, "person_name", i->person_name,
                     "tier", i->tier_id, "tier_name", i->tier_name, "snapshot_id",
                     td_json_str(i->snapshot_id), "issued_at", i->issued_at, "revoked", i->revoked);
}

static void print_info(const td_talent_code_info *i)
{
    const char *rows[][2] = { { _("Talent code"), i->code },   { _("Applicant"), i->person_name },
                              { _("Tier"), i->tier_name },     { _("Case"), i->case_no },
                              { _("Issued"), i->issued_at } };
    int w[2] = { 12, 0 };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        const char *cells[2] = { rows[k][0], rows[k][1] };
        td_cli_row(2, cells, w);
    }
    if (i->revoked)
        printf("%s\n", _("This code has been revoked."));
}

int cmd_code(td_cli *c, int argc, char **argv)
{
    td_err err;
    td_err_clear(&err);
    td_status s;
    if (argc < 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk code verify CODE | show CASE [--png FILE] [--svg FILE]"));
    const char *sub = argv[1];
    if (strcmp(sub, "verify") == 0) {
        if (argc != 3)
            return td_cli_usage(c, "%s", _("usage: talentdesk code verify CODE"));
        char norm[TD_TALENT_CODE_LEN];
        if ((s = td_talent_code_validate(argv[2], norm, &err)))
            return td_cli_fail(c, &err);
        if ((s = td_cli_actor(c)))
            return s;
        td_talent_code_info info;
        if ((s = td_talent_code_lookup(c->db, argv[2], &info, &err)))
            return td_cli_fail(c, &err);
        if (c->json) {
            json_t *j = info_json(&info);
            json_object_set_new(j, "valid", json_true());
            td_cli_json(j);
        } else {
            printf("%s\n", _("The talent service code is valid."));
            print_info(&info);
        }
        return TD_OK;
    }
    if (strcmp(sub, "show") == 0) {
        const char *png = td_cli_opt(&argc, argv, "png");
        const char *svg = td_cli_opt(&argc, argv, "svg");
        bool invert = td_cli_flag(&argc, argv, "invert");
        if (argc != 3)
            return td_cli_usage(c, "%s", _("usage: talentdesk code show CASE [--png FILE] [--svg FILE] [--invert]"));
        if ((s = td_cli_actor(c)))
            return s;
        td_talent_code_info info;
        if ((s = td_talent_code_of_case_as(c->db, &c->actor, argv[2], &info, &err)))
            return td_cli_fail(c, &err);
        td_qr qr;
        if ((s = td_qr_make(info.code, &qr, &err)))
            return td_cli_fail(c, &err);
        if (png && (s = td_qr_write_png(&qr, png, 8, &err)) == TD_OK && !c->json)
            td_cli_printf(_("QR code written to %s\n"), png);
        if (!s && svg && (s = td_qr_write_svg(&qr, svg, 8, &err)) == TD_OK && !c->json)
            td_cli_printf(_("QR code written to %s\n"), svg);
        if (s) {
            td_qr_free(&qr);
            return td_cli_fail(c, &err);
        }
        char *txt = td_qr_halfblock(&qr, invert);
        if (c->json) {
            json_t *j = info_json(&info);
            json_object_set_new(j, "qr", json_pack("{s:i,s:i,s:s}", "version", qr.version, "modules",
                                                   qr.width, "halfblock", txt));
            td_cli_json(j);
        } else {
            fputs(txt, stdout); /* generated here: only spaces, blocks and newlines */
            print_info(&info);
        }
        free(txt);
        td_qr_free(&qr);
        return TD_OK;
    }
    return td_cli_usage(c, _("unknown code command '%s' (verify, show)"), sub);
}
