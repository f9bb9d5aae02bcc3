/* session.h — sign-in sessions.
 *
 * A session is a random 256-bit token (64 hex characters) given to the
 * signed-in person; the database keeps only hex(BLAKE2b-256(token)) in
 * auth_sessions, with its expiry (td_auth_policy.session_minutes from the
 * start).  Start and end are audited (auth.session_start, auth.session_end).
 */
#ifndef TD_SESSION_H
#define TD_SESSION_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

#define TD_TOKEN_LEN 65 /* 64 hex + NUL */

/* Starts a session of kind "cli" or "tui" for the signed-in actor (from
 * td_auth_login) and writes its token to token_out.  Own transaction. */
td_status td_session_start(td_db *db, const td_actor *who, const char *kind, char token_out[TD_TOKEN_LEN],
                           td_err *err);

/* Loads the actor of a live session.  TD_EDENIED with a Chinese message when
 * the token is unknown, ended or expired (expiry is audited once as
 * auth.session_expired), or its user is locked or inactive. */
td_status td_session_resume(td_db *db, const char *token, td_actor *out, td_err *err);

/* Ends the session (logout).  TD_OK also when it had already ended or
 * expired; audited when it was live. */
td_status td_session_end(td_db *db, const char *token, td_err *err);

#endif
