/* cmd_task.c — talentdesk task: service fulfilment tasks.
 *   task list CASE          (or: task CASE list)
 *   task start TASK [--version N]
 *   task done TASK [--result TEXT] [--version N]
 *   task fail|cancel TASK --reason TEXT [--version N]
 *   task assign TASK USER [--version N]
 *   task overdue [--limit N] [--after DUE,ID]
 * TASK is a task id as shown by task list (an unambiguous prefix works too). */
#include "cli.h"
#include "base/i18n.h"
#include "wf_cli.h"
#include "workflow/wf_tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *wf_cli_task_json(const td_wf_task *t);
json_t *wf_cli_task_json(const td_wf_task *t)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:i,s:o,s:b,s:i,s:s,s:s,s:i,s:b}", "id", t->id, "case_no", t->case_no,
                     "applicant", t->person_name, "service", t->service_id, "service_name", t->service_name, "status",
                     t->status, "assignee", td_json_str(t->assignee), "days", t->days, "due_date",
                     td_json_str(t->due_date), "overdue", t->overdue, "escalations", t->escalations, "result",
                     t->result, "reason", t->reason, "row_version", (int)t->row_version, "due_approx", t->due_approx);
}

void wf_cli_task_row(const td_wf_task *t, bool with_case);
void wf_cli_task_row(const td_wf_task *t, bool with_case)
{
    /* The full id: UUIDv7 prefixes are shared by tasks made together. */
    char id[TD_UUID_LEN], days[8], due[64];
    snprintf(id, sizeof id, "%s", t->id);
    /* an approximate date (no holiday calendar for its year yet) says so */
    snprintf(due, sizeof due, "%s%s", t->due_date, t->due_approx ? _(" (approx.)") : "");
    snprintf(days, sizeof days, "%d", t->days);
    const char *flag = t->overdue ? _("OVERDUE") : "";
    if (with_case) {
        const char *cells[7] = { id, t->case_no, t->service_name, wf_cli_task_status(t->status), due,
                                 t->assignee, flag };
        int w[7] = { 36, 16, 16, 8, 16, 10, 0 };
        td_cli_row(7, cells, w);
    } else {
        const char *cells[7] = { id, t->service_name, wf_cli_task_status(t->status), days, due,
                                 t->assignee, flag };
        int w[7] = { 36, 20, 8, -3, 16, 10, 0 };
        td_cli_row(7, cells, w);
    }
}

typedef struct {
    json_t *arr;
} list_ctx;

static int list_cb(const td_wf_task *t, void *ud)
{
    list_ctx *l = ud;
    if (l->arr)
        json_array_append_new(l->arr, wf_cli_task_json(t));
    else
        wf_cli_task_row(t, false);
    return 0;
}

typedef struct {
    json_t *arr;
    int n;
    char last_key[TD_DATE_LEN], last_id[TD_UUID_LEN];
} overdue_ctx;

static int overdue_cb(const td_wf_task *t, void *ud)
{
    overdue_ctx *o = ud;
    o->n++;
    snprintf(o->last_key, sizeof o->last_key, "%s", t->due_date);
    snprintf(o->last_id, sizeof o->last_id, "%s", t->id);
    if (o->arr)
        json_array_append_new(o->arr, wf_cli_task_json(t));
    else
        wf_cli_task_row(t, true);
    return 0;
}

/* task overdue [--limit N] [--after DUE,ID]: open service tasks past their
 * due date, oldest first (督办 picks them from here). */
