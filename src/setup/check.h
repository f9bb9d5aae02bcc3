/* check.h — `talentdesk check`: a list of named checks of one database.
 *
 * Each check is one entry of td_checks[] (name, title, function); a new
 * check — e.g. reconciling the audit log with the domain tables — is one
 * more function and one more line in that table (check.c), nothing else.
 * Every check only reads.
 */
#ifndef TD_CHECK_H
#define TD_CHECK_H

#include "base/db.h"
#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>

/* One check: sets *ok and writes a one-line finding (translated, may quote
 * stored text: sanitise before printing) into detail.  Returns TD_OK when
 * the check could run (whatever it found), else an error in err. */
typedef td_status (*td_check_fn)(td_db *db, bool *ok, char *detail, size_t len, td_err *err);

typedef struct td_check {
    const char *name;  /* stable code, e.g. "integrity" (JSON, --only) */
    const char *title; /* N_() English msgid, translated when shown */
    td_check_fn fn;
} td_check;

/* The checks, in the order they run; terminated by an entry with name NULL. */
extern const td_check td_checks[];

/* Runs every check (or only the one named `only`, when not NULL) and calls
 * cb after each with its result; a check that cannot run reports ok = false
 * with its error as the detail.  *failed counts checks not ok.  TD_OK when
 * they all ran (whatever they found); TD_ENOTFOUND for an unknown `only`. */
td_status td_check_run(td_db *db, const char *only,
                       void (*cb)(const td_check *c, bool ok, const char *detail, void *ud), void *ud, int *failed,
                       td_err *err);

#endif
