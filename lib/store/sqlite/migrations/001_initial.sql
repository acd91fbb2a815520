-- Services, their ingest keys (hashes only), the event catalog, the partition
-- registry and per-minute rollups. Events themselves live in one table per UTC
-- day, created from ../partition.sql as events arrive.

CREATE TABLE services (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE ingest_keys (
  id          TEXT    PRIMARY KEY,
  service_id  INTEGER NOT NULL REFERENCES services (id),
  secret_hash BLOB    NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER,
  revoked_at  INTEGER
);
CREATE INDEX ingest_keys_by_service ON ingest_keys (service_id);

CREATE TABLE event_types (
  code INTEGER PRIMARY KEY,
  name TEXT    NOT NULL UNIQUE
);
INSERT INTO event_types (code, name) VALUES
  (1, 'login.success'),
  (2, 'login.failure'),
  (3, 'account.locked'),
  (4, 'account.unlocked'),
  (5, 'token.issued'),
  (6, 'token.refreshed'),
  (7, 'token.revoked'),
  (8, 'token.rejected'),
  (9, 'access.granted'),
  (10, 'access.denied'),
  (11, 'rate_limit.exceeded'),
  (12, 'mtls.rejected');

CREATE TABLE event_reasons (
  code INTEGER PRIMARY KEY,
  name TEXT    NOT NULL UNIQUE
);
INSERT INTO event_reasons (code, name) VALUES
  (1, 'bad_credentials'),
  (2, 'unknown_user'),
  (3, 'account_locked'),
  (4, 'account_disabled'),
  (5, 'mfa_failed'),
  (6, 'expired_password'),
  (7, 'breached_password'),
  (8, 'other'),
  (9, 'missing'),
  (10, 'malformed'),
  (11, 'expired'),
  (12, 'not_yet_valid'),
  (13, 'bad_signature'),
  (14, 'alg_not_allowed'),
  (15, 'unknown_kid'),
  (16, 'wrong_issuer'),
  (17, 'wrong_audience'),
  (18, 'revoked'),
  (19, 'replayed'),
  (20, 'insufficient_scope'),
  (21, 'missing_role'),
  (22, 'forbidden'),
  (23, 'per_ip'),
  (24, 'per_client'),
  (25, 'per_user'),
  (26, 'global'),
  (27, 'no_client_cert'),
  (28, 'untrusted_ca'),
  (29, 'cert_expired'),
  (30, 'identity_mismatch');

-- day: whole UTC days since 1970-01-01.
CREATE TABLE event_partitions (
  day        INTEGER PRIMARY KEY,
  table_name TEXT    NOT NULL UNIQUE
);

-- reason 0 stands for "no reason" so the key stays a plain composite primary key.
CREATE TABLE event_rollups_minute (
  minute     INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  type       INTEGER NOT NULL,
  reason     INTEGER NOT NULL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (minute, service_id, type, reason)
) WITHOUT ROWID;

CREATE TABLE health (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at INTEGER NOT NULL
);
