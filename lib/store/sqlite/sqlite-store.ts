import 'server-only';
import type Database from 'better-sqlite3';
import type { Store } from '../store';
import type { RuleId } from '../../detection/rule';
import { createAccountTables } from './account-tables';
import { CredentialTables } from './credential-tables';
import { DetectionTables } from './detection-tables';
import { closeDatabase, migrate, openDatabase, withDatabaseFile, type DatabaseOptions } from './database';
import { DatabaseFile } from './database-file';
import { EventTable } from './event-table';
import { InstallSecrets } from './install-secrets';
import { RECENT_TABLE, partitionTableName } from './partition-names';
import { Partitions } from './partitions';
import { RecentEvents } from './recent-events';
import { withSqliteErrors } from './sqlite-errors';
import { TextIndex } from './text-index';

/**
 * The SQLite engine's writing side: the engine-neutral Store, plus the upkeep
 * only this engine needs, run by the writer thread (schedule-indexing.ts).
 */
export interface SqliteStore extends Store {
  /** Moves at most `limit` of the oldest recent events into their day partitions; returns how many moved. */
  indexRecentEvents(limit: number): number;
  /**
   * One step of the free-text index behind the indexer (text-index.ts), a
   * transaction sized to take about `budgetMs`; returns whether work remains
   * that it would do now (rows wait only in small numbers unless `quiet`).
   */
  indexText(options: { budgetMs: number; quiet: boolean }): boolean;
  /** How many stored events wait for `indexRecentEvents`. */
  unindexedEventCount(): number;
}

function isMissingTable(error: unknown): boolean {
  return error instanceof Error && /no such table: events_p/.test(error.message);
}

/**
 * Before migration 002 each partition numbered its own rows; the recent table's
 * AUTOINCREMENT must start above all of them, so a moved row never meets a seq
 * already taken in its partition. Runs once, at open.
 */
function continueSequence(db: Database.Database, partitions: Partitions): void {
  const started = db.prepare(`SELECT 1 FROM sqlite_sequence WHERE name = '${RECENT_TABLE}'`).get();
  if (started) return;
  let highest = 0;
  for (const day of partitions.days()) {
    const seq = db.prepare(`SELECT max(seq) FROM ${partitionTableName(day)}`).pluck().get() as number | null;
    highest = Math.max(highest, seq ?? 0);
  }
  if (highest > 0) db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(RECENT_TABLE, highest);
}

/** Opens (and migrates) the database for writing. */
export function createSqliteStore(options: DatabaseOptions): SqliteStore {
  const db: Database.Database = openDatabase(options);
  withDatabaseFile(options.file, () => migrate(db));
  const file = new DatabaseFile(options.file);
  const partitions = new Partitions(db);
  partitions.upgradeAll();
  continueSequence(db, partitions);
  const credentials = new CredentialTables(db);
  const detection = new DetectionTables(db);
  const secrets = new InstallSecrets(db);
  withSqliteErrors(() => secrets.get('event_id_digest'));
  const recent = new RecentEvents(db);
  const text = new TextIndex(db, options.synchronous);
  const events = new EventTable(db, partitions, recent, options.synchronous, text);
  const touchHealth = db.prepare(
    'INSERT INTO health (id, checked_at) VALUES (1, @now) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at',
  );

  /** Runs a write once more if another process (retention from the CLI) dropped a partition we had statements for. */
  const afterDroppedPartition = <T>(write: () => T): T => {
    try {
      return write();
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      partitions.forget();
      text.forget();
      return write();
    }
  };

  return {
    accounts: createAccountTables(db),
    addService: (name, now) => withSqliteErrors(() => credentials.addService(name, now)),
    findServiceByName: (name) => withSqliteErrors(() => credentials.findServiceByName(name)),
    listServices: () => withSqliteErrors(() => credentials.listServices()),
    insertIngestKey: (key) => withSqliteErrors(() => credentials.insertIngestKey(key)),
    findIngestKey: (id) => withSqliteErrors(() => credentials.findIngestKey(id)),
    listIngestKeys: () => withSqliteErrors(() => credentials.listIngestKeys()),
    revokeIngestKey: (id, now) => withSqliteErrors(() => credentials.revokeIngestKey(id, now)),

    // The file is checked after the commit too: a commit to a deleted file must not be acknowledged.
    insertEvents: (batch) =>
      withSqliteErrors(() => {
        file.check();
        const outcomes = afterDroppedPartition(() => events.insert(batch));
        file.check();
        return outcomes;
      }),
    indexRecentEvents: (limit) => withSqliteErrors(() => afterDroppedPartition(() => events.indexRecent(limit))),
    indexText: (options) => withSqliteErrors(() => afterDroppedPartition(() => text.indexNext(options))),
    unindexedEventCount: () => recent.size,
    deleteEventsBefore: (cutoff, limit) => withSqliteErrors(() => afterDroppedPartition(() => events.deleteBefore(cutoff, limit))),
    deleteRollupsBefore: (cutoff, limit) => withSqliteErrors(() => events.deleteRollupsBefore(cutoff, limit)),

    changeAlert: (id, change) => withSqliteErrors(() => detection.changeAlert(id, change)),
    ruleSettings: () => withSqliteErrors(() => detection.ruleSettings()),
    saveRuleSettings: (rule, params, by, now) => withSqliteErrors(() => detection.saveRuleSettings(rule as RuleId, params, by, now)),

    installSecret: (name) => withSqliteErrors(() => secrets.get(name)),
    checkWritable: (now) =>
      withSqliteErrors(() => {
        file.check();
        touchHealth.run({ now });
      }),
    close: () => {
      file.close();
      closeDatabase(db);
    },
  };
}
