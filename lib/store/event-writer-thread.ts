/**
 * The event writer thread: owns the connection that stores events and the
 * indexer that moves them, so the fsync of every ingest commit, and every
 * indexer slice, runs beside the main thread instead of blocking it. Bundled
 * by scripts/build-server-bundles.mjs; started by event-writer.ts. Every write
 * reports to one StoreCondition, which logs a failing store once, not per write.
 */
import { workerData } from 'node:worker_threads';
import { serveRequests } from '../threads/serve-requests';
import { fromEventRow } from './event-row';
import { toWrittenOutcomes, type WriterData, type WriterRequest, type WrittenOutcome } from './event-writer';
import { DEFAULT_INDEXING, scheduleIndexing } from './schedule-indexing';
import { createSqliteStore } from './sqlite/sqlite-store';
import { StoreCondition } from './store-condition';

const { database } = workerData as WriterData;
const store = createSqliteStore(database);
const condition = new StoreCondition();
// The indexer reports its successes too (it tries a slice at least every 100 ms), so a recovery is seen without ingest.
const stopIndexing = scheduleIndexing(
  {
    indexRecentEvents: (limit) => condition.observe(() => store.indexRecentEvents(limit)),
    unindexedEventCount: () => store.unindexedEventCount(),
    indexText: (options) => condition.observe(() => store.indexText(options)),
  },
  // observe() has noted the failure already; the indexer retries after retryMs.
  { ...DEFAULT_INDEXING, onError: () => {} },
);

function write(request: WriterRequest): WrittenOutcome[] {
  if (request.kind === 'insert') return toWrittenOutcomes(store.insertEvents(request.rows.map(fromEventRow)));
  store.checkWritable(request.now);
  return [];
}

serveRequests(
  'event writer',
  (request: WriterRequest) => condition.observe(() => write(request)),
  () => {
    stopIndexing();
    store.close();
  },
);
