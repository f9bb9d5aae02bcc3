/* calendar.h — Chinese working days: weekends, public holidays and the
 * weekend days worked in exchange (调休), from the calendar_days table that
 * data/calendar-YYYY.tdp fills.
 *
 * Convention for promised time limits: "N working days" from a start date is
 * the N-th working day strictly after the start date (the day of acceptance is
 * not counted), e.g. 5 working days from Fri 2026-02-13 is Fri 2026-02-27
 * (Sat 14 Feb is worked, 15–23 Feb are holidays).
 */
#ifndef TD_CALENDAR_H
#define TD_CALENDAR_H

#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"

#include <stdbool.h>

typedef struct td_calendar td_calendar;

/* Loads the calendar rows from db into memory (a few hundred rows).  The
 * result is owned by the caller (td_calendar_free).  Reload after a policy
 * load.  TD_EDB on a database error. */
td_status td_calendar_load(td_db *db, td_calendar **out, td_err *err);
void td_calendar_free(td_calendar *cal);

/* True when the year's official calendar is loaded (otherwise the plain
 * Monday–Friday rule is used and results are marked approximate). */
bool td_calendar_covers(const td_calendar *cal, int year);

/* True when d is a working day. */
bool td_calendar_is_workday(const td_calendar *cal, td_date d);

/* The n-th working day after start (n >= 0; n == 0 returns start itself).
 * *approx (may be NULL) is set true when any day counted lies in a year the
 * calendar does not cover. */
td_date td_calendar_add_workdays(const td_calendar *cal, td_date start, int n, bool *approx);

/* Working days in (a, b]: 0 when b <= a. */
int td_calendar_workdays_between(const td_calendar *cal, td_date a, td_date b);

/* Name of the holiday on d ("春节") or "" — borrowed from cal. */
const char *td_calendar_day_name(const td_calendar *cal, td_date d);

#endif
