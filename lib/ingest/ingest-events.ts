import type { Context } from '../context';
import type { EventRecord } from '../store/store';
import { commitEvents } from './commit-queue';
import type { ItemRejection, PreparedBatch } from './prepare-events';

export type IngestResult = { accepted: number; duplicates: number; rejected: ItemRejection[] };

/** What the caller counts once the events are durably stored. */
export type IngestOutcome = { result: IngestResult; stored: EventRecord[] };

/**
 * Stores a prepared batch's records in one durable transaction, shared with
 * concurrent requests (commit-queue.ts), and reports what became of each: a
 * repeat of a stored (service, id) is acknowledged as a duplicate.
 */
export async function ingestEvents({ ctx, input }: { ctx: Context; input: PreparedBatch }): Promise<IngestOutcome> {
  const outcomes = input.records.length > 0 ? await commitEvents(ctx, input.records) : [];
  const stored = input.records.filter((_, position) => outcomes[position] === 'stored');
  return {
    result: { accepted: stored.length, duplicates: outcomes.length - stored.length, rejected: input.rejected },
    stored,
  };
}
