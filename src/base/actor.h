/* actor.h — who is acting: users, their station and roles.
 *
 * Every core function that changes data takes the acting user (td_actor) and
 * checks the role itself: permissions are enforced in the core, never only in
 * a front end.
 */
#ifndef TD_ACTOR_H
#define TD_ACTOR_H

#include "db.h"
#include "err.h"
#include "uuid.h"

#include <stdbool.h>

enum td_role {
    TD_ROLE_CLERK = 1u << 0,      /* 窗口受理 */
    TD_ROLE_REVIEWER = 1u << 1,   /* 审核 */
    TD_ROLE_APPROVER = 1u << 2,   /* 审批 */
    TD_ROLE_SIGNER = 1u << 3,     /* 部门会签 (联审) */
    TD_ROLE_SPECIALIST = 1u << 4, /* 人才服务专员 / 服务办理 */
    TD_ROLE_STATION = 1u << 5,    /* 海外站点操作员 */
    TD_ROLE_ADMIN = 1u << 6,      /* 系统管理员 */
};
#define TD_ROLE_COUNT 7

/* Record scope: which cases a user may list and open (src/cases/scope.h
 * applies it).  TD_SCOPE_DEFAULT means "by the user's roles". */
typedef enum td_scope {
    TD_SCOPE_DEFAULT = 0,
    TD_SCOPE_OWN,        /* cases taken in, assigned, followed, or with a task of the user */
    TD_SCOPE_STATION,    /* cases of the user's station */
    TD_SCOPE_DEPARTMENT, /* cases with a service or a sign-off of the user's department, and own cases */
    TD_SCOPE_ALL         /* every case */
} td_scope;

typedef struct td_actor {
    char user_id[TD_UUID_LEN];
    char username[40];
    char display_name[128];
    char station_id[TD_UUID_LEN];
    char station_code[12];
    char department_id[32];
    unsigned roles;               /* bitmask of td_role */
    td_scope scope;               /* users.scope; TD_SCOPE_DEFAULT = by role */
} td_actor;

/* Role code ("clerk", …) and translated name ("窗口受理") of one role bit;
 * NULL for an unknown bit.  Static storage. */
const char *td_role_code(unsigned role);
const char *td_role_name(unsigned role);

/* Parses "clerk" / "窗口受理" into its bit; 0 when unknown. */
unsigned td_role_parse(const char *s);

/* Parses a comma-separated list ("clerk,reviewer"); false on an unknown item
 * (err names it). */
bool td_roles_parse(const char *list, unsigned *out, td_err *err);

/* Formats a mask as "clerk,reviewer" into buf. */
void td_roles_format(unsigned roles, char *buf, size_t len);

/* Loads the active user `username` with station and roles.  TD_ENOTFOUND
 * with a Chinese message when absent or inactive. */
td_status td_actor_load(td_db *db, const char *username, td_actor *out, td_err *err);

/* True when the actor holds any role in mask. */
bool td_actor_has(const td_actor *a, unsigned mask);

/* TD_OK when the actor holds any role in mask, else TD_EDENIED with
 * "您没有执行此操作的权限（需要：审批）" naming the roles needed. */
td_status td_actor_require(const td_actor *a, unsigned mask, td_err *err);

/* The scope in force for a: its users.scope when set, otherwise by role
 * (data/roles.tdp once installed, see below; compiled rule:) — station operators (role station without admin) TD_SCOPE_STATION, everyone
 * else TD_SCOPE_ALL.  NULL → TD_SCOPE_OWN (nothing but own cases, and an
 * actor without a user id owns none). */
td_scope td_actor_scope(const td_actor *a);

/* Installs the default scope of each role from policy data (data/roles.tdp,
 * policy/roles.h): by_role[i] for the role 1 << i, TD_SCOPE_DEFAULT when the
 * role has none.  An actor without users.scope then gets the widest
 * (own < station < department < all) of its roles' defaults, or all when none
 * of its roles has one.  Copied; for the rest of the process.  NULL goes back
 * to the compiled rule above. */
void td_actor_set_scope_defaults(const td_scope by_role[TD_ROLE_COUNT]);

/* "own" / "station" / "department" / "all" ("" for TD_SCOPE_DEFAULT), and
 * back (TD_SCOPE_DEFAULT for "" or "default"; -1 when unknown).  The
 * translated name for screens: td_scope_name. */
const char *td_scope_code(td_scope s);
int td_scope_parse(const char *s);
const char *td_scope_name(td_scope s);

/* Sets users.scope of `username` (admin only; sc TD_SCOPE_DEFAULT clears it
 * back to the role's default), audited as 'user.scope' with old and new
 * value.  Own transaction.  TD_ENOTFOUND for an unknown user, TD_EDENIED
 * when by is not an administrator (not audited here: see auth/access.h). */
td_status td_user_set_scope(td_db *db, const td_actor *by, const char *username, td_scope sc, td_err *err);

/* Creates a station (admin only; by == NULL only during init).  kind:
 * hq|window|overseas|airport|park|online.  Joins the caller's transaction when
 * one is open, else runs its own. */
td_status td_station_add(td_db *db, const td_actor *by, const char *code, const char *name,
                         const char *kind, char id_out[TD_UUID_LEN], td_err *err);

/* Creates a user at the station with that code (NULL = the local station),
 * with roles (admin only; by == NULL only during init).  Joins the caller's
 * transaction when one is open, else runs its own. */
td_status td_user_add(td_db *db, const td_actor *by, const char *username, const char *display_name,
                      const char *station_code, const char *department_id, unsigned roles,
                      char id_out[TD_UUID_LEN], td_err *err);

/* The station this database belongs to (settings.local_station), as an actor
 * skeleton with only station fields set.  TD_ENOTFOUND before init. */
td_status td_local_station(td_db *db, char id[TD_UUID_LEN], char code[12], td_err *err);

#endif
