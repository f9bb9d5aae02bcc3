-- 002_workflow.sql — the case workflow engine (src/workflow.h, src/wf_*.c).
--
-- Every table here is synchronised (see 001's conventions): TEXT UUIDv7 key,
-- created_at/updated_at UTC, row_version, deleted_at, and no DELETE.

-- One row per state change of a case: the history the engine reads back
-- (e.g. "resume" returns to the state a case was suspended from, the
-- "approved" guard looks for an approval event).
CREATE TABLE case_events (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,                    -- 1, 2, 3 … per case, in the order taken
    transition TEXT NOT NULL,                -- transition name in the workflow data
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    workflow_version TEXT,                   -- policy_versions.id the case was evaluated under
    user_id TEXT REFERENCES users(id),
    station_id TEXT,
    reason TEXT NOT NULL DEFAULT '',
    exception INTEGER NOT NULL DEFAULT 0 CHECK (exception IN (0,1)),  -- 一事一议
    approval INTEGER NOT NULL DEFAULT 0 CHECK (approval IN (0,1)),    -- counts as an approval
    at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX case_events_case ON case_events(case_id, seq);

-- 一次性告知书: one notice listing every missing or invalid document at once.
CREATE TABLE notices (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    notice_no TEXT NOT NULL UNIQUE,          -- 'CQ-2026-N000012': station, year, sequence
    issued_on TEXT NOT NULL,                 -- 'YYYY-MM-DD' (China)
    deadline TEXT NOT NULL,                  -- 'YYYY-MM-DD', N working days later
    deadline_approx INTEGER NOT NULL DEFAULT 0,  -- 1 when the calendar did not cover it
    clerk_id TEXT NOT NULL REFERENCES users(id),
    item_count INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX notices_case ON notices(case_id, created_at);

CREATE TABLE notice_items (
    id TEXT NOT NULL PRIMARY KEY,
    notice_id TEXT NOT NULL REFERENCES notices(id),
    n INTEGER NOT NULL,                      -- 1, 2, 3 … as printed
    doc_type_id TEXT NOT NULL,
    doc_name TEXT NOT NULL,                  -- name as printed (kept even if doc_types changes)
    problem TEXT NOT NULL CHECK (problem IN ('missing','invalid')),
    note TEXT NOT NULL DEFAULT '',
    services TEXT NOT NULL DEFAULT '',       -- names of the services needing it
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT,
    UNIQUE (notice_id, n)
);

-- 联审: one row per department that must sign a transition in one round
-- (round = id of the case_events row that brought the case into the state).
CREATE TABLE signoffs (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    round TEXT NOT NULL,                     -- case_events.id that opened the round
    transition TEXT NOT NULL,
    department_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','returned','void')),
    signer_id TEXT REFERENCES users(id),
    reason TEXT NOT NULL DEFAULT '',
    signed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE UNIQUE INDEX signoffs_uniq ON signoffs(case_id, round, transition, department_id) WHERE deleted_at IS NULL;
CREATE INDEX signoffs_queue ON signoffs(department_id, status, created_at);

-- 督办: who escalated which service task to whom, and why.
CREATE TABLE escalations (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    request_id TEXT NOT NULL REFERENCES service_requests(id),
    from_user TEXT NOT NULL REFERENCES users(id),
    to_user TEXT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    was_overdue INTEGER NOT NULL DEFAULT 0 CHECK (was_overdue IN (0,1)),
    at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX escalations_request ON escalations(request_id, at);
CREATE INDEX escalations_to ON escalations(to_user, at);

-- Queues read at 1M cases: keyset paging by (…, updated_at, id).
CREATE INDEX cases_assignee_upd ON cases(assignee_id, updated_at);
CREATE INDEX cases_specialist_upd ON cases(specialist_id, updated_at);
CREATE INDEX service_requests_assignee ON service_requests(assignee_id, status, due_date);
CREATE INDEX service_requests_overdue ON service_requests(status, due_date, id);

CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER notice_items_no_delete BEFORE DELETE ON notice_items BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER signoffs_no_delete BEFORE DELETE ON signoffs BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER escalations_no_delete BEFORE DELETE ON escalations BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
