-- 025_queue_walk.sql — find-in-list in 全部案件 walks index entries only.
-- Idempotent (IF NOT EXISTS): migrations are counted by file, and branches
-- merge theirs in any order.

-- 全部案件's membership walk (src/search/qlist.c, find_members): the queue's
-- order (live cases by updated_at) with the case's person after the key, as
-- schema 019 gives every other queue arm, so that the walk tests each row's
-- person against the candidates from the index alone instead of reading
-- each case row (cases_updated holds the key only).
CREATE INDEX IF NOT EXISTS cases_updated_p ON cases(updated_at, person_id) WHERE deleted_at IS NULL;
