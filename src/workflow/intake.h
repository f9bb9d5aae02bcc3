/* intake.h — taking in a new case (受理登记).  The case record itself and
 * its reads are cases/case.h; this is the workflow's first step, because a
 * new case starts under the workflow version in force. */
#ifndef TD_INTAKE_H
#define TD_INTAKE_H

#include "cases/case.h"

typedef struct td_case_new_args {
    const char *person_id;       /* id, identity number or phone of an existing person */
    const char *case_type;       /* "recognition" (default) or "service" */
    const char *channel;         /* default "window" (or "overseas" at an overseas station) */
    const char *services[TD_MAX_SERVICES]; /* service codes or names, NULL-terminated */
    const char *specialist;      /* username of the 人才服务专员, or NULL */
    const char *initial_state;   /* NULL = the workflow's initial state ("intake") */
} td_case_new_args;

/* Takes in a new case (clerk or station operator): checks the person and the
 * services exist, issues the case number "<STATION>-<YEAR>-<NNNNNN>" from the
 * station's own counter (so offline stations never collide), creates one
 * service request per service and one checklist row per required document
 * (status 'missing'), and audits it.  Manages its own transaction.  Fills
 * *out. */
td_status td_case_new(td_db *db, const td_actor *by, const td_case_new_args *a, td_case *out,
                      td_err *err);

#endif
