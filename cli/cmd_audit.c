/* cmd_audit.c — talentdesk audit: the hash-chained audit log.
 *   audit verify [--anchor FILE|HASH]  OK, or the first broken row (exit 5);
 *                                   with an anchor also a chain cut short
 *   audit anchor                    the newest authenticated row of each chain
 *   audit reconcile                 cases and persons against the log (exit 5)
 *   audit log CASE                  every audited action on a case
 *   audit view-id PERSON --purpose TEXT [--case CASE]
 *                                   show a full identity number (audited) */
#include "base/audit.h"
#include "cases/scope.h"
#include "cases/case.h"
#include "cli.h"
#include "base/i18n.h"
#include "workflow/wf_audit.h"
#include "workflow/reconcile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wf_cli_history(td_cli *c, const char *case_key);

static int anchor_line(const char *code, long seq, const char *hash, void *ud)
{
    json_t *arr = ud;
    if (arr)
        json_array_append_new(arr, json_pack("{s:s,s:I,s:s}", "station", code, "seq", (json_int_t)seq, "hash", hash));
    else
        printf("%s %ld %s\n", code, seq, hash);
    return 0;
}

/* Prints "CODE SEQ HASH" per chain, after checking the log is intact (an
 * anchor of a broken chain would be worthless). */
static int anchor_print(td_cli *c)
{
    td_err err;
    td_err_clear(&err);
    td_audit_report rep;
    if (td_audit_verify(c->db, &rep, &err))
        return td_cli_fail(c, &err);
    json_t *arr = c->json ? json_array() : NULL;
    if (!c->json)
        printf("# %s\n", _("TalentDesk audit anchor: station, newest row, its authenticated hash"));
    if (td_audit_anchor(c->db, anchor_line, arr, &err)) {
        json_decref(arr);
        return td_cli_fail(c, &err);
    }
    if (arr)
        td_cli_json(arr);
    return TD_OK;
}

static int reconcile(td_cli *c)
{
    td_err err;
    td_err_clear(&err);
    td_reconcile_report rep;
    td_status s = td_reconcile(c->db, &rep, &err);
    if (c->json) {
        td_cli_json(json_pack("{s:b,s:i,s:i,s:o,s:o,s:o}", "ok", s == TD_OK, "cases", (int)rep.cases, "persons",
                              (int)rep.persons, "entity", td_json_str(rep.entity), "key", td_json_str(rep.key),
                              "problem", td_json_str(rep.problem)));
        if (s)
            fprintf(stderr, "talentdesk: %s\n", err.msg);
        return s;
    }
    if (s)
        return td_cli_fail(c, &err);
    char line[160];
    snprintf(line, sizeof line, _("OK (%ld cases and %ld persons match the audit log)"), rep.cases, rep.persons);
    td_cli_print(line);
    putchar('\n');
    return TD_OK;
}

int cmd_audit(td_cli *c, int argc, char **argv)
{
    const char *purpose = td_cli_opt(&argc, argv, "purpose");
    const char *case_key = td_cli_opt(&argc, argv, "case");
    const char *anchor = td_cli_opt(&argc, argv, "anchor");
    const char *usage = _("usage: talentdesk audit verify [--anchor FILE|HASH] | anchor | reconcile | log CASE | "
                          "view-id PERSON --purpose TEXT [--case CASE]");
    if (argc < 2)
        return td_cli_usage(c, "%s", usage);
    int rc = td_cli_actor(c);
    if (rc)
        return rc;
    td_err err;
    td_err_clear(&err);
    if (!strcmp(argv[1], "anchor") && argc == 2)
        return anchor_print(c);
    if (!strcmp(argv[1], "reconcile") && argc == 2)
        return reconcile(c);
    if (!strcmp(argv[1], "verify") && argc == 2) {
        td_audit_report rep;
        td_status s = td_audit_verify(c->db, &rep, &err);
        if (s == TD_OK && anchor) {
            char *text = NULL;
            FILE *f = fopen(anchor, "r");
            if (f) {
                size_t cap = 1 << 16, n = 0;
                text = calloc(1, cap + 1);
                if (text)
                    n = fread(text, 1, cap, f);
                fclose(f);
                if (text)
                    text[n] = '\0';
            }
            s = td_audit_verify_anchor(c->db, text ? text : anchor, &rep, &err);
            free(text);
            if (s == TD_EINVALID)
                return td_cli_fail(c, &err);
        }
        if (c->json) {
            td_cli_json(json_pack("{s:b,s:i,s:i,s:i,s:o,s:i,s:o,s:o}", "ok", s == TD_OK, "rows", (int)rep.rows, "chains",
                                  rep.chains, "unverified", rep.unverified, "bad_id", td_json_str(rep.bad_id), "bad_seq", (int)rep.bad_seq,
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
        if (rep.unverified) { /* another place's rows held here without its key */
            snprintf(line, sizeof line, _("%d chain(s) of other places checked for their links only (their key is "
                                          "kept there)"), rep.unverified);
            td_cli_print(line);
            putchar('\n');
        }
        return TD_OK;
    }
    if (!strcmp(argv[1], "log") && argc == 3)
        return wf_cli_history(c, argv[2]);
    if (!strcmp(argv[1], "view-id") && argc == 3) {
        char idno[TD_IDNO_LEN];
        td_case k;
        const char *cid = NULL;
        if (case_key) {
            if (td_case_get_as(c->db, &c->actor, case_key, &k, &err))
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
