/* cmd_audit.c — talentdesk audit: the hash-chained audit log.
 *   audit verify                    OK, or the first broken row (exit 5)
 *   audit log CASE                  every audited action on a case
 *   audit view-id PERSON --purpose TEXT [--case CASE]
 *                                   show a full identity number (audited) */
#include "base/audit.h"
#include "cases/case.h"
#include "cli.h"
#include "base/i18n.h"
#include "workflow/wf_audit.h"

#include <stdio.h>
#include <string.h>

int wf_cli_history(td_cli *c, const char *case_key);

int cmd_audit(td_cli *c, int argc, char **argv)
{
    const char *purpose = td_cli_opt(&argc, argv, "purpose");
    const char *case_key = td_cli_opt(&argc, argv, "case");
    const char *usage = _("usage: talentdesk audit verify | log CASE | view-id PERSON --purpose TEXT [--case CASE]");
    if (argc < 2)
        return td_cli_usage(c, "%s", usage);
    int rc = td_cli_actor(c);
    if (rc)
        return rc;
    td_err err;
    td_err_clear(&err);
    if (!strcmp(argv[1], "verify") && argc == 2) {
        td_audit_report rep;
        td_status s = td_audit_verify(c->db, &rep, &err);
        if (c->json) {
            td_cli_json(json_pack("{s:b,s:i,s:i,s:o,s:i,s:o,s:o}", "ok", s == TD_OK, "rows", (int)rep.rows, "chains",
                                  rep.chains, "bad_id", td_json_str(rep.bad_id), "bad_seq", (int)rep.bad_seq,
                                  "bad_station", td_json_str(rep.bad_station), "problem", td_json_str(rep.problem)));
            if (s)
                td_cli_eprintf("talentdesk: %s\n", err.msg); /* stored text may be in it */
            return s;
        }
        if (s)
            return td_cli_fail(c, &err);
        char line[128];
        snprintf(line, sizeof line, _("OK (%ld rows in %d chain(s))"), rep.rows, rep.chains);
        td_cli_print(line);
        putchar('\n');
        return TD_OK;
    }
    if (!strcmp(argv[1], "log") && argc == 3)
        return wf_cli_history(c, argv[2]);
    if (!strcmp(argv[1], "view-id") && argc == 3) {
        char idno[TD_IDNO_LEN];
        td_case k;
        const char *cid = NULL;
        if (case_key) {
            if (td_case_get(c->db, case_key, &k, &err))
                return td_cli_fail(c, &err);
            cid = k.id;
        }
        if (td_audit_view_id(c->db, &c->actor, argv[2], cid, purpose, idno, &err))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:s}", "id_no", idno));
        else {
            td_cli_print(idno);
            putchar('\n');
        }
        return TD_OK;
    }
    return td_cli_usage(c, "%s", usage);
}
