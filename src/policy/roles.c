/* roles.c — see roles.h. */
#include "roles.h"
#include "pversion.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "base/timeutil.h"

#include <stdio.h>
#include <string.h>

/* Parses "clerk, reviewer" (or "none") at entry e into *mask. */
static td_status parse_roles(const td_pf *pf, const td_pf_entry *e, unsigned *mask, td_err *err)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", e->value);
    *mask = 0;
    if (strcmp(buf, "none") == 0)
        return TD_OK;
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save), n++) {
        unsigned r = td_role_parse(tok);
        if (!r || strcmp(td_role_code(r), tok) != 0)
            return td_pf_error(pf, e->line, err,
                               _("unknown role '%s' (roles: clerk, reviewer, approver, signer, specialist, station, "
                                 "admin; or none)"),
                               tok);
        *mask |= r;
    }
    if (!n)
        return td_pf_error(pf, e->line, err, "%s", _("'roles' is empty (write none for nobody)"));
    return TD_OK;
}

td_status td_roles_policy_parse(const td_pf *pf, td_roles_policy *out, td_err *err)
{
    static const char *const action_keys[] = { "roles", NULL };
    static const char *const role_keys[] = { "scope", NULL };
    memset(out, 0, sizeof *out);
    int seen[TD_ACT_COUNT] = { 0 };
    td_status s;
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (strcmp(sec->type, "action") == 0) {
            td_action a = td_action_parse(sec->id);
            if ((int)a < 0)
                return td_pf_error(pf, sec->line, err, _("unknown action '%s'"), sec->id);
            if (seen[a])
                return td_pf_error(pf, sec->line, err, _("action '%s' is given twice (first at line %d)"), sec->id,
                                   seen[a]);
            seen[a] = sec->line;
            if ((s = td_pf_check_keys(pf, sec, action_keys, err)))
                return s;
            const td_pf_entry *e = td_pf_find(sec, "roles");
            if (!e)
                return td_pf_error(pf, sec->line, err, _("[action %s] needs 'roles'"), sec->id);
            if (sec->n > 1)
                return td_pf_error(pf, sec->entries[1].line, err, "%s", _("'roles' is given twice"));
            if ((s = parse_roles(pf, e, &out->roles[a], err)))
                return s;
            if ((a == TD_ACT_POLICY_LOAD || a == TD_ACT_USER_ADMIN) && !(out->roles[a] & TD_ROLE_ADMIN))
                return td_pf_error(pf, e->line, err,
                                   _("'%s' must keep the role admin, or nobody could load a repaired file"), sec->id);
        } else if (strcmp(sec->type, "role") == 0) {
            unsigned r = td_role_parse(sec->id);
            if (!r || strcmp(td_role_code(r), sec->id) != 0)
                return td_pf_error(pf, sec->line, err, _("unknown role '%s'"), sec->id);
            if ((s = td_pf_check_keys(pf, sec, role_keys, err)))
                return s;
            const td_pf_entry *e = td_pf_find(sec, "scope");
            int k = e ? td_scope_parse(e->value) : 0;
            if (!e || k <= 0)
                return td_pf_error(pf, e ? e->line : sec->line, err, "%s",
                                   _("'scope' must be own, station, department or all"));
            int bit = 0;
            while ((1u << bit) != r)
                bit++;
            out->scope[bit] = (td_scope)k;
        } else {
            return td_pf_error(pf, sec->line, err, _("unknown section [%s] (expected [action CODE] or [role CODE])"),
                               sec->type);
        }
    }
    for (int a = 0; a < TD_ACT_COUNT; a++)
        if (!seen[a])
            return td_pf_error(pf, pf->n ? pf->secs[pf->n - 1].line : 1, err,
                               _("action '%s' is missing (every action needs a section [action CODE])"),
                               td_action_code((td_action)a));
    return TD_OK;
}

td_status td_roles_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/roles.tdp", dir);
    td_pf *pf = NULL;
    td_status s = td_pf_load(path, &pf, err);
    if (s == TD_ENOTFOUND) {
        td_err_clear(err);
        return TD_OK; /* optional: the compiled table (auth/access.h) */
    }
    if (s)
        return s;
    td_roles_policy rp;
    if (!(s = td_roles_policy_parse(pf, &rp, err))) {
        char now[TD_TS_LEN];
        td_now_utc(now);
        if (!(s = td_db_begin(db, err))) {
            s = td_pversion_put(db, "roles", pf, user_id, now, NULL, err);
            if (s)
                td_db_rollback(db);
            else
                s = td_db_commit(db, err);
        }
    }
    td_pf_free(pf);
    return s;
}

td_status td_roles_use_db(td_db *db, td_err *err)
{
    td_pf *pf = NULL;
    td_err e2;
    td_err_clear(&e2);
    td_status s = db ? td_pversion_current(db, "roles", &pf, &e2) : TD_ENOTFOUND;
    if (s == TD_ENOTFOUND) {
        char path[4096];
        snprintf(path, sizeof path, "%s/roles.tdp", td_data_dir());
        s = td_pf_load(path, &pf, &e2);
        if (s == TD_ENOTFOUND)
            return TD_OK; /* the compiled table */
    }
    if (s) {
        if (err)
            *err = e2;
        return s;
    }
    td_roles_policy rp;
    s = td_roles_policy_parse(pf, &rp, err);
    td_pf_free(pf);
    if (s)
        return s;
    td_access_set_roles(rp.roles);
    td_actor_set_scope_defaults(rp.scope);
    return TD_OK;
}
