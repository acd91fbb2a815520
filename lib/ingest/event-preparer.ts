import 'server-only';
import { onShutdown } from '../lifecycle';
import { log } from '../log';
import { ThreadClient, offeredThread } from '../threads/thread-client';
import { FairQueue } from './fair-queue';
import { MAX_BODY_BYTES } from './read-batch';
import { prepareEvents, type PrepareEventsInput, type PreparedBatch } from './prepare-events';

/** Where request bodies become records: a thread of their own in the production server. */
export interface EventPreparer {
  prepare(input: PrepareEventsInput): Promise<PreparedBatch>;
}

const PREPARER_KEY = Symbol.for('authwatch.event-preparer');
type WithPreparer = typeof globalThis & { [PREPARER_KEY]?: { preparer: EventPreparer | undefined } };

/**
 * The process's preparer thread, started on first use. Parsing, validating,
 * redacting and serialising events is most of ingest's CPU time; on a thread of
 * its own it runs beside the HTTP work of the main thread and the commits of
 * the writer thread instead of after them. Undefined without server.js.
 */
export function getEventPreparer(): EventPreparer | undefined {
  const holder = globalThis as WithPreparer;
  if (!holder[PREPARER_KEY]) {
    const spawnThread = offeredThread('event-preparer');
    const thread = spawnThread && new ThreadClient<PrepareEventsInput, PreparedBatch>('event preparer', () => spawnThread(undefined));
    holder[PREPARER_KEY] = { preparer: thread && { prepare: (input) => thread.request(input) } };
    if (thread) {
      log.info('event preparer thread started', {});
      onShutdown('event-preparer', () => thread.close());
    }
  }
  return holder[PREPARER_KEY].preparer;
}

/**
 * Bytes of bodies in the thread at a time: two full batches and room for
 * small requests beside them. The thread starts the next as soon as one is
 * done, and a request from another credential waits behind at most those.
 */
const IN_FLIGHT_BYTES = 2 * MAX_BODY_BYTES + 256 * 1024;
const queues = new WeakMap<EventPreparer, FairQueue>();

/**
 * Prepares a batch on the preparer thread, sharing it between credentials
 * (`fairnessKey`) by the bytes they send, or on this one where there is no thread.
 */
export async function prepareBatch(preparer: EventPreparer | undefined, fairnessKey: string, input: PrepareEventsInput): Promise<PreparedBatch> {
  if (!preparer) return prepareEvents(input);
  let queue = queues.get(preparer);
  if (!queue) {
    queue = new FairQueue(IN_FLIGHT_BYTES);
    queues.set(preparer, queue);
  }
  return queue.run(fairnessKey, input.body.bytes, () => preparer.prepare(input));
}
