/* cmd_queue.c — talentdesk queue: the work queues, one page at a time,
 * exactly as the TUI's queue screen lists them (both read src/search/qlist
 * through td_qlist_open_as: the same rows in the same order).
 *   queue list
 *   queue mine | state STATE | awaiting | overdue | signoff [DEPT] | closed | all | N | TITLE
 *         [--limit N] [--after KEY,ID]
 * --after takes the "next" value printed under a full page. */
#include "cli.h"
#include "base/i18n.h"
#include "base/timeutil.h"
#include "cases/case.h"
#include "search/qlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Queue number of a sub-command and its arguments; -1 when unknown.
 * *dept is set for `signoff DEPT`. */
static int queue_of(int argc, char **argv, const char **dept)
{
    const char *sub = argv[1];
    *dept = NULL;
    if (!strcmp(sub, "mine") && argc == 2)
        return td_qlist_lookup("My cases");
    if (!strcmp(sub, "state") && argc == 3)
        return td_qlist_for_state(argv[2]);
    if (!strcmp(sub, "awaiting") && argc == 2)
        return td_qlist_for_state("awaiting_docs");
    if (!strcmp(sub, "overdue") && argc == 2)
        return td_qlist_lookup("Overdue");
    if (!strcmp(sub, "closed") && argc == 2)
        return td_qlist_for_state("closed");
    if (!strcmp(sub, "all") && argc == 2)
        return td_qlist_lookup("All cases");
    if (!strcmp(sub, "signoff") && argc <= 3) {
        *dept = argc == 3 ? argv[2] : NULL;
        return td_qlist_lookup("Joint sign-off pending");
    }
    return argc == 2 ? td_qlist_lookup(sub) : -1;
}

/* `queue list`: each queue with its number and capped count. */
static int list_queues(td_cli *c, const char *today)
{
    json_t *arr = c->json ? json_array() : NULL;
    for (int q = 0; q < td_qlist_count_queues(); q++) {
        td_err err;
        td_err_clear(&err);
        td_qlist *ql = td_qlist_open_as(c->db, q, &c->actor, today, &err);
        long n = ql ? td_qlist_count(ql, 1000, &err) : -1;
        td_qlist_close(ql);
        if (n < 0) {
            json_decref(arr);
            return td_cli_fail(c, &err);
        }
        if (arr) {
            json_array_append_new(arr, json_pack("{s:i,s:s,s:s,s:I,s:b}", "number", q + 1, "name",
                                                 td_qlist_title(q), "title", _(td_qlist_title(q)), "count",
                                                 (json_int_t)n, "more", n >= 1000));
            continue;
        }
        char num[8], cnt[16];
        snprintf(num, sizeof num, "%d", q + 1);
        snprintf(cnt, sizeof cnt, "%ld%s", n, n >= 1000 ? "+" : "");
        const char *cells[3] = { num, _(td_qlist_title(q)), cnt };
        int w[3] = { -2, 24, 0 };
        td_cli_row(3, cells, w);
    }
    if (arr)
        td_cli_json(arr);
    return TD_OK;
}

static void print_row(td_cli *c, json_t *arr, const td_qlist_row *r)
{
    if (arr) {
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:s}", "id", r->id, "case_no", r->case_no,
                                             "applicant", r->name, "state", r->state, "tier",
                                             td_json_str(r->tier[0] ? r->tier : NULL), "due_date",
                                             td_json_str(r->due[0] ? r->due : NULL), "updated_at", r->updated));
        return;
    }
    (void)c;
    char upd[24];
    td_ts_local(r->updated, upd, sizeof upd);
    const char *cells[6] = { r->case_no, r->name, td_state_name(r->state), r->tier, r->due, upd };
    int w[6] = { 16, 12, 10, 8, 10, 0 };
    td_cli_row(6, cells, w);
}

int cmd_queue(td_cli *c, int argc, char **argv)
{
    const char *lim = td_cli_opt(&argc, argv, "limit");
    const char *after = td_cli_opt(&argc, argv, "after");
    const char *usage = _("usage: talentdesk queue list | mine | state STATE | awaiting | overdue | signoff [DEPT] "
                          "| closed | all | N [--limit N] [--after KEY,ID]");
    if (argc < 2)
        return td_cli_usage(c, "%s", usage);
    int limit = lim ? atoi(lim) : 50;
    if (limit < 1 || limit > 1000)
        return td_cli_usage(c, "%s", _("--limit takes 1 to 1000"));
    char akey[64] = "", aid[64] = "";
    if (after) {
        const char *comma = strrchr(after, ',');
        if (!comma || comma == after || (size_t)(comma - after) >= sizeof akey || strlen(comma + 1) >= sizeof aid)
            return td_cli_usage(c, "%s", _("--after takes KEY,ID as printed under the previous page"));
        snprintf(akey, sizeof akey, "%.*s", (int)(comma - after), after);
        snprintf(aid, sizeof aid, "%s", comma + 1);
    }
    const char *dept = NULL;
    bool list = !strcmp(argv[1], "list") && argc == 2;
    int q = list ? 0 : queue_of(argc, argv, &dept);
    if (q < 0)
        return td_cli_usage(c, "%s", usage);
    int rc = td_cli_actor(c);
    if (rc)
        return rc;
    char today[TD_DATE_LEN];
    td_date_format(td_today(), today);
    if (list)
        return list_queues(c, today);
    td_err err;
    td_err_clear(&err);
    td_qlist *ql = dept ? td_qlist_open(c->db, q, c->actor.user_id, dept, today, &err)
                        : td_qlist_open_as(c->db, q, &c->actor, today, &err);
    if (!ql)
        return td_cli_fail(c, &err);
    td_qlist_row *rows = calloc((size_t)limit, sizeof *rows);
    if (!rows)
        abort();
    int n;
    if (after) {
        td_qlist_row anchor;
        n = td_qlist_anchor(ql, akey, aid, &anchor, &err) ? -1 : td_qlist_after(ql, &anchor, false, limit, rows, &err);
    } else {
        n = td_qlist_first(ql, limit, rows, &err);
    }
    td_qlist_close(ql);
    if (n < 0) {
        free(rows);
        return td_cli_fail(c, &err);
    }
    json_t *arr = c->json ? json_array() : NULL;
    for (int i = 0; i < n; i++)
        print_row(c, arr, &rows[i]);
    const td_qlist_row *last = n > 0 ? &rows[n - 1] : NULL;
    if (arr) {
        td_cli_json(json_pack("{s:s,s:o,s:o}", "queue", td_qlist_title(q), "rows", arr, "next",
                              n == limit ? json_sprintf("%s,%s", last->ord, last->id) : json_null()));
    } else if (n == 0) {
        td_cli_print(_("(empty)"));
        putchar('\n');
    } else if (n == limit) {
        char line[256];
        snprintf(line, sizeof line, _("next page: --after %s,%s"), last->ord, last->id);
        td_cli_print(line);
        putchar('\n');
    }
    free(rows);
    return TD_OK;
}
