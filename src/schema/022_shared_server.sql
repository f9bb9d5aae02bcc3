-- 022_shared_server.sql — the shared-server installation, continued (issue 10).
--
-- local_peer_keys: the audit keys of other stations that headquarters
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

-- local_idle_locks: users whose TUI locked itself for inactivity
-- (ui/login.c) and who have a password.  Until they type it again
-- (td_auth_login), none of their sessions resumes and a linked Unix account
-- does not sign them in: running the program again is no way past the lock.
CREATE TABLE local_idle_locks (
    user_id TEXT NOT NULL PRIMARY KEY REFERENCES users(id),
    locked_at TEXT NOT NULL
);
