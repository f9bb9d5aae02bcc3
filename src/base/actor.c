/* actor.c — see actor.h. */
#include "actor.h"
#include "audit.h"
#include "i18n.h"
#include "text.h"
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

static const struct {
    unsigned bit;
    const char *code;
    const char *name;
} roles[] = {
    { TD_ROLE_CLERK, "clerk", N_("window clerk") },
    { TD_ROLE_REVIEWER, "reviewer", N_("reviewer") },
    { TD_ROLE_APPROVER, "approver", N_("approver") },
    { TD_ROLE_SIGNER, "signer", N_("department signer") },
    { TD_ROLE_SPECIALIST, "specialist", N_("service specialist") },
    { TD_ROLE_STATION, "station", N_("station operator") },
    { TD_ROLE_ADMIN, "admin", N_("administrator") },
};
#define NROLES (sizeof roles / sizeof roles[0])

const char *td_role_code(unsigned role)
{
    for (size_t i = 0; i < NROLES; i++)
        if (roles[i].bit == role)
            return roles[i].code;
    return NULL;
}

const char *td_role_name(unsigned role)
{
    for (size_t i = 0; i < NROLES; i++)
        if (roles[i].bit == role)
            return _(roles[i].name);
    return NULL;
}

unsigned td_role_parse(const char *s)
{
    for (size_t i = 0; i < NROLES; i++)
        if (strcmp(s, roles[i].code) == 0 || strcmp(s, _(roles[i].name)) == 0)
            return roles[i].bit;
    return 0;
}

bool td_roles_parse(const char *list, unsigned *out, td_err *err)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list ? list : "");
    unsigned mask = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        unsigned r = td_role_parse(tok);
        if (!r) {
            td_err_set(err, TD_EINVALID,
                       _("Unknown role '%s' (roles: clerk, reviewer, approver, signer, specialist, station, admin)"),
                       tok);
            return false;
        }
        mask |= r;
    }
    if (!mask) {
        td_err_set(err, TD_EINVALID, "%s", _("At least one role is required"));
        return false;
    }
    *out = mask;
    return true;
}

void td_roles_format(unsigned r, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NROLES; i++) {
        if (!(r & roles[i].bit))
            continue;
        int n = snprintf(buf + o, len - o, "%s%s", o ? "," : "", roles[i].code);
        if (n < 0 || (size_t)n >= len - o)
            break;
        o += (size_t)n;
    }
}

static void role_names(unsigned r, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NROLES; i++) {
        if (!(r & roles[i].bit))
            continue;
        int n = snprintf(buf + o, len - o, "%s%s", o ? _(" or ") : "", _(roles[i].name));
        if (n < 0 || (size_t)n >= len - o)
            break;
        o += (size_t)n;
    }
}

bool td_actor_has(const td_actor *a, unsigned mask)
{
    return a && (a->roles & mask) != 0;
}

td_status td_actor_require(const td_actor *a, unsigned mask, td_err *err)
{
    if (td_actor_has(a, mask))
        return TD_OK;
    char names[256];
    role_names(mask, names, sizeof names);
    return td_err_set(err, TD_EDENIED, _("You do not have permission for this action (requires: %s)"), names);
}

