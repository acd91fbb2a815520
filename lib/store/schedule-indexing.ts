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
 * `bulkSliceMs`. Checkpoints are not the writer's: the checkpointer thread
 * runs them (checkpointer.ts). Returns a stop function.
 */
export function scheduleIndexing(store: Pick<SqliteStore, 'indexRecentEvents' | 'unindexedEventCount'>, options: IndexingOptions): () => void {
  const rows = { short: 64, bulk: 1_000 };
  let backlogAfterLastSlice = store.unindexedEventCount();
  let lastArrivalAt = -Infinity;
  // The arrival rate, measured over windows of at least RATE_WINDOW_MS: a step comes
  // a millisecond after the last one as often as a poll interval after it.
  const window = { startedAt: performance.now(), arrivals: 0 };
  let arrivalRate = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

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
    if (arrivalRate >= options.burstRate && !overloaded) {
      timer = setTimeout(step, options.pollMs);
      return;
    }
    const quiet = now - lastArrivalAt >= options.quietMs;
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
    if (moved < rows[mode]) {
      timer = setTimeout(step, options.pollMs);
      return;
    }
    // Aim the next slice of this kind at its target, changing its size by at most half or double at a time.
    const factor = Math.min(2, Math.max(0.5, targetMs / Math.max(performance.now() - started, 0.01)));
    rows[mode] = Math.round(Math.min(MAX_SLICE_ROWS, Math.max(MIN_SLICE_ROWS, rows[mode] * factor)));
    setImmediate(step);
  };

  timer = setTimeout(step, 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
