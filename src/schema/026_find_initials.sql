-- 026_find_initials.sql — find-in-list by pinyin initials or by the start
-- of a name reads only the cases of persons with those initials or that
-- start, in queue order (issue 16 item 4).
-- Idempotent (IF NOT EXISTS, INSERT OR REPLACE): migrations are counted by
-- file, and branches merge theirs in any order.
--
-- A find of "yjj" (袁佳杰, 杨金娟 …) means about 7 persons at 10,000 cases
-- and 700 at 1M: gathering them and probing each one's cases in the queue
-- cost 0.1 ms and 1-3 ms; 林鹏 (林鹏, 林鹏飞 …) means 1 and 100.  This local
-- table holds, for every live case, its person's pinyin initials and name
-- beside the queue's sort keys, so that the find walks the index
-- (initials, sort key), or (the name's first one or two characters, sort
-- key), from the anchor and tests each case
-- against the queue's filter: about 1 / (the queue's share of all cases)
-- rows to a hit, never more than the persons the text means — the same at
-- every size of table.
--
-- Kept by triggers in the writing transaction: a case's row follows its
-- person, sort keys and state; a person's initials (local_person_pinyin,
-- brought up to date by td_search_refresh_pinyin before every find) follow
-- into the rows of their cases.  Local: never synchronised (local_%), and
-- rebuilt from cases by the same statement as below when a restore might
-- have renumbered case rowids (src/setup/backup.c).

CREATE TABLE IF NOT EXISTS local_case_find (
    case_rowid INTEGER PRIMARY KEY,  -- cases.rowid
    initials TEXT NOT NULL,          -- the person's pinyin initials, '' when not yet keyed
    updated_at TEXT NOT NULL,        -- cases.updated_at (every queue's key but the overdue one)
    due_open TEXT,                   -- the overdue queue's key: due_date of an open case
    name TEXT NOT NULL DEFAULT ''    -- the person's name (persons.name)
);
INSERT OR REPLACE INTO local_case_find(case_rowid, initials, updated_at, due_open, name)
SELECT c.rowid, COALESCE((SELECT y.initials FROM local_person_pinyin y WHERE y.person_id = c.person_id), ''),
       c.updated_at, CASE WHEN c.state NOT IN ('closed','rejected','withdrawn') THEN c.due_date END,
       COALESCE((SELECT p.name FROM persons p WHERE p.id = c.person_id), '')
FROM cases c WHERE c.deleted_at IS NULL;

-- the indexes after the backfill: built from sorted rows, not row by row
CREATE INDEX IF NOT EXISTS local_case_find_initials ON local_case_find(initials, updated_at);
CREATE INDEX IF NOT EXISTS local_case_find_initials_due ON local_case_find(initials, due_open)
    WHERE due_open IS NOT NULL;
CREATE INDEX IF NOT EXISTS local_case_find_name2 ON local_case_find(substr(name, 1, 2), updated_at);
CREATE INDEX IF NOT EXISTS local_case_find_name1 ON local_case_find(substr(name, 1, 1), updated_at);


CREATE TRIGGER IF NOT EXISTS local_case_find_ins AFTER INSERT ON cases WHEN NEW.deleted_at IS NULL BEGIN
    INSERT OR REPLACE INTO local_case_find(case_rowid, initials, updated_at, due_open, name) VALUES(NEW.rowid,
        COALESCE((SELECT y.initials FROM local_person_pinyin y WHERE y.person_id = NEW.person_id), ''),
        NEW.updated_at, CASE WHEN NEW.state NOT IN ('closed','rejected','withdrawn') THEN NEW.due_date END,
        COALESCE((SELECT p.name FROM persons p WHERE p.id = NEW.person_id), ''));
END;

CREATE TRIGGER IF NOT EXISTS local_case_find_upd
AFTER UPDATE OF person_id, updated_at, due_date, state, deleted_at ON cases BEGIN
    DELETE FROM local_case_find WHERE case_rowid = NEW.rowid AND NEW.deleted_at IS NOT NULL;
    INSERT OR REPLACE INTO local_case_find(case_rowid, initials, updated_at, due_open, name)
    SELECT NEW.rowid, COALESCE((SELECT y.initials FROM local_person_pinyin y WHERE y.person_id = NEW.person_id), ''),
           NEW.updated_at, CASE WHEN NEW.state NOT IN ('closed','rejected','withdrawn') THEN NEW.due_date END,
           COALESCE((SELECT p.name FROM persons p WHERE p.id = NEW.person_id), '')
    WHERE NEW.deleted_at IS NULL;
END;

-- A person keyed or re-keyed (INSERT OR REPLACE: the insert fires).
CREATE TRIGGER IF NOT EXISTS local_case_find_key_ins AFTER INSERT ON local_person_pinyin BEGIN
    UPDATE local_case_find SET initials = NEW.initials
    WHERE case_rowid IN (SELECT c.rowid FROM cases c INDEXED BY cases_person WHERE c.person_id = NEW.person_id)
      AND initials IS NOT NEW.initials;
END;

CREATE TRIGGER IF NOT EXISTS local_case_find_key_upd AFTER UPDATE OF initials, person_id ON local_person_pinyin BEGIN
    UPDATE local_case_find SET initials = ''
    WHERE OLD.person_id IS NOT NEW.person_id
      AND case_rowid IN (SELECT c.rowid FROM cases c INDEXED BY cases_person WHERE c.person_id = OLD.person_id);
    UPDATE local_case_find SET initials = NEW.initials
    WHERE case_rowid IN (SELECT c.rowid FROM cases c INDEXED BY cases_person WHERE c.person_id = NEW.person_id)
      AND initials IS NOT NEW.initials;
END;

CREATE TRIGGER IF NOT EXISTS local_case_find_key_del AFTER DELETE ON local_person_pinyin BEGIN
    UPDATE local_case_find SET initials = ''
    WHERE case_rowid IN (SELECT c.rowid FROM cases c INDEXED BY cases_person WHERE c.person_id = OLD.person_id);
END;

-- A person's name follows into the rows of their cases (a rename by any
-- write path, sync apply included; a person written after their cases).
CREATE TRIGGER IF NOT EXISTS local_case_find_name_upd AFTER UPDATE OF name ON persons BEGIN
    UPDATE local_case_find SET name = NEW.name
    WHERE case_rowid IN (SELECT c.rowid FROM cases c INDEXED BY cases_person WHERE c.person_id = NEW.id)
      AND name IS NOT NEW.name;
END;

CREATE TRIGGER IF NOT EXISTS local_case_find_name_ins AFTER INSERT ON persons BEGIN
    UPDATE local_case_find SET name = NEW.name
    WHERE case_rowid IN (SELECT c.rowid FROM cases c INDEXED BY cases_person WHERE c.person_id = NEW.id)
      AND name IS NOT NEW.name;
END;
