import 'server-only';
import type Database from 'better-sqlite3';
import type { EventRecord, Store } from '../store';
import { CredentialTables } from './credential-tables';
import { closeDatabase, migrate, openDatabase, type DatabaseOptions } from './database';
import { EventTable } from './event-table';
import { Partitions } from './partitions';
import { withSqliteErrors } from './sqlite-errors';

function isMissingTable(error: unknown): boolean {
  return error instanceof Error && /no such table: events_p/.test(error.message);
}

/** The SQLite engine behind the `Store` interface. */
export function createSqliteStore(options: DatabaseOptions): Store {
  const db: Database.Database = withSqliteErrors(() => openDatabase(options));
  withSqliteErrors(() => migrate(db));
  const partitions = new Partitions(db);
  partitions.upgradeAll();
  const credentials = new CredentialTables(db);
  const events = new EventTable(db, partitions);
  const touchHealth = db.prepare(
    'INSERT INTO health (id, checked_at) VALUES (1, @now) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at',
  );
  const insertBatch = db.transaction((batch: readonly EventRecord[]) => events.insert(batch));

  return {
    addService: (name, now) => withSqliteErrors(() => credentials.addService(name, now)),
    findServiceByName: (name) => withSqliteErrors(() => credentials.findServiceByName(name)),
    listServices: () => withSqliteErrors(() => credentials.listServices()),
    insertIngestKey: (key) => withSqliteErrors(() => credentials.insertIngestKey(key)),
    findIngestKey: (id) => withSqliteErrors(() => credentials.findIngestKey(id)),
    listIngestKeys: () => withSqliteErrors(() => credentials.listIngestKeys()),
    revokeIngestKey: (id, now) => withSqliteErrors(() => credentials.revokeIngestKey(id, now)),

    insertEvents: (batch) =>
      withSqliteErrors(() => {
        try {
          return insertBatch.immediate(batch);
        } catch (error) {
          // Another process (retention from the CLI) dropped a partition we had statements for.
          if (!isMissingTable(error)) throw error;
          partitions.forget();
          return insertBatch.immediate(batch);
        }
      }),
    listEvents: (query) => withSqliteErrors(() => events.list(query)),
    countEvents: (query) => withSqliteErrors(() => events.count(query)),
    listRollups: (query) => withSqliteErrors(() => events.listRollups(query)),
    deleteEventsBefore: (cutoff, limit) => withSqliteErrors(() => events.deleteBefore(cutoff, limit)),
    deleteRollupsBefore: (cutoff, limit) => withSqliteErrors(() => events.deleteRollupsBefore(cutoff, limit)),

    checkWritable: (now) => withSqliteErrors(() => void touchHealth.run({ now })),
    close: () => closeDatabase(db),
  };
}
