/* cmd_search.c — talentdesk search QUERY [--name|--id|--phone|--case]
 * [--limit N]: one search box for names, identity numbers, mobiles and case
 * numbers. */
#include "cli.h"
#include "base/i18n.h"
#include "search/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct out {
    td_cli *c;
    json_t *arr;
    int n;
} out;

static int on_hit(const td_search_hit *h, void *ud)
{
    out *o = ud;
    o->n++;
    if (o->arr) {
        json_array_append_new(o->arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "kind",
                                                h->is_case ? "case" : "person", "person_id", h->person_id, "name",
                                                h->name, "id_no_masked", h->id_no_masked, "phone",
                                                td_json_str(h->phone), "birth_date", td_json_str(h->birth_date),
                                                "case_no", td_json_str(h->case_no), "state", td_json_str(h->state)));
        return 0;
    }
    const char *cells[5] = { h->is_case ? h->case_no : h->name, h->is_case ? h->name : h->birth_date,
                             h->id_no_masked, h->phone, h->is_case ? td_state_name(h->state) : "" };
    int w[5] = { 16, 12, 20, 12, 0 };
    td_cli_row(5, cells, w);
    return 0;
}

int cmd_search(td_cli *c, int argc, char **argv)
{
    td_search_kind kind = TD_SEARCH_AUTO;
    if (td_cli_flag(&argc, argv, "name"))
        kind = TD_SEARCH_NAME;
    else if (td_cli_flag(&argc, argv, "id"))
        kind = TD_SEARCH_ID;
    else if (td_cli_flag(&argc, argv, "phone"))
        kind = TD_SEARCH_PHONE;
    else if (td_cli_flag(&argc, argv, "case"))
        kind = TD_SEARCH_CASE;
    const char *lim = td_cli_opt(&argc, argv, "limit");
    if (argc != 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk search QUERY [--name|--id|--phone|--case] [--limit N]"));
    td_status s = td_cli_actor(c);
    if (s)
        return s;
    out o = { c, c->json ? json_array() : NULL, 0 };
    td_err err;
    td_err_clear(&err);
    if ((s = td_search_as(c->db, &c->actor, argv[1], kind, lim ? atoi(lim) : 0, on_hit, &o, NULL, &err))) {
        json_decref(o.arr);
        return td_cli_fail(c, &err);
    }
    if (o.arr)
        td_cli_json(o.arr);
    else if (o.n == 0)
        printf("%s\n", _("Nothing found."));
    return TD_OK;
}
