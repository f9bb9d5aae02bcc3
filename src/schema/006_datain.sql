-- 006_datain.sql — real data in: a person's education and study abroad as the
-- counters' spreadsheets carry them (issue 13).  What scoring counts is also
-- recorded as claimed facts (facts table) for a reviewer to verify; these
-- columns keep what was written, for display and export.
ALTER TABLE persons ADD COLUMN education TEXT NOT NULL DEFAULT '';     -- 最高学历/学位 as written
ALTER TABLE persons ADD COLUMN school TEXT NOT NULL DEFAULT '';        -- 毕业院校
ALTER TABLE persons ADD COLUMN study_country TEXT NOT NULL DEFAULT ''; -- 留学国家: ISO 3166 alpha-3 or ''
ALTER TABLE persons ADD COLUMN returned_on TEXT;                       -- 回国时间 'YYYY-MM-DD'

-- Tech-transfer rewards (000 §15): the unit is identified by its 统一社会信用代码
-- (GB 32100), the name kept for display; a contract is rewarded once.  Rows
-- granted before this migration keep unit_code '' (counted by name).
ALTER TABLE benefit_grants ADD COLUMN unit_code TEXT NOT NULL DEFAULT '';
CREATE INDEX benefit_grants_unit_code ON benefit_grants(kind, unit_code, grant_date);
CREATE UNIQUE INDEX benefit_grants_contract_once ON benefit_grants(kind, contract)
    WHERE deleted_at IS NULL AND unit_code <> '' AND contract <> '';

-- Due dates counted into a year without an official holiday calendar are
-- approximate (Monday to Friday); loading the calendar recounts them
-- (src/workflow/wf_due.h).  Notices have had deadline_approx since 002.
ALTER TABLE service_requests ADD COLUMN due_approx INTEGER NOT NULL DEFAULT 0 CHECK (due_approx IN (0,1));
ALTER TABLE cases ADD COLUMN due_approx INTEGER NOT NULL DEFAULT 0 CHECK (due_approx IN (0,1));

-- 一次性告知书 (行政许可法 §32): the date the application was received, the
-- office's own deadline to notify (5 working days), whether the notice was
-- late, the office's contact; items keep the first notice's numbers and say
-- which are new on a later notice.
ALTER TABLE notices ADD COLUMN received_on TEXT;
ALTER TABLE notices ADD COLUMN office_due TEXT;
ALTER TABLE notices ADD COLUMN late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0,1));
ALTER TABLE notices ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE notice_items ADD COLUMN is_new INTEGER NOT NULL DEFAULT 1 CHECK (is_new IN (0,1));
