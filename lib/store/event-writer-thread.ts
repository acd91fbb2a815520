/**
 * The event writer thread: owns the connection that stores events and the
 * indexer that moves them, so the fsync of every ingest commit, and every
 * indexer slice, runs beside the main thread instead of blocking it. Bundled
 * by scripts/build-server-bundles.mjs; started by event-writer.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { log } from '../log';
import { DEFAULT_INDEXING, scheduleIndexing } from './schedule-indexing';
import { createSqliteStore } from './sqlite/sqlite-store';
import { toFailure, type WriterData, type WriterReply, type WriterRequest } from './writer-protocol';

const port = parentPort;
if (!port) throw new Error('event-writer-thread runs as a worker thread');
const { database } = workerData as WriterData;
const store = createSqliteStore(database);
const reply = (message: WriterReply) => port.postMessage(message);
const stopIndexing = scheduleIndexing(store, {
  ...DEFAULT_INDEXING,
  onError: (error) => log.warn('indexing failed; will retry', { error: toFailure(error).message }),
});

port.on('message', (request: WriterRequest) => {
  if (request.kind === 'close') {
    stopIndexing();
    store.close();
    port.close();
    return;
  }
  try {
    reply({ kind: 'inserted', id: request.id, outcomes: store.insertEvents(request.records) });
  } catch (error) {
    const failure = toFailure(error);
    // Only the error's class and code are logged: a message could quote event data.
    if (failure.code === 'ERR_INTERNAL') log.error('event write failed', { error: error instanceof Error ? error.name : 'unknown' });
    reply({ kind: 'failed', id: request.id, failure });
  }
});
