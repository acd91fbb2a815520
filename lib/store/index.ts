import 'server-only';
import { getConfig } from '../config';
import { onShutdown } from '../lifecycle';
import { log } from '../log';
import { DEFAULT_INDEXING, scheduleIndexing } from './schedule-indexing';
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

export function getStore(): Store {
  const holder = globalThis as WithStore;
  if (!holder[STORE_KEY]) {
    const config = getConfig();
    holder[STORE_KEY] = createSqliteStore({
      file: config.AUTHWATCH_DB,
      synchronous: config.AUTHWATCH_SQLITE_SYNC,
      busyTimeoutMs: config.AUTHWATCH_SQLITE_BUSY_TIMEOUT_MS,
      cacheMegabytes: config.AUTHWATCH_SQLITE_CACHE_MB,
    });
    onShutdown('store', closeStore);
  }
  return holder[STORE_KEY];
}

const INDEXING_KEY = Symbol.for('authwatch.indexing');
type WithIndexing = typeof globalThis & { [INDEXING_KEY]?: () => void };

/** Starts, once per process, moving stored events into the indexed partitions; it stops before the store closes. */
export function startIndexing(): void {
  const holder = globalThis as WithIndexing;
  if (holder[INDEXING_KEY]) return;
  const stop = scheduleIndexing(getStore(), {
    ...DEFAULT_INDEXING,
    onError: (error) => log.warn('indexing failed; will retry', { error: error instanceof Error ? error.message : 'unknown' }),
  });
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
