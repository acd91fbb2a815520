-- One table of events per UTC day ({{table}} = events_pYYYYMMDD). Every statement
-- is idempotent: the store applies this file to every partition at migration
-- time, so an index added here reaches old partitions too.
--
-- Why partitions: each index here only ever holds one day of events, so the
-- B-trees that take random inserts (ip, username, subject, id_key) stay small
-- enough for the page cache whether the database holds one day or a year.
CREATE TABLE IF NOT EXISTS {{table}} (
  seq         INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL,
  id_key      INTEGER NOT NULL,
  time        INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  service_id  INTEGER NOT NULL,
  type        INTEGER NOT NULL,
  reason      INTEGER,
  ip          TEXT,
  username    TEXT,
  subject     TEXT,
  client_id   TEXT,
  jti         TEXT,
  redactions  INTEGER NOT NULL DEFAULT 0,
  document    TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS {{table}}_by_id_key   ON {{table}} (id_key);
CREATE INDEX IF NOT EXISTS {{table}}_by_time     ON {{table}} (time);
CREATE INDEX IF NOT EXISTS {{table}}_by_type     ON {{table}} (type, time);
CREATE INDEX IF NOT EXISTS {{table}}_by_service  ON {{table}} (service_id, time);
CREATE INDEX IF NOT EXISTS {{table}}_by_ip       ON {{table}} (ip, time)       WHERE ip IS NOT NULL;
CREATE INDEX IF NOT EXISTS {{table}}_by_username ON {{table}} (username, time) WHERE username IS NOT NULL;
CREATE INDEX IF NOT EXISTS {{table}}_by_subject  ON {{table}} (subject, time)  WHERE subject IS NOT NULL;
