/* pversion.h — one policy file's version in policy_versions (by content
 * hash), for loaders of files that have no table of their own
 * (data/notice.tdp, data/countries.tdp): record, and read back the version
 * in force. */
#ifndef TD_PVERSION_H
#define TD_PVERSION_H

#include "base/db.h"
#include "base/err.h"
#include "base/uuid.h"
#include "policyfile.h"

/* Records pf (its name, SHA-256 and whole content) as a version of `kind`
 * ("notice", "countries"): the existing row of the same kind, name and hash
 * is made current again (updated_at = now, row_version + 1) unless it
 * already is; otherwise a new row, audited "policy.load" when the database
 * belongs to a station.  The caller holds the write transaction.  id
 * (may be NULL) receives the row's id.  TD_EDB on a database error. */
td_status td_pversion_put(td_db *db, const char *kind, const td_pf *pf, const char *user_id, const char *now,
                          char id[TD_UUID_LEN], td_err *err);

/* The content of the version of `kind` in force (latest updated_at), parsed:
 * *out owns it (td_pf_free).  TD_ENOTFOUND when none was ever loaded (or the
 * database has no policy_versions table yet); TD_EPOLICY if the stored text
 * does not parse; TD_EDB otherwise. */
td_status td_pversion_current(td_db *db, const char *kind, td_pf **out, td_err *err);

#endif
