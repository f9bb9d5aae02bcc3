/* password.h — argon2id password hashes (libsodium crypto_pwhash_str).
 *
 * Limits are libsodium's INTERACTIVE ones (t=2, 64 MiB; about 130 ms here).
 * A stored hash made with other limits is replaced at the next successful
 * sign-in (td_pw_needs_rehash).  Passwords are never logged or audited.
 */
#ifndef TD_PASSWORD_H
#define TD_PASSWORD_H

#include "base/err.h"

#include <sodium.h>
#include <stdbool.h>

#define TD_PW_HASH_LEN crypto_pwhash_STRBYTES
#define TD_PW_MIN_CHARS 8
#define TD_PW_MAX_BYTES 256

/* Hashes pw into out (a NUL-terminated "$argon2id$…" string).  TD_ENOMEM with
 * a message when the 64 MiB cannot be had. */
td_status td_pw_hash(const char *pw, char out[TD_PW_HASH_LEN], td_err *err);

/* True when pw matches the stored hash string (false for NULL or empty hash). */
bool td_pw_verify(const char *hash, const char *pw);

/* True when hash was made with limits other than the current ones. */
bool td_pw_needs_rehash(const char *hash);

/* TD_OK when pw is acceptable as a new password for username: at least
 * TD_PW_MIN_CHARS characters, at most TD_PW_MAX_BYTES bytes, no control
 * characters, not the user name.  Otherwise TD_EINVALID with a message. */
td_status td_pw_check_new(const char *pw, const char *username, td_err *err);

#endif
