/* qdefault.c — the work queue a user starts on, from their roles (see
 * qlist.h). */
#include "qlist.h"

#include "base/actor.h"
#include "base/i18n.h"

int td_qlist_default_for_roles(unsigned roles)
{
    /* the front desk works its own cases; the others the step they decide
     * (data/workflow.tdp: reviewer submits recognition for approval,
     * approver approves, signer signs 联审, specialist fulfils) */
    const char *title = N_("My cases");
    if (roles & (TD_ROLE_CLERK | TD_ROLE_STATION))
        title = N_("My cases");
    else if (roles & TD_ROLE_SIGNER)
        title = N_("Joint sign-off pending");
    else if (roles & TD_ROLE_APPROVER)
        title = N_("Approval");
    else if (roles & TD_ROLE_REVIEWER)
        title = N_("Recognition");
    else if (roles & TD_ROLE_SPECIALIST)
        title = N_("Fulfilment");
    else if (roles & TD_ROLE_ADMIN)
        title = N_("All cases");
    int q = td_qlist_lookup(title);
    return q < 0 ? 0 : q;
}
