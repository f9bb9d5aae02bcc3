/* prompt.c — reading passwords: from the terminal without echo, or one line
 * of standard input for scripts (never from argv).  See cli.h. */
#include "cli.h"
#include "base/i18n.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static td_status strip(char *buf)
{
    buf[strcspn(buf, "\r\n")] = '\0';
    return TD_OK;
}

td_status td_cli_secret(td_cli *c, const char *prompt, bool from_stdin, char *buf, size_t len)
{
    td_err err;
    buf[0] = '\0';
    if (from_stdin) {
        /* read(2) a byte at a time, not stdio: no copy of the password stays
         * in a FILE buffer, and the next line is left for the next read. */
        size_t n = 0;
        char ch;
        ssize_t r;
        while ((r = read(0, &ch, 1)) == 1 && ch != '\n') {
            if (n + 1 < len)
                buf[n++] = ch;
        }
        buf[n] = '\0';
        ch = 0;
        if (r <= 0 && n == 0) {
            td_err_set(&err, TD_EIO, "%s", _("No password on standard input"));
            return td_cli_fail(c, &err);
        }
        return strip(buf);
    }
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        td_err_set(&err, TD_EUSAGE, "%s",
                   _("No terminal to ask for the password; give it on standard input with --password-stdin"));
        return td_cli_fail(c, &err);
    }
    struct termios old, quiet;
    bool have = tcgetattr(fd, &old) == 0;
    if (have) {
        quiet = old;
        quiet.c_lflag &= (tcflag_t) ~(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    if (write(fd, prompt, strlen(prompt)) < 0) { /* nothing to do */
    }
    size_t n = 0;
    char ch;
    ssize_t r;
    while ((r = read(fd, &ch, 1)) == 1 && ch != '\n' && ch != '\r') {
        if (n + 1 < len)
            buf[n++] = ch;
    }
    buf[n] = '\0';
    if (have)
        tcsetattr(fd, TCSAFLUSH, &old);
    if (write(fd, "\n", 1) < 0) {
    }
    close(fd);
    if (r < 0 || (r == 0 && n == 0)) {
        td_err_set(&err, TD_EIO, "%s", _("No password was typed"));
        return td_cli_fail(c, &err);
    }
    return TD_OK;
}
