/* scr_act.c — the workflow actions on a case (F8 on the case screen): every
 * transition leaving the current state, those the user may not take shown
 * with the reason; 联审 sign-off for a signer whose department is pending.
 * The chosen action runs in the core (td_wf_act / td_wf_signoff) guarded by
 * the row version the clerk saw. */
#include "draw.h"
#include "cases/scope.h"
#include "base/i18n.h"
#include "pick.h"
#include "screens.h"
#include "workflow/wf_signoff.h"
#include "cases/case.h"
#include "workflow/workflow.h"

#include <stdlib.h>
#include <string.h>

typedef struct pending_ud {
    const td_actor *a;
    bool found;
    char dept_name[128];
} pending_ud;

static int pending_cb(const td_wf_signoff_row *r, void *ud)
{
    pending_ud *p = ud;
    if (strcmp(r->status, "pending") == 0 && strcmp(r->department_id, p->a->department_id) == 0) {
        p->found = true;
        snprintf(p->dept_name, sizeof p->dept_name, "%s", r->department_name);
    } else if (strcmp(r->department_id, p->a->department_id) == 0) {
        p->found = false; /* a later round's row decides */
    }
    return 0;
}

static void report(ui_app *app, const td_wf_result *res)
{
    char extra[256] = "";
    if (res->talent_code_issued)
        snprintf(extra, sizeof extra, _("; talent service code %s issued"), res->talent_code);
    ui_status(app, false, _("Case %s: %s -> %s%s %s"), res->case_no, td_state_name(res->from), td_state_name(res->to),
              extra, res->notes);
}

/* The last question before an act with legal effect: it names the act
 * and the case; only y goes on. */
static bool ask_act(ui_app *app, const char *label, const char *case_no)
{
    char q[600];
    snprintf(q, sizeof q, _("%s (case %s): are you sure?"), label, case_no);
    return ui_confirm(app, q);
}

bool ui_case_act(ui_app *app, const char *case_id, long expected_version)
{
    td_wf_action acts[TD_WF_MAX_ACTIONS];
    size_t n = 0;
    td_err err;
    td_err_clear(&err);
    if (td_wf_actions(app->db, &app->actor, case_id, acts, TD_WF_MAX_ACTIONS, &n, &err) != TD_OK) {
        ui_status_err(app, &err);
        return false;
    }
    pending_ud pu = { .a = &app->actor };
    if (td_actor_has(&app->actor, TD_ROLE_SIGNER) && app->actor.department_id[0])
        td_wf_signoffs_each_as(app->db, &app->actor, case_id, pending_cb, &pu, NULL);
    char labels[TD_WF_MAX_ACTIONS + 3][480];
    const char *items[TD_WF_MAX_ACTIONS + 3];
    int k = 0;
    for (size_t i = 0; i < n; i++, k++) {
        if (acts[i].allowed)
            snprintf(labels[k], sizeof labels[k], "%s", acts[i].label);
        else
            snprintf(labels[k], sizeof labels[k], _("%s (not now: %s)"), acts[i].label, acts[i].why);
        items[k] = labels[k];
    }
    int sign_ok = -1, sign_back = -1, green = -1;
    if (pu.found) {
        snprintf(labels[k], sizeof labels[k], _("sign off for %s"), pu.dept_name);
        items[k] = labels[k];
        sign_ok = k++;
        snprintf(labels[k], sizeof labels[k], _("return for %s (with a reason)"), pu.dept_name);
        items[k] = labels[k];
        sign_back = k++;
    }
    td_case cs;
    memset(&cs, 0, sizeof cs);
    bool have_case = td_case_get_as(app->db, &app->actor, case_id, &cs, NULL) == TD_OK;
    const char *case_no = have_case ? cs.case_no : "";
    if (have_case && !cs.green_channel &&
        strcmp(cs.state, "closed") != 0 && k < TD_WF_MAX_ACTIONS + 3) {
        snprintf(labels[k], sizeof labels[k], "%s", _("put the case in the green channel (with a reason)"));
        items[k] = labels[k];
        green = k++;
    }
    if (k == 0) {
        ui_status(app, true, "%s", _("No workflow action leaves this state."));
        return false;
    }
    /* the menu starts on the first action this user may take now (a
     * signer's own sign-off, not seven greyed-out transitions) */
    int first = -1;
    for (size_t i = 0; i < n && first < 0; i++)
        if (acts[i].allowed)
            first = (int)i;
    if (first < 0)
        first = sign_ok >= 0 ? sign_ok : 0;
    int c = ui_pick(app, _("Workflow action"), items, k, first);
    if (c < 0)
        return false;
    td_wf_result res;
    memset(&res, 0, sizeof res);
    if (c == sign_ok || c == sign_back) {
        char *reason = NULL;
        if (c == sign_back) {
            reason = ui_prompt(app, _("Reason for returning:"), "");
            if (!reason)
                return false;
        }
        if (!ask_act(app, items[c], case_no)) {
            free(reason);
            ui_status(app, false, "%s", _("Nothing was done."));
            return false;
        }
        td_status st = td_wf_signoff(app->db, &app->actor, case_id, NULL, c == sign_ok, reason, expected_version,
                                     &res, &err);
        free(reason);
        if (st != TD_OK) {
            ui_status_err(app, &err);
            return false;
        }
        if (c == sign_ok)
            ui_status(app, false, _("Signed off for %s."), pu.dept_name);
        else
            report(app, &res);
        return true;
    }
    if (c == green) {
        char *reason = ui_prompt(app, _("Reason for the green channel:"), "");
        if (!reason)
            return false;
        if (!ask_act(app, items[c], case_no)) {
            free(reason);
            ui_status(app, false, "%s", _("Nothing was done."));
            return false;
        }
        td_status st = td_wf_green_set(app->db, &app->actor, case_id, reason, expected_version, &err);
        free(reason);
        if (st != TD_OK) {
            ui_status_err(app, &err);
            return false;
        }
        ui_status(app, false, "%s", _("The case is in the green channel."));
        return true;
    }
    td_wf_action *a = &acts[c];
    if (!a->allowed) {
        ui_status(app, true, "%s", a->why);
        return false;
    }
    char *reason = NULL;
    if (a->reason_required || a->exception) {
        char q[400];
        snprintf(q, sizeof q, a->exception ? _("%s: written reason for this exception:") : _("%s: reason:"),
                 a->label);
        reason = ui_prompt(app, q, "");
        if (!reason)
            return false;
    }
    if (!ask_act(app, a->label, case_no)) {
        free(reason);
        ui_status(app, false, "%s", _("Nothing was done."));
        return false;
    }
    td_status st = td_wf_act(app->db, &app->actor, case_id, a->name, reason, expected_version, &res, &err);
    free(reason);
    if (st != TD_OK) {
        ui_status_err(app, &err);
        return false;
    }
    report(app, &res);
    if (strcmp(res.to, "closed") == 0)
        ui_rate_after_close(app, case_id);
    return true;
}

