import 'server-only';
import { getConfig } from '../config';
import { onShutdown } from '../lifecycle';
import { log } from '../log';
import { startEventWriterThread, type EventWriter } from './event-writer';
import { DEFAULT_INDEXING, scheduleIndexing, warnUpkeepFailed } from './schedule-indexing';
import type { DatabaseOptions } from './sqlite/database';
import type { Store } from './store';
import { createSqliteStore } from './sqlite/sqlite-store';

export type { Store } from './store';

/**
 * One store per process, kept on globalThis: Next.js may load this module in
 * more than one bundle, and a second SQLite handle would fight the first for locks.
 * It closes itself on shutdown (see lib/lifecycle.ts).
 */
const STORE_KEY = Symbol.for('authwatch.store');
type WithStore = typeof globalThis & { [STORE_KEY]?: Store };

function databaseOptions(): DatabaseOptions {
  const config = getConfig();
  return {
    file: config.AUTHWATCH_DB,
    synchronous: config.AUTHWATCH_SQLITE_SYNC,
    busyTimeoutMs: config.AUTHWATCH_SQLITE_BUSY_TIMEOUT_MS,
    cacheMegabytes: config.AUTHWATCH_SQLITE_CACHE_MB,
  };
}

export function getStore(): Store {
  const holder = globalThis as WithStore;
  if (!holder[STORE_KEY]) {
    holder[STORE_KEY] = createSqliteStore(databaseOptions());
    onShutdown('store', closeStore);
  }
  return holder[STORE_KEY];
}

const WRITER_KEY = Symbol.for('authwatch.event-writer');
type WithWriter = typeof globalThis & { [WRITER_KEY]?: { writer: EventWriter | undefined } };

/**
 * The process's event writer thread, started on first use after the store has
 * opened (and migrated) the database; undefined where the build made no thread
 * bundle, and events are then written by the store on the calling thread.
 */
export function getEventWriter(): EventWriter | undefined {
  const holder = globalThis as WithWriter;
  if (!holder[WRITER_KEY]) {
    getStore();
    const writer = startEventWriterThread(databaseOptions());
    holder[WRITER_KEY] = { writer };
    if (writer) {
      log.info('event writer thread started', {});
      onShutdown('event-writer', () => writer.close());
    }
  }
  return holder[WRITER_KEY].writer;
}

const INDEXING_KEY = Symbol.for('authwatch.indexing');
type WithIndexing = typeof globalThis & { [INDEXING_KEY]?: () => void };

/**
 * Starts, once per process, moving stored events into the indexed partitions;
 * it stops before the store closes. The writer thread, where there is one, runs
 * its own indexer instead: only the connection that inserts knows the keys.
 */
export function startIndexing(): void {
  const holder = globalThis as WithIndexing;
  if (holder[INDEXING_KEY] || getEventWriter()) return;
  const stop = scheduleIndexing(getStore(), { ...DEFAULT_INDEXING, onError: warnUpkeepFailed });
  holder[INDEXING_KEY] = stop;
  onShutdown('indexing', () => {
    stop();
    delete holder[INDEXING_KEY];
  });
}

export function closeStore(): void {
  const holder = globalThis as WithStore;
  holder[STORE_KEY]?.close();
  delete holder[STORE_KEY];
}
