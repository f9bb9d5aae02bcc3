/* idlelock.c — see idlelock.h. */
#include "idlelock.h"
#include "account.h"
#include "base/i18n.h"
#include "base/timeutil.h"

td_status td_idle_lock(td_db *db, const td_actor *a, bool *marked, td_err *err)
{
    if (marked)
        *marked = false;
    if (!a || !a->user_id[0])
        return TD_OK;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT IFNULL(password_hash, '') <> '' FROM users WHERE id = ?", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, a->user_id);
    bool has_pw = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    if (!has_pw)
        return TD_OK;
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    char now[TD_TS_LEN];
    td_now_utc(now);
    st = td_db_prepare(db, "INSERT OR REPLACE INTO local_idle_locks(user_id, locked_at) VALUES(?, ?)", err);
    if (!st) {
        td_db_rollback(db);
        return TD_EDB;
    }
    td_bind_text(st, 1, a->user_id);
    td_bind_text(st, 2, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("locking the screen"), err);
        td_db_rollback(db);
        return s;
    }
    if ((s = td_db_commit(db, err)))
        return s;
    td_auth_audit(db, a, "auth.idle_lock", a->username, NULL);
    if (marked)
        *marked = true;
    return TD_OK;
}

td_status td_idle_lock_check(td_db *db, const char *user_id, const char *username, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db, "SELECT 1 FROM local_idle_locks WHERE user_id = ?", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, user_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return td_err_set(err, TD_EDENIED,
                          _("The screen of %s locked itself for inactivity: sign in again with the password "
                            "(talentdesk login %s)"),
                          username, username);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("reading the screen lock"), err);
    return TD_OK;
}

td_status td_idle_lock_clear(td_db *db, const char *user_id, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db, "DELETE FROM local_idle_locks WHERE user_id = ?", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, user_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("unlocking the screen"), err);
}
