/* cmd_docs.c — talentdesk docs: the document check of a case.
 *   docs CASE [list]
 *   docs CASE mark DOC received|verified|invalid|missing [--note TEXT] [--version N]
 *   docs CASE check [--version N]      (issues the 一次性告知书 when anything is missing)
 *   docs CASE mark-all [received|verified]   (every missing document at once, one transaction)
 */
#include "cli.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "wf_cli.h"
#include "workflow/wf_docs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    json_t *arr;
    int n;
} list_ctx;

static int list_cb(const td_wf_doc *d, void *ud)
{
    list_ctx *l = ud;
    l->n++;
    if (l->arr) {
        json_array_append_new(l->arr, json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:i}", "n", l->n, "id", d->id,
                                                "doc", d->doc_type_id, "name", d->name, "status", d->status,
                                                "note", d->note, "services", d->services, "checked_by",
                                                td_json_str(d->checked_by), "checked_at", td_json_str(d->checked_at),
                                                "row_version", (int)d->row_version));
        return 0;
    }
    char n[8];
    snprintf(n, sizeof n, "%d.", l->n);
    const char *cells[6] = { n, d->doc_type_id, d->name, wf_cli_doc_status(d->status), d->note, d->services };
    int w[6] = { -3, 18, 22, 8, 20, 0 };
    td_cli_row(6, cells, w);
    return 0;
}

static int print_notice(td_cli *c, const char *key);

int cmd_docs(td_cli *c, int argc, char **argv)
{
    const char *note = td_cli_opt(&argc, argv, "note");
    long version;
    int rc = 0;
    if (!wf_cli_version(c, &argc, argv, &version, &rc))
        return rc;
    if (argc < 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk docs CASE [list | mark DOC STATUS [--note TEXT] | mark-all [STATUS] | check]"));
    const char *key = argv[1];
    const char *sub = argc >= 3 ? argv[2] : "list";
    if ((rc = td_cli_actor(c)) || (rc = td_cli_case_scope(c, key)))
        return rc;
    td_err err;
    td_err_clear(&err);
    if (!strcmp(sub, "list") && argc <= 3) {
        list_ctx l = { c->json ? json_array() : NULL, 0 };
        if (td_wf_docs_each_as(c->db, &c->actor, key, list_cb, &l, &err)) {
            json_decref(l.arr);
            return td_cli_fail(c, &err);
        }
        if (l.arr)
            td_cli_json(l.arr);
        return TD_OK;
    }
    if (!strcmp(sub, "mark") && argc == 5) {
        bool returned = false;
        if (td_wf_doc_mark(c->db, &c->actor, key, argv[3], argv[4], note, version, &returned, &err))
            return td_cli_fail(c, &err);
        td_case k;
        if (td_case_get_as(c->db, &c->actor, key, &k, &err))
            return td_cli_fail(c, &err);
        if (c->json) {
            td_cli_json(json_pack("{s:s,s:s,s:s,s:b,s:s,s:i}", "case_no", k.case_no, "doc", argv[3], "status", argv[4],
                                  "returned_to_check", returned, "state", k.state, "row_version", (int)k.row_version));
            return TD_OK;
        }
        char line[512];
        snprintf(line, sizeof line, _("%s: %s marked %s"), k.case_no, argv[3], wf_cli_doc_status(argv[4]));
        td_cli_print(line);
        putchar('\n');
        if (returned) {
            snprintf(line, sizeof line, _("Documents supplied: the case is back at %s"), wf_cli_state(c, &k, k.state));
            td_cli_print(line);
            putchar('\n');
        }
        return TD_OK;
    }
    if (!strcmp(sub, "mark-all") && (argc == 3 || argc == 4)) {
        const char *to = argc == 4 ? argv[3] : "received";
        int marked = 0;
        bool returned = false;
        if (td_wf_docs_mark_missing(c->db, &c->actor, key, to, &marked, &returned, &err))
            return td_cli_fail(c, &err);
        td_case k;
        if (td_case_get_as(c->db, &c->actor, key, &k, &err))
            return td_cli_fail(c, &err);
        if (c->json) {
            td_cli_json(json_pack("{s:s,s:i,s:s,s:b,s:s,s:i}", "case_no", k.case_no, "marked", marked, "status", to,
                                  "returned_to_check", returned, "state", k.state, "row_version", (int)k.row_version));
            return TD_OK;
        }
        char line[512];
        snprintf(line, sizeof line, _("%s: %d missing document(s) marked %s"), k.case_no, marked,
                 wf_cli_doc_status(to));
        td_cli_print(line);
        putchar('\n');
        if (returned) {
            snprintf(line, sizeof line, _("Documents supplied: the case is back at %s"), wf_cli_state(c, &k, k.state));
            td_cli_print(line);
            putchar('\n');
        }
        return TD_OK;
    }
    if (!strcmp(sub, "check") && argc == 3) {
        td_wf_check_result r;
        if (td_wf_docs_check(c->db, &c->actor, key, version, &r, &err))
            return td_cli_fail(c, &err);
        if (c->json) {
            td_cli_json(json_pack("{s:b,s:i,s:i,s:i,s:o,s:o,s:o,s:s}", "complete", r.complete, "missing", r.missing,
                                  "invalid", r.invalid, "unverified", r.unverified, "notice_no",
                                  td_json_str(r.notice_no), "notice_id", td_json_str(r.notice_id), "deadline",
                                  td_json_str(r.deadline), "state", r.state));
            return TD_OK;
        }
        if (r.notice_id[0])
            return print_notice(c, r.notice_id);
        char line[256];
        if (r.complete)
            snprintf(line, sizeof line, "%s", _("All documents are verified: nothing to notify"));
        else
            snprintf(line, sizeof line, _("Nothing missing or invalid, but %d document(s) are not yet verified"),
                     r.unverified);
        td_cli_print(line);
        putchar('\n');
        return TD_OK;
    }
    return td_cli_usage(c, "%s", _("usage: talentdesk docs CASE [list | mark DOC STATUS [--note TEXT] | mark-all [STATUS] | check]"));
}

static int print_notice(td_cli *c, const char *key)
{
    td_err err;
    td_err_clear(&err);
    td_notice n;
    if (td_notice_get_as(c->db, &c->actor, key, &n, &err))
        return td_cli_fail(c, &err);
    char *text = td_notice_render(&n);
    fputs(text, stdout); /* rendered text is already sanitised */
    free(text);
    td_notice_free(&n);
    return TD_OK;
}
