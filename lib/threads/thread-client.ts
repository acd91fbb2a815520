import 'server-only';
import type { Worker } from 'node:worker_threads';
import { AuthwatchError } from '../errors';
import { log } from '../log';
import { fromFailure, type ThreadReply, type ThreadRequest } from './thread-messages';

type Pending<Value> = { resolve: (value: Value) => void; reject: (error: unknown) => void };

export type ThreadName = 'event-writer' | 'event-preparer' | 'event-reader' | 'detection' | 'checkpointer';

/**
 * How to start the named thread, where server.js offered it (server/bundles.js
 * puts the spawn functions on globalThis under `authwatch.threads`, from
 * bundles scripts/build-server-bundles.mjs built). The bundler never sees the
 * Worker, which it would try to resolve at build time. Undefined without server.js.
 */
export function offeredThread<Data = undefined>(name: ThreadName): ((data: Data) => Worker) | undefined {
  const offered = (globalThis as Record<symbol, Partial<Record<ThreadName, (data: unknown) => Worker>> | undefined>)[Symbol.for('authwatch.threads')];
  return offered?.[name];
}

/**
 * Sends work to a worker thread (one that runs serveRequests) and resolves each
 * request with the thread's reply. A thread that exits fails what it had not
 * answered with a retryable 503, and another is started on the next request.
 */
export class ThreadClient<Payload, Value> {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending<Value>>();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  constructor(
    /** Names the thread in logs and errors: "event writer". */
    private readonly name: string,
    private readonly spawnThread: () => Worker,
    /** What a request fails with while the thread is gone: the store's code for the thread that writes. */
    private readonly unavailableCode: 'ERR_STORE_UNAVAILABLE' | 'ERR_UNAVAILABLE' = 'ERR_UNAVAILABLE',
  ) {
    this.worker = this.spawn();
  }

  request(payload: Payload): Promise<Value> {
    if (this.closing) return Promise.reject(this.unavailable('the server is shutting down'));
    this.worker ??= this.spawn();
    const id = this.nextId++;
    const message: ThreadRequest<Payload> = { kind: 'request', id, payload };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage(message);
    });
  }

  /** Lets the thread finish what it was sent, then stop. */
  close(): Promise<void> {
    const worker = this.worker;
    this.closing ??= worker
      ? new Promise<void>((resolve) => {
          worker.once('exit', () => resolve());
          worker.postMessage({ kind: 'close' } satisfies ThreadRequest<Payload>);
        })
      : Promise.resolve();
    return this.closing;
  }

  private unavailable(message: string): AuthwatchError {
    return new AuthwatchError(this.unavailableCode, message, { retryAfterSeconds: 1 });
  }

  private spawn(): Worker {
    const worker = this.spawnThread();
    worker.on('message', (reply: ThreadReply<Value>) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.kind === 'done') pending?.resolve(reply.value);
      else pending?.reject(fromFailure(reply.failure));
    });
    worker.on('error', (error) => log.error(`${this.name} thread failed`, { error: error.message }));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (this.pending.size === 0) return;
      // Work the thread never answered may or may not have been done: the client must retry, and
      // idempotency makes the retry of a write safe.
      if (!this.closing) log.error(`${this.name} thread exited; starting another on the next request`, { code });
      for (const { reject } of this.pending.values()) reject(this.unavailable(`the ${this.name} stopped; retry`));
      this.pending.clear();
    });
    return worker;
  }
}
