/* mask.h — personal data masked by default (issue 10 item 5): the one rule
 * every screen, CLI output, JSON document, export and print follows.
 *
 * Three kinds of value are masked: full identity numbers, mobile numbers
 * and salaries.  td_pii_view gives the value as the signed-in user may see
 * it by default — in full only for a role with a need:
 *   identity numbers: no role (shown through the audited unmask only);
 *   mobile numbers:   window clerks, service specialists, administrators;
 *   salaries:         reviewers, approvers, administrators (they score).
 * Anyone may unmask one value by stating a purpose; that read is audited
 * ('person.view_id', 'person.view_phone', 'person.view_salary') by
 * td_unmask (workflow/wf_audit.h) — the TUI's F3, `audit view-id`, and
 * `export --purpose` all go through it.
 */
#ifndef TD_MASK_H
#define TD_MASK_H

#include "base/actor.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum td_pii {
    TD_PII_ID = 0,   /* identity document number */
    TD_PII_PHONE,    /* mobile number */
    TD_PII_SALARY,   /* salary (the annual_salary fact) */
    TD_PII_COUNT
} td_pii;

/* True when a may see values of kind in full by default. */
bool td_may_see(const td_actor *a, td_pii kind);

/* True when a may see full mobile numbers (td_may_see(a, TD_PII_PHONE)). */
bool td_may_see_phone(const td_actor *a);

/* Writes value masked into out (always masked, whoever asks):
 *   ID     — as td_id_mask (first 3 and last 4 kept: "110***********002X");
 *   PHONE  — all but the first 3 and last 4 digits as '*' ("138****8000";
 *            shorter numbers all but the last 2);
 *   SALARY — "******" (nothing of the amount kept).
 * "" stays "". */
void td_pii_mask(td_pii kind, const char *value, char *out, size_t len);

/* The value as a may see it: value itself when td_may_see(a, kind), else
 * its mask written into buf (then buf is returned).  value NULL → "". */
const char *td_pii_view(const td_actor *a, td_pii kind, const char *value, char *buf, size_t len);

/* td_pii_mask(TD_PII_PHONE, …). */
void td_phone_mask(const char *phone, char *out, size_t len);

/* True when the fact `name` holds a salary (annual_salary). */
bool td_fact_is_salary(const char *name);

/* A text that may quote a salary fact as "annual_salary=600000" (score
 * ledger inputs, catalogue reasons, ledger JSON) as a may see it: a copy of
 * s (malloc'd, caller frees; never NULL, aborts on OOM) in which, unless
 * td_may_see(a, TD_PII_SALARY), every amount after "annual_salary=" is
 * "******" (td_pii_mask). */
char *td_salary_mask_text(const td_actor *a, const char *s);

/* td_salary_mask_text into the fixed buffer s of len bytes (truncated to
 * fit, always terminated). */
void td_salary_mask_buf(const td_actor *a, char *s, size_t len);

#endif
