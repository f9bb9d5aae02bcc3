/* cmd_dupes.c — talentdesk dupes list [--all|--status S] | scan |
 * check --name N --id-no X [...] | merge KEEP_ID MERGED_ID [--reason R] |
 * unmerge MERGE_ID [--reason R] | dismiss CANDIDATE_ID [--reason R]. */
#include "cli.h"
#include "people/mask.h"
#include "cases/scope.h"
#include "people/dedupe.h"
#include "base/i18n.h"

#include <stdio.h>
#include <unistd.h>
#include <string.h>

typedef struct lst {
    json_t *arr;
    int n;
} lst;

static json_t *match_json(const td_dup_match *m)
{
    char ph[64];
    return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "person_id", m->person_id, "name", m->name, "id_type", m->id_type,
                     "id_no_masked", m->id_no_masked, "birth_date", td_json_str(m->birth_date), "phone",
                     td_json_str(td_pii_view(td_cli_viewer, TD_PII_PHONE, m->phone, ph, sizeof ph)));
}

static td_cli *scope_cli; /* the signed-in user whose record scope filters the list */

static int on_cand(const td_dupe_candidate *c, void *ud)
{
    lst *l = ud;
    if (scope_cli && (td_person_in_scope(scope_cli->db, &scope_cli->actor, c->a.person_id, NULL) != TD_OK ||
                      td_person_in_scope(scope_cli->db, &scope_cli->actor, c->b.person_id, NULL) != TD_OK))
        return 0; /* a pair with a person outside the user's scope is not shown (cases/scope.h) */
    l->n++;
    if (l->arr) {
        json_array_append_new(l->arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id", c->id, "kind",
                                                td_dup_kind_code(c->kind), "source", c->source, "status", c->status,
                                                "created_at", c->created_at, "a", match_json(&c->a), "b",
                                                match_json(&c->b)));
        return 0;
    }
    const char *cells[4] = { c->id, td_dup_kind_name(c->kind), c->status, "" };
    int w[4] = { 36, 16, 10, 0 };
    td_cli_row(4, cells, w);
    const td_dup_match *ms[2] = { &c->a, &c->b };
    for (int i = 0; i < 2; i++) {
        const char *pc[5] = { "  ", ms[i]->name, ms[i]->id_no_masked, ms[i]->birth_date, ms[i]->person_id };
        int pw[5] = { 2, 12, 20, 10, 0 };
        td_cli_row(5, pc, pw);
    }
    return 0;
}

static const char *const usage_text =
    N_("usage: talentdesk dupes list [--status open|merged|dismissed|all] | scan | "
       "check --name N --id-no X [--id-type T] [--birth D] [--phone P] | merge KEEP_ID MERGED_ID [--reason R] | "
       "unmerge MERGE_ID [--reason R] | dismiss CANDIDATE_ID [--reason R]");

/* "groups checked: 120/400" on one line of the terminal. */
static void scan_progress(void *ud, long done, long total)
{
    (void)ud;
    fprintf(stderr, "\r%s %ld/%ld", _("groups checked:"), done, total);
}

