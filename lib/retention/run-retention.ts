import type { Context } from '../context';

const DAY_MS = 86_400_000;

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
  for (;;) {
    if (input.shouldStop?.()) return report;
    const deleted = ctx.store.deleteEventsBefore(eventCutoff, input.chunk);
    if (deleted === 0) break;
    report.eventsDeleted += deleted;
    await yieldToIngest();
  }
  for (;;) {
    if (input.shouldStop?.()) return report;
    const deleted = ctx.store.deleteRollupsBefore(rollupCutoff, input.chunk);
    if (deleted === 0) break;
    report.rollupsDeleted += deleted;
    await yieldToIngest();
  }
  return report;
}
