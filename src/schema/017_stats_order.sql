-- 017_stats_order.sql — statistics counters that do not depend on the order
-- in which a row's columns change.
--
-- A sync bundle applies a sender's UPDATE one field at a time, in column order
-- (src/sync/inbox.c), so cases.state arrives before cases.state_since and
-- service_requests.status before due_date and finished_at.  The triggers of
-- 007 counted 'case.closed' and 'svc.done/ontime/late' from the row as it was
-- when the state or status changed, and nothing moved the count when the date
-- followed: HQ's reports were stale until `report rebuild`.  Here every dimension
-- that reads several columns is kept by one trigger on all of them that takes
-- back what the old row counted and counts the new row, so the counters equal a
-- recount (td_stats_rebuild) however the columns arrive.  A local write that
-- sets them in one statement fires each trigger once, as before.
--
-- local_stats keeps its shape; nothing to recount: a database whose counters went
-- stale through an earlier bundle is put right once by `talentdesk report rebuild`.

DROP TRIGGER IF EXISTS stats_case_state;
CREATE TRIGGER stats_case_state AFTER UPDATE OF state ON cases WHEN old.state <> new.state BEGIN
    UPDATE local_stats SET n = n - 1 WHERE dim = 'case.state' AND day = coalesce(date(old.created_at, '+8 hours'), '')
        AND station_id = old.station_id AND key = old.state;
    INSERT INTO local_stats VALUES ('case.state', coalesce(date(new.created_at, '+8 hours'), ''), new.station_id, new.state, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- case.closed: day closed (state_since of a closed case) × intake day
CREATE TRIGGER stats_case_closed AFTER UPDATE OF state, state_since ON cases
WHEN (old.state = 'closed' OR new.state = 'closed')
     AND (old.state IS NOT new.state OR old.state_since IS NOT new.state_since) BEGIN
    UPDATE local_stats SET n = n - 1 WHERE old.state = 'closed' AND dim = 'case.closed'
        AND day = coalesce(date(old.state_since, '+8 hours'), '') AND station_id = old.station_id
        AND key = coalesce(date(old.created_at, '+8 hours'), '');
    INSERT INTO local_stats SELECT 'case.closed', coalesce(date(new.state_since, '+8 hours'), ''), new.station_id,
        coalesce(date(new.created_at, '+8 hours'), ''), 1 WHERE new.state = 'closed'
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

DROP TRIGGER IF EXISTS stats_sr_status;
CREATE TRIGGER stats_sr_status AFTER UPDATE OF status ON service_requests WHEN old.status <> new.status BEGIN
    UPDATE local_stats SET n = n - 1 WHERE dim = 'svc.status' AND day = coalesce(date(old.created_at, '+8 hours'), '')
        AND key = old.status AND station_id = (SELECT station_id FROM cases WHERE id = old.case_id);
    INSERT INTO local_stats SELECT 'svc.status', coalesce(date(new.created_at, '+8 hours'), ''), c.station_id,
        new.status, 1 FROM cases c WHERE c.id = new.case_id
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- svc.done (one 人次) and svc.ontime / svc.late: day finished × service, on time
-- when finished (China day) on or before the due date
CREATE TRIGGER stats_sr_done AFTER UPDATE OF status, finished_at, due_date ON service_requests
WHEN (old.status = 'done' OR new.status = 'done')
     AND (old.status IS NOT new.status OR old.finished_at IS NOT new.finished_at OR old.due_date IS NOT new.due_date)
BEGIN
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
