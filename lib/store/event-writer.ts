import 'server-only';
import { ThreadClient, offeredThread } from '../threads/thread-client';
import type { DatabaseOptions } from './sqlite/database';
import type { EventRow } from './event-row';
import type { InsertOutcome } from './store';

/** Where events are written: a thread of their own in the production server, the store itself elsewhere. */
export interface EventWriter {
  insert(rows: readonly EventRow[]): Promise<InsertOutcome[]>;
  close(): Promise<void>;
}

/** What the writer thread is started with (event-writer-thread.ts). */
export type WriterData = { database: DatabaseOptions };

/**
 * The writer thread, where the server can start one. It stores events on a
 * connection of its own and runs the indexer, so neither the fsync of a commit
 * nor an indexer slice holds up the main thread's requests.
 */
export function startEventWriterThread(database: DatabaseOptions): EventWriter | undefined {
  const spawnThread = offeredThread<WriterData>('event-writer');
  if (!spawnThread) return undefined;
  const thread = new ThreadClient<readonly EventRow[], InsertOutcome[]>(
    'event writer',
    () => spawnThread({ database }),
    'ERR_STORE_UNAVAILABLE',
  );
  return { insert: (rows) => thread.request(rows), close: () => thread.close() };
}
