/* tokenfile.c — see tokenfile.h. */
#include "tokenfile.h"
#include "base/i18n.h"
#include "base/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

td_status td_token_dir(const char *db_path, char *buf, size_t len, td_err *err)
{
    if (!td_user_runtime_dir(db_path, buf, len))
        return td_err_set(err, TD_EIO, _("Cannot make a private directory for sessions (%s)"), buf);
    return TD_OK;
}

static td_status write_file(const char *dir, const char *name, const char *text, td_err *err)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return td_err_set(err, TD_EIO, _("Cannot write %s: %s"), path, strerror(errno));
    size_t n = strlen(text);
    bool ok = fchmod(fd, 0600) == 0 && write(fd, text, n) == (ssize_t)n && write(fd, "\n", 1) == 1 &&
              fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return td_err_set(err, TD_EIO, _("Cannot write %s: %s"), path, strerror(e));
    }
    return TD_OK;
}

static bool read_line(const char *dir, const char *name, char *buf, size_t len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    ssize_t n = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 077))
        n = read(fd, buf, len - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf[0] != '\0';
}

/* User names are [a-z0-9_.-] (td_user_add); anything else is refused here. */
static bool safe_name(const char *u)
{
    if (!u || !*u || u[0] == '.' || strlen(u) > 32 || strcmp(u, "current") == 0)
        return false;
    for (const char *p = u; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
            return false;
    return true;
}

td_status td_token_save(const char *db_path, const char *username, const char *token, td_err *err)
{
    char dir[PATH_MAX];
    td_status s = td_token_dir(db_path, dir, sizeof dir, err);
    if (s)
        return s;
    if (!safe_name(username))
        return td_err_set(err, TD_EINVALID, "%s", _("Invalid user name"));
    if ((s = write_file(dir, username, token, err)))
        return s;
    return write_file(dir, "current", username, err);
}

td_status td_token_load(const char *db_path, const char *username, char token[TD_TOKEN_LEN],
                        char *user_out, size_t user_len, td_err *err)
{
    char dir[PATH_MAX], user[64];
    td_status s = td_token_dir(db_path, dir, sizeof dir, err);
    if (s)
        return s;
    if (username)
        snprintf(user, sizeof user, "%s", username);
    else if (!read_line(dir, "current", user, sizeof user))
        return TD_ENOTFOUND;
    if (!safe_name(user))
        return TD_ENOTFOUND;
    if (user_out)
        snprintf(user_out, user_len, "%s", user);
    return read_line(dir, user, token, TD_TOKEN_LEN) ? TD_OK : TD_ENOTFOUND;
}

void td_token_remove(const char *db_path, const char *username)
{
    char dir[PATH_MAX], path[PATH_MAX], cur[64];
    if (td_token_dir(db_path, dir, sizeof dir, NULL) || !safe_name(username))
        return;
    snprintf(path, sizeof path, "%s/%s", dir, username);
    unlink(path);
    if (read_line(dir, "current", cur, sizeof cur) && strcmp(cur, username) == 0) {
        snprintf(path, sizeof path, "%s/current", dir);
        unlink(path);
    }
}
