/* case_extra.c — see case_extra.h. */
#include "case_extra.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "people/specialist.h"
#include "report/rating.h"

#include <stdio.h>
#include <string.h>

void td_cli_case_extra(td_cli *c, const td_case *k, json_t *j)
{
    char sid[TD_UUID_LEN] = "", sname[128] = "";
    td_err err;
    td_person_specialist_as(c->db, &c->actor, k->person_id, sid, sname, sizeof sname, &err);
    if (!sid[0] && k->specialist_id[0]) {
        sqlite3_stmt *st = td_db_prepare(c->db, "SELECT display_name FROM users WHERE id = ?", NULL);
        if (st) {
            td_bind_text(st, 1, k->specialist_id);
            if (sqlite3_step(st) == SQLITE_ROW)
                td_col_copy(st, 0, sname, sizeof sname);
            sqlite3_reset(st);
        }
    }
    td_rating r;
    bool rated = td_rating_get_as(c->db, &c->actor, k->id, &r, &err) == TD_OK;
    if (j) {
        json_object_set_new(j, "specialist", sname[0] ? json_string(sname) : json_null());
        json_object_set_new(j, "rating", rated ? json_pack("{s:i,s:s,s:s,s:s,s:o}", "score", r.score, "name",
                                                           td_rating_name(r.score), "comment", r.comment,
                                                           "rated_on", r.rated_on, "rectification",
                                                           td_json_str(r.rectification_status))
                                               : json_null());
        return;
    }
    printf("\n");
    int w[2] = { 12, 0 };
    if (sname[0]) {
        const char *cells[2] = { _("Specialist"), sname };
        td_cli_row(2, cells, w);
    }
    if (rated) {
        char buf[1200];
        snprintf(buf, sizeof buf, "%s (%d)%s%s", td_rating_name(r.score), r.score, r.comment[0] ? " " : "",
                 r.comment);
        const char *cells[2] = { _("Rating"), buf };
        td_cli_row(2, cells, w);
        if (r.rectification_id[0]) {
            snprintf(buf, sizeof buf, "%s %s", r.rectification_status, r.lead_name);
            const char *c2[2] = { _("Rectification"), buf };
            td_cli_row(2, c2, w);
        }
    }
}
