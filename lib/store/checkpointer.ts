import 'server-only';
import { ThreadClient, offeredThread } from '../threads/thread-client';
import type { DatabaseOptions } from './sqlite/database';

/** What the checkpointer thread is started with (checkpoint-thread.ts). */
export type CheckpointerData = { database: DatabaseOptions };

export const CHECKPOINT_EVERY_MS = 100;

/**
 * The checkpointer thread, where the server can start one: every
 * `everyMs` it copies what the WAL holds into the database file (a PASSIVE
 * checkpoint, which never waits for the writer or a reader), on a
 * connection and a core of its own. The writer then neither checkpoints
 * between its commits nor inside one (its connection's autocheckpoint is off,
 * event-writer.ts), so the page copies and the database file's fsync leave
 * the thread that stores and indexes events. A checkpoint still running
 * when the next is due is not doubled.
 */
export function startCheckpointerThread(database: DatabaseOptions, everyMs = CHECKPOINT_EVERY_MS): { close(): Promise<void> } | undefined {
  const spawnThread = offeredThread<CheckpointerData>('checkpointer');
  if (!spawnThread) return undefined;
  const thread = new ThreadClient<null, void>('checkpointer', () => spawnThread({ database }));
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    // A failure is the thread's to log (checkpoint-thread.ts); the next tick tries again.
    thread
      .request(null)
      .catch(() => {})
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      await thread.close();
    },
  };
}
