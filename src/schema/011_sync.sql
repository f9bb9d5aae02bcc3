-- 011_sync.sql — offline synchronisation (src/sync/): captured per-field
-- operations, peers and their keys, bundles received, conflicts to review.
--
-- Every table here is local (never travels as rows; named local_*).
--
-- Capture: every synchronised table (id TEXT primary key, row_version,
-- deleted_at) gets two triggers, <table>_sync_ins and <table>_sync_upd, that
-- write one row per field into local_sync_ops in the writing transaction.
-- They are generated from the live schema by the view local_post_migrate,
-- whose statements src/base/db.c runs after every migration, so a table added
-- by a later migration is captured too, and no C write path can bypass them.
-- Per-transaction context (transaction id, capture on/off, the audit entry
-- and user of the transaction) is the single row of local_sync_tx, written by
-- td_db_begin() and removed by td_db_commit(); a write outside the program
-- (the sqlite3 shell) is still captured, with no transaction id.

-- local: the context of the open write transaction (at most one row).
CREATE TABLE local_sync_tx (
    k INTEGER NOT NULL PRIMARY KEY CHECK (k = 1),
    txid TEXT,
    capture INTEGER NOT NULL DEFAULT 1,      -- 0 while a bundle is applied
    audit_id TEXT,                           -- newest audit entry of this transaction
    user_id TEXT
);

-- local: per-field operations, our own (origin = our station id) and those
-- applied from peers (origin = theirs).  base is the value the clerk saw (the
-- old value), new the value written; kind 'U' = an updated field (values keep
-- their SQLite type: no affinity), kind 'I' = an inserted row, col '*', new =
-- json_object of all its fields (one op per row keeps capture cheap).
CREATE TABLE local_sync_ops (
    id TEXT NOT NULL PRIMARY KEY,            -- UUIDv7
    origin TEXT NOT NULL,                    -- stations.id where the edit was made
    seq INTEGER NOT NULL,                    -- gap-free per origin: 1, 2, 3 …
    txid TEXT,                               -- the writing transaction
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('I','U')),
    base,
    new,
    user_id TEXT,
    at TEXT NOT NULL,                        -- UTC (the row's updated_at)
    audit_id TEXT,                           -- audit_log.id of the act it belongs to
    applied_at TEXT,                         -- set on ops applied from a peer
    UNIQUE (origin, seq)
);
CREATE INDEX local_sync_ops_row ON local_sync_ops(tbl, row_id, col);
-- ops of the open transaction still waiting for their audit entry (kept small)
CREATE INDEX local_sync_ops_pending ON local_sync_ops(txid) WHERE audit_id IS NULL;

-- The origin and highest sequence number of this station.
CREATE VIEW local_sync_here AS
    SELECT o AS origin,
           COALESCE((SELECT seq FROM local_sync_ops WHERE origin = o ORDER BY seq DESC LIMIT 1), 0) AS m
    FROM (SELECT COALESCE((SELECT value FROM settings WHERE key = 'local_station'), '') AS o);

-- Ops written before the station was known (during init) belong to it.
CREATE TRIGGER local_sync_origin_ins AFTER INSERT ON settings WHEN NEW.key = 'local_station' BEGIN
    UPDATE local_sync_ops SET origin = NEW.value WHERE origin = '';
END;

-- An audit entry names the act of every op of its transaction written before it.
CREATE TRIGGER local_sync_audit_link AFTER INSERT ON audit_log BEGIN
    UPDATE local_sync_ops SET audit_id = NEW.id, user_id = COALESCE(user_id, NEW.user_id)
        WHERE audit_id IS NULL AND txid = (SELECT txid FROM local_sync_tx);
    UPDATE local_sync_tx SET audit_id = NEW.id, user_id = COALESCE(NEW.user_id, user_id);
END;

-- local: the other places this one exchanges bundles with.
CREATE TABLE local_sync_peers (
    station_id TEXT NOT NULL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    sign_pk TEXT NOT NULL,                   -- Ed25519, hex
    box_pk TEXT NOT NULL,                    -- X25519, hex
    revoked_at TEXT,
    sent_seq INTEGER NOT NULL DEFAULT 0,     -- highest of our seqs put in a bundle to it
    acked_seq INTEGER NOT NULL DEFAULT 0,    -- highest of our seqs it says it applied
    recv_seq INTEGER NOT NULL DEFAULT 0,     -- its ops applied here, contiguous up to
    last_bundle TEXT,                        -- id of the last bundle applied from it
    last_bundle_hash TEXT,                   -- BLAKE2b of that file
    sent_bundles INTEGER NOT NULL DEFAULT 0,
    sent_hash TEXT,                          -- hash of the last bundle made for it
    created_at TEXT NOT NULL
);

-- local: every bundle received: held (a gap before it), applied, duplicate,
-- quarantined (unknown format or schema).  Held bundles keep their decrypted
-- payload until the gap fills.
CREATE TABLE local_sync_bundles (
    id TEXT NOT NULL PRIMARY KEY,            -- bundle id (UUIDv7 of the sender)
    from_station TEXT NOT NULL,
    seq_lo INTEGER NOT NULL,
    seq_hi INTEGER NOT NULL,
    ops INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('held','applied','duplicate','quarantined')),
    payload TEXT,                            -- JSON ops while held
    received_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);

