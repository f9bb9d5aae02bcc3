/* cmd_queue.c — talentdesk queue: work queues, one page at a time.
 *   queue mine | state STATE | awaiting | overdue | signoff [DEPT]
 *         [--limit N] [--after KEY,ID]
 * --after takes the "next" value printed under a full page. */
#include "cli.h"
#include "base/i18n.h"
#include "wf_cli.h"
#include "workflow/wf_queue.h"
#include "workflow/wf_signoff.h"
#include "workflow/wf_tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *wf_cli_task_json(const td_wf_task *t);
void wf_cli_task_row(const td_wf_task *t, bool with_case);

typedef struct {
    td_cli *c;
    json_t *arr;
    int n;
    char last_key[40], last_id[40];
} qctx;

static int case_cb(const td_wf_qrow *r, void *ud)
{
    qctx *q = ud;
    q->n++;
    snprintf(q->last_key, sizeof q->last_key, "%s", r->updated_at);
    snprintf(q->last_id, sizeof q->last_id, "%s", r->id);
    if (q->arr) {
        json_array_append_new(q->arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:b,s:s,s:i}", "id", r->id, "case_no",
                                                r->case_no, "applicant", r->person_name, "type", r->case_type,
                                                "state", r->state, "due_date", td_json_str(r->due_date), "green_channel",
                                                r->green_channel, "updated_at", r->updated_at, "row_version",
                                                (int)r->row_version));
        return 0;
    }
    char upd[17];
    snprintf(upd, sizeof upd, "%.16s", r->updated_at);
    const char *cells[6] = { r->case_no, r->person_name, td_state_name(r->state), r->due_date,
                             r->green_channel ? _("green") : "", upd };
    int w[6] = { 16, 12, 10, 10, 4, 0 };
    td_cli_row(6, cells, w);
    return 0;
}

static int task_cb(const td_wf_task *t, void *ud)
{
    qctx *q = ud;
    q->n++;
    snprintf(q->last_key, sizeof q->last_key, "%s", t->due_date);
    snprintf(q->last_id, sizeof q->last_id, "%s", t->id);
    if (q->arr)
        json_array_append_new(q->arr, wf_cli_task_json(t));
    else
        wf_cli_task_row(t, true);
    return 0;
}

static int signoff_cb(const td_wf_signoff_row *s, void *ud)
{
    qctx *q = ud;
    q->n++;
    snprintf(q->last_key, sizeof q->last_key, "%s", s->created_at);
    snprintf(q->last_id, sizeof q->last_id, "%s", s->id);
    if (q->arr) {
        json_array_append_new(q->arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "id", s->id, "case_no", s->case_no,
                                                "applicant", s->person_name, "department", s->department_id,
                                                "transition", s->transition, "since", s->created_at));
        return 0;
    }
    char since[17];
    snprintf(since, sizeof since, "%.16s", s->created_at);
    const char *cells[4] = { s->case_no, s->person_name, s->department_name, since };
    int w[4] = { 16, 12, 24, 0 };
    td_cli_row(4, cells, w);
    return 0;
}

int cmd_queue(td_cli *c, int argc, char **argv)
{
    const char *lim = td_cli_opt(&argc, argv, "limit");
    const char *after = td_cli_opt(&argc, argv, "after");
    const char *usage = _("usage: talentdesk queue mine | state STATE | awaiting | overdue | signoff [DEPT] "
                          "[--limit N] [--after KEY,ID]");
    if (argc < 2)
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
    qctx q = { c, c->json ? json_array() : NULL, 0, "", "" };
    const char *ak = after ? akey : NULL, *ai = after ? aid : NULL;
    const char *sub = argv[1];
    td_status s;
    if (!strcmp(sub, "mine") && argc == 2)
        s = td_wf_queue_mine_as(c->db, &c->actor, ak, ai, limit, case_cb, &q, &err);
    else if (!strcmp(sub, "state") && argc == 3)
        s = td_wf_queue_state_as(c->db, &c->actor, argv[2], ak, ai, limit, case_cb, &q, &err);
    else if (!strcmp(sub, "awaiting") && argc == 2)
        s = td_wf_queue_state_as(c->db, &c->actor, "awaiting_docs", ak, ai, limit, case_cb, &q, &err);
    else if (!strcmp(sub, "overdue") && argc == 2)
        s = td_wf_tasks_overdue_as(c->db, &c->actor, NULL, ak, ai, limit, task_cb, &q, &err);
    else if (!strcmp(sub, "signoff") && argc <= 3) {
        const char *dept = argc == 3 ? argv[2] : c->actor.department_id;
        if (!dept[0]) {
            json_decref(q.arr);
            return td_cli_usage(c, "%s", _("name a department: talentdesk queue signoff DEPT"));
        }
        s = td_wf_signoff_queue_as(c->db, &c->actor, dept, ak, ai, limit, signoff_cb, &q, &err);
    } else {
        json_decref(q.arr);
        return td_cli_usage(c, "%s", usage);
    }
    if (s) {
        json_decref(q.arr);
        return td_cli_fail(c, &err);
    }
    if (q.arr) {
        td_cli_json(json_pack("{s:o,s:o}", "rows", q.arr, "next",
                              q.n == limit ? json_sprintf("%s,%s", q.last_key, q.last_id) : json_null()));
        return TD_OK;
    }
    if (q.n == 0) {
        td_cli_print(_("(empty)"));
        putchar('\n');
    } else if (q.n == limit) {
        char line[256];
        snprintf(line, sizeof line, _("next page: --after %s,%s"), q.last_key, q.last_id);
        td_cli_print(line);
        putchar('\n');
    }
    return TD_OK;
}
