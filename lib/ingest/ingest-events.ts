import type { Context } from '../context';
import type { EventRow } from '../store/event-row';
import { commitEvents } from './commit-queue';
import type { ItemRejection, PreparedBatch } from './prepare-events';

export type IngestResult = { accepted: number; duplicates: number; rejected: ItemRejection[] };

/** What the caller counts once the events are durably stored. */
export type IngestOutcome = { result: IngestResult; stored: EventRow[]; sequences: number[] };

/**
 * Stores a prepared batch's rows in one durable transaction, shared with
 * concurrent requests (commit-queue.ts), and reports what became of each: a
 * repeat of a stored (service, id) is acknowledged as a duplicate.
 */
export async function ingestEvents({ ctx, input }: { ctx: Context; input: PreparedBatch }): Promise<IngestOutcome> {
  const outcomes = input.rows.length > 0 ? await commitEvents(ctx, input.rows) : [];
  const stored: EventRow[] = [];
  const sequences: number[] = [];
  outcomes.forEach((outcome, position) => {
    if (!outcome.stored) return;
    stored.push(input.rows[position]);
    sequences.push(outcome.seq);
  });
  return {
    result: { accepted: stored.length, duplicates: outcomes.length - stored.length, rejected: input.rejected },
    stored,
    sequences,
  };
}
