-- 003_scoring.sql — talent recognition: raw facts, 人才服务码, granted rewards,
-- and extra columns of the score snapshots (see docs/scoring.md).

-- Raw, dated facts about a person (degree, employment period, salary, award …),
-- each claimed or verified.  Points are derived, never stored here.
CREATE TABLE facts (
    id TEXT NOT NULL PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    name TEXT NOT NULL,                      -- registry in src/facts.c
    value TEXT NOT NULL,
    fact_date TEXT,                          -- 'YYYY-MM-DD' it began to hold, or NULL
    status TEXT NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed','verified')),
    verified_by TEXT REFERENCES users(id),
    verified_at TEXT,
    evidence TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT,
    CHECK (status = 'claimed' OR (verified_by IS NOT NULL AND verified_at IS NOT NULL))
);
CREATE INDEX facts_person ON facts(person_id, name);
CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;

-- 人才服务码: one per approved recognition.  The code embeds the issuing
-- station's code, so offline stations never collide; UNIQUE guards the rest.
CREATE TABLE talent_codes (
    id TEXT NOT NULL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,               -- normalised, without separators
    case_id TEXT NOT NULL REFERENCES cases(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    tier_id TEXT NOT NULL,
    snapshot_id TEXT REFERENCES score_snapshots(id),
    station_id TEXT NOT NULL,
    issued_by TEXT REFERENCES users(id),
    revoked_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX talent_codes_case ON talent_codes(case_id);
CREATE TRIGGER talent_codes_no_delete BEFORE DELETE ON talent_codes BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;

-- Benefits actually granted (e.g. tech-transfer rewards), so that yearly caps
-- per unit count earlier grants.  Amounts in whole yuan.
CREATE TABLE benefit_grants (
    id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,                      -- 'tech_transfer_reward', …
    unit TEXT NOT NULL,                      -- the receiving unit (单位), as named
    person_id TEXT REFERENCES persons(id),
    case_id TEXT REFERENCES cases(id),
    contract TEXT NOT NULL DEFAULT '',       -- contract number
    base_yuan INTEGER NOT NULL DEFAULT 0,    -- e.g. the transaction amount
    amount_yuan INTEGER NOT NULL CHECK (amount_yuan >= 0),
    grant_date TEXT NOT NULL,                -- 'YYYY-MM-DD'
    source TEXT NOT NULL DEFAULT '',         -- seed and clause
    created_by TEXT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX benefit_grants_unit ON benefit_grants(kind, unit, grant_date);
CREATE TRIGGER benefit_grants_no_delete BEFORE DELETE ON benefit_grants BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;

-- Snapshots: the policy version (policy_versions.id) of the rule file, the
-- route's catalogue item, and the local average wage used.
ALTER TABLE score_snapshots ADD COLUMN policy_version TEXT;
ALTER TABLE score_snapshots ADD COLUMN catalogue_item TEXT;
ALTER TABLE score_snapshots ADD COLUMN wage_yuan INTEGER;
