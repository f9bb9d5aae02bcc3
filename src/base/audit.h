/* audit.h — the append-only, hash-chained audit log.
 *
 * Every action that changes a case, a person or policy appends a row: who,
 * when, station, case, action, entity, field, old → new, reason.  Each station
 * keeps its own chain: seq 1, 2, 3 … and
 *   hash = hex(SHA-256(prev_hash "\n" canonical-row))
 * where the first row's prev_hash is 64 zeros and canonical-row joins the
 * fields with "\x1f" (see audit.c).  Editing, inserting or removing a row
 * breaks the chain, and td_audit_verify names the first broken row.
 */
#ifndef TD_AUDIT_H
#define TD_AUDIT_H

#include "actor.h"
#include "db.h"
#include "err.h"

/* Appends one row.  Must be called inside the caller's write transaction so
 * that the action and its audit row commit or fail together.  Any string may
 * be NULL.  Returns TD_OK or TD_EDB. */
td_status td_audit(td_db *db, const td_actor *by, const char *case_id, const char *action,
                   const char *entity, const char *entity_id, const char *field,
                   const char *old_value, const char *new_value, const char *reason, td_err *err);

typedef struct td_audit_report {
    long rows;               /* rows checked */
    int chains;              /* stations */
    char bad_id[64];         /* id of the first broken row, "" when intact */
    long bad_seq;
    char bad_station[12];
    char problem[256];       /* what is wrong with it (translated) */
} td_audit_report;

/* Recomputes every chain.  TD_OK with rep->bad_id empty when intact;
 * TD_ECONFLICT with rep filled (and err naming the row) when a row was
 * altered, inserted or removed. */
td_status td_audit_verify(td_db *db, td_audit_report *rep, td_err *err);

#endif
