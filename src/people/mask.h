/* mask.h — masking personal contact data by default (issue 10 item 5).
 *
 * Full identity numbers are masked by td_id_mask (idcheck.h) and shown only
 * through the audited view-id.  Mobile numbers are masked for every role
 * that has no need to call the talent: window clerks, service specialists
 * and administrators see them; reviewers, approvers, signers and station
 * operators see "138****8000".
 */
#ifndef TD_MASK_H
#define TD_MASK_H

#include "base/actor.h"

#include <stdbool.h>
#include <stddef.h>

/* True when a may see full mobile numbers. */
bool td_may_see_phone(const td_actor *a);

/* Writes phone with all but its first 3 and last 4 digits as '*' (shorter
 * numbers: all but the last 2) into out; "" stays "". */
void td_phone_mask(const char *phone, char *out, size_t len);

#endif
