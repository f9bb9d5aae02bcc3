/* wf_audit.c — audited reads (see wf_audit.h). */
#include "wf_audit.h"

#include "audit.h"
#include "i18n.h"
#include "person.h"

#include <string.h>

td_status td_audit_view_id(td_db *db, const td_actor *a, const char *person_key, const char *case_id,
                           const char *purpose, char id_no_out[TD_IDNO_LEN], td_err *err)
{
    id_no_out[0] = '\0';
    if (!a || !a->roles)
        return td_err_set(err, TD_EDENIED, "%s", _("Only a signed-in user may view identity numbers"));
    if (!purpose || !*purpose)
        return td_err_set(err, TD_EINVALID, "%s", _("Say why the full identity number is needed"));
    td_person p;
    td_status s = td_person_get(db, person_key, &p, err);
    if (s)
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    s = td_audit(db, a, case_id, "person.view_id", "persons", p.id, "id_no", NULL, NULL, purpose, err);
    if (!s)
        s = td_db_commit(db, err);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    memcpy(id_no_out, p.id_no, TD_IDNO_LEN);
    id_no_out[TD_IDNO_LEN - 1] = '\0';
    return TD_OK;
}
