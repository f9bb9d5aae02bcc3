-- 001_foundation.sql — the foundation schema.
--
-- Conventions (hold for every later migration):
--  * A table whose rows may travel between stations ("synchronised") has
--      id TEXT NOT NULL PRIMARY KEY        -- UUIDv7 made offline (or a policy code)
--      created_at TEXT NOT NULL            -- UTC, ISO 8601 with ms and Z
--      updated_at TEXT NOT NULL            -- UTC
--      row_version INTEGER NOT NULL DEFAULT 1  -- +1 on every update (optimistic concurrency)
--      deleted_at TEXT                     -- soft delete; rows are never DELETEd
--    and a trigger that refuses DELETE.
--  * Tables that never leave this database (counters, settings) say "local" in
--    their comment.
--  * Dates that are calendar days in China (birth dates, deadlines) are TEXT
--    'YYYY-MM-DD'; instants are UTC timestamps.

-- local: key/value settings of this database (which station this is, …)
CREATE TABLE settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Service points: headquarters window, overseas stations, airport, …
CREATE TABLE stations (
    id TEXT NOT NULL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (code GLOB '[A-Z][A-Z0-9]*' AND length(code) BETWEEN 2 AND 8),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('hq','window','overseas','airport','park','online')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);

-- Departments that sign off (联审): loaded from data/departments.tdp.
CREATE TABLE departments (
    id TEXT NOT NULL PRIMARY KEY,            -- code, e.g. 'rsj'
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);

CREATE TABLE users (
    id TEXT NOT NULL PRIMARY KEY,
    station_id TEXT NOT NULL REFERENCES stations(id),
    username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 2 AND 32),
    display_name TEXT NOT NULL,
    department_id TEXT REFERENCES departments(id),
    password_hash TEXT,                       -- argon2id (libsodium) once login arrives
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);

-- Roles are codes from data/roles.tdp: clerk, reviewer, approver, signer,
-- specialist, station, admin.
CREATE TABLE user_roles (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE UNIQUE INDEX user_roles_uniq ON user_roles(user_id, role) WHERE deleted_at IS NULL;

-- Reference data loaded from data/ (see data/README.md).  Each row records the
-- policy version (policy_versions.id) it was loaded from.
CREATE TABLE talent_categories (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0,
    policy_version TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);

CREATE TABLE tiers (
    id TEXT NOT NULL PRIMARY KEY,            -- 'top','outstanding','leading','young','basic'
    name TEXT NOT NULL,                      -- 顶尖人才 …
    name_en TEXT NOT NULL DEFAULT '',
    rank INTEGER NOT NULL,                   -- 1 = highest
    description TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    policy_version TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);

CREATE TABLE doc_types (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    policy_version TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);

CREATE TABLE services (
    id TEXT NOT NULL PRIMARY KEY,            -- code, e.g. 'enterprise_setup'
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL,                      -- functional area (项目申报, 就业创业, …)
    days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 365),  -- promised time limit, working days
    days_is_default INTEGER NOT NULL DEFAULT 1,            -- 1 = sample default, editable
    department_id TEXT REFERENCES departments(id),
    source TEXT NOT NULL DEFAULT '',         -- seed and clause
    sort INTEGER NOT NULL DEFAULT 0,
    policy_version TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);

