-- 007_report.sql — statistics against the plan's targets (src/report/), 好差评
-- ratings with 整改 follow-up tasks, and the 人才服务专员 per person with a
-- follow-up log (src/people/specialist.h).
--
-- Synchronised tables follow 001's conventions.  local_stats is local: it is
-- derived from synchronised rows, kept by the triggers below inside the
-- writing transaction, and rebuilt by td_stats_rebuild (src/report/stats.h)
-- after a migration, an import or a synchronisation.

-- Every person may have one service specialist (not per case); new cases
-- inherit it (workflow/intake.c), reassignments are audited with a reason.
ALTER TABLE persons ADD COLUMN specialist_id TEXT REFERENCES users(id);
CREATE INDEX persons_specialist ON persons(specialist_id) WHERE specialist_id IS NOT NULL;

-- The specialist's follow-up log: one row per contact.  next_date is the next
-- contact planned; a later follow-up of the same person sets done_at on the
-- earlier ones, so the "follow-ups due" queue reads only open rows by index.
CREATE TABLE person_followups (
    id TEXT NOT NULL PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    specialist_id TEXT REFERENCES users(id),  -- the person's specialist when logged
    by_user TEXT NOT NULL REFERENCES users(id),
    on_date TEXT NOT NULL,                    -- 'YYYY-MM-DD' (China)
    channel TEXT NOT NULL CHECK (channel IN ('phone','visit','wechat','email','video','other')),
    note TEXT NOT NULL DEFAULT '',
    next_date TEXT,                           -- 'YYYY-MM-DD' or NULL: nothing planned
    done_at TEXT,                             -- UTC, when a later follow-up superseded it
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX person_followups_person ON person_followups(person_id, on_date);
CREATE INDEX person_followups_due ON person_followups(next_date, id)
    WHERE next_date IS NOT NULL AND done_at IS NULL AND deleted_at IS NULL;

-- 好差评: the applicant's rating of a closed case (5 非常满意 … 1 非常不满意).
CREATE TABLE ratings (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    station_id TEXT NOT NULL REFERENCES stations(id),  -- the case's station
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    rated_on TEXT NOT NULL,                  -- 'YYYY-MM-DD' (China)
    by_user TEXT REFERENCES users(id),       -- who recorded it
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE UNIQUE INDEX ratings_case ON ratings(case_id) WHERE deleted_at IS NULL;

-- 整改: the follow-up task a bad rating creates for the station's lead.
CREATE TABLE rectifications (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    rating_id TEXT NOT NULL REFERENCES ratings(id),
    station_id TEXT NOT NULL REFERENCES stations(id),
    assignee_id TEXT REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
    due_date TEXT,                           -- 'YYYY-MM-DD', working days from data/ratings.tdp
    result TEXT NOT NULL DEFAULT '',
    done_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX rectifications_assignee ON rectifications(assignee_id, status, due_date);

-- Targets of the plans (data/targets.tdp): dated data with seed and clause.
CREATE TABLE report_targets (
    id TEXT NOT NULL PRIMARY KEY,            -- code, e.g. 'services_100k'
    name TEXT NOT NULL,
    metric TEXT NOT NULL CHECK (metric IN ('services_done','codes_issued','cases')),
    filter TEXT NOT NULL DEFAULT '',         -- service codes or tier code, comma list; '' = all
    target INTEGER NOT NULL CHECK (target > 0),
    period TEXT NOT NULL CHECK (period IN ('total','yearly')),
    start_date TEXT NOT NULL,                -- 'YYYY-MM-DD'
    end_date TEXT NOT NULL,                  -- 'YYYY-MM-DD'
    source TEXT NOT NULL,                    -- seed and clause
    sort INTEGER NOT NULL DEFAULT 0,
    policy_version TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE TRIGGER person_followups_no_delete BEFORE DELETE ON person_followups BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER ratings_no_delete BEFORE DELETE ON ratings BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER rectifications_no_delete BEFORE DELETE ON rectifications BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
CREATE TRIGGER report_targets_no_delete BEFORE DELETE ON report_targets BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;

-- local: counters the reports sum instead of scanning cases (see src/report/README.md).
--   dim            day (China)       key
--   case.state     intake day        current state       (sum = cases taken in)
--   case.channel   intake day        channel
--   case.type      intake day        case type
--   case.category  intake day        person's category at intake ('' none)
--   case.tier      intake day        current tier ('' none)
--   case.closed    day closed        intake day          (durations: working days key → day)
--   svc.requested  day requested     service code
--   svc.status     day requested     current status
--   svc.done       day finished      service code        (one row = one 人次)
--   svc.ontime     day finished      service code        (done on or before its due date)
--   svc.late       day finished      service code
--   svc.open       due date ('' none) service code       (pending / in progress now)
--   code.tier      day issued        tier                (人才服务码 issued)
--   notice.issued  issued_on         ''
--   notice.supplied day supplied     ''
--   rating         rated_on          score 1..5
CREATE TABLE local_stats (
    dim TEXT NOT NULL,
    day TEXT NOT NULL,
    station_id TEXT NOT NULL,
    key TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (dim, day, station_id, key)
) WITHOUT ROWID;

CREATE TRIGGER stats_case_ins AFTER INSERT ON cases WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO local_stats VALUES
        ('case.state', coalesce(date(new.created_at, '+8 hours'), ''), new.station_id, new.state, 1),
        ('case.channel', coalesce(date(new.created_at, '+8 hours'), ''), new.station_id, new.channel, 1),
        ('case.type', coalesce(date(new.created_at, '+8 hours'), ''), new.station_id, new.case_type, 1),
        ('case.category', coalesce(date(new.created_at, '+8 hours'), ''), new.station_id,
         coalesce((SELECT category_id FROM persons WHERE id = new.person_id), ''), 1),
        ('case.tier', coalesce(date(new.created_at, '+8 hours'), ''), new.station_id, coalesce(new.tier_id, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO local_stats SELECT 'case.closed', coalesce(date(new.state_since, '+8 hours'), ''), new.station_id,
        coalesce(date(new.created_at, '+8 hours'), ''), 1 WHERE new.state = 'closed'
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO local_stats SELECT 'code.tier', coalesce(date(new.updated_at, '+8 hours'), ''), new.station_id,
        coalesce(new.tier_id, ''), 1 WHERE new.talent_code IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_case_state AFTER UPDATE OF state ON cases WHEN old.state <> new.state BEGIN
    UPDATE local_stats SET n = n - 1 WHERE dim = 'case.state' AND day = coalesce(date(old.created_at, '+8 hours'), '')
        AND station_id = old.station_id AND key = old.state;
    INSERT INTO local_stats VALUES ('case.state', coalesce(date(new.created_at, '+8 hours'), ''), new.station_id, new.state, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO local_stats SELECT 'case.closed', coalesce(date(new.state_since, '+8 hours'), ''), new.station_id,
        coalesce(date(new.created_at, '+8 hours'), ''), 1 WHERE new.state = 'closed'
        ON CONFLICT DO UPDATE SET n = n + 1;
    UPDATE local_stats SET n = n - 1 WHERE old.state = 'closed' AND dim = 'case.closed'
        AND day = coalesce(date(old.state_since, '+8 hours'), '') AND station_id = old.station_id
        AND key = coalesce(date(old.created_at, '+8 hours'), '');
END;

CREATE TRIGGER stats_case_tier AFTER UPDATE OF tier_id ON cases
WHEN coalesce(old.tier_id, '') <> coalesce(new.tier_id, '') BEGIN
    UPDATE local_stats SET n = n - 1 WHERE dim = 'case.tier' AND day = coalesce(date(old.created_at, '+8 hours'), '')
        AND station_id = old.station_id AND key = coalesce(old.tier_id, '');
    INSERT INTO local_stats VALUES ('case.tier', coalesce(date(new.created_at, '+8 hours'), ''), new.station_id,
        coalesce(new.tier_id, ''), 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_case_code AFTER UPDATE OF talent_code ON cases
WHEN old.talent_code IS NULL AND new.talent_code IS NOT NULL BEGIN
    INSERT INTO local_stats VALUES ('code.tier', coalesce(date(new.updated_at, '+8 hours'), ''), new.station_id,
        coalesce(new.tier_id, ''), 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_sr_ins AFTER INSERT ON service_requests WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO local_stats SELECT 'svc.requested', coalesce(date(new.created_at, '+8 hours'), ''), c.station_id,
        new.service_id, 1 FROM cases c WHERE c.id = new.case_id
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO local_stats SELECT 'svc.status', coalesce(date(new.created_at, '+8 hours'), ''), c.station_id,
        new.status, 1 FROM cases c WHERE c.id = new.case_id
        ON CONFLICT DO UPDATE SET n = n + 1;
    -- a request that arrives already done (synchronised, imported)
    INSERT INTO local_stats SELECT d.dim, coalesce(date(new.finished_at, '+8 hours'), ''), c.station_id,
        new.service_id, 1
        FROM cases c, (SELECT 'svc.done' AS dim UNION ALL
                       SELECT CASE WHEN new.due_date IS NULL OR date(new.finished_at, '+8 hours') <= new.due_date
                              THEN 'svc.ontime' ELSE 'svc.late' END) d
        WHERE c.id = new.case_id AND new.status = 'done'
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO local_stats SELECT 'svc.open', coalesce(new.due_date, ''), c.station_id, new.service_id, 1
        FROM cases c WHERE c.id = new.case_id AND new.status IN ('pending','in_progress')
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_sr_status AFTER UPDATE OF status ON service_requests WHEN old.status <> new.status BEGIN
    UPDATE local_stats SET n = n - 1 WHERE dim = 'svc.status' AND day = coalesce(date(old.created_at, '+8 hours'), '')
        AND key = old.status AND station_id = (SELECT station_id FROM cases WHERE id = old.case_id);
    INSERT INTO local_stats SELECT 'svc.status', coalesce(date(new.created_at, '+8 hours'), ''), c.station_id,
        new.status, 1 FROM cases c WHERE c.id = new.case_id
        ON CONFLICT DO UPDATE SET n = n + 1;
    -- leaving 'done' (a task reset): take back what finishing it counted
    UPDATE local_stats SET n = n - 1 WHERE old.status = 'done'
        AND station_id = (SELECT station_id FROM cases WHERE id = old.case_id)
        AND day = coalesce(date(old.finished_at, '+8 hours'), '') AND key = old.service_id
        AND (dim = 'svc.done' OR dim = CASE WHEN old.due_date IS NULL
             OR date(old.finished_at, '+8 hours') <= old.due_date THEN 'svc.ontime' ELSE 'svc.late' END);
    INSERT INTO local_stats SELECT d.dim, coalesce(date(new.finished_at, '+8 hours'), ''), c.station_id, new.service_id, 1
        FROM cases c, (SELECT 'svc.done' AS dim UNION ALL
                       SELECT CASE WHEN new.due_date IS NULL OR date(new.finished_at, '+8 hours') <= new.due_date
                              THEN 'svc.ontime' ELSE 'svc.late' END) d
        WHERE c.id = new.case_id AND new.status = 'done'
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- open requests by due date: "open overdue" = the open ones due before today
CREATE TRIGGER stats_sr_open AFTER UPDATE OF status, due_date ON service_requests
WHEN old.status <> new.status OR old.due_date IS NOT new.due_date BEGIN
    UPDATE local_stats SET n = n - 1 WHERE old.status IN ('pending','in_progress') AND dim = 'svc.open'
        AND day = coalesce(old.due_date, '') AND key = old.service_id
        AND station_id = (SELECT station_id FROM cases WHERE id = old.case_id);
    INSERT INTO local_stats SELECT 'svc.open', coalesce(new.due_date, ''), c.station_id, new.service_id, 1
        FROM cases c WHERE c.id = new.case_id AND new.status IN ('pending','in_progress')
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_notice_ins AFTER INSERT ON notices WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO local_stats SELECT 'notice.issued', new.issued_on, c.station_id, '', 1
        FROM cases c WHERE c.id = new.case_id ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_supply_ins AFTER INSERT ON case_events WHEN new.transition = 'supply' BEGIN
    INSERT INTO local_stats SELECT 'notice.supplied', coalesce(date(new.at, '+8 hours'), ''), c.station_id, '', 1
        FROM cases c WHERE c.id = new.case_id ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_rating_ins AFTER INSERT ON ratings WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO local_stats VALUES ('rating', new.rated_on, new.station_id, CAST(new.score AS TEXT), 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER stats_rating_upd AFTER UPDATE OF score, deleted_at ON ratings BEGIN
    UPDATE local_stats SET n = n - 1 WHERE old.deleted_at IS NULL AND dim = 'rating' AND day = old.rated_on
        AND station_id = old.station_id AND key = CAST(old.score AS TEXT);
    INSERT INTO local_stats SELECT 'rating', new.rated_on, new.station_id, CAST(new.score AS TEXT), 1
        WHERE new.deleted_at IS NULL ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- A database without cases is counted from here on by the triggers; one with
-- cases is counted once by td_stats_ensure (src/report/stats_build.c) first.
INSERT INTO settings(key, value) SELECT 'stats_built', '1' WHERE NOT EXISTS (SELECT 1 FROM cases);
