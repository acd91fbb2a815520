import 'server-only';
import type Database from 'better-sqlite3';
import type { StoredEvent } from '../store';
import { closeDatabase, openDatabase, type DatabaseOptions } from './database';
import { DetectionTables } from './detection-tables';
import { EventQueries } from './event-queries';
import { PartitionCatalog } from './partition-catalog';
import { withSqliteErrors } from './sqlite-errors';

/**
 * The detection engine's connection: it reads the events after its position
 * (in one snapshot) and writes detection's own tables, never events. The
 * database must exist and be migrated: the writing side opens it first.
 */
export type SqliteDetection = {
  store: DetectionTables;
  eventsAfter(seq: number, limit: number): StoredEvent[];
  close(): void;
};

export function openSqliteDetection(options: Omit<DatabaseOptions, 'readOnly'>): SqliteDetection {
  const db: Database.Database = withSqliteErrors(() => openDatabase(options));
  const events = new EventQueries(db, new PartitionCatalog(db));
  return {
    store: new DetectionTables(db),
    eventsAfter: (seq, limit) => withSqliteErrors(() => db.transaction(() => events.after(seq, limit)).deferred()),
    close: () => closeDatabase(db),
  };
}
