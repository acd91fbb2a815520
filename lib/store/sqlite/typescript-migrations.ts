import type Database from 'better-sqlite3';
import { DAY_MS, HOUR_MS } from '../../time';
import { partitionTableName } from './partition-names';

/**
 * Migration 003's value counting as it landed (every event, with its failures
 * beside), kept here unchanged so the migration means what it meant; the
 * indexer's counting (value-counts.ts) has since changed (migration 007).
 */
function countValuesAsOf003(db: Database.Database, source: string): void {
  const failureTypes = '2, 3, 8, 10, 11, 12';
  for (const [code, column] of [[1, 'ip_key'], [2, 'username'], [3, 'client_id']] as const) {
    db.prepare(
      `INSERT INTO event_values_hour (field, hour, value, total, failures)
       SELECT ${code}, time / ${HOUR_MS}, ${column} AS counted, count(*), sum(type IN (${failureTypes}))
       FROM ${source} WHERE seq BETWEEN @first AND @last AND counted IS NOT NULL GROUP BY 2, 3
       ON CONFLICT (field, hour, value) DO UPDATE SET total = total + excluded.total, failures = failures + excluded.failures`,
    ).run({ first: 0, last: Number.MAX_SAFE_INTEGER });
  }
}

/** A rule state document as migration 006 stored it (version 2), the windows inside. */
type StateDocumentAsOf006 = {
  version?: number;
  groupBy?: string;
  lastSeq?: number;
  windows?: Array<{
    keyId: string;
    key: Record<string, string>;
    entries: Array<{ time: number; seq: number; id: string; service: string; value?: string; reported?: true }>;
    incidents: Array<[number, number]>;
    lastSeq: number;
    touchedAt: number;
  }>;
};

/**
 * Migration 008's split of one rule's state document into the document kept
 * (version 3, its windows apart) and one row per key, in the row encoding of
 * lib/detection/stored-window.ts as it landed. invalid_token_spike kept its
 * windows one level down, beside its kid sightings; a document of another
 * version is dropped, as the engine of 006 would have dropped it too.
 */
function splitStateAsOf008(db: Database.Database, rule: string, raw: string): void {
  const parsed = JSON.parse(raw) as StateDocumentAsOf006 & { windows?: StateDocumentAsOf006 | StateDocumentAsOf006['windows']; kidSightings?: unknown };
  const nested = parsed.kidSightings !== undefined && !Array.isArray(parsed.windows);
  const state = (nested ? parsed.windows : parsed) as StateDocumentAsOf006 | undefined;
  if (state?.version !== 2 || !Array.isArray(state.windows) || typeof state.groupBy !== 'string') {
    db.prepare('DELETE FROM detection_states WHERE rule = ?').run(rule);
    return;
  }
  const document: Record<string, unknown> = { version: 3, groupBy: state.groupBy, lastSeq: state.lastSeq ?? 0, windowMs: 0 };
  if (nested) document.kidSightings = parsed.kidSightings;
  db.prepare('UPDATE detection_states SET state = ? WHERE rule = ?').run(JSON.stringify(document), rule);
  const insert = db.prepare(
    'INSERT INTO detection_windows (rule, key_id, last_seq, touched_at, entries, body) VALUES (@rule, @keyId, @lastSeq, @touchedAt, @entries, @body)',
  );
  for (const window of state.windows) {
    const entries = window.entries.map((entry) => [entry.time, entry.seq, entry.id, entry.service, entry.value ?? null, entry.reported ? 1 : 0]);
    const body = JSON.stringify([window.key, entries, window.incidents]);
    insert.run({ rule, keyId: window.keyId, lastSeq: window.lastSeq, touchedAt: window.touchedAt, entries: entries.length, body });
  }
}

/**
 * Migrations SQL alone cannot express, numbered with the `.sql` files in
 * ./migrations and applied in the same transaction that bumps `user_version`.
 * Like those files, never edit one after it has landed.
 */
