import 'server-only';
import type Database from 'better-sqlite3';
import type { Store } from '../store';
import { CredentialTables } from './credential-tables';
import { closeDatabase, migrate, openDatabase, type DatabaseOptions } from './database';
import { EventQueries } from './event-queries';
import { EventTable } from './event-table';
import { InstallSecrets } from './install-secrets';
import { Partitions, RECENT_TABLE } from './partitions';
import { RecentEvents } from './recent-events';
import { withSqliteErrors } from './sqlite-errors';

function isMissingTable(error: unknown): boolean {
  return error instanceof Error && /no such table: events_p/.test(error.message);
}

/**
 * Before migration 002 each partition numbered its own rows; the recent table's
 * AUTOINCREMENT must start above all of them, so a moved row never meets a seq
 * already taken in its partition.
 */
function continueSequence(db: Database.Database, partitions: Partitions): void {
  const started = db.prepare(`SELECT 1 FROM sqlite_sequence WHERE name = '${RECENT_TABLE}'`).get();
  if (started) return;
  const highest = partitions.highestSeq();
  if (highest > 0) db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(RECENT_TABLE, highest);
}

/** The SQLite engine behind the `Store` interface. */
export function createSqliteStore(options: DatabaseOptions): Store {
  const db: Database.Database = withSqliteErrors(() => openDatabase(options));
  withSqliteErrors(() => migrate(db));
  const partitions = new Partitions(db);
  partitions.upgradeAll();
  continueSequence(db, partitions);
  const credentials = new CredentialTables(db);
  const secrets = new InstallSecrets(db);
  withSqliteErrors(() => secrets.get('event_id_digest'));
  const recent = new RecentEvents(db);
  const events = new EventTable(db, partitions, recent, options.synchronous);
  const queries = new EventQueries(db, partitions);
  const touchHealth = db.prepare(
    'INSERT INTO health (id, checked_at) VALUES (1, @now) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at',
  );

  const snapshot = <T>(read: () => T): T => (db.inTransaction ? read() : db.transaction(read).deferred());

  /** Runs a write once more if another process (retention from the CLI) dropped a partition we had statements for. */
  const afterDroppedPartition = <T>(write: () => T): T => {
    try {
      return write();
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      partitions.forget();
      return write();
    }
  };

  return {
    addService: (name, now) => withSqliteErrors(() => credentials.addService(name, now)),
    findServiceByName: (name) => withSqliteErrors(() => credentials.findServiceByName(name)),
    listServices: () => withSqliteErrors(() => credentials.listServices()),
    insertIngestKey: (key) => withSqliteErrors(() => credentials.insertIngestKey(key)),
    findIngestKey: (id) => withSqliteErrors(() => credentials.findIngestKey(id)),
    listIngestKeys: () => withSqliteErrors(() => credentials.listIngestKeys()),
    revokeIngestKey: (id, now) => withSqliteErrors(() => credentials.revokeIngestKey(id, now)),

    insertEvents: (batch) => withSqliteErrors(() => afterDroppedPartition(() => events.insert(batch))),
    indexRecentEvents: (limit) => withSqliteErrors(() => afterDroppedPartition(() => events.indexRecent(limit))),
    unindexedEventCount: () => recent.size,
    checkpoint: () => withSqliteErrors(() => void db.pragma('wal_checkpoint(PASSIVE)')),
    // One read transaction per call: its statements see one snapshot, so an event the writer
    // thread moves meanwhile is neither counted twice nor missed.
    listEvents: (query) => withSqliteErrors(() => snapshot(() => queries.list(query))),
    countEvents: (query) => withSqliteErrors(() => snapshot(() => queries.count(query))),
    listRollups: (query) => withSqliteErrors(() => events.listRollups(query)),
    deleteEventsBefore: (cutoff, limit) => withSqliteErrors(() => events.deleteBefore(cutoff, limit)),
    deleteRollupsBefore: (cutoff, limit) => withSqliteErrors(() => events.deleteRollupsBefore(cutoff, limit)),

    installSecret: (name) => withSqliteErrors(() => secrets.get(name)),
    checkWritable: (now) => withSqliteErrors(() => void touchHealth.run({ now })),
    close: () => closeDatabase(db),
  };
}
