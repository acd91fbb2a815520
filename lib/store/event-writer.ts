import 'server-only';
import type { Worker } from 'node:worker_threads';
import { AuthwatchError } from '../errors';
import { log } from '../log';
import type { DatabaseOptions } from './sqlite/database';
import type { EventRecord, InsertOutcome } from './store';
import { fromFailure, type WriterData, type WriterReply, type WriterRequest } from './writer-protocol';

/** Where events are written: a thread of their own in the production server, the store itself elsewhere. */
export interface EventWriter {
  insert(records: readonly EventRecord[]): Promise<InsertOutcome[]>;
  close(): Promise<void>;
}

/**
 * server.js registers how to start the thread (its bundle is built by
 * scripts/build-server-bundles.mjs); the bundler never sees the Worker, which it
 * would try to resolve at build time. Without server.js there is no thread.
 */
const SPAWN_KEY = Symbol.for('authwatch.spawn-event-writer-thread');
type SpawnThread = (data: WriterData) => Worker;
type WithSpawn = typeof globalThis & { [SPAWN_KEY]?: SpawnThread };

/**
 * The writer thread, where the server can start one. It stores events on a
 * connection of its own and runs the indexer, so neither the fsync of a commit
 * nor an indexer slice holds up the main thread's requests.
 */
export function startEventWriterThread(database: DatabaseOptions): EventWriter | undefined {
  const spawnThread = (globalThis as WithSpawn)[SPAWN_KEY];
  return spawnThread ? new ThreadWriter(database, spawnThread) : undefined;
}

type Pending = { resolve: (outcomes: InsertOutcome[]) => void; reject: (error: unknown) => void };

class ThreadWriter implements EventWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly database: DatabaseOptions,
    private readonly spawnThread: SpawnThread,
  ) {
    this.worker = this.spawn();
  }

  insert(records: readonly EventRecord[]): Promise<InsertOutcome[]> {
    if (this.closing) return Promise.reject(new AuthwatchError('ERR_STORE_UNAVAILABLE', 'the server is shutting down', { retryAfterSeconds: 1 }));
    this.worker ??= this.spawn();
    const id = this.nextId++;
    const request: WriterRequest = { kind: 'insert', id, records };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage(request);
    });
  }

  /** Lets the thread finish what it was sent, stop its indexer and close its connection. */
  close(): Promise<void> {
    const worker = this.worker;
    this.closing ??= worker
      ? new Promise<void>((resolve) => {
          worker.once('exit', () => resolve());
          worker.postMessage({ kind: 'close' } satisfies WriterRequest);
        })
      : Promise.resolve();
    return this.closing;
  }

  private spawn(): Worker {
    const worker = this.spawnThread({ database: this.database });
    worker.on('message', (reply: WriterReply) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.kind === 'inserted') pending?.resolve(reply.outcomes);
      else pending?.reject(fromFailure(reply.failure));
    });
    worker.on('error', (error) => log.error('event writer thread failed', { error: error.message }));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (this.pending.size === 0) return;
      // A write the thread never answered may or may not have committed: the client must retry, and
      // idempotency makes the retry safe.
      if (!this.closing) log.error('event writer thread exited; starting another on the next write', { code });
      for (const { reject } of this.pending.values()) {
        reject(new AuthwatchError('ERR_STORE_UNAVAILABLE', 'the event writer stopped; retry', { retryAfterSeconds: 1 }));
      }
      this.pending.clear();
    });
    return worker;
  }
}
