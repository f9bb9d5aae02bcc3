/* peer.c — see peer.h. */
#include "peer.h"
#include "idlelock.h"
#include "account.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "base/timeutil.h"

#include <stdio.h>
#include <string.h>

/* What useradd accepts by default: [a-z_][a-z0-9_-]*[$]?, at most 32. */
static bool unix_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 32 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
              (c == '$' && i == n - 1)))
            return false;
    }
    return true;
}

td_status td_peer_link(td_db *db, const td_actor *by, const char *username, const char *unix_user,
                       td_err *err)
{
    td_status s = td_actor_require(by, TD_ROLE_ADMIN, err);
    if (s) {
        td_auth_audit(db, by, "auth.denied", by ? by->username : NULL, err ? err->msg : "");
        return s;
    }
    bool clear = !unix_user || !*unix_user;
    if (!clear && !unix_name_ok(unix_user))
        return td_err_set(err, TD_EINVALID, _("%s is not a Unix user name (lower-case letters, digits, _ and -)"),
                          unix_user);
    td_actor who;
    if ((s = td_actor_load(db, username, &who, err)))
        return s;
    bool own = !td_db_in_tx(db);
    if (own && (s = td_db_begin(db, err)))
        return s;
    char old[40] = "";
    td_peer_of(db, username, old, sizeof old);
    sqlite3_stmt *st = td_db_prepare(db, "DELETE FROM local_unix_users WHERE user_id = ?1 OR unix_user = ?2", err);
    if (!st)
        s = TD_EDB;
    else {
        td_bind_text(st, 1, who.user_id);
        td_bind_text(st, 2, clear ? "" : unix_user);
        if (sqlite3_step(st) != SQLITE_DONE)
            s = td_db_fail(db, _("linking the Unix account"), err);
        sqlite3_reset(st);
    }
    if (!s && !clear) {
        char now[TD_TS_LEN];
        td_now_utc(now);
        st = td_db_prepare(db, "INSERT INTO local_unix_users (unix_user, user_id, created_at) VALUES (?, ?, ?)",
                           err);
        if (!st)
            s = TD_EDB;
        else {
            td_bind_text(st, 1, unix_user);
            td_bind_text(st, 2, who.user_id);
            td_bind_text(st, 3, now);
            if (sqlite3_step(st) != SQLITE_DONE)
                s = td_db_fail(db, _("linking the Unix account"), err);
            sqlite3_reset(st);
        }
    }
    if (!s)
        s = td_audit(db, by, NULL, "auth.unix_link", "users", who.user_id, "unix_user", old[0] ? old : NULL,
                     clear ? NULL : unix_user, NULL, err);
    if (own) {
        if (!s)
            s = td_db_commit(db, err);
        else
            td_db_rollback(db);
    }
    return s;
}

void td_peer_of(td_db *db, const char *username, char *buf, size_t len)
{
    buf[0] = '\0';
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT l.unix_user FROM local_unix_users l JOIN users u ON u.id = l.user_id "
                                     "WHERE u.username = ?",
                                     NULL);
    if (!st)
        return;
    td_bind_text(st, 1, username);
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, buf, len);
    sqlite3_reset(st);
}

td_status td_peer_actor(td_db *db, const char *unix_user, td_actor *out, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT u.username, u.locked_at IS NOT NULL FROM local_unix_users l "
                                     "JOIN users u ON u.id = l.user_id WHERE l.unix_user = ?",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, unix_user);
    char user[40] = "";
    bool found = false, locked = false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        found = true;
        td_col_copy(st, 0, user, sizeof user);
        locked = sqlite3_column_int(st, 1) != 0;
    }
    sqlite3_reset(st);
    if (!found)
        return TD_ENOTFOUND;
    if (locked)
        return td_err_set(err, TD_EDENIED,
                          _("Account %s is locked after too many failed sign-ins; an administrator can "
                            "unlock it (talentdesk user unlock %s)"),
                          user, user);
    td_status s = td_actor_load(db, user, out, err);
    if (s == TD_ENOTFOUND)
        return td_err_set(err, TD_EDENIED, _("User %s may no longer sign in"), user);
    if (!s) /* a TUI locked for inactivity wants the password (idlelock.h) */
        s = td_idle_lock_check(db, out->user_id, user, err);
    return s;
}
