/**
 * Query latency on a prefilled database: the dashboard's time-range queries,
 * filtered by type, service, source IP, username and subject, through the
 * store interface. Values are sampled from stored events so every lookup hits.
 */
import { createSqliteStore } from '../lib/store/sqlite/sqlite-store';
import type { EventQuery } from '../lib/store/store';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const RUNS = 25;

export type QueryFigure = { query: string; p50Ms: number; p99Ms: number; rows: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

export function measureQueries(file: string): QueryFigure[] {
  const store = createSqliteStore({ file, synchronous: 'FULL', busyTimeoutMs: 250, cacheMegabytes: 64 });
  try {
    const now = Date.now();
    const sample = store.listEvents({ since: now - 30 * DAY_MS, limit: 2000 });
    const pick = <T>(values: T[], run: number) => values[(run * 7919) % values.length];
    const ips = sample.flatMap((event) => (event.ip ? [event.ip] : []));
    const usernames = sample.flatMap((event) => (event.username ? [event.username] : []));
    const subjects = sample.flatMap((event) => (event.subject ? [event.subject] : []));
    const serviceId = sample[0]?.serviceId ?? 1;
    const shapes: Array<[string, (run: number) => EventQuery]> = [
      ['newest 100, no filter', () => ({ limit: 100 })],
      ['type = login.failure, last 24 h, 100', () => ({ type: 2, since: now - DAY_MS, limit: 100 })],
      ['service, last 1 h, 100', () => ({ serviceId, since: now - HOUR_MS, limit: 100 })],
      ['source IP, last 30 days, 100', (run) => ({ ip: pick(ips, run), since: now - 30 * DAY_MS, limit: 100 })],
      ['username, last 30 days, 100', (run) => ({ username: pick(usernames, run), since: now - 30 * DAY_MS, limit: 100 })],
      ['subject, last 7 days, 100', (run) => ({ subject: pick(subjects, run), since: now - 7 * DAY_MS, limit: 100 })],
    ];
    return shapes.map(([name, query]) => {
      const times: number[] = [];
      let rows = 0;
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        rows = store.listEvents(query(run)).length;
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      return { query: name, p50Ms: Number(percentile(times, 0.5).toFixed(2)), p99Ms: Number(percentile(times, 0.99).toFixed(2)), rows };
    });
  } finally {
    store.close();
  }
}
