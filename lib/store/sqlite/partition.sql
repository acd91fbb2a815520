-- One table of events per UTC day ({{table}} = events_pYYYYMMDD). Every statement
-- is idempotent: the store applies this file to every partition at migration
-- time, so an index added here reaches old partitions too.
--
-- Why partitions: each index here only ever holds one day of events, so the
-- B-trees that take inserts all over their key range stay small enough for the
-- page cache whether the database holds one day or a year.
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
  ip_key      TEXT,
  username    TEXT,
  subject     TEXT,
  client_id   TEXT,
  jti         TEXT,
  redactions  INTEGER NOT NULL DEFAULT 0,
  document    TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS {{table}}_by_time     ON {{table}} (time);
CREATE INDEX IF NOT EXISTS {{table}}_by_type     ON {{table}} (type, time);
CREATE INDEX IF NOT EXISTS {{table}}_by_service  ON {{table}} (service_id, time);
-- The indexes on attacker-chosen values lead with the block of 16,384 arrivals a
-- row belongs to (seq >> 14, BLOCK_OF_ROW in partitions.ts): new rows then
-- land in the newest block's part of each index, so indexing a slice dirties a
-- few pages there instead of pages all over a B-tree as large as the day (the
-- README's storage design gives the measured difference).
-- Queries by these values look in each block of the partition (event-queries.ts).
-- ip_key is the address in canonical form (lib/net/ip-address.ts), so one address
-- has one key however it was written and a CIDR block is one key range; the
-- preparer thread makes it, and rows arrive with it.
DROP INDEX IF EXISTS {{table}}_by_ip;
DROP INDEX IF EXISTS {{table}}_by_username;
DROP INDEX IF EXISTS {{table}}_by_subject;
DROP INDEX IF EXISTS {{table}}_by_block_ip;
DROP INDEX IF EXISTS {{table}}_by_id_key;
-- The idempotency key too (a 48-bit hash of the event id): an index on id_key alone
-- took each slice's inserts all over a B-tree as large as the day, the indexer's
-- largest write at a million events a day. The writer keeps a filter per day of
-- which blocks may hold a key (id-filters.ts) and looks only in those.
CREATE INDEX IF NOT EXISTS {{table}}_by_block_id_key   ON {{table}} ((seq >> 14), id_key);
CREATE INDEX IF NOT EXISTS {{table}}_by_block_ip_key   ON {{table}} ((seq >> 14), ip_key, time)   WHERE ip_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS {{table}}_by_block_username ON {{table}} ((seq >> 14), username, time) WHERE username IS NOT NULL;
CREATE INDEX IF NOT EXISTS {{table}}_by_block_subject  ON {{table}} ((seq >> 14), subject, time)  WHERE subject IS NOT NULL;
CREATE INDEX IF NOT EXISTS {{table}}_by_block_client   ON {{table}} ((seq >> 14), client_id, time) WHERE client_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS {{table}}_by_block_jti      ON {{table}} ((seq >> 14), jti, time)      WHERE jti IS NOT NULL;
-- Reasons only exist on failures, a small share of events: a partial index on them
-- finds a rare reason (bad_signature) without walking every event of its type.
CREATE INDEX IF NOT EXISTS {{table}}_by_reason         ON {{table}} (reason, time)                WHERE reason IS NOT NULL;
