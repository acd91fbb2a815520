import 'server-only';
import { log } from '../log';
import { ThreadClient, offeredThread } from '../threads/thread-client';
import type { DatabaseOptions } from './sqlite/database';
import type { EventRow } from './event-row';
import type { InsertOutcome } from './store';
import { startCheckpointerThread } from './checkpointer';
import { LastWrite } from './last-write';

/** Where events are written: a thread of their own in the production server, the store itself elsewhere. */
export interface EventWriter {
  insert(rows: readonly EventRow[]): Promise<InsertOutcome[]>;
  /** Resolves if the store's last write succeeded, throws its error if not; see LastWrite. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** An outcome as it crosses from the writer thread: the stored event's seq, or 0 for a duplicate (seqs start at 1). */
export type WrittenOutcome = number;

/** What the writer thread is asked: to store rows, or (for readiness) to commit one small write. */
export type WriterRequest = { kind: 'insert'; rows: readonly EventRow[] } | { kind: 'probe'; now: number };

export function toWrittenOutcomes(outcomes: readonly InsertOutcome[]): WrittenOutcome[] {
  return outcomes.map((outcome) => (outcome.stored ? outcome.seq : 0));
}

function fromWrittenOutcomes(written: readonly WrittenOutcome[]): InsertOutcome[] {
  return written.map((seq) => (seq > 0 ? { stored: true, seq } : { stored: false }));
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
  // Started first: the writer's connection leaves checkpoints to it only if it runs.
  const checkpointer = startCheckpointerThread(database);
  const writerDatabase = { ...database, autocheckpoint: checkpointer === undefined };
  const thread = new ThreadClient<WriterRequest, WrittenOutcome[]>('event writer', () => spawnThread({ database: writerDatabase }), 'ERR_STORE_UNAVAILABLE');
  const lastWrite = new LastWrite(async () => void (await thread.request({ kind: 'probe', now: Date.now() })));
  log.info('event writer thread started', {});
  return {
    insert: async (rows) => fromWrittenOutcomes(await lastWrite.track(thread.request({ kind: 'insert', rows }))),
    ready: () => lastWrite.ready(),
    close: async () => {
      await thread.close();
      await checkpointer?.close();
    },
  };
}
