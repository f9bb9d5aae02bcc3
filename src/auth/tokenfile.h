/* tokenfile.h — where `talentdesk login` keeps its session tokens.
 *
 * Directory: $XDG_RUNTIME_DIR/talentdesk/<db>/ (fallback when
 * XDG_RUNTIME_DIR is unset or unusable: /tmp/talentdesk-<uid>/<db>/), every
 * level created 0700 and refused unless it belongs to the caller and no one
 * else may read it; <db> is hex(BLAKE2b-128(real path of the database)), so
 * each database has its own sessions.  In it one file per signed-in user,
 * named after the user, mode 0600, holding the token, and a file `current`
 * naming the user who signed in last (used when no --user is given).  Files
 * are written to a temporary file and renamed.
 */
#ifndef TD_TOKENFILE_H
#define TD_TOKENFILE_H

#include "session.h"
#include "base/err.h"

#include <stddef.h>

/* Writes the directory of db_path's sessions into buf, creating it.  TD_EIO
 * with a message when it cannot be made private. */
td_status td_token_dir(const char *db_path, char *buf, size_t len, td_err *err);

/* Saves username's token and makes username current. */
td_status td_token_save(const char *db_path, const char *username, const char *token, td_err *err);

/* Loads the token of username, or of the current user when username is NULL
 * (its name is then copied to user_out, which may be NULL).  TD_ENOTFOUND
 * (no message) when there is none. */
td_status td_token_load(const char *db_path, const char *username, char token[TD_TOKEN_LEN],
                        char *user_out, size_t user_len, td_err *err);

/* Removes username's token file (and `current` when it names username). */
void td_token_remove(const char *db_path, const char *username);

#endif
