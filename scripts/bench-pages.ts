/**
 * Page benchmark (issue 10), against the production build (`npm run build`):
 * (a) the overview in Debian's Chromium, navigation start → every widget drawn,
 * p50/p95 over repeated loads; (b) single-event ingest p99 while the overview
 * endpoint is refreshed five times a second beside it, and without, in one run.
 *
 *   npm run bench:pages -- [--db FILE] [--events N] [--days D] [--loads 20] [--ranges 24h,30d] [--seconds 30] [--refresh-range 24h]
 *
 * With --db the benchmark WRITES to that database (a person, a service, a key
 * and the ingested events): pass a copy, never a database you keep. Without
 * it, the server starts on an empty temp file and N events (default 50,000)
 * spread over the last D days (1) are ingested through the API first; the file
 * is removed afterwards. Measuring starts once detection has read every stored
 * event (on a seeded database it starts from the first, and takes most of a
 * core for minutes). Targets: (a) p95 < 1 s, (b) p99 < 15 ms with the refresh.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureIngestBeside } from './bench-pages-ingest';
import { measurePageLoads } from './bench-pages-load';
import { startServer, stopServer } from './bench-server';
import { waitForDetection } from './bench-steady';
import { EventGenerator } from './bench-events';
import { checkAccepted, post } from './bench-http';
import { parseFlags } from './bench-flags';
import http from 'node:http';

type Options = { db?: string; events: number; days: number; loads: number; ranges: string[]; seconds: number; refreshRange: string };

function parseOptions(argv: string[]): Options {
  const flags = parseFlags(
    argv,
    { db: undefined as string | undefined, events: 50_000, days: 1, loads: 20, ranges: '24h,30d', seconds: 30, refreshRange: '24h' },
    'bench-pages [--db FILE] [--events N] [--days D] [--loads N] [--ranges 24h,30d] [--seconds S] [--refresh-range R]',
  );
  return { ...flags, ranges: flags.ranges.split(',') };
}

/** The authwatch CLI on the benchmark's database, before the server starts; its stdout. */
function cli(file: string, args: string[], input?: string): string {
  const run = spawnSync(process.execPath, ['bin/authwatch.js', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', AUTHWATCH_DB: file },
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`authwatch ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout.trim();
}

/** Signs in (retrying while the store answers 503 busy, as it may while it indexes a fresh seed); the session cookie. */
async function signIn(base: string, email: string, password: string): Promise<{ name: string; value: string }> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email, password }) });
    const cookie = response.headers.getSetCookie().find((each) => each.startsWith('authwatch_session='));
    if (response.status === 200 && cookie) {
      const [name, value] = cookie.split(';')[0].split(/=(.*)/s);
      return { name, value };
    }
    if (response.status !== 503 || attempt >= 30) throw new Error(`sign-in answered ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** N generated events spread evenly over the last `days`, in batches of 500 through the ingest API. */
async function fill(base: string, key: string, events: number, days: number): Promise<void> {
  const generator = new EventGenerator();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const end = Date.now();
  const step = (days * 86_400_000) / events;
  for (let start = 0; start < events; start += 500) {
    const batch = JSON.stringify(Array.from({ length: Math.min(500, events - start) }, (_, i) => generator.event(end - (start + i) * step)));
    let response = await post(agent, new URL('/api/v1/events', base), key, batch);
    // A busy store (503) stored nothing of the batch: send it again.
    for (let attempt = 1; response.status === 503 && attempt < 30; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      response = await post(agent, new URL('/api/v1/events', base), key, batch);
    }
    checkAccepted(response, Math.min(500, events - start));
  }
  agent.destroy();
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  say(`authwatch page benchmark: ${os.cpus().length} CPUs, node ${process.version}; load average ${load()}`);
  const dir = options.db ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-pages-'));
  const file = options.db ?? path.join(dir!, 'seed.db');
  try {
    if (options.db && !fs.existsSync(file)) throw new Error(`${file} does not exist`);
    const tag = `${Date.now().toString(36)}`;
    const email = `bench-${tag}@example.com`;
    const password = `bench-pages-${tag}-correct-horse`;
    cli(file, ['users', 'add', email, '--role', 'USER', '--password-stdin'], `${password}\n`);
    cli(file, ['services', 'add', `bench-pages-${tag}`]);
    const key = cli(file, ['keys', 'create', `bench-pages-${tag}`]);
    say(`measuring on ${file} (${(fs.statSync(file).size / 1048576).toFixed(0)} MiB)`);
    const server = await startServer(file);
    try {
      if (!options.db) {
        say(`ingesting ${options.events.toLocaleString('en')} events over the last ${options.days} day(s) through the API`);
        await fill(server.url, key, options.events, options.days);
      }
      await waitForDetection(file, say);
      const cookie = await signIn(server.url, email, password);
      say(`(a) overview page, navigation start → every widget drawn, ${options.loads} loads each after 2 warm-ups; load average ${load()}`);
      const pages = await measurePageLoads(server.url, cookie, options.ranges.map((range) => `/?range=${range}`), options.loads);
      say(`${'page'.padEnd(14)} | p50 ms | p95 ms | max ms | TTFB p50/p95 ms | failed | p95 < 1000`);
      for (const row of pages) {
        say(`${row.path.padEnd(14)} | ${row.p50Ms.toFixed(0).padStart(6)} | ${row.p95Ms.toFixed(0).padStart(6)} | ${row.maxMs.toFixed(0).padStart(6)} | ${`${row.ttfbP50Ms.toFixed(0)}/${row.ttfbP95Ms.toFixed(0)}`.padStart(15)} | ${String(row.failed).padStart(6)} | ${row.p95Ms < 1000 ? 'yes' : 'NO'}`);
      }
      say(`load average after (a): ${load()}`);
      const refreshPath = `/api/v1/stats/overview?range=${options.refreshRange}`;
      say(`(b) single-event ingest, one at a time, ${options.seconds} s quiet and ${options.seconds} s with ${refreshPath} every 200 ms, in alternating 10 s slices`);
      const ingest = await measureIngestBeside(server.url, key, `${cookie.name}=${cookie.value}`, refreshPath, options.seconds);
      for (const [name, row] of [['quiet', ingest.quiet], ['refreshed 5/s', ingest.refreshed]] as const) {
        say(`${name.padEnd(14)} | ${String(row.events).padStart(6)} events (${row.refused} refused 503) | p50 ${row.p50Ms.toFixed(2)} ms | p99 ${row.p99Ms.toFixed(2)} ms | max ${row.maxMs.toFixed(1)} ms | load ${row.loadAverage}`);
      }
      const r = ingest.refresh;
      say(`refreshes: ${r.answered} answered of ${r.offered} ticks (${r.skipped} skipped with five in flight, ${r.failed} failed), p50 ${r.p50Ms.toFixed(0)} ms, p95 ${r.p95Ms.toFixed(0)} ms`);
      say(`p99 < 15 ms beside the refresh: ${ingest.refreshed.p99Ms < 15 ? 'yes' : 'NO'}; load average ${load()}`);
    } finally {
      await stopServer(server.child);
    }
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
