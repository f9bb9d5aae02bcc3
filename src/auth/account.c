/* account.c — see account.h. */
#include "account.h"
#include "idlelock.h"
#include "password.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "base/timeutil.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *key;
    int def, min, max;
} settings[] = {
    { "lock_after", 5, 0, 100 },
    { "session_minutes", 480, 1, 60 * 24 * 31 },
    { "idle_minutes", 10, 1, 24 * 60 },
};

static int setting_int(td_db *db, int i)
{
    char key[64], buf[32];
    snprintf(key, sizeof key, "auth.%s", settings[i].key);
    if (!td_db_setting_get(db, key, buf, sizeof buf))
        return settings[i].def;
    char *end;
    long v = strtol(buf, &end, 10);
    if (*end || v < settings[i].min || v > settings[i].max)
        return settings[i].def;
    return (int)v;
}

void td_auth_policy_get(td_db *db, td_auth_policy *out)
{
    out->lock_after = setting_int(db, 0);
    out->session_minutes = setting_int(db, 1);
    out->idle_minutes = setting_int(db, 2);
}

td_status td_auth_audit(td_db *db, const td_actor *who, const char *action, const char *username,
                        const char *reason)
{
    bool own = !td_db_in_tx(db);
    td_err e;
    td_err_clear(&e);
    if (own && td_db_begin(db, &e))
        return e.code;
    td_status s = td_audit(db, who, NULL, action, "users", who ? who->user_id : "", NULL, NULL,
                           who ? NULL : username, reason, &e);
    if (own) {
        if (s == TD_OK)
            s = td_db_commit(db, &e);
        else
            td_db_rollback(db);
    }
    return s;
}

td_status td_auth_policy_set(td_db *db, const td_actor *by, const char *key, const char *value,
                             td_err *err)
{
    td_status s = td_actor_require(by, TD_ROLE_ADMIN, err);
    if (s) {
        td_auth_audit(db, by, "auth.denied", by ? by->username : NULL, err->msg);
        return s;
    }
    int i = -1;
    for (int k = 0; k < (int)(sizeof settings / sizeof settings[0]); k++)
        if (key && strcmp(key, settings[k].key) == 0)
            i = k;
    if (i < 0)
        return td_err_set(err, TD_EINVALID,
                          _("Unknown sign-in setting '%s' (lock_after, session_minutes, idle_minutes)"),
                          key ? key : "");
    char *end;
    long v = value ? strtol(value, &end, 10) : -1;
    if (!value || !*value || *end || v < settings[i].min || v > settings[i].max)
        return td_err_set(err, TD_EINVALID, _("%s must be a whole number from %d to %d"), key,
                          settings[i].min, settings[i].max);
    char full[64], old[32] = "", val[32];
    snprintf(full, sizeof full, "auth.%s", key);
    snprintf(val, sizeof val, "%ld", v);
    if (!td_db_setting_get(db, full, old, sizeof old))
        snprintf(old, sizeof old, "%d", settings[i].def);
    if ((s = td_db_begin(db, err)))
        return s;
    if (!(s = td_db_setting_set(db, full, val, err)))
        s = td_audit(db, by, NULL, "auth.settings", "settings", full, key, old, val, NULL, err);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

typedef struct {
    char id[TD_UUID_LEN];
    char hash[TD_PW_HASH_LEN];
    bool must_change, locked;
    int failed;
} acct;

/* TD_OK and *a filled, or TD_ENOTFOUND (no message) for an unknown or
 * inactive user. */
static td_status acct_load(td_db *db, const char *username, acct *a, td_err *err)
{
    memset(a, 0, sizeof *a);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT id, IFNULL(password_hash,''), must_change_password, "
                                     "locked_at IS NOT NULL, failed_logins FROM users "
                                     "WHERE username = ? AND active = 1 AND deleted_at IS NULL",
                                     err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        td_col_copy(st, 0, a->id, sizeof a->id);
        td_col_copy(st, 1, a->hash, sizeof a->hash);
        a->must_change = sqlite3_column_int(st, 2) != 0;
        a->locked = sqlite3_column_int(st, 3) != 0;
        a->failed = sqlite3_column_int(st, 4);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    return rc == SQLITE_DONE ? TD_ENOTFOUND : td_db_fail(db, _("loading the user"), err);
}

static td_status exec_user(td_db *db, const char *sql, const char *a1, const char *a2, const char *id,
                           td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db, sql, err);
    if (!st)
        return TD_EDB;
    int n = 1;
    if (a1)
        td_bind_text(st, n++, a1);
    if (a2)
        td_bind_text(st, n++, a2);
    td_bind_text(st, n, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("updating the user"), err);
}

