/* spool.h — where printed documents are kept, and sending them to CUPS.
 *
 * Every print is saved beside the case: in the directory
 * "<database file>.prints/<case no>/" next to the database, as
 * "<case no>-<kind>.pdf" (a reprint replaces it, atomically); in the
 * shared-server mode (base/groupmode.h) beside the clerk's own default
 * database path instead, owner-only, never in the shared directory.  Sending goes
 * through `lp` (cups-client): to the named printer, or to the default
 * destination when `lpstat -d` names one; with no printer the file is only
 * kept, which is not an error. */
#ifndef TD_PRINT_SPOOL_H
#define TD_PRINT_SPOOL_H

#include "printdoc.h"

#include <stdbool.h>

typedef struct td_print_result {
    char path[4096];       /* the saved PDF beside the case */
    char printer[128];     /* where it was sent, "" when not sent */
    bool sent;
} td_print_result;

/* The file a document of this kind for this case is kept in (directories
 * created, mode 0700).  TD_EIO when they cannot be made; TD_EINVALID for an
 * in-memory database. */
td_status td_print_path(td_db *db, const char *case_no, const char *kind, const char ext[], char *out, size_t len,
                        td_err *err);

/* The default CUPS destination into out ("" when none, no CUPS or no
 * lpstat).  Never fails. */
void td_print_default_printer(char *out, size_t len);

/* Sends file to printer (NULL or "": the default destination) with lp;
 * lp's own output is discarded.  res->sent / res->printer tell what
 * happened.  TD_EIO when lp ran and refused (its exit status). */
td_status td_print_send(const char *file, const char *printer, td_print_result *res, td_err *err);

/* Builds kind for case_key, writes the PDF beside the case (and to
 * extra_pdf when not NULL), sends it to printer / the default printer
 * unless no_send, and fills *res.  Errors as the parts.  Internal to the
 * core: front ends call td_print_case_as. */
td_status td_print_case(td_db *db, const char *kind, const char *case_key, const char *extra_pdf,
                        const char *printer, bool no_send, td_print_result *res, td_err *err);

/* td_print_case for the signed-in user a: the read is checked first as
 * td_print_build_as (TD_EDENIED, audited; nothing written or sent). */
td_status td_print_case_as(td_db *db, const td_actor *a, const char *kind, const char *case_key,
                           const char *extra_pdf, const char *printer, bool no_send, td_print_result *res,
                           td_err *err);

#endif
