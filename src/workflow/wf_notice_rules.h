/* wf_notice_rules.h — the 一次性告知书 rules of data/notice.tdp (internal to
 * src/workflow): the office's period to notify, the applicant's period to
 * supply, the office's contact, documents a case type produces itself, and
 * identity documents that are the checklist's "identity" for their holder. */
#ifndef TD_WF_NOTICE_RULES_H
#define TD_WF_NOTICE_RULES_H

#include "base/db.h"
#include "base/err.h"

#include <stdbool.h>

#define WF_NR_MAX 32

typedef struct wf_notice_rules {
    int office_days;              /* §32: 5 */
    int supply_days;              /* the applicant's period (before the longest-service rule) */
    char contact[256];
    int nproduces;
    char produces[WF_NR_MAX][2][48];   /* case type, doc type */
    int nholder;
    char holder[WF_NR_MAX][2][48];     /* id type, doc type */
} wf_notice_rules;

/* The notice rules in force for the station (its [office CODE] contact
 * wins): the version of notice.tdp loaded into db (policy_versions, kind
 * "notice"), or — when none was ever loaded, or db is NULL — the file under
 * the data directory.  No version and no file gives the defaults: both
 * periods = default_days, no contact, no exclusions.  TD_EPOLICY
 * "notice.tdp:LINE: …" on a bad file. */
td_status wf_notice_rules_load(td_db *db, wf_notice_rules *r, const char *station_code, int default_days,
                               td_err *err);

/* True when a case of case_type produces doc itself (never asked for). */
bool wf_notice_produced(const wf_notice_rules *r, const char *case_type, const char *doc);

/* The document that is the checklist's "identity" for a holder of id_type,
 * or NULL. */
const char *wf_notice_identity_is(const wf_notice_rules *r, const char *id_type);

#endif
