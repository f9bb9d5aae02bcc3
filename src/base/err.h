/* err.h — status codes and the error record every core function fills.
 *
 * Contract used across src/: a function that can fail returns a td_status
 * (TD_OK == 0) and, when it fails, writes a message fit for the status line
 * into the td_err the caller passed (which may be NULL when the caller does
 * not care).  Messages are already translated (gettext) and never contain
 * control characters.  The numeric value of a status is also the CLI's exit
 * code (see README "Exit codes").
 */
#ifndef TD_ERR_H
#define TD_ERR_H

#include <stdbool.h>
#include <stddef.h>

typedef enum td_status {
    TD_OK = 0,
    TD_ERR = 1,        /* anything not covered below */
    TD_EUSAGE = 2,     /* wrong command-line usage */
    TD_ENOTFOUND = 3,  /* no such person / case / user / file */
    TD_EDENIED = 4,    /* the acting user may not do this */
    TD_ECONFLICT = 5,  /* stale row version, duplicate, concurrent change */
    TD_EINVALID = 6,   /* input failed validation */
    TD_EDB = 7,        /* SQLite error, database locked or corrupt */
    TD_EPOLICY = 8,    /* a policy file under data/ is malformed */
    TD_EIO = 9,        /* file could not be read or written */
    TD_ENOMEM = 10     /* out of memory */
} td_status;

typedef struct td_err {
    td_status code;
    char msg[512];
    bool audited;      /* a TD_EDENIED already written to the audit log (auth/access.h) */
} td_err;

/* Sets e->code and formats e->msg (and clears e->audited) (truncated to fit, never mid-character).
 * Returns code, so callers can `return td_err_set(err, TD_EINVALID, ...)`.
 * e may be NULL: then only the code is returned. */
td_status td_err_set(td_err *e, td_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Resets e to TD_OK with an empty message.  e may be NULL. */
void td_err_clear(td_err *e);

/* Prefixes the existing message with a formatted context, e.g. a file name.
 * Keeps the code.  No-op when e is NULL. */
void td_err_prefix(td_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Short translated name of a status (e.g. "数据校验失败"), static storage. */
const char *td_status_name(td_status code);

#endif
