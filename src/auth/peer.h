/* peer.h — Unix accounts linked to TalentDesk users (the shared-server
 * installation, base/groupmode.h).
 *
 * An administrator links a clerk's Unix account to their TalentDesk user
 * (`talentdesk user add … --unix-user NAME`, `user unix-link USER NAME`);
 * then, in the shared-server mode, the operating system's login is the
 * authentication, as with PostgreSQL's peer authentication: the program
 * takes the real user id of the process (getuid(), which the clerk cannot
 * change) and signs in as the linked user.  Links live in the local table
 * local_unix_users (migration 013), never synchronised.
 */
#ifndef TD_PEER_H
#define TD_PEER_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

/* Links unix_user to username, replacing any earlier link of either; an
 * empty or NULL unix_user removes username's link.  Administrators only
 * (TD_EDENIED, audited); TD_ENOTFOUND for an unknown user; TD_EINVALID for a
 * name that is not a Unix user name.  Audited as auth.unix_link in its own
 * transaction (or the open one). */
td_status td_peer_link(td_db *db, const td_actor *by, const char *username, const char *unix_user,
                       td_err *err);

/* Copies the Unix account linked to username into buf ("" when none). */
void td_peer_of(td_db *db, const char *username, char *buf, size_t len);

/* Loads the TalentDesk user linked to unix_user into *out.  TD_ENOTFOUND
 * (no message) when there is no link; TD_EDENIED with a Chinese message when
 * the linked user is inactive or locked. */
td_status td_peer_actor(td_db *db, const char *unix_user, td_actor *out, td_err *err);

#endif
