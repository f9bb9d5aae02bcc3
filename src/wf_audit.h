/* wf_audit.h — audited reads: showing a full identity number is an action
 * that leaves a trace in the hash-chained audit log (audit.h). */
#ifndef TD_WF_AUDIT_H
#define TD_WF_AUDIT_H

#include "actor.h"
#include "db.h"
#include "err.h"
#include "idcheck.h"

/* Returns in id_no_out the full identity number of the person (id, identity
 * number or phone, as td_person_get) and appends an audit row
 * 'person.view_id' (who, when, station, the person, the case when given,
 * and the purpose) in its own transaction — the number is handed out only
 * when the audit row was written.  Any role may view; purpose is required
 * ("打印告知书", "核对身份" …).  case_id may be NULL. */
td_status td_audit_view_id(td_db *db, const td_actor *a, const char *person_key, const char *case_id,
                           const char *purpose, char id_no_out[TD_IDNO_LEN], td_err *err);

#endif
