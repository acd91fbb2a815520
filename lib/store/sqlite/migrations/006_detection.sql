-- Detection (lib/detection): the engine's durable position in the event sequence,
-- each rule's window state, the parameters a MANAGER set, the alerts and their
-- history, and the notifications still to deliver. The engine writes its position,
-- states, alerts and deliveries in one transaction, so every stored event is
-- evaluated exactly once, also across a crash.

CREATE TABLE detection_position (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  seq        INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE detection_states (
  rule  TEXT PRIMARY KEY,
  state TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE rule_settings (
  rule       TEXT PRIMARY KEY,
  params     TEXT    NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT    NOT NULL
) WITHOUT ROWID;

-- body: the whole alert as detection keeps it (key, services, detail, evidence,
-- explorer filter); the columns beside it are what lists filter and sort on.
CREATE TABLE alerts (
  id         INTEGER PRIMARY KEY,
  rule       TEXT    NOT NULL,
  key_id     TEXT    NOT NULL,
  severity   TEXT    NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  service    TEXT    NOT NULL,
  count      INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  opened_at  INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  summary    TEXT    NOT NULL,
  body       TEXT    NOT NULL
);
CREATE INDEX alerts_by_rule_key ON alerts (rule, key_id, id);
CREATE INDEX alerts_by_status   ON alerts (status, id);
CREATE INDEX alerts_by_opened   ON alerts (opened_at);

-- Who changed what on an alert, and when: detection (opened, resolved by quiet
-- period) and people (acknowledged, resolved, reopened, annotated).
CREATE TABLE alert_history (
  id       INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts (id),
  at       INTEGER NOT NULL,
  actor    TEXT    NOT NULL,
  action   TEXT    NOT NULL,
  note     TEXT
);
CREATE INDEX alert_history_by_alert ON alert_history (alert_id, id);

-- Notifications queued in the engine's transaction and sent by the delivery loop,
-- so a target that is down loses nothing and never slows ingest.
CREATE TABLE alert_deliveries (
  id              INTEGER PRIMARY KEY,
  alert_id        INTEGER NOT NULL REFERENCES alerts (id),
  target          TEXT    NOT NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('firing', 'resolved')),
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (state, next_attempt_at);
CREATE INDEX alert_deliveries_by_alert ON alert_deliveries (alert_id, id);
