/**
 * Single-event ingest latency while the overview endpoint is refreshed five
 * times a second beside it, and without: alternating slices of each in one run,
 * so both see the same machine.
 */
import http from 'node:http';
import os from 'node:os';
import { checkAccepted, percentile, post } from './bench-http';

const REFRESH_EVERY_MS = 200;
const MAX_REFRESHES_IN_FLIGHT = 5;
const SLICE_MS = 10_000;

export type IngestFigures = { events: number; refused: number; p50Ms: number; p99Ms: number; maxMs: number; loadAverage: string };
export type RefreshFigures = { offered: number; answered: number; skipped: number; failed: number; p50Ms: number; p95Ms: number };
export type IngestBeside = { quiet: IngestFigures; refreshed: IngestFigures; refresh: RefreshFigures };

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

function figures(latencies: number[], refused: number, loads: string[]): IngestFigures {
  latencies.sort((a, b) => a - b);
  return { events: latencies.length, refused, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies.at(-1) ?? NaN, loadAverage: loads.join(' → ') };
}

/** GETs the overview every 200 ms (at most five in flight: a slower answer skips a tick) until stopped. */
function startRefreshing(url: URL, cookie: string, times: number[], counts: { offered: number; skipped: number; failed: number }): () => Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_REFRESHES_IN_FLIGHT });
  const inFlight = new Set<Promise<void>>();
  const tick = () => {
    counts.offered++;
    if (inFlight.size >= MAX_REFRESHES_IN_FLIGHT) {
      counts.skipped++;
      return;
    }
    const started = performance.now();
    const request = new Promise<void>((resolve) => {
      http
        .get(url, { agent, headers: { cookie, accept: 'application/json' } }, (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode === 200) times.push(performance.now() - started);
            else counts.failed++;
            resolve();
          });
        })
        .on('error', () => {
          counts.failed++;
          resolve();
        });
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  };
  const timer = setInterval(tick, REFRESH_EVERY_MS);
  return async () => {
    clearInterval(timer);
    await Promise.all(inFlight);
    agent.destroy();
  };
}

/** One event at a time, each sent when the last is answered, for `ms`; latencies appended to `into` (a refusal counts in them, and in `into.refused`). */
async function ingestFor(url: URL, key: string, ms: number, into: number[] & { refused?: number }, sequence: { next: number }): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const until = performance.now() + ms;
  try {
    while (performance.now() < until) {
      const id = `bench-pages-${process.pid}-${sequence.next++}`;
      const body = JSON.stringify({ id, time: new Date().toISOString(), type: 'login.failure', reason: 'bad_credentials', source: { ip: `198.18.${sequence.next % 250}.${sequence.next % 200}` }, actor: { username: `bench-${sequence.next % 50}` } });
      const started = performance.now();
      const response = await post(agent, url, key, body);
      into.push(performance.now() - started);
      if (response.status === 503) into.refused = (into.refused ?? 0) + 1;
      else checkAccepted(response, 1);
    }
  } finally {
    agent.destroy();
  }
}

/** `seconds` of each condition, in alternating 10-second slices (quiet first), against the running server at `base`. */
export async function measureIngestBeside(base: string, key: string, cookie: string, refreshPath: string, seconds: number): Promise<IngestBeside> {
  const ingestUrl = new URL('/api/v1/events', base);
  const refreshUrl = new URL(refreshPath, base);
  const quiet: number[] & { refused?: number } = [];
  const refreshed: number[] & { refused?: number } = [];
  const refreshTimes: number[] = [];
  const counts = { offered: 0, skipped: 0, failed: 0 };
  const loads = { quiet: [load()], refreshed: [] as string[] };
  const sequence = { next: 0 };
  await ingestFor(ingestUrl, key, 2_000, [], sequence); // warm-up, not counted
  const slices = Math.max(1, Math.round((seconds * 1000) / SLICE_MS));
  for (let slice = 0; slice < slices; slice++) {
    await ingestFor(ingestUrl, key, SLICE_MS, quiet, sequence);
    loads.quiet.push(load());
    const stop = startRefreshing(refreshUrl, cookie, refreshTimes, counts);
    await ingestFor(ingestUrl, key, SLICE_MS, refreshed, sequence);
    await stop();
    loads.refreshed.push(load());
  }
  refreshTimes.sort((a, b) => a - b);
  return {
    quiet: figures(quiet, quiet.refused ?? 0, loads.quiet),
    refreshed: figures(refreshed, refreshed.refused ?? 0, loads.refreshed),
    refresh: { ...counts, answered: refreshTimes.length, p50Ms: percentile(refreshTimes, 50), p95Ms: percentile(refreshTimes, 95) },
  };
}
