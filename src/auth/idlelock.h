/* idlelock.h — the TUI's idle lock outlives the process (issue 10).
 *
 * When the TUI locks itself for inactivity (ui/login.c) it marks the user in
 * local_idle_locks (migration 022) — if the user has a password.  Until the
 * user types it again (a successful td_auth_login clears the mark), none of
 * the user's sessions resumes (auth/session.h) and a linked Unix account does
 * not sign them in (auth/peer.h): running the program again from another
 * terminal, or after closing the locked one, is no way past the lock.  A
 * user without a password has nothing to unlock with; for them the lock
 * stays what it was (README, shared-server section).
 */
#ifndef TD_IDLELOCK_H
#define TD_IDLELOCK_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

#include <stdbool.h>

/* Marks a idle-locked when a has a password, audited 'auth.idle_lock'; own
 * transaction (the caller holds none).  *marked (may be NULL) says whether
 * it was marked (false: no password, or a NULL).  TD_EDB on a database
 * error. */
td_status td_idle_lock(td_db *db, const td_actor *a, bool *marked, td_err *err);

/* TD_OK when the user user_id is not idle-locked; TD_EDENIED with a Chinese
 * message naming username and `talentdesk login` when it is; TD_EDB. */
td_status td_idle_lock_check(td_db *db, const char *user_id, const char *username, td_err *err);

/* Removes the mark of user_id (after the password was typed); joins the
 * caller's transaction.  TD_OK also when there was none. */
td_status td_idle_lock_clear(td_db *db, const char *user_id, td_err *err);

#endif