static const char *bad_login_msg(void)
{
    return _("Wrong user name or password");
}

/* Counts a failed password check for a; locks at the limit.  Audited. */
static void count_failure(td_db *db, const char *username, const acct *a, const char *action)
{
    td_auth_policy pol;
    td_auth_policy_get(db, &pol);
    td_err e;
    if (td_db_begin(db, &e))
        return;
    char now[TD_TS_LEN];
    td_now_utc(now);
    td_actor who;
    memset(&who, 0, sizeof who);
    snprintf(who.user_id, sizeof who.user_id, "%s", a->id);
    snprintf(who.username, sizeof who.username, "%s", username);
    bool lock = pol.lock_after > 0 && a->failed + 1 >= pol.lock_after && !a->locked;
    char count[16];
    snprintf(count, sizeof count, "%d", a->failed + 1);
    td_status s = exec_user(db,
                            lock ? "UPDATE users SET failed_logins = failed_logins + 1, locked_at = ?, "
                                   "updated_at = ?, row_version = row_version + 1 WHERE id = ?"
                                 : "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?",
                            lock ? now : NULL, lock ? now : NULL, a->id, &e);
    if (!s)
        s = td_audit(db, &who, NULL, action, "users", a->id, "failed_logins", NULL, count, NULL, &e);
    if (!s && lock)
        s = td_audit(db, &who, NULL, "auth.lock", "users", a->id, "locked_at", NULL, now,
                     _("too many failed sign-ins"), &e);
    if (s)
        td_db_rollback(db);
    else
        td_db_commit(db, &e);
}

td_status td_auth_login(td_db *db, const char *username, const char *password, td_actor *out,
                        bool *must_change, td_err *err)
{
    acct a;
    if (must_change)
        *must_change = false;
    td_status s = acct_load(db, username, &a, err);
    if (s == TD_ENOTFOUND) {
        static const char dummy[TD_PW_HASH_LEN] = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                                                  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        td_pw_verify(dummy, password); /* about the time of a real check */
        td_auth_audit(db, NULL, "auth.login_failed", username, _("unknown user"));
        return td_err_set(err, TD_EDENIED, "%s", bad_login_msg());
    }
    if (s)
        return s;
    td_actor who;
    memset(&who, 0, sizeof who);
    snprintf(who.user_id, sizeof who.user_id, "%s", a.id);
    snprintf(who.username, sizeof who.username, "%s", username);
    if (a.locked) {
        td_auth_audit(db, &who, "auth.login_locked", username, NULL);
        return td_err_set(err, TD_EDENIED,
                          _("Account %s is locked after too many failed sign-ins; an administrator can "
                            "unlock it (talentdesk user unlock %s)"),
                          username, username);
    }
    if (!a.hash[0]) {
        td_auth_audit(db, &who, "auth.login_failed", username, _("no password set"));
        return td_err_set(err, TD_EDENIED,
                          _("User %s has no password yet; an administrator sets one (talentdesk user "
                            "passwd %s)"),
                          username, username);
    }
    if (!td_pw_verify(a.hash, password)) {
        count_failure(db, username, &a, "auth.login_failed");
        return td_err_set(err, TD_EDENIED, "%s", bad_login_msg());
    }
    char fresh[TD_PW_HASH_LEN] = "";
    if (td_pw_needs_rehash(a.hash) && td_pw_hash(password, fresh, NULL) != TD_OK)
        fresh[0] = '\0';
    if ((s = td_db_begin(db, err)))
        return s;
    s = exec_user(db, "UPDATE users SET failed_logins = 0 WHERE id = ?", NULL, NULL, a.id, err);
    if (!s) /* the password typed again ends an idle lock (idlelock.h) */
        s = td_idle_lock_clear(db, a.id, err);
    if (!s && fresh[0])
        s = exec_user(db, "UPDATE users SET password_hash = ? WHERE id = ?", fresh, NULL, a.id, err);
    if (!s)
        s = td_audit(db, &who, NULL, "auth.login", "users", a.id, NULL, NULL, NULL,
                     fresh[0] ? "rehashed" : NULL, err);
    sodium_memzero(fresh, sizeof fresh);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    if ((s = td_db_commit(db, err)))
        return s;
    if (must_change)
        *must_change = a.must_change;
    return td_actor_load(db, username, out, err);
}

static td_status store_hash(td_db *db, const char *id, const char *hash, bool must_change, td_err *err)
{
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "UPDATE users SET password_hash = ?, must_change_password = ?, "
                                     "password_changed_at = ?, failed_logins = 0, locked_at = NULL, "
                                     "updated_at = ?, row_version = row_version + 1 WHERE id = ?",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, hash);
    sqlite3_bind_int(st, 2, must_change ? 1 : 0);
    td_bind_text(st, 3, now);
    td_bind_text(st, 4, now);
    td_bind_text(st, 5, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("saving the password"), err);
}

