-- 018_queue_find.sql — 我的案件 also holds the cases a clerk follows as the
-- person's service specialist (the CLI's `queue mine` always did; TUI and CLI
-- now read the same src/search/qlist), as a third arm disjoint from the
-- other two: open cases whose specialist neither took them in nor is
-- assigned them.  The expression is QX_OPEN_SPECIALIST in qlist.c, exactly.
CREATE INDEX cases_q_mine_specialist ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND specialist_id IS NOT intake_by AND specialist_id IS NOT assignee_id THEN specialist_id END), updated_at) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND specialist_id IS NOT intake_by AND specialist_id IS NOT assignee_id THEN specialist_id END) IS NOT NULL;
