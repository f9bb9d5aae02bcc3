/* wf_cli.h — helpers shared by the workflow commands (cmd_docs.c,
 * cmd_task.c, cmd_queue.c, cmd_signoff.c, cmd_audit.c, cmd_wf.c …). */
#ifndef TD_WF_CLI_H
#define TD_WF_CLI_H

#include "cli.h"
#include "workflow/workflow.h"

/* Translated label of a state of case k under its workflow version
 * (falls back to td_state_name).  Static storage or borrowed from the
 * cached workflow. */
const char *wf_cli_state(td_cli *c, const td_case *k, const char *state);

/* Parses --version N (the row version the user saw); 0 when absent.
 * Returns false (after printing a usage error into *rc) when malformed. */
bool wf_cli_version(td_cli *c, int *argc, char **argv, long *out, int *rc);

/* Translated label of a document or task status code. */
const char *wf_cli_doc_status(const char *s);
const char *wf_cli_task_status(const char *s);

/* Prints a workflow result (text or JSON). */
void wf_cli_result(td_cli *c, const td_wf_result *r);
json_t *wf_cli_result_json(const td_wf_result *r);

#endif
