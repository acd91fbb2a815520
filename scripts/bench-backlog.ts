import Database from 'better-sqlite3';

export type BacklogReport = { maxBacklog: number; drainSeconds: number | null };

/**
 * Watches, from a read-only connection of its own, how many acknowledged events
 * still wait in the recent table for the server's indexer: the largest backlog
 * while the load ran, and how long after the load the indexer took to empty it.
 */
export function watchBacklog(file: string, intervalMs = 250): { finish: (timeoutMs: number) => Promise<BacklogReport> } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const count = db.prepare('SELECT count(*) FROM events_recent').pluck();
  let maxBacklog = 0;
  const sample = () => {
    const backlog = count.get() as number;
    maxBacklog = Math.max(maxBacklog, backlog);
    return backlog;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    finish: async (timeoutMs) => {
      clearInterval(timer);
      const started = performance.now();
      try {
        while (sample() > 0) {
          if (performance.now() - started > timeoutMs) return { maxBacklog, drainSeconds: null };
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return { maxBacklog, drainSeconds: (performance.now() - started) / 1000 };
      } finally {
        db.close();
      }
    },
  };
}
