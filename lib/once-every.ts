/**
 * Wraps `work` so that it runs at most once per `intervalMs`: a call within
 * the interval of the last run's start shares that run (or returns at once
 * if it is over), so a flood of callers costs one run per interval.
 */
export function onceEvery(intervalMs: number, work: () => Promise<void>, clock: () => number = Date.now): () => Promise<void> {
  let startedAt = -Infinity;
  let running: Promise<void> | undefined;
  return () => {
    if (running) return running;
    const now = clock();
    if (now - startedAt < intervalMs) return Promise.resolve();
    startedAt = now;
    running = work().finally(() => (running = undefined));
    return running;
  };
}