td_status td_auth_set_password_hash(td_db *db, const char *username, const char *hash,
                                    bool must_change, td_err *err)
{
    acct a;
    td_status s = acct_load(db, username, &a, err);
    if (s == TD_ENOTFOUND)
        return td_err_set(err, TD_ENOTFOUND, _("No active user named '%s' (see: talentdesk user list)"),
                          username);
    if (s)
        return s;
    return store_hash(db, a.id, hash, must_change, err);
}

td_status td_auth_change_password(td_db *db, const char *username, const char *old_pw,
                                  const char *new_pw, td_err *err)
{
    acct a;
    td_status s = acct_load(db, username, &a, err);
    if (s == TD_ENOTFOUND) {
        td_auth_audit(db, NULL, "auth.login_failed", username, _("unknown user"));
        return td_err_set(err, TD_EDENIED, "%s", bad_login_msg());
    }
    if (s)
        return s;
    td_actor who;
    memset(&who, 0, sizeof who);
    snprintf(who.user_id, sizeof who.user_id, "%s", a.id);
    snprintf(who.username, sizeof who.username, "%s", username);
    if (a.locked) {
        td_auth_audit(db, &who, "auth.login_locked", username, NULL);
        return td_err_set(err, TD_EDENIED,
                          _("Account %s is locked after too many failed sign-ins; an administrator can "
                            "unlock it (talentdesk user unlock %s)"),
                          username, username);
    }
    if (!td_pw_verify(a.hash, old_pw)) {
        count_failure(db, username, &a, "auth.login_failed");
        return td_err_set(err, TD_EDENIED, "%s", bad_login_msg());
    }
    if ((s = td_pw_check_new(new_pw, username, err)))
        return s;
    if (strcmp(old_pw, new_pw) == 0)
        return td_err_set(err, TD_EINVALID, "%s", _("The new password must differ from the old one"));
    char hash[TD_PW_HASH_LEN];
    if ((s = td_pw_hash(new_pw, hash, err)))
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    if (!(s = store_hash(db, a.id, hash, false, err)))
        s = td_audit(db, &who, NULL, "auth.password_change", "users", a.id, "password_hash", NULL, NULL,
                     NULL, err);
    sodium_memzero(hash, sizeof hash);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

td_status td_auth_set_password(td_db *db, const td_actor *by, const char *username, const char *pw,
                               bool must_change, td_err *err)
{
    td_status s;
    if (by && (s = td_actor_require(by, TD_ROLE_ADMIN, err))) {
        td_auth_audit(db, by, "auth.denied", by->username, err->msg);
        return s;
    }
    if ((s = td_pw_check_new(pw, username, err)))
        return s;
    acct a;
    if ((s = acct_load(db, username, &a, err)) == TD_ENOTFOUND)
        return td_err_set(err, TD_ENOTFOUND, _("No active user named '%s' (see: talentdesk user list)"),
                          username);
    if (s)
        return s;
    char hash[TD_PW_HASH_LEN];
    if ((s = td_pw_hash(pw, hash, err)))
        return s;
    if (!by) {
        s = store_hash(db, a.id, hash, must_change, err);
        sodium_memzero(hash, sizeof hash);
        return s;
    }
    if ((s = td_db_begin(db, err)))
        return s;
    if (!(s = store_hash(db, a.id, hash, true, err)))
        s = td_audit(db, by, NULL, "auth.password_reset", "users", a.id, "password_hash", NULL, NULL,
                     NULL, err);
    sodium_memzero(hash, sizeof hash);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

td_status td_auth_unlock(td_db *db, const td_actor *by, const char *username, td_err *err)
{
    td_status s = td_actor_require(by, TD_ROLE_ADMIN, err);
    if (s) {
        td_auth_audit(db, by, "auth.denied", by ? by->username : NULL, err->msg);
        return s;
    }
    acct a;
    if ((s = acct_load(db, username, &a, err)) == TD_ENOTFOUND)
        return td_err_set(err, TD_ENOTFOUND, _("No active user named '%s' (see: talentdesk user list)"),
                          username);
    if (s)
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    char now[TD_TS_LEN];
    td_now_utc(now);
    if (!(s = exec_user(db,
                        "UPDATE users SET failed_logins = 0, locked_at = NULL, updated_at = ?, "
                        "row_version = row_version + 1 WHERE id = ?",
                        now, NULL, a.id, err)))
        s = td_audit(db, by, NULL, "auth.unlock", "users", a.id, "locked_at", a.locked ? "locked" : NULL,
                     NULL, NULL, err);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}
