/* err.c — see err.h. */
#include "err.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Cuts s to at most n bytes and drops a partial UTF-8 sequence left at its
 * end (vsnprintf truncates in the middle of a character). */
static void cut_utf8(char *s, size_t n)
{
    size_t len = strlen(s);
    if (len > n)
        len = n;
    size_t i = len;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0) {
        unsigned char lead = (unsigned char)s[i - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (i - 1 + need > len)
            len = i - 1;
    }
    s[len] = '\0';
}

td_status td_err_set(td_err *e, td_status code, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    e->audited = false;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof e->msg)
        cut_utf8(e->msg, sizeof e->msg - 1);
    return code;
}

void td_err_clear(td_err *e)
{
    if (!e)
        return;
    e->code = TD_OK;
    e->msg[0] = '\0';
    e->audited = false;
}

void td_err_prefix(td_err *e, const char *fmt, ...)
{
    if (!e)
        return;
    char head[256], old[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    cut_utf8(head, sizeof head - 1);
    memcpy(old, e->msg, sizeof old);
    size_t hl = strlen(head), ol = strlen(old);
    if (hl + ol >= sizeof e->msg) {
        ol = sizeof e->msg - 1 - hl;
        while (ol > 0 && ((unsigned char)old[ol] & 0xC0) == 0x80) /* keep whole characters */
            ol--;
    }
    memcpy(e->msg, head, hl);
    memcpy(e->msg + hl, old, ol);
    e->msg[hl + ol] = '\0';
    cut_utf8(e->msg, hl + ol);
}

const char *td_status_name(td_status code)
{
    switch (code) {
    case TD_OK: return _("OK");
    case TD_ERR: return _("error");
    case TD_EUSAGE: return _("usage error");
    case TD_ENOTFOUND: return _("not found");
    case TD_EDENIED: return _("permission denied");
    case TD_ECONFLICT: return _("conflict");
    case TD_EINVALID: return _("invalid input");
    case TD_EDB: return _("database error");
    case TD_EPOLICY: return _("policy data error");
    case TD_EIO: return _("file error");
    case TD_ENOMEM: return _("out of memory");
    }
    return _("error");
}
