-- 009_queues.sql — indexes that match each work queue's filter and order
-- (src/workflow/wf_qlist.h), so that a page costs one index seek whatever
-- a clerk's history: closed cases are not in the open-case indexes.
-- The partial-index condition is written exactly as the queue statements
-- write it (SQLite uses a partial index only when the query implies it).

-- 我的案件: cases a clerk took in, or is assigned, that are still open.
CREATE INDEX cases_q_intake_open ON cases(intake_by, updated_at)
    WHERE deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn');
CREATE INDEX cases_q_assignee_open ON cases(assignee_id, updated_at)
    WHERE deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn');
-- 超期: open cases by deadline.
CREATE INDEX cases_q_due_open ON cases(due_date)
    WHERE deleted_at IS NULL AND due_date IS NOT NULL AND state NOT IN ('closed','rejected','withdrawn');
-- 联审待签: pending sign-offs per case (the EXISTS probe of the queue).
CREATE INDEX signoffs_q_pending ON signoffs(case_id, department_id)
    WHERE status = 'pending' AND deleted_at IS NULL;

-- Traditional/simplified folding for matching (src/people/namefold.h): the
-- folded form of each name whose folding differs from the name, kept beside
-- the pinyin keys by td_search_refresh_pinyin.  Local, never synchronised;
-- the legal name itself is never rewritten.
CREATE TABLE local_person_fold (
    person_id TEXT NOT NULL PRIMARY KEY REFERENCES persons(id),
    name TEXT NOT NULL,                      -- the name it was computed from
    fold TEXT NOT NULL                       -- '陈大文' for 陳大文
) WITHOUT ROWID;
CREATE INDEX local_person_fold_fold ON local_person_fold(fold);
