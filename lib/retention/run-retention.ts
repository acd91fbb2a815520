import type { Context } from '../context';
import { DAY_MS } from '../time';

export type RetentionPolicy = { eventDays: number; rollupDays: number; chunk: number };
export type RetentionReport = { eventsDeleted: number; rollupsDeleted: number };

/**
 * Deletes events past their retention in short transactions of `chunk` rows,
 * yielding between chunks so ingest requests interleave instead of waiting.
 * Rollups are kept longer than events so long-range charts outlive raw data.
 */
export async function runRetention({
  ctx,
  input,
}: {
  ctx: Context;
  input: RetentionPolicy & { shouldStop?: () => boolean };
}): Promise<RetentionReport> {
  const report: RetentionReport = { eventsDeleted: 0, rollupsDeleted: 0 };
  const eventCutoff = ctx.now - input.eventDays * DAY_MS;
  const rollupCutoff = ctx.now - input.rollupDays * DAY_MS;
  const yieldToIngest = () => new Promise((resolve) => setImmediate(resolve));
  const drain = async (deleteChunk: () => number, add: (deleted: number) => void): Promise<boolean> => {
    for (;;) {
      if (input.shouldStop?.()) return false;
      const deleted = deleteChunk();
      if (deleted === 0) return true;
      add(deleted);
      await yieldToIngest();
    }
  };
  const eventsDone = await drain(
    () => ctx.store.deleteEventsBefore(eventCutoff, input.chunk),
    (deleted) => (report.eventsDeleted += deleted),
  );
  if (eventsDone) {
    await drain(
      () => ctx.store.deleteRollupsBefore(rollupCutoff, input.chunk),
      (deleted) => (report.rollupsDeleted += deleted),
    );
  }
  return report;
}