td_status td_actor_load(td_db *db, const char *username, td_actor *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT u.id, u.username, u.display_name, u.station_id, s.code, IFNULL(u.department_id,''), "
        "IFNULL(u.scope,'') "
        "FROM users u JOIN stations s ON s.id = u.station_id "
        "WHERE u.username = ? AND u.active = 1 AND u.deleted_at IS NULL",
        err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return td_db_fail(db, _("loading the user"), err);
        return td_err_set(err, TD_ENOTFOUND, _("No active user named '%s' (see: talentdesk user list)"),
                          username);
    }
    td_col_copy(st, 0, out->user_id, sizeof out->user_id);
    td_col_copy(st, 1, out->username, sizeof out->username);
    td_col_copy(st, 2, out->display_name, sizeof out->display_name);
    td_col_copy(st, 3, out->station_id, sizeof out->station_id);
    td_col_copy(st, 4, out->station_code, sizeof out->station_code);
    td_col_copy(st, 5, out->department_id, sizeof out->department_id);
    int sc = td_scope_parse((const char *)sqlite3_column_text(st, 6));
    out->scope = sc > 0 ? (td_scope)sc : TD_SCOPE_DEFAULT;
    sqlite3_reset(st);

    st = td_db_prepare(db, "SELECT role FROM user_roles WHERE user_id = ? AND deleted_at IS NULL", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, out->user_id, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        out->roles |= td_role_parse((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("loading roles"), err);
}

td_status td_local_station(td_db *db, char id[TD_UUID_LEN], char code[12], td_err *err)
{
    char sid[TD_UUID_LEN];
    if (!td_db_setting_get(db, "local_station", sid, sizeof sid))
        return td_err_set(err, TD_ENOTFOUND, "%s",
                          _("The database is not initialised (run: talentdesk init)"));
    sqlite3_stmt *st = td_db_prepare(db, "SELECT code FROM stations WHERE id = ?", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, sid, -1, SQLITE_TRANSIENT);
    td_status s = TD_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (id)
            snprintf(id, TD_UUID_LEN, "%s", sid);
        if (code)
            td_col_copy(st, 0, code, 12);
    } else {
        s = td_err_set(err, TD_ENOTFOUND, "%s", _("The local station is missing from the database"));
    }
    sqlite3_reset(st);
    return s;
}

static const char *const station_kinds[] = { "hq", "window", "overseas", "airport", "park", "online", NULL };

td_status td_station_add(td_db *db, const td_actor *by, const char *code, const char *name,
                         const char *kind, char id_out[TD_UUID_LEN], td_err *err)
{
    td_status s;
    if (by && (s = td_actor_require(by, TD_ROLE_ADMIN, err)))
        return s;
    size_t cl = code ? strlen(code) : 0;
    bool ok = cl >= 2 && cl <= 8 && code[0] >= 'A' && code[0] <= 'Z';
    for (size_t i = 0; ok && i < cl; i++)
        ok = (code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '0' && code[i] <= '9');
    if (!ok)
        return td_err_set(err, TD_EINVALID,
                          _("Station code must be 2-8 capital letters or digits, starting with a letter: '%s'"),
                          code ? code : "");
    if (!name || !*name || !td_text_is_clean(name))
        return td_err_set(err, TD_EINVALID, "%s", _("Station name is required and must be plain text"));
    bool kind_ok = false;
    for (const char *const *k = station_kinds; *k; k++)
        kind_ok |= kind && strcmp(*k, kind) == 0;
    if (!kind_ok)
        return td_err_set(err, TD_EINVALID,
                          _("Unknown station kind '%s' (hq, window, overseas, airport, park, online)"),
                          kind ? kind : "");
    char id[TD_UUID_LEN], now[TD_TS_LEN];
    td_uuid7(id);
    td_now_utc(now);
    bool own_tx = !td_db_in_tx(db);
    if (own_tx && (s = td_db_begin(db, err)))
        return s;
    sqlite3_stmt *st = td_db_prepare(db,
                                     "INSERT INTO stations(id, code, name, kind, created_at, updated_at) "
                                     "VALUES(?,?,?,?,?,?)",
                                     err);
    if (!st) {
        s = TD_EDB;
        goto out;
    }
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, code);
    td_bind_text(st, 3, name);
    td_bind_text(st, 4, kind);
    td_bind_text(st, 5, now);
    td_bind_text(st, 6, now);
    if (sqlite3_step(st) != SQLITE_DONE) {
        s = td_db_fail(db, _("adding the station"), err);
        if (s == TD_ECONFLICT)
            td_err_set(err, TD_ECONFLICT, _("Station code %s already exists"), code);
        sqlite3_reset(st);
        goto out;
    }
    sqlite3_reset(st);
    if (by)
        s = td_audit(db, by, NULL, "station.add", "stations", id, "code", NULL, code, NULL, err);
