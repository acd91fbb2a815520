import 'server-only';
import type Database from 'better-sqlite3';
import type { AlertDetail, AlertPage, BacktestInput, BacktestOutcome, AlertQuery, AlertStatusCounts, BucketCount, BucketSize, EventFilter, EventPage, EventQuery, StoredEvent, TopQuery, TopValues } from '../store';
import { AlertQueries } from './alert-queries';
import { backtestStored } from './backtest-queries';
import { AggregateQueries } from './aggregate-queries';
import { closeDatabase, openDatabase, type DatabaseOptions } from './database';
import { EventQueries } from './event-queries';
import { PartitionCatalog } from './partition-catalog';
import { withSqliteErrors } from './sqlite-errors';

/** The SQLite engine's read verbs, synchronous: the reader thread (event-reader-thread.ts) serves them. */
export type SqliteReader = {
  listEvents(query: EventQuery): EventPage;
  countEvents(filter: EventFilter): number;
  getEvent(seq: number): StoredEvent | undefined;
  eventsAfter(afterSeq: number, limit: number): StoredEvent[];
  bucketCounts(query: { since: number; until: number; bucket: BucketSize; serviceIds?: readonly number[]; types?: readonly number[]; by?: 'type' }): BucketCount[];
  topValues(query: TopQuery): TopValues;
  listAlerts(query: AlertQuery): AlertPage;
  alertStatusCounts(query: AlertQuery): AlertStatusCounts;
  getAlert(id: number): AlertDetail | undefined;
  alertsOpenedSince(since: number): Record<string, number>;
  backtest(input: BacktestInput): BacktestOutcome;
  close(): void;
};

/**
 * Opens a connection that only reads (`query_only`: SQLite itself refuses a
 * write or DDL on it). The database must exist and be migrated: the writing
 * side opens it first. Every verb runs in one read transaction, one snapshot.
 */
export function openSqliteReader(options: Omit<DatabaseOptions, 'readOnly'>): SqliteReader {
  const db: Database.Database = withSqliteErrors(() => openDatabase({ ...options, readOnly: true }));
  const catalog = new PartitionCatalog(db);
  const events = new EventQueries(db, catalog);
  const aggregates = new AggregateQueries(db, catalog);
  const alerts = new AlertQueries(db);
  const snapshot = <T>(read: () => T): T => withSqliteErrors(() => (db.inTransaction ? read() : db.transaction(read).deferred()));
  return {
    listEvents: (query) => snapshot(() => events.list(query)),
    countEvents: (filter) => snapshot(() => events.count(filter)),
    getEvent: (seq) => snapshot(() => events.get(seq)),
    eventsAfter: (afterSeq, limit) => snapshot(() => events.after(afterSeq, limit)),
    bucketCounts: (query) => snapshot(() => aggregates.bucketCounts(query)),
    topValues: (query) => snapshot(() => aggregates.topValues(query)),
    listAlerts: (query) => snapshot(() => alerts.list(query)),
    alertStatusCounts: (query) => snapshot(() => alerts.statusCounts(query)),
    getAlert: (id) => snapshot(() => alerts.get(id)),
    alertsOpenedSince: (since) => snapshot(() => alerts.openedSince(since)),
    backtest: (input) => withSqliteErrors(() => backtestStored(events, catalog, snapshot, input)),
    close: () => closeDatabase(db),
  };
}