int cmd_dupes(td_cli *c, int argc, char **argv)
{
    if (argc < 2)
        return td_cli_usage(c, "%s", _(usage_text));
    const char *sub = argv[1];
    argv++;
    argc--;
    const char *reason = td_cli_opt(&argc, argv, "reason");
    td_err err;
    td_err_clear(&err);
    td_status s;
    if (strcmp(sub, "list") == 0) {
        const char *st = td_cli_opt(&argc, argv, "status");
        if (!st)
            st = "open";
        if (strcmp(st, "all") == 0)
            st = NULL;
        if (argc != 1)
            return td_cli_usage(c, "%s", _(usage_text));
        if ((s = td_cli_actor(c)))
            return s;
        lst l = { c->json ? json_array() : NULL, 0 };
        scope_cli = c;
        if ((s = td_dupe_list(c->db, st, on_cand, &l, &err))) {
            json_decref(l.arr);
            return td_cli_fail(c, &err);
        }
        if (l.arr)
            td_cli_json(l.arr);
        else if (!l.n)
            printf("%s\n", _("No duplicate candidates."));
        return TD_OK;
    }
    if (strcmp(sub, "scan") == 0) {
        td_dupe_scan_opts o = { 0 };
        o.incremental = td_cli_flag(&argc, argv, "incremental");
        if (!c->json && !c->quiet && isatty(STDERR_FILENO))
            o.progress = scan_progress;
        if ((s = td_cli_actor(c)))
            return s;
        long found = 0;
        s = td_dupe_scan_ex(c->db, &c->actor, &o, &found, &err);
        if (o.progress)
            fputc('\n', stderr);
        if (s)
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:i}", "new_candidates", (int)found));
        else
            td_cli_printf(_("%ld new duplicate candidates.\n"), found);
        return TD_OK;
    }
    if (strcmp(sub, "check") == 0) {
        td_person p;
        memset(&p, 0, sizeof p);
        const struct {
            const char *opt;
            char *dst;
            size_t len;
        } opts[] = {
            { "name", p.name, sizeof p.name },       { "id-no", p.id_no, sizeof p.id_no },
            { "id-type", p.id_type, sizeof p.id_type }, { "birth", p.birth_date, sizeof p.birth_date },
            { "phone", p.phone, sizeof p.phone },
        };
        for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
            const char *v = td_cli_opt(&argc, argv, opts[i].opt);
            if (v && strlen(v) < opts[i].len)
                memcpy(opts[i].dst, v, strlen(v) + 1);
        }
        if ((s = td_cli_actor(c)))
            return s;
        td_dup_match m[TD_DUP_MAX];
        int n = 0;
        if ((s = td_dupe_check_as(c->db, &c->actor, &p, m, TD_DUP_MAX, &n, &err)))
            return td_cli_fail(c, &err);
        if (c->json) {
            json_t *arr = json_array();
            for (int i = 0; i < n; i++) {
                json_t *j = match_json(&m[i]);
                json_object_set_new(j, "kind", json_string(td_dup_kind_code(m[i].kind)));
                json_array_append_new(arr, j);
            }
            td_cli_json(arr);
        } else if (!n) {
            printf("%s\n", _("No possible duplicates."));
        } else {
            for (int i = 0; i < n; i++) {
                const char *cells[4] = { td_dup_kind_name(m[i].kind), m[i].name, m[i].id_no_masked, m[i].person_id };
                int w[4] = { 16, 12, 20, 0 };
                td_cli_row(4, cells, w);
            }
        }
        return TD_OK;
    }
    if (strcmp(sub, "merge") == 0) {
        if (argc != 3)
            return td_cli_usage(c, "%s", _(usage_text));
        if ((s = td_cli_actor(c)))
            return s;
        char mid[TD_UUID_LEN];
        if ((s = td_dupe_merge(c->db, &c->actor, argv[1], argv[2], reason, mid, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:s}", "merge_id", mid));
        else
            td_cli_printf(_("Merged. To undo: talentdesk dupes unmerge %s\n"), mid);
        return TD_OK;
    }
    if (strcmp(sub, "unmerge") == 0 || strcmp(sub, "dismiss") == 0) {
        if (argc != 2)
            return td_cli_usage(c, "%s", _(usage_text));
        if ((s = td_cli_actor(c)))
            return s;
        bool un = strcmp(sub, "unmerge") == 0;
        s = un ? td_dupe_unmerge(c->db, &c->actor, argv[1], reason, &err)
               : td_dupe_dismiss(c->db, &c->actor, argv[1], reason, &err);
        if (s)
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:s,s:b}", "id", argv[1], "done", 1));
        else
            printf("%s\n", un ? _("Merge undone.") : _("Marked as not a duplicate."));
        return TD_OK;
    }
    return td_cli_usage(c, "%s", _(usage_text));
}
