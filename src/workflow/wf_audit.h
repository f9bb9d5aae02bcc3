/* wf_audit.h — audited reads: showing a full identity number is an action
 * that leaves a trace in the hash-chained audit log (audit.h). */
#ifndef TD_WF_AUDIT_H
#define TD_WF_AUDIT_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "people/idcheck.h"
#include "people/mask.h"

/* The one audited unmask (people/mask.h): returns in out (len bytes) the
 * full value of `kind` of the person (id, identity number or phone, as
 * td_person_get) — identity number, mobile, or newest annual_salary fact —
 * and appends an audit row 'person.view_id' / 'person.view_phone' /
 * 'person.view_salary' (who, when, station, the person, the case when
 * given, and the purpose) in its own transaction: the value is handed out
 * only when the audit row was written.  Any signed-in role may unmask
 * (auth/access.h TD_ACT_UNMASK), within its record scope (cases/scope.h:
 * TD_EDENIED, audited, otherwise); purpose is required (TD_EINVALID).
 * case_id may be NULL. */
td_status td_unmask(td_db *db, const td_actor *a, td_pii kind, const char *person_key, const char *case_id,
                    const char *purpose, char *out, size_t len, td_err *err);

/* td_unmask(TD_PII_ID, …): returns in id_no_out the full identity number of the person (id, identity
 * number or phone, as td_person_get) and appends an audit row
 * 'person.view_id' (who, when, station, the person, the case when given,
 * and the purpose) in its own transaction — the number is handed out only
 * when the audit row was written.  Any role may view; purpose is required
 * ("打印告知书", "核对身份" …).  case_id may be NULL. */
td_status td_audit_view_id(td_db *db, const td_actor *a, const char *person_key, const char *case_id,
                           const char *purpose, char id_no_out[TD_IDNO_LEN], td_err *err);

typedef struct td_audit_row {
    char id[40];
    long seq;
    char station_code[12];
    char at[32];
    char username[40];          /* "" for the system */
    char action[48];
    char entity[32];
    char entity_id[40];
    char field[48];
    char old_value[512];
    char new_value[512];
    char reason[512];
} td_audit_row;

/* Calls cb for every audit row of the case (id or case number), oldest
 * first (time, then each station's chain order), at most limit rows (0 = all) after row `after_id` (keyset, or NULL);
 * stops when cb returns non-zero.  Borrowed row.  Read only.  Values are as
 * stored: display code must sanitise them (text.h).
 * Internal to the core: front ends call the checked `_as` variant
 * (cases/scope.h, "checked reads"). */
td_status td_audit_case_each(td_db *db, const char *case_key, const char *after_id, int limit,
                             int (*cb)(const td_audit_row *r, void *ud), void *ud, td_err *err);

/* td_audit_case_each for the signed-in user a (role and record scope of the
 * case first: TD_EDENIED, audited). */
td_status td_audit_case_each_as(td_db *db, const td_actor *a, const char *case_key, const char *after_id,
                                int limit, int (*cb)(const td_audit_row *r, void *ud), void *ud, td_err *err);

/* A history line in words: *what* gets the event ("材料审核", "出具一次性
 * 告知书", …, or the action code when unknown) and *change* what changed,
 * with field names and coded values (states, document and task statuses)
 * as their labels: "状态：材料审核 → 待补正", "缺失 → 已收到".  Both
 * translated; values from the row are sanitised. */
void td_audit_describe(const td_audit_row *r, char *what, size_t wlen, char *change, size_t clen);

#endif
