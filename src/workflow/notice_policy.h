/* notice_policy.h — loading data/notice.tdp (the 一次性告知书 rules) as a
 * versioned policy file: `policy check` and `policy load` validate it with
 * file:line errors, and the version loaded is the one notices follow. */
#ifndef TD_NOTICE_POLICY_H
#define TD_NOTICE_POLICY_H

#include "base/db.h"
#include "base/err.h"

/* Validates DIR/notice.tdp — sections [notice] (exactly one: office_days,
 * supply_days 1–365, contact), [office STATION] contact, [produces
 * recognition|service] doc = a live document type, [holder IDTYPE]
 * identity_is = a live document type; unknown sections or keys, keys given
 * twice — TD_EPOLICY "notice.tdp:LINE: …", nothing written.  Then records
 * the file in policy_versions (kind "notice"; unchanged content changes
 * nothing; a new version audited on a station), in its own transaction (the
 * caller must not hold one).  A missing file is not an error (the built-in
 * defaults apply).  Document types are checked against the doc_types table,
 * so load reference data first. */
td_status td_notice_policy_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err);

#endif
