import Database from 'better-sqlite3';

export type BacklogReport = { maxBacklog: number; drainSeconds: number | null };
/** How far the detection engine got: the seconds until it had evaluated every stored event (null: not within the timeout), and the alerts it opened. */
export type DetectionReport = { caughtUpSeconds: number | null; alerts: number };

/**
 * Watches, from a read-only connection of its own, how many acknowledged events
 * still wait in the recent table for the server's indexer: `drain` reports the
 * largest backlog since the last call and how long the indexer then took to
 * empty it.
 */
export function watchBacklog(
  file: string,
  intervalMs = 250,
): { drain: (timeoutMs: number) => Promise<BacklogReport>; detection: (timeoutMs: number) => Promise<DetectionReport>; close: () => void } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  // Not count(*): that scans the whole recent table (with its documents) on every sample, so with a
  // backlog of 600k events the watcher took ~40% of a core and held read snapshots the writer's
  // checkpoints had to wait for. seq is AUTOINCREMENT and the indexer deletes through a seq, so the
  // rows left are one contiguous range (retention, which deletes out of order, does not run here).
  const count = db.prepare('SELECT coalesce(max(seq) - min(seq) + 1, 0) FROM events_recent').pluck();
  // The last sequence handed out (AUTOINCREMENT keeps it in sqlite_sequence) against the engine's stored position.
  const behind = db
    .prepare(
      "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events_recent'), 0) - coalesce((SELECT seq FROM detection_position WHERE id = 1), 0)",
    )
    .pluck();
  const alerts = db.prepare('SELECT count(*) FROM alerts').pluck();
  let maxBacklog = 0;
  const sample = () => {
    const backlog = count.get() as number;
    maxBacklog = Math.max(maxBacklog, backlog);
    return backlog;
  };
  // Unref'd: when a run fails before `close`, sampling must not keep the benchmark from exiting.
  const timer = setInterval(sample, intervalMs).unref();
  return {
    drain: async (timeoutMs) => {
      const started = performance.now();
      let drainSeconds: number | null = null;
      while (performance.now() - started < timeoutMs) {
        if (sample() === 0) {
          drainSeconds = (performance.now() - started) / 1000;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const report = { maxBacklog, drainSeconds };
      maxBacklog = 0;
      return report;
    },
    detection: async (timeoutMs) => {
      const started = performance.now();
      while (performance.now() - started < timeoutMs) {
        if ((behind.get() as number) <= 0) return { caughtUpSeconds: (performance.now() - started) / 1000, alerts: alerts.get() as number };
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { caughtUpSeconds: null, alerts: alerts.get() as number };
    },
    close: () => {
      clearInterval(timer);
      db.close();
    },
  };
}
