-- 005_auth.sql — sign-in: password state of each user, CLI sessions.
-- users.password_hash (001) holds the argon2id string of crypto_pwhash_str.

-- 1 while the user must choose a new password before anything else (a new
-- account, or a password an administrator reset).
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
    CHECK (must_change_password IN (0,1));
-- Consecutive failed sign-ins; reset by a successful one or an unlock.
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
-- UTC time the account was locked after too many failures; NULL = not locked.
ALTER TABLE users ADD COLUMN locked_at TEXT;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;

-- One row per sign-in (CLI token or TUI).  Only a BLAKE2b hash of the token
-- is stored; the token itself lives in the owner's runtime directory.
CREATE TABLE auth_sessions (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'cli' CHECK (kind IN ('cli','tui')),
    expires_at TEXT NOT NULL,                -- UTC
    ended_at TEXT,                           -- UTC, set by logout
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX auth_sessions_user ON auth_sessions(user_id, expires_at);
CREATE TRIGGER auth_sessions_no_delete BEFORE DELETE ON auth_sessions BEGIN SELECT RAISE(ABORT, 'rows are never deleted'); END;
