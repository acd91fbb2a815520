import 'server-only';
import { log } from '../log';
import { ThreadClient, offeredThread } from '../threads/thread-client';
import { prepareEvents, type PrepareEventsInput, type PreparedBatch } from './prepare-events';

/** Where request bodies become records: a thread of their own in the production server. */
export interface EventPreparer {
  prepare(input: PrepareEventsInput): Promise<PreparedBatch>;
  close(): Promise<void>;
}

/**
 * The preparer thread, where server.js offers one (the core starts it once,
 * lib/core.ts). Parsing, validating, redacting and serialising events is most
 * of ingest's CPU time; on a thread of its own it runs beside the HTTP work of
 * the main thread and the commits of the writer thread instead of after them.
 */
export function startEventPreparerThread(): EventPreparer | undefined {
  const spawnThread = offeredThread('event-preparer');
  if (!spawnThread) return undefined;
  const thread = new ThreadClient<PrepareEventsInput, PreparedBatch>('event preparer', () => spawnThread(undefined));
  log.info('event preparer thread started', {});
  return { prepare: (input) => thread.request(input), close: () => thread.close() };
}

/** Prepares a batch on the preparer thread, or on this one where there is none. */
export async function prepareBatch(preparer: EventPreparer | undefined, input: PrepareEventsInput): Promise<PreparedBatch> {
  return preparer ? preparer.prepare(input) : prepareEvents(input);
}
