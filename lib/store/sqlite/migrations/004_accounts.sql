-- Accounts: the people who sign in to authwatch, their sessions and setup links,
-- API tokens for automation, when each ingest key was last used, the audit log of
-- every change, and sign-in throttle state. No secret is stored: session, setup
-- and API tokens (256 random bits each) as SHA-256 digests, passwords as scrypt
-- hashes (lib/auth/password-hash.ts).

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT    NOT NULL UNIQUE, -- lowercased
  role          TEXT    NOT NULL CHECK (role IN ('USER', 'MANAGER', 'ADMIN')),
  status        TEXT    NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
  password_hash TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

-- expires_at is the absolute end; the idle end is last_seen_at plus the idle
-- setting, read when the session is used, so changing the setting applies to all.
CREATE TABLE sessions (
  token_hash   BLOB    PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  ip           TEXT,
  user_agent   TEXT
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- first_admin: creates the first ADMIN on a fresh install (no user yet);
-- invite: sets a new user's password; reset: sets an existing user's password.
CREATE TABLE setup_links (
  token_hash BLOB    PRIMARY KEY,
  purpose    TEXT    NOT NULL CHECK (purpose IN ('first_admin', 'invite', 'reset')),
  user_id    INTEGER REFERENCES users (id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  CHECK ((purpose = 'first_admin') = (user_id IS NULL))
) WITHOUT ROWID;

CREATE TABLE api_tokens (
  id           TEXT    PRIMARY KEY,
  name         TEXT    NOT NULL,
  role         TEXT    NOT NULL CHECK (role IN ('USER', 'MANAGER', 'ADMIN')),
  secret_hash  BLOB    NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER,
  last_used_at INTEGER
);

-- Kept apart from ingest_keys: the ingest path only notes uses in memory, and
-- they are written here once a minute (lib/auth/ingest-key-usage.ts).
CREATE TABLE ingest_key_usage (
  key_id       TEXT    PRIMARY KEY REFERENCES ingest_keys (id),
  last_used_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Every change made by anyone, from the web, the API or the CLI. Append-only:
-- the triggers refuse any UPDATE or DELETE, so no code path (nor a mistaken
-- query) can rewrite history. actor_id: a user id, an API token id or an OS user.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  time        INTEGER NOT NULL,
  actor_kind  TEXT    NOT NULL CHECK (actor_kind IN ('user', 'token', 'cli', 'system')),
  actor_id    TEXT,
  actor_label TEXT    NOT NULL,
  action      TEXT    NOT NULL,
  target      TEXT,
  ip          TEXT,
  detail      TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (time);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Failed sign-ins per email digest or per source address, in fixed windows
-- that start with the first failure (lib/auth/signin-throttle.ts).
CREATE TABLE signin_throttle (
  key               TEXT    PRIMARY KEY,
  failures          INTEGER NOT NULL,
  window_started_at INTEGER NOT NULL
) WITHOUT ROWID;
