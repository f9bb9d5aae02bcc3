/* policyfile.h — the one reader of policy files under data/ (*.tdp).
 *
 * Format (documented for administrators in data/README.md):
 *   # comment line                      (only at the start of a line)
 *   [type id]                           a section: a type word and an id
 *   key = value                         value runs to the end of the line, trimmed
 *   key = value                         a key may repeat (bands, documents, …)
 * Files are UTF-8 (a BOM is skipped); lines may be any length.  Every section
 * and entry keeps its line number so that loaders can report
 * "data/services.tdp:42: …" for semantic errors too.
 *
 * This reader is hand-written (about 200 lines) because the INI library in
 * Debian (inih) cuts lines at 200 bytes and does not report line numbers to
 * its callback.
 */
#ifndef TD_POLICYFILE_H
#define TD_POLICYFILE_H

#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct td_pf_entry {
    char *key;
    char *value;
    int line;
} td_pf_entry;

typedef struct td_pf_section {
    char *type;          /* first word inside [ ] */
    char *id;            /* the rest, trimmed ("" when absent) */
    int line;
    td_pf_entry *entries;
    size_t n;
} td_pf_section;

typedef struct td_pf {
    char *path;          /* as given */
    char *name;          /* base name, e.g. "services.tdp" */
    char *content;       /* the whole file, NUL-terminated */
    char sha256[65];     /* hex of the file's bytes */
    td_pf_section *secs;
    size_t n;
} td_pf;

/* Reads and parses path.  On success *out owns the result (free with
 * td_pf_free).  Syntax errors (entry before any section, line without '=',
 * empty key, malformed section header, invalid UTF-8, control characters)
 * give TD_EPOLICY with "FILE:LINE: problem"; a missing file gives TD_ENOTFOUND,
 * an unreadable one TD_EIO. */
td_status td_pf_load(const char *path, td_pf **out, td_err *err);

/* Parses text already in memory; `name` is used in messages. */
td_status td_pf_parse(const char *name, const char *text, size_t len, td_pf **out, td_err *err);

void td_pf_free(td_pf *pf);

/* First value of key in sec, or NULL. */
const char *td_pf_get(const td_pf_section *sec, const char *key);

/* The entry of the first occurrence of key (for its line), or NULL. */
const td_pf_entry *td_pf_find(const td_pf_section *sec, const char *key);

/* Formats a semantic error at a line: TD_EPOLICY, "name:line: message". */
td_status td_pf_error(const td_pf *pf, int line, td_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports an entry whose key is not in the NULL-terminated list `known`
 * ("unknown key"), so that typos in policy files are caught.  TD_OK when all
 * keys are known. */
td_status td_pf_check_keys(const td_pf *pf, const td_pf_section *sec, const char *const *known,
                           td_err *err);

#endif
