/* reconcile.h — do the domain tables say what the audit log says?
 *
 * An attacker with sqlite3 can change cases.state or a person's fields
 * without writing an audit row; the chain (base/audit.h) then still
 * verifies.  td_reconcile compares the tables with the log:
 *  - every case's state is the new_value of its latest audited state change
 *    (case.new / case.transition), and its person_id that of its latest
 *    case.person row when there is one;
 *  - every person has an audit row of its creation (person.add or
 *    person.import); each field ever audited (person.add, person.import,
 *    person.update; merged_into from person.merge / person.unmerge) holds
 *    the latest audited value; and row_version has not moved further than
 *    the audited changes allow (at most one step per audited update, merge or
 *    unmerge; at least one when there was any).
 * For `talentdesk audit reconcile` and the integrity check of `talentdesk
 * check`.  Read only; run it after td_audit_verify.
 */
#ifndef TD_RECONCILE_H
#define TD_RECONCILE_H

#include "base/db.h"
#include "base/err.h"

typedef struct td_reconcile_report {
    long cases;          /* cases checked */
    long persons;        /* persons checked */
    char entity[16];     /* "cases" or "persons" of the first mismatch, "" when none */
    char key[64];        /* its case number or person id */
    char problem[256];   /* what does not match (translated) */
} td_reconcile_report;

/* TD_OK with rep->entity empty when everything matches; TD_ECONFLICT with
 * rep filled and err naming the first mismatch; TD_EDB on a read error. */
td_status td_reconcile(td_db *db, td_reconcile_report *rep, td_err *err);

#endif
