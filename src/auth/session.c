/* session.c — see session.h. */
#include "session.h"
#include "idlelock.h"
#include "account.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "base/timeutil.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Formats ms since the epoch like td_now_utc. */
static void fmt_ms(int64_t ms, char out[TD_TS_LEN])
{
    int64_t secs = ms / 1000;
    int32_t days = (int32_t)(secs / 86400);
    int rem = (int)(secs % 86400);
    td_date d = td_date_from_days(days);
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.y % 10000, d.m % 100, d.d % 100,
             rem / 3600 % 100, rem / 60 % 60, rem % 60, (int)(ms % 1000));
    memcpy(out, tmp, TD_TS_LEN - 1);
    out[TD_TS_LEN - 1] = '\0';
}

td_status td_session_start(td_db *db, const td_actor *who, const char *kind, char token_out[TD_TOKEN_LEN],
                           td_err *err)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char token[TD_TOKEN_LEN], th[65], id[TD_UUID_LEN], now[TD_TS_LEN], exp[TD_TS_LEN];
    sodium_bin2hex(token, sizeof token, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    token_hash(token, th);
    td_auth_policy pol;
    td_auth_policy_get(db, &pol);
    td_uuid7(id);
    td_now_utc(now);
    fmt_ms(td_now_ms() + (int64_t)pol.session_minutes * 60000, exp);
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(db,
                                     "INSERT INTO auth_sessions(id, user_id, token_hash, kind, expires_at, "
                                     "created_at, updated_at) VALUES(?,?,?,?,?,?,?)",
                                     err);
    if (!st) {
        td_db_rollback(db);
        return TD_EDB;
    }
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, who->user_id);
    td_bind_text(st, 3, th);
    td_bind_text(st, 4, kind);
    td_bind_text(st, 5, exp);
    td_bind_text(st, 6, now);
    td_bind_text(st, 7, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    s = rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("starting the session"), err);
    if (!s)
        s = td_audit(db, who, NULL, "auth.session_start", "auth_sessions", id, "expires_at", NULL, exp, kind,
                     err);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    if ((s = td_db_commit(db, err)))
        return s;
    memcpy(token_out, token, TD_TOKEN_LEN);
    sodium_memzero(token, sizeof token);
    return TD_OK;
}

/* Finds the session of token: id, username, expires_at, ended. */
static td_status find(td_db *db, const char *token, char id[TD_UUID_LEN], char user[40], char exp[TD_TS_LEN],
                      bool *ended, td_err *err)
{
    char th[65];
    token_hash(token, th);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT s.id, u.username, s.expires_at, s.ended_at IS NOT NULL "
                                     "FROM auth_sessions s JOIN users u ON u.id = s.user_id "
                                     "WHERE s.token_hash = ? AND s.deleted_at IS NULL",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, th);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        td_col_copy(st, 0, id, TD_UUID_LEN);
        td_col_copy(st, 1, user, 40);
        td_col_copy(st, 2, exp, TD_TS_LEN);
        *ended = sqlite3_column_int(st, 3) != 0;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    return rc == SQLITE_DONE ? TD_ENOTFOUND : td_db_fail(db, _("reading the session"), err);
}

static td_status mark_ended(td_db *db, const td_actor *who, const char *id, const char *action, td_err *err)
{
    char now[TD_TS_LEN];
    td_now_utc(now);
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(db,
                                     "UPDATE auth_sessions SET ended_at = ?, updated_at = ?, "
                                     "row_version = row_version + 1 WHERE id = ? AND ended_at IS NULL",
                                     err);
    if (!st) {
        td_db_rollback(db);
        return TD_EDB;
    }
    td_bind_text(st, 1, now);
    td_bind_text(st, 2, now);
    td_bind_text(st, 3, id);
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(td_db_handle(db));
    sqlite3_reset(st);
    s = rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("ending the session"), err);
    if (!s && changed)
        s = td_audit(db, who, NULL, action, "auth_sessions", id, "ended_at", NULL, now, NULL, err);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

td_status td_session_resume(td_db *db, const char *token, td_actor *out, td_err *err)
{
    char id[TD_UUID_LEN], user[40], exp[TD_TS_LEN], now[TD_TS_LEN];
    bool ended = false;
    td_status s = find(db, token, id, user, exp, &ended, err);
    if (s == TD_ENOTFOUND)
        return td_err_set(err, TD_EDENIED, "%s", _("The session is not valid; sign in again (talentdesk login)"));
    if (s)
        return s;
    if (ended)
        return td_err_set(err, TD_EDENIED, _("The session of %s has ended; sign in again (talentdesk login %s)"),
                          user, user);
    td_now_utc(now);
    if (strcmp(now, exp) >= 0) {
        td_actor who;
        if (td_actor_load(db, user, &who, NULL) == TD_OK)
            mark_ended(db, &who, id, "auth.session_expired", NULL);
        return td_err_set(err, TD_EDENIED, _("The session of %s has expired; sign in again (talentdesk login %s)"),
                          user, user);
    }
    if ((s = td_actor_load(db, user, out, err)))
        return s == TD_ENOTFOUND ? td_err_set(err, TD_EDENIED, _("User %s may no longer sign in"), user) : s;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT locked_at IS NOT NULL FROM users WHERE id = ?", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, out->user_id);
    bool locked = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    if (locked)
        return td_err_set(err, TD_EDENIED,
                          _("Account %s is locked after too many failed sign-ins; an administrator can "
                            "unlock it (talentdesk user unlock %s)"),
                          user, user);
    return td_idle_lock_check(db, out->user_id, user, err); /* a TUI locked for inactivity (idlelock.h) */
}

td_status td_session_end(td_db *db, const char *token, td_err *err)
{
    char id[TD_UUID_LEN], user[40], exp[TD_TS_LEN];
    bool ended = false;
    td_status s = find(db, token, id, user, exp, &ended, err);
    if (s == TD_ENOTFOUND)
        return TD_OK;
    if (s || ended)
        return s;
    td_actor who;
    memset(&who, 0, sizeof who);
    if ((s = td_actor_load(db, user, &who, NULL)))
        return TD_OK;
    return mark_ended(db, &who, id, "auth.session_end", err);
}
