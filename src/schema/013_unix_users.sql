-- 013_unix_users.sql — the shared-server installation (src/base/groupmode.h):
-- a Unix account an administrator linked to a TalentDesk user signs in as
-- that user by its operating-system login (like PostgreSQL's peer
-- authentication).  Local to the server: never synchronised (local_*).
CREATE TABLE local_unix_users (
    unix_user TEXT NOT NULL PRIMARY KEY CHECK (length(unix_user) BETWEEN 1 AND 32),
    user_id TEXT NOT NULL UNIQUE REFERENCES users(id),
    created_at TEXT NOT NULL
);