-- The checklist of a service: which documents it requires.
CREATE TABLE service_docs (
    id TEXT NOT NULL PRIMARY KEY,            -- service_id || ':' || doc_type_id
    service_id TEXT NOT NULL REFERENCES services(id),
    doc_type_id TEXT NOT NULL REFERENCES doc_types(id),
    required INTEGER NOT NULL DEFAULT 1,
    sort INTEGER NOT NULL DEFAULT 0,
    policy_version TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX service_docs_service ON service_docs(service_id);

-- Holiday calendar: a row for every date that differs from the plain
-- Monday–Friday rule: holidays (kind 'off') and weekend days worked (调休, 'work').
CREATE TABLE calendar_days (
    id TEXT NOT NULL PRIMARY KEY,            -- 'YYYY-MM-DD'
    kind TEXT NOT NULL CHECK (kind IN ('off','work')),
    name TEXT NOT NULL DEFAULT '',
    policy_version TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
-- local: which calendar years are covered (working days beyond them are an error)
CREATE TABLE calendar_years (
    year INTEGER NOT NULL PRIMARY KEY,
    source TEXT NOT NULL DEFAULT ''
);

-- Every policy file ever loaded, by content hash; reference rows and cases
-- point at the version they used.
CREATE TABLE policy_versions (
    id TEXT NOT NULL PRIMARY KEY,            -- UUIDv7
    kind TEXT NOT NULL,                      -- 'services','calendar','workflow','rules',…
    name TEXT NOT NULL,                      -- file name, e.g. 'services.tdp'
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    loaded_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE UNIQUE INDEX policy_versions_hash ON policy_versions(kind, name, sha256);

CREATE TABLE persons (
    id TEXT NOT NULL PRIMARY KEY,
    station_id TEXT NOT NULL REFERENCES stations(id),
    name TEXT NOT NULL,                      -- legal name as entered (NFC)
    name_latin TEXT NOT NULL DEFAULT '',     -- passport spelling / pinyin
    gender TEXT NOT NULL DEFAULT '' CHECK (gender IN ('','M','F')),
    birth_date TEXT,                         -- 'YYYY-MM-DD'
    nationality TEXT NOT NULL DEFAULT 'CHN', -- ISO 3166 alpha-3
    id_type TEXT NOT NULL,                   -- see src/idcheck.h
    id_no TEXT NOT NULL,                     -- normalised (upper case, half-width)
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    category_id TEXT REFERENCES talent_categories(id),
    employer TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE UNIQUE INDEX persons_idno ON persons(id_type, id_no) WHERE deleted_at IS NULL;
CREATE INDEX persons_name ON persons(name);
CREATE INDEX persons_phone ON persons(phone) WHERE phone <> '';

CREATE TABLE cases (
    id TEXT NOT NULL PRIMARY KEY,
    case_no TEXT NOT NULL UNIQUE,            -- 'CQ-2026-000123': station code, year, sequence
    person_id TEXT NOT NULL REFERENCES persons(id),
    station_id TEXT NOT NULL REFERENCES stations(id),
    case_type TEXT NOT NULL,                 -- 'recognition' | 'service'
    channel TEXT NOT NULL DEFAULT 'window',  -- window | overseas | airport | online | park
    state TEXT NOT NULL,                     -- workflow state code
    workflow_version TEXT,                   -- policy_versions.id of the workflow it started on
    green_channel INTEGER NOT NULL DEFAULT 0 CHECK (green_channel IN (0,1)),
    green_reason TEXT NOT NULL DEFAULT '',
    specialist_id TEXT REFERENCES users(id),
    intake_by TEXT NOT NULL REFERENCES users(id),
    assignee_id TEXT REFERENCES users(id),
    tier_id TEXT REFERENCES tiers(id),
    talent_code TEXT,                        -- 人才服务码 once issued
    state_since TEXT NOT NULL,               -- UTC instant the case entered its state
    due_date TEXT,                           -- deadline of the current step, 'YYYY-MM-DD'
    closed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX cases_person ON cases(person_id);
CREATE INDEX cases_state ON cases(state, updated_at);
CREATE INDEX cases_updated ON cases(updated_at);
CREATE INDEX cases_assignee ON cases(assignee_id, state);
CREATE INDEX cases_intake ON cases(intake_by, state);

-- One per requested service on a case: the fulfilment task.
CREATE TABLE service_requests (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    service_id TEXT NOT NULL REFERENCES services(id),
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending','in_progress','done','failed','cancelled')),
    assignee_id TEXT REFERENCES users(id),
    days INTEGER,                            -- promised working days, copied at request time
    due_date TEXT,                           -- 'YYYY-MM-DD', set when fulfilment starts
    started_at TEXT,
    finished_at TEXT,
    result TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',         -- required for failed / cancelled
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX service_requests_case ON service_requests(case_id);
CREATE INDEX service_requests_due ON service_requests(status, due_date);

-- Documents of a case, one row per checklist item.
CREATE TABLE case_documents (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    doc_type_id TEXT NOT NULL REFERENCES doc_types(id),
    status TEXT NOT NULL DEFAULT 'missing'
        CHECK (status IN ('missing','received','verified','invalid')),
    note TEXT NOT NULL DEFAULT '',
    checked_by TEXT REFERENCES users(id),
    checked_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE UNIQUE INDEX case_documents_uniq ON case_documents(case_id, doc_type_id) WHERE deleted_at IS NULL;

-- Append-only, hash-chained audit log.  Each station keeps its own chain
-- (station_id, seq), so chains from offline stations merge without breaking:
--   hash = SHA-256(prev_hash || '\n' || canonical text of this row)
CREATE TABLE audit_log (
    id TEXT NOT NULL PRIMARY KEY,
    station_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,                        -- UTC
    user_id TEXT,
    case_id TEXT,
    action TEXT NOT NULL,                    -- 'person.add', 'case.new', 'case.transition', …
    entity TEXT NOT NULL DEFAULT '',         -- table name
    entity_id TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL DEFAULT '',
    old_value TEXT,
    new_value TEXT,
    reason TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT,
    UNIQUE (station_id, seq)
);
CREATE INDEX audit_case ON audit_log(case_id, at);

-- Immutable score snapshots (人才认定).  Owned by the scoring module (src/score*.c),
-- which may add columns in its own migration; the workflow's "has_score" guard
-- reads only case_id, tier_id and deleted_at.
CREATE TABLE score_snapshots (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT REFERENCES cases(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    rule_set_id TEXT NOT NULL,               -- e.g. 'cn-work-permit-2017'
    rule_set_hash TEXT NOT NULL,             -- sha256 of the rule file's content
    as_of TEXT NOT NULL,                     -- 'YYYY-MM-DD' the facts were judged on
    route TEXT NOT NULL CHECK (route IN ('catalogue','points')),
    total INTEGER NOT NULL,
    tier_id TEXT NOT NULL,                   -- result class/tier code of that rule set
    inputs_json TEXT NOT NULL,
    ledger_json TEXT NOT NULL,
    prev_id TEXT REFERENCES score_snapshots(id),
    created_by TEXT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX score_snapshots_case ON score_snapshots(case_id, created_at);
CREATE TRIGGER score_snapshots_no_delete BEFORE DELETE ON score_snapshots BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER score_snapshots_no_update BEFORE UPDATE ON score_snapshots BEGIN SELECT RAISE(ABORT, 'score snapshots are immutable'); END;

-- local: per-station, per-year counters for human-readable numbers.
CREATE TABLE counters (
    station_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    next INTEGER NOT NULL,
    PRIMARY KEY (station_id, year, kind)
) WITHOUT ROWID;

-- Rows are never hard-deleted: soft delete by setting deleted_at.
CREATE TRIGGER stations_no_delete BEFORE DELETE ON stations BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER departments_no_delete BEFORE DELETE ON departments BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER user_roles_no_delete BEFORE DELETE ON user_roles BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER talent_categories_no_delete BEFORE DELETE ON talent_categories BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER tiers_no_delete BEFORE DELETE ON tiers BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER doc_types_no_delete BEFORE DELETE ON doc_types BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER services_no_delete BEFORE DELETE ON services BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER service_docs_no_delete BEFORE DELETE ON service_docs BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER calendar_days_no_delete BEFORE DELETE ON calendar_days BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER policy_versions_no_delete BEFORE DELETE ON policy_versions BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER persons_no_delete BEFORE DELETE ON persons BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER service_requests_no_delete BEFORE DELETE ON service_requests BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER case_documents_no_delete BEFORE DELETE ON case_documents BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit rows are never deleted'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit rows are never changed'); END;
