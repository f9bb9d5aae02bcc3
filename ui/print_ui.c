/* print_ui.c — the print key (p) of the case, documents and code screens:
 * the document is built and kept by the core (src/print) and the status
 * line says where it went. */
#include "screens.h"
#include "base/i18n.h"
#include "pick.h"
#include "print/spool.h"

#include <string.h>

void ui_print_doc(ui_app *app, const char *kind, const char *case_key)
{
    td_print_result res;
    td_err err;
    td_err_clear(&err);
    if (td_print_case_as(app->db, &app->actor, kind, case_key, NULL, NULL, false, &res, &err) != TD_OK) {
        ui_status_err(app, &err);
        return;
    }
    if (res.sent)
        ui_status(app, false, _("Sent to the printer %s; kept as %s"), res.printer, res.path);
    else
        ui_status(app, false, _("No printer: kept as %s"), res.path);
}

void ui_print_menu(ui_app *app, const char *case_key)
{
    static const char *kinds[] = { "receipt", "notice", "decision" };
    const char *items[] = { _("acknowledgement of receipt"), _("one-time notice of documents to supplement"),
                            _("notice of the recognition decision (talent service code)") };
    int k = ui_pick(app, _("Print"), items, 3, 0);
    if (k >= 0)
        ui_print_doc(app, kinds[k], case_key);
}