out:
    if (own_tx) {
        if (s == TD_OK)
            s = td_db_commit(db, err);
        else
            td_db_rollback(db);
    }
    if (s == TD_OK && id_out)
        memcpy(id_out, id, TD_UUID_LEN);
    return s;
}

td_status td_user_add(td_db *db, const td_actor *by, const char *username, const char *display_name,
                      const char *station_code, const char *department_id, unsigned roles_mask,
                      char id_out[TD_UUID_LEN], td_err *err)
{
    td_status s;
    if (by && (s = td_actor_require(by, TD_ROLE_ADMIN, err)))
        return s;
    size_t ul = username ? strlen(username) : 0;
    bool ok = ul >= 2 && ul <= 32;
    for (size_t i = 0; ok && i < ul; i++) {
        char c = username[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }
    if (!ok)
        return td_err_set(err, TD_EINVALID,
                          _("User name must be 2-32 lower-case letters, digits, '_', '.' or '-': '%s'"),
                          username ? username : "");
    if (!display_name || !*display_name || !td_text_is_clean(display_name))
        return td_err_set(err, TD_EINVALID, "%s", _("Display name is required and must be plain text"));
    if (!roles_mask)
        return td_err_set(err, TD_EINVALID, "%s", _("At least one role is required"));
    char id[TD_UUID_LEN], now[TD_TS_LEN];
    td_uuid7(id);
    td_now_utc(now);
    bool own_tx = !td_db_in_tx(db);
    if (own_tx && (s = td_db_begin(db, err)))
        return s;
    char station_id[TD_UUID_LEN] = "";
    sqlite3_stmt *st;
    if (station_code && *station_code) {
        st = td_db_prepare(db, "SELECT id FROM stations WHERE code = ? AND deleted_at IS NULL", err);
        if (!st) {
            s = TD_EDB;
            goto out;
        }
        sqlite3_bind_text(st, 1, station_code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            td_col_copy(st, 0, station_id, sizeof station_id);
        sqlite3_reset(st);
        if (!station_id[0]) {
            s = td_err_set(err, TD_ENOTFOUND, _("No station with code %s"), station_code);
            goto out;
        }
    } else if ((s = td_local_station(db, station_id, NULL, err))) {
        goto out;
    }
    if (department_id && *department_id) {
        st = td_db_prepare(db, "SELECT 1 FROM departments WHERE id = ? AND deleted_at IS NULL", err);
        if (!st) {
            s = TD_EDB;
            goto out;
        }
        sqlite3_bind_text(st, 1, department_id, -1, SQLITE_TRANSIENT);
        int found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
        if (!found) {
            s = td_err_set(err, TD_ENOTFOUND, _("No department with code %s"), department_id);
            goto out;
        }
    }
    st = td_db_prepare(db,
                       "INSERT INTO users(id, station_id, username, display_name, department_id, "
                       "created_at, updated_at) VALUES(?,?,?,?,?,?,?)",
                       err);
    if (!st) {
        s = TD_EDB;
        goto out;
    }
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, station_id);
    td_bind_text(st, 3, username);
    td_bind_text(st, 4, display_name);
    td_bind_text(st, 5, department_id && *department_id ? department_id : NULL);
    td_bind_text(st, 6, now);
    td_bind_text(st, 7, now);
    if (sqlite3_step(st) != SQLITE_DONE) {
        s = td_db_fail(db, _("adding the user"), err);
        if (s == TD_ECONFLICT)
            td_err_set(err, TD_ECONFLICT, _("User name %s is already taken"), username);
        sqlite3_reset(st);
        goto out;
    }
    sqlite3_reset(st);
    for (size_t i = 0; i < NROLES; i++) {
        if (!(roles_mask & roles[i].bit))
            continue;
        char rid[TD_UUID_LEN];
        td_uuid7(rid);
        st = td_db_prepare(db,
                           "INSERT INTO user_roles(id, user_id, role, created_at, updated_at) "
                           "VALUES(?,?,?,?,?)",
                           err);
        if (!st) {
            s = TD_EDB;
            goto out;
        }
        td_bind_text(st, 1, rid);
        td_bind_text(st, 2, id);
        td_bind_text(st, 3, roles[i].code);
        td_bind_text(st, 4, now);
        td_bind_text(st, 5, now);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(db, _("adding the user"), err);
            goto out;
        }
    }
    {
        char rl[128];
        td_roles_format(roles_mask, rl, sizeof rl);
        s = td_audit(db, by, NULL, "user.add", "users", id, "roles", NULL, rl, NULL, err);
    }
out:
    if (own_tx) {
        if (s == TD_OK)
            s = td_db_commit(db, err);
        else
            td_db_rollback(db);
    }
    if (s == TD_OK && id_out)
        memcpy(id_out, id, TD_UUID_LEN);
    return s;
}

