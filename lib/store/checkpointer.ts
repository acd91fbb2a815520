import 'server-only';
import { ThreadClient, offeredThread } from '../threads/thread-client';
import type { DatabaseOptions } from './sqlite/database';

/** What the checkpointer thread is started with (checkpoint-thread.ts). */
export type CheckpointerData = { database: DatabaseOptions };

export const CHECKPOINT_EVERY_MS = 100;
/**
 * How long a checkpoint that makes the WAL start over may wait for the writer
 * and for readers, holding off the writer's next commit meanwhile; past it,
 * the next tick tries again.
 */
const RESTART_WAIT_MS = 100;

/**
 * The checkpointer thread, where the server can start one: every
 * `everyMs` it copies what the WAL holds into the database file (a PASSIVE
 * checkpoint, which never waits for the writer or a reader), on a
 * connection and a core of its own (past 64 MiB of WAL, one that makes the WAL
 * start over: checkpointWal). The writer then checkpoints neither between its
 * commits nor inside one, but for a backstop at 256 MiB (database.ts), so the
 * page copies and the database file's fsync leave the thread that stores and
 * indexes events. A checkpoint still running
 * when the next is due is not doubled.
 */
export function startCheckpointerThread(database: DatabaseOptions, everyMs = CHECKPOINT_EVERY_MS): { close(): Promise<void> } | undefined {
  const spawnThread = offeredThread<CheckpointerData>('checkpointer');
  if (!spawnThread) return undefined;
  const thread = new ThreadClient<null, void>('checkpointer', () => spawnThread({ database: { ...database, busyTimeoutMs: RESTART_WAIT_MS } }));
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
