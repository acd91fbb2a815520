import 'server-only';
import { ThreadClient, offeredThread } from '../threads/thread-client';
import type { DatabaseOptions } from './sqlite/database';
import type { SqliteReader } from './sqlite/sqlite-reader';
import type { EventReader } from './store';

/** The read verbs, as they cross to a reader thread: a verb's name and its arguments. */
export type ReadVerb = Exclude<keyof SqliteReader, 'close'>;
export type ReadRequest = { [Verb in ReadVerb]: { verb: Verb; args: Parameters<SqliteReader[Verb]> } }[ReadVerb];

/** What a reader thread is started with (event-reader-thread.ts). */
export type ReaderData = { database: Omit<DatabaseOptions, 'readOnly'> };

/** Runs one request against a synchronous reader: the thread's whole job, and the in-process reader's. */
export function serveRead(reader: SqliteReader, request: ReadRequest): unknown {
  return (reader[request.verb] as (...args: unknown[]) => unknown)(...request.args);
}

function asyncReader(send: (request: ReadRequest) => Promise<unknown>, close: () => Promise<void>): EventReader {
  const call =
    <Verb extends ReadVerb>(verb: Verb) =>
    (...args: Parameters<SqliteReader[Verb]>) =>
      send({ verb, args } as ReadRequest) as Promise<ReturnType<SqliteReader[Verb]>>;
  return {
    listEvents: call('listEvents'),
    countEvents: call('countEvents'),
    getEvent: call('getEvent'),
    eventsAfter: call('eventsAfter'),
    bucketCounts: call('bucketCounts'),
    topValues: call('topValues'),
    listAlerts: call('listAlerts'),
    alertStatusCounts: call('alertStatusCounts'),
    getAlert: call('getAlert'),
    alertsOpenedSince: call('alertsOpenedSince'),
    backtest: call('backtest'),
    close,
  };
}

/**
 * Reader threads, each with its own read-only connection, so no query ever
 * runs on the thread that serves ingest; a request goes to the thread with the
 * least work waiting. Undefined where server.js offered no thread bundle.
 */
export function startEventReaderThreads(database: ReaderData['database'], threads: number): EventReader | undefined {
  const spawnThread = offeredThread<ReaderData>('event-reader');
  if (!spawnThread) return undefined;
  const pool = Array.from({ length: threads }, (_, index) => ({
    client: new ThreadClient<ReadRequest, unknown>(`event reader ${index + 1}`, () => spawnThread({ database })),
    waiting: 0,
  }));
  const send = async (request: ReadRequest) => {
    const thread = pool.reduce((idlest, candidate) => (candidate.waiting < idlest.waiting ? candidate : idlest));
    thread.waiting++;
    try {
      return await thread.client.request(request);
    } finally {
      thread.waiting--;
    }
  };
  return asyncReader(send, async () => void (await Promise.all(pool.map((thread) => thread.client.close()))));
}

/** The same verbs on this thread, for the CLI, scripts and tests. */
export function inProcessReader(reader: SqliteReader): EventReader {
  return asyncReader(
    async (request) => serveRead(reader, request),
    async () => reader.close(),
  );
}