static const char *const scope_codes[] = { "", "own", "station", "department", "all" };

/* Default scope of each role (bit i = role 1 << i) installed from
 * data/roles.tdp, if any (td_actor_set_scope_defaults). */
static td_scope role_scope[TD_ROLE_COUNT];
static bool have_role_scope;

void td_actor_set_scope_defaults(const td_scope by_role[TD_ROLE_COUNT])
{
    have_role_scope = by_role != NULL;
    if (by_role)
        memcpy(role_scope, by_role, sizeof role_scope);
}

td_scope td_actor_scope(const td_actor *a)
{
    if (!a)
        return TD_SCOPE_OWN;
    if (a->scope != TD_SCOPE_DEFAULT)
        return a->scope;
    if (have_role_scope) { /* the widest default among the actor's roles that have one; all when none has */
        td_scope best = TD_SCOPE_DEFAULT;
        for (int i = 0; i < TD_ROLE_COUNT; i++)
            if ((a->roles & (1u << i)) && role_scope[i] > best)
                best = role_scope[i];
        return best == TD_SCOPE_DEFAULT ? TD_SCOPE_ALL : best;
    }
    if (td_actor_has(a, TD_ROLE_STATION) && !td_actor_has(a, TD_ROLE_ADMIN))
        return TD_SCOPE_STATION;
    return TD_SCOPE_ALL;
}

const char *td_scope_code(td_scope s)
{
    return (unsigned)s < sizeof scope_codes / sizeof scope_codes[0] ? scope_codes[s] : "";
}

int td_scope_parse(const char *s)
{
    if (!s || !*s || strcmp(s, "default") == 0)
        return TD_SCOPE_DEFAULT;
    for (int i = 1; i < (int)(sizeof scope_codes / sizeof scope_codes[0]); i++)
        if (strcmp(s, scope_codes[i]) == 0)
            return i;
    return -1;
}

const char *td_scope_name(td_scope s)
{
    switch (s) {
    case TD_SCOPE_OWN: return _("own cases");
    case TD_SCOPE_STATION: return _("own station");
    case TD_SCOPE_DEPARTMENT: return _("own department");
    case TD_SCOPE_ALL: return _("all cases");
    default: return _("by role");
    }
}

td_status td_user_set_scope(td_db *db, const td_actor *by, const char *username, td_scope sc, td_err *err)
{
    td_status s = td_actor_require(by, TD_ROLE_ADMIN, err);
    if (s)
        return s;
    td_actor u;
    if ((s = td_actor_load(db, username, &u, err)))
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "UPDATE users SET scope = ?, updated_at = ?, row_version = row_version + 1 "
                                     "WHERE id = ?",
                                     err);
    if (!st) {
        td_db_rollback(db);
        return TD_EDB;
    }
    if (sc == TD_SCOPE_DEFAULT)
        sqlite3_bind_null(st, 1);
    else
        td_bind_text(st, 1, td_scope_code(sc));
    td_bind_text(st, 2, now);
    td_bind_text(st, 3, u.user_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    s = rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("changing the user"), err);
    if (!s)
        s = td_audit(db, by, NULL, "user.scope", "users", u.user_id, "scope", td_scope_code(u.scope),
                     td_scope_code(sc), NULL, err);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}
