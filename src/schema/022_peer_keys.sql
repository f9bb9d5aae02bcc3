-- 022_peer_keys.sql — the audit keys of other stations that headquarters
-- received in their sync bundles (src/base/stationkey.h), so that it can
-- check their chains.  They used to live in "<database>.peerkeys" beside the
-- database; in the shared-server mode only root may create files there, and
-- a file a clerk's process made would belong to the clerk (who could read
-- it).  In the database only the program can read them.  Local to this
-- database: never synchronised (local_*); a key, once kept, is never
-- replaced (a station that sends another one is refused).
CREATE TABLE local_peer_keys (
    station_id TEXT NOT NULL PRIMARY KEY,
    key_hex TEXT NOT NULL CHECK (length(key_hex) = 64),
    created_at TEXT NOT NULL
);
