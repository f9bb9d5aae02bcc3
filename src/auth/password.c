/* password.c — see password.h. */
#include "password.h"
#include "base/i18n.h"

#include <string.h>

#define OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

td_status td_pw_hash(const char *pw, char out[TD_PW_HASH_LEN], td_err *err)
{
    if (crypto_pwhash_str(out, pw, strlen(pw), OPS, MEM) != 0)
        return td_err_set(err, TD_ENOMEM, "%s", _("Not enough memory to hash the password"));
    return TD_OK;
}

bool td_pw_verify(const char *hash, const char *pw)
{
    if (!hash || !*hash || !pw)
        return false;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

bool td_pw_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, OPS, MEM) != 0;
}

td_status td_pw_check_new(const char *pw, const char *username, td_err *err)
{
    size_t n = strlen(pw), chars = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)pw[i];
        if (c < 0x20 || c == 0x7f)
            return td_err_set(err, TD_EINVALID, "%s", _("The password may not contain control characters"));
        if ((c & 0xC0) != 0x80)
            chars++;
    }
    if (chars < TD_PW_MIN_CHARS)
        return td_err_set(err, TD_EINVALID, _("The password must have at least %d characters"),
                          TD_PW_MIN_CHARS);
    if (n > TD_PW_MAX_BYTES)
        return td_err_set(err, TD_EINVALID, "%s", _("The password is too long"));
    if (username && strcmp(pw, username) == 0)
        return td_err_set(err, TD_EINVALID, "%s", _("The password may not be the user name"));
    return TD_OK;
}
