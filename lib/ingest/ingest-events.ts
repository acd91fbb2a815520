import type { Context } from '../context';
import type { EventRow } from '../store/event-row';
import { commitEvents } from './commit-queue';
import type { PreparedBatch } from './prepare-events';
import type { ItemRejection, OmittedRejections, Rejections } from './rejections';

/** The 200 body: `rejected_omitted` appears only when more items were rejected than `rejected` lists. */
export type IngestResult = { accepted: number; duplicates: number; rejected: ItemRejection[]; rejected_omitted?: OmittedRejections };

/** What the caller counts once the events are durably stored. */
export type IngestOutcome = { result: IngestResult; stored: EventRow[]; sequences: number[]; rejected: Rejections };

/**
 * Stores a prepared batch's rows in one durable transaction, shared with
 * concurrent requests fairly between credentials (`fairnessKey`,
 * commit-queue.ts), and reports what became of each: a
 * repeat of a stored (service, id) is acknowledged as a duplicate.
 */
export async function ingestEvents({ ctx, input }: { ctx: Context; input: { batch: PreparedBatch; fairnessKey: string } }): Promise<IngestOutcome> {
  const { batch, fairnessKey } = input;
  const outcomes = batch.rows.length > 0 ? await commitEvents(ctx, fairnessKey, batch.rows) : [];
  const stored: EventRow[] = [];
  const sequences: number[] = [];
  outcomes.forEach((outcome, position) => {
    if (!outcome.stored) return;
    stored.push(batch.rows[position]);
    sequences.push(outcome.seq);
  });
  const result: IngestResult = { accepted: stored.length, duplicates: outcomes.length - stored.length, rejected: batch.rejected.listed };
  if (batch.rejected.omitted) result.rejected_omitted = batch.rejected.omitted;
  return { result, stored, sequences, rejected: batch.rejected };
}
