-- 020_due_recount.sql — the due dates a new holiday calendar moves, still to
-- be written (src/workflow/wf_due.h).  `policy load` plans the recount in the
-- transaction that commits the new calendar: one row per open task, case or
-- notice whose date moves, with the date it had and the date it gets.  The
-- moves are then written in short transactions, each deleting its rows here;
-- a kill leaves the rest, which the next write command or `policy load`
-- finishes, and `talentdesk check` reports while any remain.  Local: never
-- synchronised (the moves themselves are, as ordinary field edits).
CREATE TABLE local_due_pending (
    seq INTEGER PRIMARY KEY,                 -- the order of the one-transaction recount
    entity TEXT NOT NULL CHECK (entity IN ('cases','notices','service_requests')),
    row_id TEXT NOT NULL,
    case_id TEXT,
    old_due TEXT NOT NULL,                   -- the date (deadline) planned from
    old_approx INTEGER NOT NULL,
    new_due TEXT NOT NULL,
    new_approx INTEGER NOT NULL,
    user_id TEXT,                            -- who loaded the calendar (the audit rows' actor)
    planned_at TEXT NOT NULL
);
