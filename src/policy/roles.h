/* roles.h — data/roles.tdp: who may do what (the roles of every action,
 * auth/access.h) and the default record scope of a role (base/actor.h),
 * as policy data: validated with file:line errors, versioned in the
 * database as kind "roles", and installed for the process when a front end
 * opens the database.  The format is described at the top of the file. */
#ifndef TD_ROLES_H
#define TD_ROLES_H

#include "auth/access.h"
#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "policyfile.h"

typedef struct td_roles_policy {
    unsigned roles[TD_ACT_COUNT];        /* td_role bits of each action */
    td_scope scope[TD_ROLE_COUNT];       /* default scope of role 1 << i; TD_SCOPE_DEFAULT = none */
} td_roles_policy;

/* Validates the parsed roles file pf into *out: every action exactly once,
 * known roles only, admin kept on policy.load and user.admin, known keys and
 * scopes.  TD_EPOLICY "roles.tdp:LINE: …" (Chinese) otherwise; pf stays the
 * caller's. */
td_status td_roles_policy_parse(const td_pf *pf, td_roles_policy *out, td_err *err);

/* Validates <dir>/roles.tdp and records it in db as a version of kind
 * "roles" (td_pversion_put), joining the caller's transaction when one is
 * open.  TD_OK without writing when the file is absent; TD_EPOLICY with
 * nothing written when it is malformed; TD_EDB on a database error.
 * user_id may be NULL.  Does not change the table in force for the process
 * (td_roles_use_db does, when a command next opens the database). */
td_status td_roles_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err);

/* Installs for this process (td_access_set_roles, td_actor_set_scope_defaults)
 * the roles in force for db: the version of kind "roles" loaded into it,
 * else — none loaded, or db NULL — <data dir>/roles.tdp when it exists, else
 * the compiled table stays.  TD_EPOLICY (file:line) when the one found does
 * not validate: then the compiled table stays and the caller reports it. */
td_status td_roles_use_db(td_db *db, td_err *err);

#endif