export const TYPESCRIPT_MIGRATIONS: Array<{ version: number; name: string; apply: (db: Database.Database) => void }> = [
  {
    // Day partitions are not known to a .sql file: give each existing one (and the recent
    // table) the canonical address column (partition.sql's indexes on it follow at start-up), and create
    // the hourly rollups and the value counts the overview reads, filled from what is stored.
    version: 3,
    name: '003_read_path',
    apply: (db) => {
      db.exec(`
        CREATE TABLE event_rollups_hour (
          hour       INTEGER NOT NULL,
          service_id INTEGER NOT NULL,
          type       INTEGER NOT NULL,
          reason     INTEGER NOT NULL,
          count      INTEGER NOT NULL,
          PRIMARY KEY (hour, service_id, type, reason)
        ) WITHOUT ROWID;
        INSERT INTO event_rollups_hour (hour, service_id, type, reason, count)
          SELECT minute / 60, service_id, type, reason, sum(count) FROM event_rollups_minute GROUP BY 1, 2, 3, 4;
        -- field: 1 source address (its 16-byte key), 2 username, 3 client id.
        -- failures: events of a failure type (login.failure, token.rejected, access.denied,
        -- rate_limit.exceeded, mtls.rejected) and account.locked.
        CREATE TABLE event_values_hour (
          field    INTEGER NOT NULL,
          hour     INTEGER NOT NULL,
          value    ANY     NOT NULL,
          total    INTEGER NOT NULL,
          failures INTEGER NOT NULL,
          PRIMARY KEY (field, hour, value)
        ) WITHOUT ROWID;
      `);
      db.exec(`ALTER TABLE events_recent ADD COLUMN ip_key TEXT;
        UPDATE events_recent SET ip_key = authwatch_ip_key(ip) WHERE ip IS NOT NULL;`);
      const days = db.prepare('SELECT day FROM event_partitions ORDER BY day').pluck().all() as number[];
      for (const day of days) {
        const table = partitionTableName(day);
        db.exec(`ALTER TABLE ${table} ADD COLUMN ip_key TEXT`);
        db.exec(`UPDATE ${table} SET ip_key = authwatch_ip_key(ip) WHERE ip IS NOT NULL`);
        countValuesAsOf003(db, table);
      }
    },
  },
  {
    // The overview over 30 days without ranking millions of rows: daily rollups (kept in the
    // ingest transaction from now on), value counts of failures only (what the top lists rank;
    // the indexer no longer counts successes), and per-day summaries of those counts: each
    // closed day's 200 most frequent values per field, with the 201st count as the bound on
    // any value left out. All built from what is stored; the indexer keeps them from now on.
    version: 7,
    name: '007_daily_aggregates',
    apply: (db) => {
      db.exec(`
        CREATE TABLE event_rollups_day (
          day        INTEGER NOT NULL,
          service_id INTEGER NOT NULL,
          type       INTEGER NOT NULL,
          reason     INTEGER NOT NULL,
          count      INTEGER NOT NULL,
          PRIMARY KEY (day, service_id, type, reason)
        ) WITHOUT ROWID;
        INSERT INTO event_rollups_day (day, service_id, type, reason, count)
          SELECT hour / 24, service_id, type, reason, sum(count) FROM event_rollups_hour GROUP BY 1, 2, 3, 4;
        -- field: 1 source address (its 16-byte key), 2 username, 3 client id; failures only
        -- (the failure types and account.locked).
        CREATE TABLE event_failure_values_hour (
          field INTEGER NOT NULL,
          hour  INTEGER NOT NULL,
          value ANY     NOT NULL,
          count INTEGER NOT NULL,
          PRIMARY KEY (field, hour, value)
        ) WITHOUT ROWID;
        INSERT INTO event_failure_values_hour (field, hour, value, count)
          SELECT field, hour, value, failures FROM event_values_hour WHERE failures > 0;
        DROP TABLE event_values_hour;
        -- A closed day's most frequent values per field (value-summaries.ts)...
        CREATE TABLE event_failure_values_day (
          field INTEGER NOT NULL,
          day   INTEGER NOT NULL,
          value ANY     NOT NULL,
          count INTEGER NOT NULL,
          PRIMARY KEY (field, day, value)
        ) WITHOUT ROWID;
        -- ...and, once summarized, the most a value left out of it can count that day.
        CREATE TABLE event_failure_days (
          day   INTEGER NOT NULL,
          field INTEGER NOT NULL,
          bound INTEGER NOT NULL,
          PRIMARY KEY (day, field)
        ) WITHOUT ROWID;
      `);
      const top = 200;
      const closedBefore = Math.floor((Date.now() - 2 * HOUR_MS) / DAY_MS);
      db.exec(`
        CREATE TEMP TABLE ranked_values AS
          SELECT field, day, value, count, row_number() OVER (PARTITION BY field, day ORDER BY count DESC) AS rank
          FROM (SELECT field, hour / ${DAY_MS / HOUR_MS} AS day, value, sum(count) AS count FROM event_failure_values_hour GROUP BY 1, 2, 3)
          WHERE day < ${closedBefore} AND day IN (SELECT day FROM event_partitions);
        INSERT INTO event_failure_values_day (field, day, value, count) SELECT field, day, value, count FROM ranked_values WHERE rank <= ${top};
        INSERT INTO event_failure_days (day, field, bound)
          SELECT p.day, f.field, coalesce(b.count, 0)
          FROM event_partitions p CROSS JOIN (SELECT 1 AS field UNION ALL SELECT 2 UNION ALL SELECT 3) f
          LEFT JOIN (SELECT field, day, count FROM ranked_values WHERE rank = ${top + 1}) b ON b.field = f.field AND b.day = p.day
          WHERE p.day < ${closedBefore};
        DROP TABLE temp.ranked_values;
      `);
    },
  },
  {
    // Detection without rewriting whole documents: each rule's windows become one row per key
    // (written only for the keys a step touches), the documents keep the rest; and alerts carry
    // when their quiet period starts, indexed over the unresolved ones, so auto-resolution reads
    // only the alerts quiet long enough instead of parsing every open one.
    version: 8,
    name: '008_detection_rows',
    apply: (db) => {
      db.exec(`
        -- id: the engine's own (rule-state-cache.ts): it keeps (rule, key_id) unique, reads every
        -- row's standing once when it starts, and its keys' windows by id.
        CREATE TABLE detection_windows (
          id         INTEGER PRIMARY KEY,
          rule       TEXT    NOT NULL,
          key_id     TEXT    NOT NULL,
          last_seq   INTEGER NOT NULL,
          touched_at INTEGER NOT NULL,
          entries    INTEGER NOT NULL,
          body       TEXT    NOT NULL
        );
        ALTER TABLE alerts ADD COLUMN quiet_from INTEGER NOT NULL DEFAULT 0;
        UPDATE alerts SET quiet_from = max(last_seen, opened_at);
        CREATE INDEX alerts_quiet ON alerts (rule, quiet_from) WHERE status IN ('open', 'acknowledged');
      `);
      const documents = db.prepare('SELECT rule, state FROM detection_states').all() as Array<{ rule: string; state: string }>;
      for (const { rule, state } of documents) splitStateAsOf008(db, rule, state);
    },
  },
  {
    // The hourly failure value counts gain the block of arrivals (seq >> 14) their
    // events belong to, as the leading part of the key after (field, hour). The
    // indexer's upserts then land in the newest block's part of the table instead
    // of anywhere in the hour's values: with many distinct values an hour (a scan
    // from random addresses), keyed by (field, hour, value) each slice dirtied most
    // of the hour's pages, and that write volume grew with the hour. Readers sum
    // over blocks as they summed over hours. Counts kept before this step have no
    // block: they keep block 0, which sums the same.
    // A TypeScript step only so tests can replay it after 003 and 007 (database.test.ts).
    version: 11,
    name: '011_value_count_blocks',
    apply: (db) => {
      db.exec(`
        CREATE TABLE event_failure_values_block (
          field INTEGER NOT NULL,
          hour  INTEGER NOT NULL,
          block INTEGER NOT NULL,
          value ANY     NOT NULL,
          count INTEGER NOT NULL,
          PRIMARY KEY (field, hour, block, value)
        ) WITHOUT ROWID;
        INSERT INTO event_failure_values_block (field, hour, block, value, count)
          SELECT field, hour, 0, value, count FROM event_failure_values_hour;
        DROP TABLE event_failure_values_hour;
        ALTER TABLE event_failure_values_block RENAME TO event_failure_values_hour;
      `);
    },
  },
  {
    // The free-text index built behind the indexer (text-index.ts): per day partition, the
    // highest seq its text table holds. Every row of the partition at or below it is in the
    // text table; a day without a row has no usable text table (none yet, or being dropped).
    // Text tables themselves are made by the writer as it builds them, like partitions.
    version: 12,
    name: '012_text_index',
    apply: (db) => {
      db.exec(`
        CREATE TABLE event_text_watermarks (
          day INTEGER PRIMARY KEY,
          seq INTEGER NOT NULL
        );
      `);
    },
  },
];
