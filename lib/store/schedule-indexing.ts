import { resizeToBudget } from './resize-to-budget';
import type { SqliteStore } from './sqlite/sqlite-store';

export type IndexingOptions = {
  /** How long one slice may hold the event loop (and the write lock) while events keep arriving. */
  sliceMs: number;
  /** The same once ingest is quiet or far behind: longer slices index more cheaply per event. */
  bulkSliceMs: number;
  /** A backlog above which the indexer takes long slices even while events arrive. */
  bulkBacklog: number;
  /** An arrival rate (events/s) above which the indexer leaves the CPU to ingest until the burst ends or the backlog passes `bulkBacklog`. */
  burstRate: number;
  /** Ingest counts as quiet once no event has arrived for this long. */
  quietMs: number;
  /** How long to wait for new events once the indexer has caught up. */
  pollMs: number;
  /** How long to wait after a failed slice (a busy or full database) before trying again. */
  retryMs: number;
  /** How long one step of the free-text index may hold the event loop (and the write lock). */
  textStepMs: number;
  /** The pause between two such steps while events arrive (none while ingest is quiet). */
  textPauseMs: number;
  onError: (error: unknown) => void;
};

export const DEFAULT_INDEXING: Omit<IndexingOptions, 'onError'> = {
  sliceMs: 1.5,
  bulkSliceMs: 50,
  bulkBacklog: 100_000,
  burstRate: 5_000,
  quietMs: 1_000,
  pollMs: 100,
  retryMs: 1_000,
  textStepMs: 2,
  textPauseMs: 20,
};

const MIN_SLICE_ROWS = 16;
const MAX_SLICE_ROWS = 20_000;
const RATE_WINDOW_MS = 250;

/**
 * Keeps moving newly stored events into the indexed partitions. A slice's cost
 * is mostly the index pages it dirties, so many events per slice are cheaper
 * per event but hold the event loop longer. While events trickle in, slices are
 * sized to take about `sliceMs` and requests run between them; during a burst
 * the indexer waits, so ingest has the CPU, and catches up afterwards; when
 * ingest is quiet, or the backlog passes `bulkBacklog`, slices grow to
 * `bulkSliceMs`. The free-text index's steps are a task of their own, run
 * only while the indexer is caught up. Checkpoints are not the writer's: the
 * checkpointer thread runs them (checkpointer.ts). Returns a stop function.
 */
export function scheduleIndexing(
  store: Pick<SqliteStore, 'indexRecentEvents' | 'unindexedEventCount' | 'indexText'>,
  options: IndexingOptions,
): () => void {
  const rows = { short: 64, bulk: 1_000 };
  let backlogAfterLastSlice = store.unindexedEventCount();
  let lastArrivalAt = -Infinity;
  // The arrival rate, measured over windows of at least RATE_WINDOW_MS: a step comes
  // a millisecond after the last one as often as a poll interval after it.
  const window = { startedAt: performance.now(), arrivals: 0 };
  let arrivalRate = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // What the text index's task reads: whether the last slice emptied the recent table, and whether ingest is quiet.
  let caughtUp = false;
  let quiet = false;

  const step = () => {
    if (stopped) return;
    const backlog = store.unindexedEventCount();
    const now = performance.now();
    const arrivals = Math.max(0, backlog - backlogAfterLastSlice);
    backlogAfterLastSlice = backlog;
    if (arrivals > 0) lastArrivalAt = now;
    window.arrivals += arrivals;
    if (now - window.startedAt >= RATE_WINDOW_MS) {
      arrivalRate = (window.arrivals * 1000) / (now - window.startedAt);
      Object.assign(window, { startedAt: now, arrivals: 0 });
    }
    const overloaded = backlog >= options.bulkBacklog;
    quiet = now - lastArrivalAt >= options.quietMs;
    if (arrivalRate >= options.burstRate && !overloaded) {
      caughtUp = false;
      timer = setTimeout(step, options.pollMs);
      return;
    }
    const mode = quiet || overloaded ? 'bulk' : 'short';
    const targetMs = mode === 'short' ? options.sliceMs : options.bulkSliceMs;
    let moved: number;
    const started = performance.now();
    try {
      moved = store.indexRecentEvents(rows[mode]);
    } catch (error) {
      options.onError(error);
      timer = setTimeout(step, options.retryMs);
      return;
    }
    backlogAfterLastSlice = store.unindexedEventCount();
    caughtUp = moved < rows[mode];
    if (caughtUp) {
      timer = setTimeout(step, options.pollMs);
      return;
    }
    // Aim the next slice of this kind at its target.
    rows[mode] = resizeToBudget(rows[mode], targetMs, performance.now() - started, { min: MIN_SLICE_ROWS, max: MAX_SLICE_ROWS });
    setImmediate(step);
  };

  // The text index is built behind the indexer, only while it is caught up, one short step
  // per turn of the event loop, as a task of its own: the indexer's slices keep their pace.
  let textTimer: NodeJS.Timeout | undefined;
  const indexText = () => {
    let delay = options.pollMs;
    if (caughtUp) {
      try {
        if (store.indexText({ budgetMs: options.textStepMs, quiet })) delay = quiet ? 0 : options.textPauseMs;
      } catch (error) {
        options.onError(error);
        delay = options.retryMs;
      }
    }
    if (!stopped) textTimer = setTimeout(indexText, delay);
  };

  timer = setTimeout(step, 0);
  textTimer = setTimeout(indexText, options.pollMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(textTimer);
  };
}
