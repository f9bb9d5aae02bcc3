/* cmd_rate.c — talentdesk rate CASE 1-5 [--comment TEXT] | rate show CASE |
 * rate rectifications [--all] | rate rectified ID --result TEXT. */
#include "cli.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "cases/case.h"
#include "report/rating.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *rating_json(const td_rating *r)
{
    return json_pack("{s:s,s:i,s:s,s:s,s:s,s:o,s:o}", "case_id", r->case_id, "score", r->score, "name",
                     td_rating_name(r->score), "comment", r->comment, "rated_on", r->rated_on, "rectification",
                     td_json_str(r->rectification_id), "lead", td_json_str(r->lead_name));
}

static int rect_cb(const td_rectification *r, void *ud)
{
    json_t *arr = ud;
    if (arr) {
        json_array_append_new(arr, json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s}", "id", r->id, "case_no",
                                             r->case_no, "score", r->score, "comment", r->comment, "assignee",
                                             r->assignee, "status", r->status, "due_date", r->due_date, "result",
                                             r->result));
        return 0;
    }
    char sc[8];
    snprintf(sc, sizeof sc, "%d", r->score);
    const char *cells[6] = { r->id, r->case_no, sc, r->due_date, r->assignee, r->comment };
    int w[6] = { 36, 16, -2, 10, 10, 0 };
    td_cli_row(6, cells, w);
    return 0;
}

int cmd_rate(td_cli *c, int argc, char **argv)
{
    const char *usage = _("usage: talentdesk rate CASE 1-5 [--comment TEXT] | rate show CASE | "
                          "rate rectifications [--all] | rate rectified ID --result TEXT");
    const char *comment = td_cli_opt(&argc, argv, "comment");
    const char *result = td_cli_opt(&argc, argv, "result");
    bool all = td_cli_flag(&argc, argv, "all");
    if (argc < 2)
        return td_cli_usage(c, "%s", usage);
    td_err err;
    td_err_clear(&err);
    td_status s;
    if (!strcmp(argv[1], "rectifications")) {
        if (argc != 2)
            return td_cli_usage(c, "%s", usage);
        if ((s = td_cli_actor(c)))
            return s;
        json_t *arr = c->json ? json_array() : NULL;
        if ((s = td_rectifications_each(c->db, all ? NULL : c->actor.user_id, !all, rect_cb, arr, &err))) {
            json_decref(arr);
            return td_cli_fail(c, &err);
        }
        if (arr)
            td_cli_json(arr);
        return TD_OK;
    }
    if (!strcmp(argv[1], "rectified")) {
        if (argc != 3)
            return td_cli_usage(c, "%s", usage);
        if ((s = td_cli_actor(c)))
            return s;
        if ((s = td_rectification_done(c->db, &c->actor, argv[2], result, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:s,s:s}", "id", argv[2], "status", "done"));
        else if (!c->quiet)
            printf("%s\n", _("Rectification done."));
        return TD_OK;
    }
    if (!strcmp(argv[1], "show")) {
        if (argc != 3)
            return td_cli_usage(c, "%s", usage);
        if ((s = td_cli_actor(c)))
            return s;
        td_case k;
        td_rating r;
        if ((s = td_case_get_as(c->db, &c->actor, argv[2], &k, &err)) || (s = td_rating_get_as(c->db, &c->actor, k.id, &r, &err)))
            return td_cli_fail(c, &err);
        if (c->json) {
            td_cli_json(rating_json(&r));
        } else {
            printf("%s  %s (%d)\n", k.case_no, td_rating_name(r.score), r.score);
            if (r.comment[0])
                td_cli_print(r.comment), printf("\n");
        }
        return TD_OK;
    }
    if (argc != 3)
        return td_cli_usage(c, "%s", usage);
    char *end;
    long score = strtol(argv[2], &end, 10);
    if (*end || score < 1 || score > 5)
        return td_cli_usage(c, "%s", _("A rating is 1 (very dissatisfied) to 5 (very satisfied)"));
    if ((s = td_cli_actor(c)))
        return s;
    td_rating r;
    if ((s = td_rate_case(c->db, &c->actor, argv[1], (int)score, comment, &r, &err)))
        return td_cli_fail(c, &err);
    if (c->json) {
        td_cli_json(rating_json(&r));
    } else if (!c->quiet) {
        printf(_("Rated %s: %s\n"), argv[1], td_rating_name(r.score));
        if (r.rectification_id[0])
            printf(_("A rectification task was opened for %s.\n"), r.lead_name[0] ? r.lead_name : "-");
    }
    return TD_OK;
}
