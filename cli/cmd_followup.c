/* cmd_followup.c — the 人才服务专员 of a person and the follow-up log:
 *   talentdesk specialist PERSON [USER] [--reason TEXT]   (no USER: show; --clear removes)
 *   talentdesk followup add PERSON --channel C [--date D] [--note T] [--next D]
 *   talentdesk followup list PERSON | followup due [--all] [--as-of D] */
#include "cli.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "people/person.h"
#include "people/specialist.h"

#include <stdio.h>
#include <string.h>

static json_t *fu_json(const td_followup *f)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:b}", "id", f->id, "person_id", f->person_id,
                     "person_name", f->person_name, "specialist", f->specialist, "by", f->by_user, "date",
                     f->on_date, "channel", f->channel, "note", f->note, "next_date", td_json_str(f->next_date),
                     "open", f->open);
}

static int fu_cb(const td_followup *f, void *ud)
{
    if (ud) {
        json_array_append_new(ud, fu_json(f));
        return 0;
    }
    const char *cells[6] = { f->next_date[0] ? f->next_date : "-", f->person_name, f->specialist, f->on_date,
                             td_followup_channel_name(f->channel), f->note };
    int w[6] = { 10, 14, 10, 10, 8, 0 };
    td_cli_row(6, cells, w);
    return 0;
}

int cmd_specialist(td_cli *c, int argc, char **argv)
{
    const char *reason = td_cli_opt(&argc, argv, "reason");
    bool clear = td_cli_flag(&argc, argv, "clear");
    if (argc < 2 || argc > 3 || (clear && argc == 3))
        return td_cli_usage(c, "%s", _("usage: talentdesk specialist PERSON [USER | --clear] [--reason TEXT]"));
    td_status s = td_cli_actor(c);
    if (s)
        return s;
    td_err err;
    td_err_clear(&err);
    td_person p;
    if ((s = td_person_get_as(c->db, &c->actor, argv[1], &p, &err)))
        return td_cli_fail(c, &err);
    if (argc == 3 || clear) {
        if ((s = td_person_specialist_set(c->db, &c->actor, p.id, clear ? NULL : argv[2], reason, &err)))
            return td_cli_fail(c, &err);
    }
    char id[TD_UUID_LEN], name[128];
    if ((s = td_person_specialist_as(c->db, &c->actor, p.id, id, name, sizeof name, &err)))
        return td_cli_fail(c, &err);
    if (c->json)
        td_cli_json(json_pack("{s:s,s:s,s:o}", "person_id", p.id, "person_name", p.name, "specialist",
                              td_json_str(name)));
    else if (!c->quiet) {
        const char *cells[2] = { p.name, name[0] ? name : _("(none)") };
        int w[2] = { 16, 0 };
        td_cli_row(2, cells, w);
    }
    return TD_OK;
}

int cmd_followup(td_cli *c, int argc, char **argv)
{
    const char *usage = _("usage: talentdesk followup add PERSON --channel phone|visit|wechat|email|video|other "
                          "[--date D] [--note TEXT] [--next D] | list PERSON | due [--all] [--as-of D]");
    const char *channel = td_cli_opt(&argc, argv, "channel");
    const char *date = td_cli_opt(&argc, argv, "date");
    const char *note = td_cli_opt(&argc, argv, "note");
    const char *next = td_cli_opt(&argc, argv, "next");
    const char *as_of = td_cli_opt(&argc, argv, "as-of");
    bool all = td_cli_flag(&argc, argv, "all");
    if (argc < 2)
        return td_cli_usage(c, "%s", usage);
    const char *sub = argv[1];
    td_status s;
    td_err err;
    td_err_clear(&err);
    if (!strcmp(sub, "add") && argc == 3) {
        if ((s = td_cli_actor(c)))
            return s;
        td_followup f;
        if ((s = td_followup_add(c->db, &c->actor, argv[2], date, channel, note, next, &f, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(fu_json(&f));
        else if (!c->quiet)
            printf(_("Follow-up logged; next contact: %s\n"), f.next_date[0] ? f.next_date : "-");
        return TD_OK;
    }
    if ((!strcmp(sub, "list") && argc == 3) || (!strcmp(sub, "due") && argc == 2)) {
        if ((s = td_cli_actor(c)))
            return s;
        json_t *arr = c->json ? json_array() : NULL;
        if (!strcmp(sub, "list")) {
            td_person p;
            if ((s = td_person_get_as(c->db, &c->actor, argv[2], &p, &err)) ||
                (s = td_followups_each_as(c->db, &c->actor, p.id, fu_cb, arr, &err))) {
                json_decref(arr);
                return td_cli_fail(c, &err);
            }
        } else if ((s = td_followups_due_as(c->db, &c->actor, all ? NULL : c->actor.user_id, as_of, 0, fu_cb, arr, &err))) {
            json_decref(arr);
            return td_cli_fail(c, &err);
        }
        if (arr)
            td_cli_json(arr);
        return TD_OK;
    }
    return td_cli_usage(c, "%s", usage);
}
