-- 023_sync_capture.sql — the cost of capturing operations (src/sync/,
-- issue 11 item 9): the link from operations to their audit entry, same
-- meaning as in 011_sync.sql, without its per-row price.
--
-- 011's local_sync_audit_link updated local_sync_ops on every audit entry.
-- An UPDATE that changes the column of the partial index it searches
-- (audit_id of local_sync_ops_pending) first collects the rows in a
-- temporary b-tree, built and dropped on every audit entry even when, as
-- for all but the first act of a transaction, no operation is waiting.  The
-- link now runs only when one is (a lookup in that small index), and the
-- transaction's context is updated by a trigger of its own, as before.

DROP TRIGGER local_sync_audit_link;

-- An audit entry names the act of every op of its transaction written before it.
CREATE TRIGGER local_sync_audit_link AFTER INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM local_sync_ops WHERE audit_id IS NULL AND txid = (SELECT txid FROM local_sync_tx))
BEGIN
    UPDATE local_sync_ops SET audit_id = NEW.id, user_id = COALESCE(user_id, NEW.user_id)
        WHERE audit_id IS NULL AND txid = (SELECT txid FROM local_sync_tx);
END;

-- Ops written later in the transaction belong to its newest audit entry.
CREATE TRIGGER local_sync_audit_tx AFTER INSERT ON audit_log BEGIN
    UPDATE local_sync_tx SET audit_id = NEW.id, user_id = COALESCE(NEW.user_id, user_id);
END;
