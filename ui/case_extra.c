/* case_extra.c — the lines the case screen's person tab gets from the
 * people and report modules: the person's 人才服务专员 and the case's
 * 好差评 rating (with its 整改 task). */
#include "screens.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "people/specialist.h"
#include "report/rating.h"

#include <stdio.h>
#include <string.h>

void ui_case_extra_lines(ui_app *app, ui_lines *b, const char *person_id, const char *case_id)
{
    char sid[TD_UUID_LEN], name[128];
    td_err err;
    if (td_person_specialist_as(app->db, &app->actor, person_id, sid, name, sizeof name, &err) == TD_OK)
        ui_lines_pair(b, _("Specialist"), name[0] ? name : _("(none)"));
    td_rating r;
    if (td_rating_get_as(app->db, &app->actor, case_id, &r, &err) == TD_OK) {
        char buf[1200];
        snprintf(buf, sizeof buf, "%s (%d) %s", td_rating_name(r.score), r.score, r.comment);
        ui_lines_pair(b, _("Rating"), buf);
        if (r.rectification_id[0]) {
            snprintf(buf, sizeof buf, "%s %s", r.rectification_status, r.lead_name);
            ui_lines_pair(b, _("Rectification"), buf);
        }
    }
}
