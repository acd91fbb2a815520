import type Database from 'better-sqlite3';
import { partitionTableName } from './partition-names';
import { prepareValueCounting } from './value-counts';

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
        for (const count of prepareValueCounting(db, table)) count.run({ first: 0, last: Number.MAX_SAFE_INTEGER });
      }
    },
  },
];
