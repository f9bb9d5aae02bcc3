/* account.h — sign-in, account lock, password change and reset, and the
 * station's sign-in settings.
 *
 * Every outcome is audited in its own short write transaction (actions
 * auth.login, auth.login_failed, auth.lock, auth.login_locked, auth.unlock,
 * auth.password_change, auth.password_reset, auth.settings); no password or
 * hash ever reaches the audit log.  The slow hash (≈130 ms) is computed
 * outside any transaction.  Callers must not hold a transaction.
 */
#ifndef TD_ACCOUNT_H
#define TD_ACCOUNT_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

#include <stdbool.h>

typedef struct td_auth_policy {
    int lock_after;       /* consecutive failures that lock an account (0 = never); default 5 */
    int session_minutes;  /* lifetime of a CLI session; default 480 */
    int idle_minutes;     /* TUI idle lock; default 10 */
} td_auth_policy;

/* Reads the settings (auth.lock_after, auth.session_minutes,
 * auth.idle_minutes), defaults for those not set.  Never fails. */
void td_auth_policy_get(td_db *db, td_auth_policy *out);

/* Sets one of them (key "lock_after", "session_minutes" or "idle_minutes")
 * to a whole number in range.  Administrators only; audited. */
td_status td_auth_policy_set(td_db *db, const td_actor *by, const char *key, const char *value,
                             td_err *err);

/* Checks username's password.  On success fills *out, sets *must_change when
 * the user must choose a new password first, resets the failure count,
 * replaces a hash made with old limits, and audits auth.login.  On failure
 * TD_EDENIED with a Chinese message that does not reveal whether the name
 * exists; counts the failure and locks the account at lock_after (audited).
 * A locked account is refused even with the right password. */
td_status td_auth_login(td_db *db, const char *username, const char *password, td_actor *out,
                        bool *must_change, td_err *err);

/* Sets a new password for username after checking the old one (a failed
 * check counts as a failed sign-in).  Clears must_change.  Audited. */
td_status td_auth_change_password(td_db *db, const char *username, const char *old_pw,
                                  const char *new_pw, td_err *err);

/* Sets username's password without the old one.  by == NULL only during
 * init and demo set-up (must_change as given, not audited here: the caller's
 * set-up is); otherwise by must be an administrator, the user must change
 * it at first sign-in, the lock is cleared, and it is audited.  Joins an
 * open transaction only when by == NULL (the hash is computed first). */
td_status td_auth_set_password(td_db *db, const td_actor *by, const char *username, const char *pw,
                               bool must_change, td_err *err);

/* Same with a hash computed beforehand (demo users share one). */
td_status td_auth_set_password_hash(td_db *db, const char *username, const char *hash,
                                    bool must_change, td_err *err);

/* Unlocks username and clears its failure count.  Administrators only;
 * audited.  TD_ENOTFOUND for an unknown user. */
td_status td_auth_unlock(td_db *db, const td_actor *by, const char *username, td_err *err);

/* Writes one audit row in its own transaction (or the open one) for a
 * refusal or other sign-in event; who may be NULL (unknown user: then
 * username is recorded as new_value).  Errors are ignored (returns the
 * status for tests). */
td_status td_auth_audit(td_db *db, const td_actor *who, const char *action, const char *username,
                        const char *reason);

#endif
