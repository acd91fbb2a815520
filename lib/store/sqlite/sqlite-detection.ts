import 'server-only';
import type Database from 'better-sqlite3';
import type { StoredEvent } from '../store';
import { closeDatabase, openDatabase, type DatabaseOptions } from './database';
import { DetectionTables } from './detection-tables';
import { EventQueries } from './event-queries';
import { PartitionCatalog } from './partition-catalog';
import { RECENT_TABLE } from './partition-names';
import { withSqliteErrors } from './sqlite-errors';

/**
 * The detection engine's connection: it reads the events after its position
 * (in one snapshot) and writes detection's own tables, never events. The
 * database must exist and be migrated: the writing side opens it first.
 */
export type SqliteDetection = {
  store: DetectionTables;
  eventsAfter(seq: number, limit: number): StoredEvent[];
  /** The highest seq ingest has given out: whether it grew tells the engine that ingest is busy. */
  latestSeq(): number;
  close(): void;
};

export function openSqliteDetection(options: Omit<DatabaseOptions, 'readOnly'>): SqliteDetection {
  const db: Database.Database = withSqliteErrors(() => openDatabase(options));
  const events = new EventQueries(db, new PartitionCatalog(db));
  const latest = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = '${RECENT_TABLE}'`).pluck();
  return {
    store: new DetectionTables(db),
    eventsAfter: (seq, limit) => withSqliteErrors(() => db.transaction(() => events.after(seq, limit)).deferred()),
    latestSeq: () => withSqliteErrors(() => (latest.get() as number | undefined) ?? 0),
    close: () => closeDatabase(db),
  };
}

/**
 * How many stored events detection has yet to read (the highest seq given out
 * less its position), on a read-only connection of its own: the page
 * benchmark measures once a freshly seeded database has been caught up with,
 * not while detection reads millions of events beside the page.
 */
export function detectionBacklog(file: string): number {
  const db: Database.Database = withSqliteErrors(() => openDatabase({ file, readOnly: true, synchronous: 'FULL', busyTimeoutMs: 1_000, cacheMegabytes: 2 }));
  try {
    const latest = (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = '${RECENT_TABLE}'`).pluck().get() as number | undefined) ?? 0;
    return Math.max(0, latest - new DetectionTables(db).position());
  } finally {
    closeDatabase(db);
  }
}
