-- 019_find_keys.sql — search keys follow a rename, and find-in-list reads
-- candidates from covering indexes.

-- A person renamed by any write path (the person form, the CLI, a merge, a
-- sync bundle applied field by field, a conflict resolved) is queued here
-- and loses its pinyin keys at once, so that neither the search nor
-- find-in-list matches the old name's pinyin; td_search_refresh_pinyin
-- (src/search/search.c) computes the new name's keys (pinyin, folded name,
-- sort key) and empties the queue.  Local, never synchronised.
CREATE TABLE local_person_rekey (
    person_id TEXT NOT NULL PRIMARY KEY REFERENCES persons(id)
) WITHOUT ROWID;
CREATE TRIGGER persons_rename_rekey AFTER UPDATE OF name ON persons
WHEN old.name IS NOT new.name
BEGIN
    INSERT OR IGNORE INTO local_person_rekey(person_id) VALUES (new.id);
    DELETE FROM local_person_pinyin WHERE person_id = new.id;
END;

-- Persons renamed before this migration: their keys are recomputed too.
INSERT OR IGNORE INTO local_person_rekey(person_id)
    SELECT k.person_id FROM local_person_pinyin k JOIN persons p ON p.id = k.person_id WHERE p.name IS NOT k.name;
INSERT OR IGNORE INTO local_person_rekey(person_id)
    SELECT k.person_id FROM local_person_fold k JOIN persons p ON p.id = k.person_id WHERE p.name IS NOT k.name;
DELETE FROM local_person_pinyin WHERE person_id IN (SELECT person_id FROM local_person_rekey);

-- Find-in-list (src/search/qlist.c) gathers the persons a text can mean as a
-- set of ids: by name from this index alone, with no person row read per
-- candidate (persons_name holds the rowid, not the id).
CREATE INDEX persons_name_id ON persons(name, id);

-- Find-in-list's membership walk (src/search/qlist.c, find_members): each
-- queue arm's own filter and order with the case's person after the key, so
-- that the walk tests each row's person against the candidates from the
-- index alone, never reading the case rows (which lie far apart in a large
-- table).  The expressions are the QX_* of qlist.c and of 009/018, exactly;
-- 全部案件 walks cases_updated (its rows lie in order in the table).
CREATE INDEX cases_q_mine_intake_p ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN intake_by END), updated_at, person_id) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN intake_by END) IS NOT NULL;
CREATE INDEX cases_q_mine_assignee_p ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND assignee_id IS NOT intake_by THEN assignee_id END), updated_at, person_id) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND assignee_id IS NOT intake_by THEN assignee_id END) IS NOT NULL;
CREATE INDEX cases_q_mine_specialist_p ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND specialist_id IS NOT intake_by AND specialist_id IS NOT assignee_id THEN specialist_id END), updated_at, person_id) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND specialist_id IS NOT intake_by AND specialist_id IS NOT assignee_id THEN specialist_id END) IS NOT NULL;
CREATE INDEX cases_q_overdue_p ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN due_date END), person_id) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN due_date END) IS NOT NULL;
CREATE INDEX cases_q_state_p ON cases((CASE WHEN deleted_at IS NULL THEN state END), updated_at, person_id) WHERE (CASE WHEN deleted_at IS NULL THEN state END) IS NOT NULL;
CREATE INDEX cases_q_signoff_p ON cases((CASE WHEN deleted_at IS NULL THEN state END), updated_at, id, person_id) WHERE (CASE WHEN deleted_at IS NULL THEN state END) = 'approval';

-- Find-in-list's probe (find_sql): each arm's filter with the person next,
-- then the sort key, so that the cases of each candidate in the queue are
-- one seek in a small index (the open cases only, for the open queues), with
-- no read of cases_person or of the case rows.  The overdue queue's key is
-- a range, so its person comes first.
CREATE INDEX cases_q_mine_intake_person ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN intake_by END), person_id, updated_at) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN intake_by END) IS NOT NULL;
CREATE INDEX cases_q_mine_assignee_person ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND assignee_id IS NOT intake_by THEN assignee_id END), person_id, updated_at) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND assignee_id IS NOT intake_by THEN assignee_id END) IS NOT NULL;
CREATE INDEX cases_q_mine_specialist_person ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND specialist_id IS NOT intake_by AND specialist_id IS NOT assignee_id THEN specialist_id END), person_id, updated_at) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND specialist_id IS NOT intake_by AND specialist_id IS NOT assignee_id THEN specialist_id END) IS NOT NULL;
CREATE INDEX cases_q_overdue_person ON cases(person_id, (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN due_date END)) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') THEN due_date END) IS NOT NULL;
CREATE INDEX cases_q_state_person ON cases((CASE WHEN deleted_at IS NULL THEN state END), person_id, updated_at) WHERE (CASE WHEN deleted_at IS NULL THEN state END) IS NOT NULL;
CREATE INDEX cases_q_signoff_person ON cases((CASE WHEN deleted_at IS NULL THEN state END), person_id, updated_at, id) WHERE (CASE WHEN deleted_at IS NULL THEN state END) = 'approval';
CREATE INDEX cases_person_live ON cases(person_id, updated_at) WHERE deleted_at IS NULL;
