-- 008_robust.sql — incremental duplicate scan (issue 14.2): the persons
-- changed since the last scan are found through this index, not a full scan.
-- IF NOT EXISTS: migrations are applied by position, so this must be
-- harmless if a merge ever runs it twice.
CREATE INDEX IF NOT EXISTS persons_updated ON persons(updated_at);
