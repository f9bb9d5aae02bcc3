/* wf_cli.c — see wf_cli.h. */
#include "wf_cli.h"
#include "cases/scope.h"

#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *wf_cli_state(td_cli *c, const td_case *k, const char *state)
{
    const td_wf *wf;
    td_err err;
    if (td_wf_for_case(c->db, k, &wf, &err) == TD_OK)
        return td_wf_state_label(wf, state);
    return td_state_name(state);
}

bool wf_cli_version(td_cli *c, int *argc, char **argv, long *out, int *rc)
{
    *out = 0;
    const char *v = td_cli_opt(argc, argv, "version");
    if (!v)
        return true;
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < 1) {
        *rc = td_cli_usage(c, _("--version takes the row version you saw (a positive number), not '%s'"), v);
        return false;
    }
    *out = n;
    return true;
}

const char *wf_cli_doc_status(const char *s)
{
    if (!strcmp(s, "missing")) return _("doc missing");
    if (!strcmp(s, "received")) return _("doc received");
    if (!strcmp(s, "verified")) return _("doc verified");
    if (!strcmp(s, "invalid")) return _("doc invalid");
    return s;
}

const char *wf_cli_task_status(const char *s)
{
    if (!strcmp(s, "pending")) return _("task pending");
    if (!strcmp(s, "in_progress")) return _("task in progress");
    if (!strcmp(s, "done")) return _("task done");
    if (!strcmp(s, "failed")) return _("task failed");
    if (!strcmp(s, "cancelled")) return _("task cancelled");
    return s;
}

json_t *wf_cli_result_json(const td_wf_result *r)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:i,s:i,s:i,s:b,s:b,s:o,s:o}", "case_id", r->case_id,
                     "case_no", r->case_no, "action", r->action, "from", r->from, "to", r->to,
                     "row_version", (int)r->row_version, "due_date", td_json_str(r->due_date),
                     "tasks_started", r->tasks_started, "tasks_cancelled", r->tasks_cancelled,
                     "signoffs_opened", r->signoffs_opened, "talent_code_issued", r->talent_code_issued,
                     "talent_code_skipped", r->talent_code_skipped, "talent_code",
                     td_json_str(r->talent_code), "notes", td_json_str(r->notes));
}

void wf_cli_result(td_cli *c, const td_wf_result *r)
{
    if (c->json) {
        td_cli_json(wf_cli_result_json(r));
        return;
    }
    td_case k;
    td_err err;
    const char *from = r->from, *to = r->to;
    if (td_case_get_as(c->db, &c->actor, r->case_id, &k, &err) == TD_OK) {
        from = wf_cli_state(c, &k, r->from);
        to = wf_cli_state(c, &k, r->to);
    }
    char line[1024];
    snprintf(line, sizeof line, _("%s: %s -> %s"), r->case_no, from, to);
    td_cli_print(line);
    putchar('\n');
    if (r->due_date[0]) {
        snprintf(line, sizeof line, _("Step deadline: %s"), r->due_date);
        td_cli_print(line);
        putchar('\n');
    }
    if (r->tasks_started) {
        snprintf(line, sizeof line, _("%d service task(s) scheduled"), r->tasks_started);
        td_cli_print(line);
        putchar('\n');
    }
    if (r->signoffs_opened) {
        snprintf(line, sizeof line, _("Joint sign-off opened for %d department(s)"), r->signoffs_opened);
        td_cli_print(line);
        putchar('\n');
    }
    if (r->talent_code_issued) {
        snprintf(line, sizeof line, _("Talent service code issued: %s"), r->talent_code);
        td_cli_print(line);
        putchar('\n');
    }
    if (r->notes[0]) {
        snprintf(line, sizeof line, _("Note: %s"), r->notes);
        td_cli_print(line);
        putchar('\n');
    }
}
