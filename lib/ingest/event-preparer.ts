import 'server-only';
import { onShutdown } from '../lifecycle';
import { log } from '../log';
import { ThreadClient, offeredThread } from '../threads/thread-client';
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

/** Prepares a batch on the preparer thread, or on this one where there is none. */
export async function prepareBatch(preparer: EventPreparer | undefined, input: PrepareEventsInput): Promise<PreparedBatch> {
  return preparer ? preparer.prepare(input) : prepareEvents(input);
}
