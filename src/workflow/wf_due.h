/* wf_due.h — due dates after a new holiday calendar is loaded.
 *
 * A due date counted into a year without an official calendar is counted
 * Monday to Friday and stored as approximate (service_requests.due_approx,
 * cases.due_approx, notices.deadline_approx).  When a calendar is loaded,
 * every open task, open case and the latest notice of every open case is
 * counted again from the day its count started (the task's scheduling, the
 * case's entry into its state, the notice's issue) with the same number of
 * working days it had under the old calendar, so dates move as the new
 * holidays and worked weekends say.
 */
#ifndef TD_WF_DUE_H
#define TD_WF_DUE_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "policy/calendar.h"

typedef struct td_due_report {
    long examined;   /* open tasks, cases and notices looked at (those due on or after the first changed day) */
    long changed;    /* whose date or approximate mark changed */
    long tasks, cases, notices; /* of which, by kind */
} td_due_report;

/* Recounts every open due date from old_cal to new_cal inside one write
 * transaction of its own (the caller must not hold one; inside
 * td_db_begin_outer it is a savepoint) — only the dates on or after the first
 * day the two calendars count differently, since no other can move; with
 * identical calendars nothing is read or written.  Writes an audit
 * row "due.recompute" for each change (actor `by`: old and new date, reason
 * "calendar").  Returns TD_OK with rep filled, or TD_EDB (nothing changed). */
td_status td_due_recompute(td_db *db, const td_actor *by, const td_calendar *old_cal, const td_calendar *new_cal,
                           td_due_report *rep, td_err *err);

#endif
