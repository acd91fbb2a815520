-- Where an ingest commit writes: an append-only table with no secondary index.
-- Random-key indexes (ip, username, subject, id_key) cost one dirtied page per
-- event per index, and with synchronous=FULL every such page is synced at every
-- commit; here a commit writes only the pages it appends. The indexer moves
-- these rows, seq unchanged, into their day partition shortly afterwards, and
-- queries read both places until it has.
--
-- AUTOINCREMENT: seq is the event's sequence for good, unique across every
-- partition, so a sequence may never be handed out twice, not even after this
-- table has been emptied.
CREATE TABLE events_recent (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
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
