/* export.h — persons, cases and service requests out to Excel: CSV in UTF-8
 * with a BOM (Excel "CSV UTF-8") or GB18030 (what Chinese Excel reads as its
 * default "CSV"), or .xlsx through libxlsxwriter.  Column headers are Chinese
 * whatever the interface language, and the persons file uses exactly the
 * headers and value forms the importer reads (性别 男/女, 证件类型 by its
 * Chinese name, dates YYYY-MM-DD), so an export imports back unchanged.
 * GB18030 carries every character (𠮷 as 4 bytes), so nothing is lost.
 * Only the records in the user's scope are written (cases/scope.h).  Identity
 * numbers and mobiles are masked as the user sees them on screen
 * (people/mask.h) unless a purpose is given, which is audited;
 * timestamps in China time (UTC+8) as "YYYY-MM-DD HH:MM:SS".
 */
#ifndef TD_EXPORT_H
#define TD_EXPORT_H

#include "base/actor.h"
#include "base/db.h"
#include "decode.h"
#include "base/err.h"

#include <stdbool.h>

typedef enum td_export_what {
    TD_EXPORT_PERSONS = 0,
    TD_EXPORT_CASES,
    TD_EXPORT_SERVICES   /* service requests, one row per requested service */
} td_export_what;

/* Parses "persons", "cases", "services"; false otherwise. */
bool td_export_what_parse(const char *s, td_export_what *out);

typedef struct td_export_opts {
    td_enc encoding;     /* CSV only: TD_ENC_UTF8_BOM (default when UNKNOWN), TD_ENC_UTF8, TD_ENC_GB18030 */
    bool xlsx;           /* write .xlsx (also chosen when path ends in .xlsx) */
    const char *state;   /* cases/services: only cases in this state, or NULL */
    const char *purpose; /* non-empty: identity numbers and mobiles in full, this purpose audited */
} td_export_opts;

/* Writes every live row of `what` in by's record scope to path (replaced if
 * it exists), acting as `by` (auth/access.h TD_ACT_EXPORT; a refusal is
 * audited), audited as "export.<what>" with the row count, the file name and
 * "masked" or the purpose.  *rows
 * gets the number of data rows.  TD_EIO when the file cannot be written,
 * TD_EINVALID for an unusable encoding. */
td_status td_export(td_db *db, const td_actor *by, td_export_what what, const char *path,
                    const td_export_opts *opts, long *rows, td_err *err);

#endif
