import 'server-only';
import { log } from '../log';
import { ThreadClient, offeredThread } from '../threads/thread-client';
import { FairQueue } from './fair-queue';
import { MAX_BODY_BYTES } from './read-batch';
import { prepareEvents, type PrepareEventsInput, type PreparedBatch } from './prepare-events';

/** Where request bodies become records: a thread of their own in the production server. */
export interface EventPreparer {
  /** Prepares a batch, sharing the thread between credentials (`fairnessKey`) by the bytes they send. */
  prepare(fairnessKey: string, input: PrepareEventsInput): Promise<PreparedBatch>;
  close(): Promise<void>;
}

/**
 * Bytes of bodies in the thread at a time: two full batches and room for
 * small requests beside them. The thread starts the next as soon as one is
 * done, and a request from another credential waits behind at most those.
 */
const IN_FLIGHT_BYTES = 2 * MAX_BODY_BYTES + 256 * 1024;

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
  const queue = new FairQueue(IN_FLIGHT_BYTES);
  log.info('event preparer thread started', {});
  return { prepare: (fairnessKey, input) => queue.run(fairnessKey, input.body.bytes, () => thread.request(input)), close: () => thread.close() };
}

/** Prepares a batch on the preparer thread, or on this one where there is none. */
export async function prepareBatch(preparer: EventPreparer | undefined, fairnessKey: string, input: PrepareEventsInput): Promise<PreparedBatch> {
  return preparer ? preparer.prepare(fairnessKey, input) : prepareEvents(input);
}
