-- 009_queues.sql — indexes that match each work queue's filter and order
-- (src/workflow/wf_qlist.h), so that a page costs one index seek whatever
-- a clerk's history: closed cases are not in the open-case indexes.

-- The queues' filters as index expressions (not generated columns: SQLite's
-- session extension, the sync test oracle, refuses tables that have them),
-- so that each queue index holds its whole filter: a count or a page reads
-- the index alone for the filter, with no table lookup per row to test the
-- state.  Each expression is NULL outside its queue, and its index is partial
-- on IS NOT NULL, so closed cases are not in the open-case indexes at all.
-- src/search/qlist.c writes the very same expressions (QX_* there).
-- 我的案件: open cases a clerk took in, and open cases assigned to them that
-- someone else took in (the two never overlap, so no OR and no de-duplication).
CREATE INDEX cases_q_mine_intake ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN intake_by END), updated_at) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN intake_by END) IS NOT NULL;
CREATE INDEX cases_q_mine_assignee ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND assignee_id IS NOT intake_by THEN assignee_id END), updated_at) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND assignee_id IS NOT intake_by THEN assignee_id END) IS NOT NULL;
-- 超期: open cases by deadline.
CREATE INDEX cases_q_overdue ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN due_date END)) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN due_date END) IS NOT NULL;
-- Each state's queue (and 联审 within approval).
CREATE INDEX cases_q_state ON cases((CASE WHEN deleted_at IS NULL THEN state END), updated_at) WHERE (CASE WHEN deleted_at IS NULL THEN state END) IS NOT NULL;
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

-- Names in pinyin order (ICU "zh" collation) where lists sort by name: the
-- collation sort key of each person's name, kept on write beside the folded
-- key, so that a list sorted by name pages through an index at a million
-- persons.  Local, never synchronised.
CREATE TABLE local_person_sort (
    person_id TEXT NOT NULL PRIMARY KEY REFERENCES persons(id),
    sort_key BLOB NOT NULL                   -- ucol_getSortKey(zh, name)
) WITHOUT ROWID;
CREATE INDEX local_person_sort_key ON local_person_sort(sort_key, person_id);
