-- 004_io.sql — data in and out: imports, duplicate candidates, person merges,
-- and the indexes search needs.

-- A merged person points at the person kept (and is soft-deleted); unmerging
-- clears both.  NULL for every live person.
ALTER TABLE persons ADD COLUMN merged_into TEXT REFERENCES persons(id);

-- Search by identity number without its type, and intake checks by name and
-- birth date, go through indexes (never a scan).
CREATE INDEX persons_id_no ON persons(id_no);
CREATE INDEX persons_name_birth ON persons(name, birth_date);

-- One row per import run (also dry runs): what came in, from which file.
CREATE TABLE imports (
    id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'persons',
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,                  -- of the file's bytes
    encoding TEXT NOT NULL,
    rows_total INTEGER NOT NULL DEFAULT 0,
    added INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,    -- already present, identical
    rejected INTEGER NOT NULL DEFAULT 0,
    probable_dupes INTEGER NOT NULL DEFAULT 0,
    dry_run INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0,1)),
    by_user TEXT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);

-- Possible duplicates found at intake, at import or by a scan (数据清洗比对).
-- person_a < person_b so a pair is stored once.
CREATE TABLE dupe_candidates (
    id TEXT NOT NULL PRIMARY KEY,
    person_a TEXT NOT NULL REFERENCES persons(id),
    person_b TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL CHECK (kind IN ('exact','name_birth','name_phone')),
    source TEXT NOT NULL CHECK (source IN ('intake','import','scan')),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','merged','dismissed')),
    decided_by TEXT REFERENCES users(id),
    decided_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT,
    CHECK (person_a < person_b)
);
CREATE UNIQUE INDEX dupe_candidates_pair ON dupe_candidates(person_a, person_b) WHERE deleted_at IS NULL;
CREATE INDEX dupe_candidates_status ON dupe_candidates(status, created_at);

-- A merge decided by a clerk or admin: merged_id folded into kept_id.  The
-- cases moved are listed so that an unmerge restores them exactly.
CREATE TABLE person_merges (
    id TEXT NOT NULL PRIMARY KEY,
    kept_id TEXT NOT NULL REFERENCES persons(id),
    merged_id TEXT NOT NULL REFERENCES persons(id),
    candidate_id TEXT REFERENCES dupe_candidates(id),
    moved_cases TEXT NOT NULL DEFAULT '[]',  -- JSON array of case ids
    reason TEXT NOT NULL DEFAULT '',
    merged_by TEXT REFERENCES users(id),
    reversed_at TEXT,
    reversed_by TEXT REFERENCES users(id),
    reverse_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX person_merges_merged ON person_merges(merged_id);
CREATE INDEX person_merges_kept ON person_merges(kept_id);

CREATE TRIGGER imports_no_delete BEFORE DELETE ON imports BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER dupe_candidates_no_delete BEFORE DELETE ON dupe_candidates BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER person_merges_no_delete BEFORE DELETE ON person_merges BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;

-- local: pinyin search keys derived from persons.name by ICU's Han-Latin/Names
-- transliterator (surname readings: 曾 zeng, 单 shan, 解 xie, 仇 qiu), filled
-- incrementally by src/search.c (settings.pinyin_rowid is the watermark).
-- Never synchronised; a row whose name no longer matches the person's is ignored.
CREATE TABLE local_person_pinyin (
    person_id TEXT NOT NULL PRIMARY KEY REFERENCES persons(id),
    name TEXT NOT NULL,
    initials TEXT NOT NULL,                  -- 'zs' for 张三
    full TEXT NOT NULL                       -- 'zhangsan'
) WITHOUT ROWID;
CREATE INDEX local_person_pinyin_initials ON local_person_pinyin(initials);
CREATE INDEX local_person_pinyin_full ON local_person_pinyin(full);
