/**
 * Redaction benchmark: what strings crafted against the token-leakage guard
 * cost, against plain strings of the same size.
 *
 *   npm run build && npm run bench:redact -- [--seconds S] [--flood N] [--phases quiet,plain,crafted] [--in-process on|off]
 *
 * 1. In process: prepareEvents (parse, validate, redact, serialise) on a 1 MiB
 *    batch whose every string is crafted (`eyJ` and provider prefixes repeated,
 *    every keyword of the catalogue), and on a 1 MiB batch of the same shape
 *    holding plain text; and redactText on 64 KiB of each crafted family.
 * 2. Over HTTP, the production server: another service sends single events at
 *    200/s while one credential sends nothing, then a flood of plain 1 MiB
 *    batches (N in parallel), then a flood of crafted ones of the same size.
 *    The single events' p99 should barely move between the two floods, and
 *    stay near the quiet one: group commits are fair between credentials.
 *    `--phases quiet,plain` runs the plain flood alone (the fairness
 *    measure); `--in-process off` skips part 1.
 * Prints a table and one JSON line. Talks only to 127.0.0.1; every loop is
 * bounded in time.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createIngestKey } from '../lib/auth/manage-ingest-keys';
import { CREDENTIAL_SHAPES, redactText } from '../lib/events/secret-scanner';
import { prepareEvents } from '../lib/ingest/prepare-events';
import { addService } from '../lib/services/manage-services';
import { createSqliteStore } from '../lib/store/sqlite/sqlite-store';
import { parseFlags } from './bench-flags';
import { startServer, stopServer } from './bench-server';
import { fastestMs } from './fastest-time';

const MIB = 1_048_576;
const SINGLES_RATE = 200;
const KEYWORD_SOUP = [...new Set(CREDENTIAL_SHAPES.flatMap((shape) => shape.keywords))].join(' ');

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fill(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** About 1 MiB of NDJSON events whose long strings repeat `units`, each field at its maximum length. */
function batchBody(units: { agent: string; path: string; attribute: string[] }): string {
  const lines: string[] = [];
  let size = 0;
  for (let index = 0; size < MIB - 8_000; index++) {
    const line = JSON.stringify({
      id: `e-${randomBytes(8).toString('hex')}`,
      time: new Date().toISOString(),
      type: 'login.failure',
      reason: 'bad_credentials',
      source: { ip: '203.0.113.9', user_agent: fill(units.agent, 512) },
      target: { path: fill(units.path, 2048) },
      attributes: Object.fromEntries(units.attribute.map((unit, at) => [`a${at}`, fill(unit, 1024)])),
    });
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

const CRAFTED = { agent: 'eyJ', path: 'glpat-', attribute: ['Bearer ', KEYWORD_SOUP, '{"password":', 'https://user:'] };
const PLAIN = { agent: 'Mozilla/5.0 ', path: '/api/v1/orders/', attribute: ['the quick brown fox ', 'jumps over the lazy dog ', 'lorem ipsum ', 'dolor sit amet '] };

function inProcess(): Record<string, number> {
  const idKey = randomBytes(32);
  const prepare = (text: string) => () =>
    prepareEvents({ body: { mediaType: 'ndjson', text, bytes: Buffer.byteLength(text) }, service: { id: 1, name: 'bench' }, now: Date.now(), retentionDays: 30, idKey });
  const crafted = batchBody(CRAFTED);
  const plain = batchBody(PLAIN);
  const craftedMs = fastestMs(prepare(crafted), 5);
  const plainMs = fastestMs(prepare(plain), 5);
  say(`prepareEvents, 1 MiB batch (${(crafted.length / MIB).toFixed(2)} / ${(plain.length / MIB).toFixed(2)} MiB): crafted ${craftedMs.toFixed(1)} ms, plain ${plainMs.toFixed(1)} ms, ratio ${(craftedMs / plainMs).toFixed(2)}`);
  const figures: Record<string, number> = { prepareCraftedMs: craftedMs, preparePlainMs: plainMs };
  for (const [name, unit] of [['eyJ', 'eyJ'], ['glpat-', 'glpat-'], ['Bearer', 'Bearer '], ['keywords', `${KEYWORD_SOUP} `], ['plain', 'the quick brown fox ']]) {
    const small = fastestMs(() => redactText(fill(unit, 4096)), 9);
    const large = fastestMs(() => redactText(fill(unit, 65_536)), 9);
    say(`  redactText ${name.padEnd(9)} 4 KiB ${small.toFixed(3)} ms, 64 KiB ${large.toFixed(3)} ms (×${(large / small).toFixed(1)} for ×16)`);
    figures[`redact64k_${name}`] = large;
  }
  return figures;
}

type Client = { agent: http.Agent; url: URL; key: string };

function post(client: Client, body: string | Buffer, contentType: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        agent: client.agent,
        host: client.url.hostname,
        port: client.url.port,
        path: '/api/v1/events',
        method: 'POST',
        headers: { authorization: `Bearer ${client.key}`, 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
        timeout: 60_000,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Single events from `singles` at SINGLES_RATE for `seconds`, open loop, while `flood` (if any) sends `body` from `parallel` connections. */
async function phase(singles: Client, flood: Client | undefined, body: string | undefined, parallel: number, seconds: number) {
  const until = performance.now() + seconds * 1000;
  let floodDone = 0;
  let floodRefused = 0;
  const floods = flood && body
    ? Array.from({ length: parallel }, async () => {
        while (performance.now() < until) {
          const status = await post(flood, body, 'application/x-ndjson');
          if (status === 200) floodDone++;
          else floodRefused++;
        }
      })
    : [];
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let issued = 0; started + (issued * 1000) / SINGLES_RATE < until; issued++) {
    const due = started + (issued * 1000) / SINGLES_RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const event = JSON.stringify({ id: randomBytes(8).toString('hex'), time: new Date().toISOString(), type: 'login.success' });
    pending.push(post(singles, event, 'application/json').then(() => void latencies.push(performance.now() - due)));
  }
  await Promise.all([...pending, ...floods]);
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, floodDone, floodRefused };
}

function provision(file: string): { flood: string; singles: string } {
  const store = createSqliteStore({ file, synchronous: 'FULL', busyTimeoutMs: 250, cacheMegabytes: 64 });
  try {
    const ctx = { store, now: Date.now() };
    addService({ ctx, input: { name: 'flood' } });
    addService({ ctx, input: { name: 'orders' } });
    return { flood: createIngestKey({ ctx, input: { service: 'flood' } }).key, singles: createIngestKey({ ctx, input: { service: 'orders' } }).key };
  } finally {
    store.close();
  }
}

async function overHttp(seconds: number, parallel: number, phases: readonly Phase[]): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-bench-redact-'));
  const file = path.join(dir, 'bench.db');
  const keys = provision(file);
  const server = await startServer(file);
  try {
    const url = new URL(server.url);
    const singles: Client = { agent: new http.Agent({ keepAlive: true, maxSockets: 256 }), url, key: keys.singles };
    const flood: Client = { agent: new http.Agent({ keepAlive: true, maxSockets: parallel }), url, key: keys.flood };
    const figures: Record<string, number> = {};
    const bodies = { plain: batchBody(PLAIN), crafted: batchBody(CRAFTED) };
    await phase(singles, undefined, undefined, 0, 2); // warm-up
    for (const name of phases) {
      const body = name === 'quiet' ? undefined : bodies[name];
      const result = await phase(singles, body === undefined ? undefined : flood, body, parallel, seconds);
      say(
        `  ${name.padEnd(8)} flood: singles p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms; ` +
          `flood batches stored ${result.floodDone} (${(result.floodDone / seconds).toFixed(1)} MiB/s), refused ${result.floodRefused}`,
      );
      Object.assign(figures, { [`${name}P50Ms`]: result.p50, [`${name}P99Ms`]: result.p99, [`${name}MaxMs`]: result.max, [`${name}FloodBatches`]: result.floodDone });
    }
    singles.agent.destroy();
    flood.agent.destroy();
    return figures;
  } finally {
    await stopServer(server.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const PHASES = ['quiet', 'plain', 'crafted'] as const;
type Phase = (typeof PHASES)[number];

async function main(): Promise<void> {
  const flags = parseFlags(
    process.argv.slice(2),
    { seconds: 8, flood: 20, phases: PHASES.join(','), inProcess: 'on' },
    `bench-redact [--seconds S] [--flood N] [--phases ${PHASES.join(',')}] [--in-process on|off]`,
  );
  const phases = flags.phases.split(',') as Phase[];
  if (!phases.every((phase) => PHASES.includes(phase))) throw new Error(`--phases takes some of ${PHASES.join(',')}`);
  if (!fs.existsSync(path.join(process.cwd(), '.next', 'authwatch', 'server-support.js'))) throw new Error('run `npm run build` first');
  say(`authwatch redaction benchmark: ${os.cpus().length} CPUs, node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const local = flags.inProcess === 'off' ? {} : inProcess();
  say(`HTTP: single events from another service at ${SINGLES_RATE}/s, ${flags.seconds} s per phase, floods of ${flags.flood} parallel 1 MiB batches from one key`);
  const remote = await overHttp(flags.seconds, flags.flood, phases);
  say(JSON.stringify({ ...local, ...remote, loadAverage1mAtEnd: os.loadavg()[0] }, (_, value: unknown) => (typeof value === 'number' ? Number(value.toFixed(2)) : value)));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-redact: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
