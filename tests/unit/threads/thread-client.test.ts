import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { AuthwatchError } from '@/lib/errors';
import { ThreadClient } from '@/lib/threads/thread-client';
import type { ThreadReply, ThreadRequest } from '@/lib/threads/thread-messages';

/** A worker thread stand-in: records what it is sent, replies and exits when the test says so. */
class FakeThread extends EventEmitter {
  readonly received: ThreadRequest<string>[] = [];
  postMessage(message: ThreadRequest<string>): void {
    this.received.push(message);
  }
  reply(message: ThreadReply<string>): void {
    this.emit('message', message);
  }
  exit(code = 1): void {
    this.emit('exit', code);
  }
}

function clientWithFakeThreads(code?: 'ERR_STORE_UNAVAILABLE') {
  const threads: FakeThread[] = [];
  const client = new ThreadClient<string, string>(
    'test thread',
    () => {
      const thread = new FakeThread();
      threads.push(thread);
      return thread as unknown as Worker;
    },
    code,
  );
  const requestIds = (thread: FakeThread) => thread.received.flatMap((message) => (message.kind === 'request' ? [message.id] : []));
  return { client, threads, requestIds };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof AuthwatchError ? { code: error.code, retryAfterSeconds: error.retryAfterSeconds } : error),
  );

describe('ThreadClient', () => {
  it('resolves each request with the reply that carries its id, whatever the order of the replies', async () => {
    const { client, threads, requestIds } = clientWithFakeThreads();
    const first = client.request('a');
    const second = client.request('b');
    const [idA, idB] = requestIds(threads[0]);
    threads[0].reply({ kind: 'done', id: idB, value: 'B' });
    threads[0].reply({ kind: 'done', id: idA, value: 'A' });
    expect(await Promise.all([first, second])).toEqual(['A', 'B']);
    expect(threads[0].received.map((message) => message.kind === 'request' && message.payload)).toEqual(['a', 'b']);
  });

  it('rejects a request the thread failed with the failure code and Retry-After', async () => {
    const { client, threads, requestIds } = clientWithFakeThreads();
    const request = client.request('a');
    threads[0].reply({ kind: 'failed', id: requestIds(threads[0])[0], failure: { code: 'ERR_STORE_BUSY', message: 'busy', retryAfterSeconds: 1 } });
    expect(await codeOf(request)).toEqual({ code: 'ERR_STORE_BUSY', retryAfterSeconds: 1 });
  });

  it('fails what an exited thread left unanswered with a retryable 503, and starts another thread for the next request', async () => {
    const { client, threads, requestIds } = clientWithFakeThreads();
    const lost = client.request('a');
    threads[0].exit();
    expect(await codeOf(lost)).toEqual({ code: 'ERR_UNAVAILABLE', retryAfterSeconds: 1 });

    const next = client.request('b');
    expect(threads).toHaveLength(2);
    threads[1].reply({ kind: 'done', id: requestIds(threads[1])[0], value: 'B' });
    expect(await next).toBe('B');
  });

  it('uses the code it was given for an exited thread', async () => {
    const { client, threads } = clientWithFakeThreads('ERR_STORE_UNAVAILABLE');
    const lost = client.request('a');
    threads[0].exit();
    expect(await codeOf(lost)).toEqual({ code: 'ERR_STORE_UNAVAILABLE', retryAfterSeconds: 1 });
  });

  it('asks the thread to close, resolves once it has exited, and refuses requests from then on', async () => {
    const { client, threads } = clientWithFakeThreads();
    const closed = client.close();
    expect(threads[0].received).toEqual([{ kind: 'close' }]);
    threads[0].exit(0);
    await closed;
    expect(await codeOf(client.request('late'))).toEqual({ code: 'ERR_UNAVAILABLE', retryAfterSeconds: 1 });
    expect(threads).toHaveLength(1);
  });
});
