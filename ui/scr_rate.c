/* scr_rate.c — 好差评 in the close flow: right after a case is closed the
 * clerk records the applicant's rating (a pick-list of the five grades, an
 * optional comment); Esc skips it (it can be recorded later, `rate`). */
#include "draw.h"
#include "base/i18n.h"
#include "pick.h"
#include "screens.h"
#include "report/rating.h"

#include <stdlib.h>

void ui_rate_after_close(ui_app *app, const char *case_id)
{
    const char *items[5];
    for (int i = 0; i < 5; i++)
        items[i] = td_rating_name(5 - i);
    int k = ui_pick(app, _("The applicant's rating (Esc: later)"), items, 5, 0);
    if (k < 0)
        return;
    char *comment = ui_prompt(app, _("Comment (optional):"), "");
    if (!comment)
        return;
    td_err err;
    td_err_clear(&err);
    td_rating r;
    if (td_rate_case(app->db, &app->actor, case_id, 5 - k, comment, &r, &err) != TD_OK)
        ui_status_err(app, &err);
    else if (r.rectification_id[0])
        ui_status(app, false, _("Rating recorded: %s; a rectification task was opened for %s"),
                  td_rating_name(r.score), r.lead_name[0] ? r.lead_name : "-");
    else
        ui_status(app, false, _("Rating recorded: %s"), td_rating_name(r.score));
    free(comment);
}
