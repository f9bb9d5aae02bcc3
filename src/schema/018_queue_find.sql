-- 018_queue_find.sql — 我的案件 also holds the cases a clerk follows as the
-- person's service specialist (the CLI's `queue mine` always did; TUI and CLI
-- now read the same src/search/qlist), as a third arm disjoint from the
-- other two: open cases whose specialist neither took them in nor is
-- assigned them.  The expression is QX_OPEN_SPECIALIST in qlist.c, exactly.
CREATE INDEX cases_q_mine_specialist ON cases((CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND specialist_id IS NOT intake_by AND specialist_id IS NOT assignee_id THEN specialist_id END), updated_at) WHERE (CASE WHEN deleted_at IS NULL AND state NOT IN ('closed','rejected','withdrawn') AND specialist_id IS NOT intake_by AND specialist_id IS NOT assignee_id THEN specialist_id END) IS NOT NULL;

-- 联审待签: the cases in approval with the id the EXISTS probe of
-- signoffs_q_pending needs, so that paging and counting the queue read this
-- index and the pending sign-offs' index only, never the case rows (a count
-- of 1,000 rows was a random table read per row).  The expression is
-- QX_LIVE_STATE of qlist.c.
CREATE INDEX cases_q_signoff ON cases((CASE WHEN deleted_at IS NULL THEN state END), updated_at, id) WHERE (CASE WHEN deleted_at IS NULL THEN state END) = 'approval';