static int task_overdue(td_cli *c, int argc, char **argv, const char *usage)
{
    const char *lim = td_cli_opt(&argc, argv, "limit");
    const char *after = td_cli_opt(&argc, argv, "after");
    if (argc != 2)
        return td_cli_usage(c, "%s", usage);
    int limit = lim ? atoi(lim) : 50;
    if (limit < 1 || limit > 1000)
        return td_cli_usage(c, "%s", _("--limit takes 1 to 1000"));
    char akey[64] = "", aid[64] = "";
    if (after) {
        const char *comma = strchr(after, ',');
        if (!comma || comma == after || (size_t)(comma - after) >= sizeof akey || strlen(comma + 1) >= sizeof aid)
            return td_cli_usage(c, "%s", _("--after takes KEY,ID as printed under the previous page"));
        snprintf(akey, sizeof akey, "%.*s", (int)(comma - after), after);
        snprintf(aid, sizeof aid, "%s", comma + 1);
    }
    int rc = td_cli_actor(c);
    if (rc)
        return rc;
    td_err err;
    td_err_clear(&err);
    overdue_ctx o = { c->json ? json_array() : NULL, 0, "", "" };
    if (td_wf_tasks_overdue(c->db, NULL, after ? akey : NULL, after ? aid : NULL, limit, overdue_cb, &o, &err)) {
        json_decref(o.arr);
        return td_cli_fail(c, &err);
    }
    if (o.arr) {
        td_cli_json(json_pack("{s:o,s:o}", "rows", o.arr, "next",
                              o.n == limit ? json_sprintf("%s,%s", o.last_key, o.last_id) : json_null()));
    } else if (o.n == 0) {
        td_cli_print(_("(empty)"));
        putchar('\n');
    } else if (o.n == limit) {
        char line[256];
        snprintf(line, sizeof line, _("next page: --after %s,%s"), o.last_key, o.last_id);
        td_cli_print(line);
        putchar('\n');
    }
    return TD_OK;
}

int cmd_task(td_cli *c, int argc, char **argv)
{
    const char *reason = td_cli_opt(&argc, argv, "reason");
    const char *result = td_cli_opt(&argc, argv, "result");
    long version;
    int rc = 0;
    if (!wf_cli_version(c, &argc, argv, &version, &rc))
        return rc;
    const char *usage = _("usage: talentdesk task list CASE | overdue | start|done|fail|cancel TASK | assign TASK "
                          "USER");
    if (argc >= 2 && !strcmp(argv[1], "overdue"))
        return task_overdue(c, argc, argv, usage);
    if (argc < 3)
        return td_cli_usage(c, "%s", usage);
    if (argc == 3 && !strcmp(argv[2], "list")) { /* "task CASE list" reads as well */
        argv[2] = argv[1];
        argv[1] = (char *)"list";
    }
    const char *sub = argv[1];
    if ((rc = td_cli_actor(c)))
        return rc;
    td_err err;
    td_err_clear(&err);
    if (!strcmp(sub, "list") && argc == 3) {
        list_ctx l = { c->json ? json_array() : NULL };
        if ((rc = td_cli_case_scope(c, argv[2]))) {
            json_decref(l.arr);
            return rc;
        }
        if (td_wf_tasks_each_as(c->db, &c->actor, argv[2], list_cb, &l, &err)) {
            json_decref(l.arr);
            return td_cli_fail(c, &err);
        }
        if (l.arr)
            td_cli_json(l.arr);
        return TD_OK;
    }
    td_task_op op;
    const char *arg = NULL;
    if (!strcmp(sub, "start") && argc == 3)
        op = TD_TASK_START;
    else if (!strcmp(sub, "done") && argc == 3)
        op = TD_TASK_DONE, arg = result;
    else if (!strcmp(sub, "fail") && argc == 3)
        op = TD_TASK_FAIL, arg = reason;
    else if (!strcmp(sub, "cancel") && argc == 3)
        op = TD_TASK_CANCEL, arg = reason;
    else if (!strcmp(sub, "assign") && argc == 4)
        op = TD_TASK_ASSIGN, arg = argv[3];
    else
        return td_cli_usage(c, "%s", usage);
    if (td_wf_task_update(c->db, &c->actor, argv[2], op, arg, version, &err))
        return td_cli_fail(c, &err);
    td_wf_task t;
    if (td_wf_task_get_as(c->db, &c->actor, argv[2], &t, &err))
        return td_cli_fail(c, &err);
    if (c->json)
        td_cli_json(wf_cli_task_json(&t));
    else
        wf_cli_task_row(&t, true);
    return TD_OK;
}
