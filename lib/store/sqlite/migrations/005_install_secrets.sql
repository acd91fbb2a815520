-- Random secrets made once per installation, on its first start, and never
-- shown: the key of the digest stored in place of an event id that looks like
-- a credential (lib/store/sqlite/install-secrets.ts makes them).

CREATE TABLE install_secrets (
  name       TEXT    PRIMARY KEY,
  secret     BLOB    NOT NULL,
  created_at INTEGER NOT NULL
);