-- local: same-field clashes found while applying — never overwritten silently.
CREATE TABLE local_sync_conflicts (
    id TEXT NOT NULL PRIMARY KEY,
    op_id TEXT NOT NULL,                     -- the incoming operation
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('field','deleted','missing','constraint')),
    base,                                    -- what the other place's clerk saw
    mine,                                    -- the value here when it arrived
    theirs,                                  -- the incoming value
    origin TEXT NOT NULL,                    -- station id of the incoming edit
    user_id TEXT,
    at TEXT NOT NULL,                        -- when the incoming edit was made
    found_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open','kept','taken','edited','dismissed','superseded')),
    resolved_by TEXT,
    resolved_at TEXT,
    reason TEXT NOT NULL DEFAULT '',
    UNIQUE (op_id, col)
);
CREATE INDEX local_sync_conflicts_open ON local_sync_conflicts(status, tbl, row_id);

-- The statements that (re)create the capture triggers of every synchronised
-- table; src/base/db.c runs them, in order, after every migration.
CREATE VIEW local_post_migrate AS
WITH t AS (
    SELECT s.name AS name FROM sqlite_schema s
    WHERE s.type = 'table' AND s.name NOT LIKE 'sqlite_%' AND s.name NOT LIKE 'local_%'
      AND s.name <> 'auth_sessions'                   -- sign-in sessions belong to one place
      AND EXISTS (SELECT 1 FROM pragma_table_info(s.name) c WHERE c.name = 'row_version')
      AND EXISTS (SELECT 1 FROM pragma_table_info(s.name) c WHERE c.name = 'deleted_at')
      AND EXISTS (SELECT 1 FROM pragma_table_info(s.name) c WHERE c.name = 'id' AND c.pk = 1)
),
uuid(e) AS (
    SELECT 'lower(substr(printf(''%012x'', CAST((julianday(''now'') - 2440587.5) * 86400000 AS INTEGER)), 1, 8)'
           || ' || ''-'' || substr(printf(''%012x'', CAST((julianday(''now'') - 2440587.5) * 86400000 AS INTEGER)), 9, 4)'
           || ' || ''-7'' || substr(hex(randomblob(2)), 2, 3) || ''-'' || substr(''89ab'', 1 + abs(random() % 4), 1)'
           || ' || substr(hex(randomblob(2)), 2, 3) || ''-'' || hex(randomblob(6)))'
),
ins AS (
    SELECT t.name AS name,
           (SELECT group_concat('''' || c.name || ''', NEW."' || c.name || '"', ', ')
              FROM pragma_table_info(t.name) c
             WHERE NOT (t.name = 'users' AND c.name IN ('password_hash', 'must_change_password', 'failed_logins',
                                                         'locked_at', 'password_changed_at'))) AS vals
    FROM t
),
upd AS (
    SELECT t.name AS name,
           (SELECT group_concat('SELECT ''' || c.name || ''' AS c, OLD."' || c.name || '" AS b, NEW."' || c.name || '" AS n', ' UNION ALL ')
              FROM pragma_table_info(t.name) c
             WHERE c.name NOT IN ('id', 'row_version', 'updated_at')
               AND NOT (t.name = 'users' AND c.name IN ('password_hash', 'must_change_password', 'failed_logins',
                                                         'locked_at', 'password_changed_at'))) AS vals
    FROM t
)
SELECT 1 AS ord, name, 'DROP TRIGGER IF EXISTS "' || name || '_sync_ins"' AS sql FROM t
UNION ALL
SELECT 2, name, 'DROP TRIGGER IF EXISTS "' || name || '_sync_upd"' FROM t
UNION ALL
SELECT 3, ins.name,
       'CREATE TRIGGER "' || ins.name || '_sync_ins" AFTER INSERT ON "' || ins.name || '"'
       || ' WHEN (SELECT capture FROM local_sync_tx) IS NOT 0 BEGIN'
       || ' INSERT INTO local_sync_ops(id, origin, seq, txid, tbl, row_id, col, kind, base, new, user_id, at, audit_id)'
       || ' SELECT ' || (SELECT e FROM uuid) || ', h.origin, h.m + 1, x.txid, ''' || ins.name
       || ''', NEW.id, ''*'', ''I'', NULL, json_object(' || ins.vals || '), x.user_id,'
       || ' COALESCE(NEW.updated_at, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')), x.audit_id'
       || ' FROM local_sync_here AS h LEFT JOIN local_sync_tx AS x; END'
FROM ins
UNION ALL
SELECT 4, upd.name,
       'CREATE TRIGGER "' || upd.name || '_sync_upd" AFTER UPDATE ON "' || upd.name || '"'
       || ' WHEN (SELECT capture FROM local_sync_tx) IS NOT 0 BEGIN'
       || ' INSERT INTO local_sync_ops(id, origin, seq, txid, tbl, row_id, col, kind, base, new, user_id, at, audit_id)'
       || ' SELECT ' || (SELECT e FROM uuid) || ', h.origin, h.m + row_number() OVER (), x.txid, ''' || upd.name
       || ''', NEW.id, v.c, ''U'', v.b, v.n, x.user_id,'
       || ' COALESCE(NEW.updated_at, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')), x.audit_id'
       || ' FROM (' || upd.vals || ') AS v JOIN local_sync_here AS h LEFT JOIN local_sync_tx AS x'
       || ' WHERE v.b IS NOT v.n; END'
FROM upd
ORDER BY ord, name;
