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

/* Plans the recount of every open due date from old_cal to new_cal, inside
 * the caller's write transaction (TD_ERR when there is none) — the one that
 * commits the new calendar, so that the plan and the calendar commit or fail
 * together.  Only the dates on or after the first day the two calendars
 * count differently are read, since no other can move; with identical
 * calendars nothing is read or written.  Each date that moves becomes one row
 * of local_due_pending (its old and new date, the actor `by`); nothing else
 * is written yet.  rep counts what was examined and what will move.
 * Returns TD_OK, or TD_EDB (the caller rolls back). */
td_status td_due_plan(td_db *db, const td_actor *by, const td_calendar *old_cal, const td_calendar *new_cal,
                      td_due_report *rep, td_err *err);

/* Writes the planned moves (td_due_plan), oldest first, in transactions of
 * a few dozen rows each (the caller must not hold one; inside
 * td_db_begin_outer they are savepoints): each move updates the row — unless
 * its date is no longer the one planned from (a clerk changed it since,
 * under the new calendar), then it is left — writes an audit row
 * "due.recompute" (actor: who loaded the calendar; old and new date, "~"
 * marking an approximate one, reason "calendar"), and deletes its plan row,
 * all in the same transaction, so that a kill at any point loses no move and
 * writes none twice: the next call goes on from where it stopped.  Other
 * writers get the lock between batches.  *applied (may be NULL) counts the
 * rows moved by this call.  TD_OK when none remains (also on a read-only
 * database: nothing is done); on error the batch in hand is rolled back,
 * those before it stay, and err says why. */
td_status td_due_resume(td_db *db, long *applied, td_err *err);

/* How many planned moves are still to be written (0 on a database from
 * before migration 020).  TD_OK or TD_EDB. */
td_status td_due_pending(td_db *db, long *n, td_err *err);

/* Rows per transaction of td_due_resume. */
#define TD_DUE_BATCH 20

/* For tests: the batch size (<= 0: TD_DUE_BATCH) and a function called after
 * each committed batch (NULL: none), numbered from 1. */
void td_due_set_batch(int rows, void (*after_batch)(long batch));

#endif
