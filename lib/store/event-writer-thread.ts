/**
 * The event writer thread: owns the connection that stores events and the
 * indexer that moves them, so the fsync of every ingest commit, and every
 * indexer slice, runs beside the main thread instead of blocking it. Bundled
 * by scripts/build-server-bundles.mjs; started by event-writer.ts.
 */
import { workerData } from 'node:worker_threads';
import { serveRequests } from '../threads/serve-requests';
import { fromEventRow, type EventRow } from './event-row';
import { toWrittenOutcomes, type WriterData } from './event-writer';
import { DEFAULT_INDEXING, scheduleIndexing, warnUpkeepFailed } from './schedule-indexing';
import { createSqliteStore } from './sqlite/sqlite-store';

const { database } = workerData as WriterData;
const store = createSqliteStore(database);
const stopIndexing = scheduleIndexing(store, { ...DEFAULT_INDEXING, onError: warnUpkeepFailed });

serveRequests(
  'event writer',
  (rows: readonly EventRow[]) => toWrittenOutcomes(store.insertEvents(rows.map(fromEventRow))),
  () => {
    stopIndexing();
    store.close();
  },
);
