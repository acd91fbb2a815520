/**
 * Read latency on a prefilled database, through the reader the server's
 * reader threads use (a read-only connection): every explorer query shape
 * (filters, multi-value, CIDR, a deep page by cursor) and the overview's
 * aggregates over 30 days. Values are sampled from stored events so every
 * lookup hits. Reports p50 and p95 of RUNS runs each.
 */
import { openSqliteReader } from '../lib/store/sqlite/sqlite-reader';
import type { EventQuery } from '../lib/store/store';
import { DAY_MS, HOUR_MS } from '../lib/time';

const RUNS = 25;

export type QueryFigure = { query: string; p50Ms: number; p95Ms: number; rows: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Every shape, or only those whose name matches `only` (`npm run bench:queries -- --only explorer`). */
export function measureQueries(file: string, now = Date.now(), only?: RegExp): QueryFigure[] {
  const reader = openSqliteReader({ file, synchronous: 'FULL', busyTimeoutMs: 250, cacheMegabytes: 64 });
  try {
    const sample = reader.listEvents({ since: now - 30 * DAY_MS, limit: 2000 }).events;
    const pick = <T>(values: T[], run: number) => values[(run * 7919) % values.length];
    const present = <T>(values: Array<T | null>) => values.filter((value): value is T => value !== null);
    const ips = present(sample.map((event) => event.ip));
    const usernames = present(sample.map((event) => event.username));
    const subjects = present(sample.map((event) => event.subject));
    const clients = present(sample.map((event) => event.clientId));
    const serviceId = sample[0]?.serviceId ?? 1;
    const cidr16 = (ip: string) => (ip.includes(':') ? `${ip}/112` : `${ip.split('.').slice(0, 2).join('.')}.0.0/16`);
    // A person paging reads one page per click: the 20th page is one read with the cursor the 19th returned.
    const cursorOfPage = (query: EventQuery, page: number) => {
      let cursor = reader.listEvents(query).nextCursor;
      for (let index = 2; index < page && cursor; index++) cursor = reader.listEvents({ ...query, cursor }).nextCursor;
      return cursor ?? undefined;
    };
    const pageTwentyCursor = cursorOfPage({ limit: 100 }, 20);
    const pageTwentyFailuresCursor = cursorOfPage({ types: [2], since: now - 30 * DAY_MS, limit: 100 }, 20);
    const month = { since: now - 30 * DAY_MS, until: now };
    const shapes: Array<[string, (run: number) => number]> = [
      ['newest 100, no filter', () => reader.listEvents({ limit: 100 }).events.length],
      ['type = login.failure, last 24 h', () => reader.listEvents({ types: [2], since: now - DAY_MS, limit: 100 }).events.length],
      ['type + service, last 7 days', () => reader.listEvents({ types: [2], serviceIds: [serviceId], since: now - 7 * DAY_MS, limit: 100 }).events.length],
      ['source IP, 30 days', (run) => reader.listEvents({ ips: [pick(ips, run)], ...month, limit: 100 }).events.length],
      ['CIDR /16, 30 days', (run) => reader.listEvents({ ips: [cidr16(pick(ips, run))], ...month, limit: 100 }).events.length],
      ['two usernames, 30 days', (run) => reader.listEvents({ usernames: [pick(usernames, run), pick(usernames, run + 1)], ...month, limit: 100 }).events.length],
      ['free text (a username), last 24 h', (run) => reader.listEvents({ text: pick(usernames, run), since: now - DAY_MS, limit: 100 }).events.length],
      ['free text matching nothing, last 24 h (a full scan)', (run) => reader.listEvents({ text: `no-such-word-${run}`, since: now - DAY_MS, limit: 100 }).events.length],
      ['subject, 7 days', (run) => reader.listEvents({ subjects: [pick(subjects, run)], since: now - 7 * DAY_MS, limit: 100 }).events.length],
      ['client id, 30 days', (run) => reader.listEvents({ clientIds: [pick(clients, run)], ...month, limit: 100 }).events.length],
      ['page 20 by cursor, no filter', () => reader.listEvents({ limit: 100, cursor: pageTwentyCursor }).events.length],
      ['page 20 by cursor, login failures, 30 days', () => reader.listEvents({ types: [2], ...month, limit: 100, cursor: pageTwentyFailuresCursor }).events.length],
      ['a page 29 days back by cursor', () => reader.listEvents({ limit: 100, cursor: { time: now - 29 * DAY_MS, seq: Number.MAX_SAFE_INTEGER } }).events.length],
      ['overview: hourly counts by type, 7 days (the 7 d chart)', () => reader.bucketCounts({ since: now - 7 * DAY_MS, until: now, bucket: 'hour', by: 'type' }).length],
      ['overview: daily counts, 7 days (tiles and reasons)', () => reader.bucketCounts({ since: now - 7 * DAY_MS, until: now, bucket: 'day' }).length],
      ['overview: daily counts by type, 30 days (the 30 d chart)', () => reader.bucketCounts({ ...month, bucket: 'day', by: 'type' }).length],
      ['hourly counts, 30 days (not an overview query: 30 d is charted by day)', () => reader.bucketCounts({ ...month, bucket: 'hour' }).length],
      ['overview: daily counts, 30 days', () => reader.bucketCounts({ ...month, bucket: 'day' }).length],
      ['overview: top 10 IPs by failures, 30 days', () => reader.topValues({ field: 'ip', ...month, limit: 10, failuresOnly: true }).values.length],
      ['overview: top 10 usernames, 30 days', () => reader.topValues({ field: 'username', ...month, limit: 10, failuresOnly: true }).values.length],
      ['overview: top 10 clients by failures, 30 days', () => reader.topValues({ field: 'clientId', ...month, limit: 10, failuresOnly: true }).values.length],
      ['overview: top services, 30 days', () => reader.topValues({ field: 'serviceId', ...month, limit: 10 }).values.length],
      ['overview: top reasons, 30 days', () => reader.topValues({ field: 'reason', ...month, limit: 10 }).values.length],
      ['overview: top 10 IPs by failures, last 1 h', () => reader.topValues({ field: 'ip', since: now - HOUR_MS, until: now, limit: 10, failuresOnly: true }).values.length],
    ];
    return shapes.filter(([name]) => !only || only.test(name)).map(([name, run]) => {
      const times: number[] = [];
      let rows = 0;
      for (let index = 0; index < RUNS; index++) {
        const started = performance.now();
        rows = run(index);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      return { query: name, p50Ms: Number(percentile(times, 0.5).toFixed(2)), p95Ms: Number(percentile(times, 0.95).toFixed(2)), rows };
    });
  } finally {
    reader.close();
  }
}
