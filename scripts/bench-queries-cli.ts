/**
 * Read benchmark: the explorer's query shapes and the overview's 30-day
 * aggregates (scripts/bench-queries.ts) on a seeded database, p50/p95.
 *
 *   npm run bench:queries -- [--db FILE] [--events N] [--days D] [--only REGEX]
 *
 * With --db, measures that database (seed one with `npm run seed`) once it is
 * migrated and its free-text index built, as a server leaves it;
 * otherwise seeds N events (default 5,000,000) over D days (30) into a temp file
 * first, and removes it afterwards. Targets (issue 10): explorer p95 < 50 ms,
 * overview over 30 days p95 < 100 ms at 5 M events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFlags } from './bench-flags';
import { measureQueries } from './bench-queries';
import { createSqliteStore } from '../lib/store/sqlite/sqlite-store';
import { buildTextIndex, seedDatabase } from './seed-database';

const EXPLORER_TARGET_MS = 50;
const OVERVIEW_TARGET_MS = 100;

type Options = { db?: string; events: number; days: number; only?: RegExp };

function parseOptions(argv: string[]): Options {
  const flags = parseFlags(
    argv,
    { db: undefined as string | undefined, events: 5_000_000, days: 30, only: undefined as string | undefined },
    'bench-queries [--db FILE] [--events N] [--days D] [--only REGEX]',
  );
  return { ...flags, only: flags.only === undefined ? undefined : new RegExp(flags.only, 'i') };
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  say(`authwatch read benchmark: ${os.cpus().length} CPUs, node ${process.version}; load average ${load()}`);
  const dir = options.db ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-queries-'));
  const file = options.db ?? path.join(dir!, 'seed.db');
  try {
    let seeded: { events: number; seconds: number } | undefined;
    if (!options.db) {
      say(`seeding ${options.events.toLocaleString('en')} events over ${options.days} days into ${file}`);
      seeded = seedDatabase({ file, events: options.events, days: options.days, end: Date.now() }, say);
    } else {
      if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
      // The steady state a server leaves: migrations applied, the free-text index built.
      const store = createSqliteStore({ file, synchronous: 'NORMAL', busyTimeoutMs: 250, cacheMegabytes: 256 });
      try {
        const seconds = buildTextIndex(store, say);
        if (seconds > 1) say(`built the free-text index of ${file} in ${seconds.toFixed(1)} s`);
      } finally {
        store.close();
      }
    }
    say(`measuring on ${file} (${(fs.statSync(file).size / 1048576).toFixed(0)} MiB); load average ${load()}`);
    const figures = measureQueries(file, Date.now(), options.only);
    const width = Math.max(...figures.map((figure) => figure.query.length));
    say('');
    say(`${'query'.padEnd(width)} | p50 ms | p95 ms | rows | target`);
    say(`${'-'.repeat(width)}-|--------|--------|------|-------`);
    const results = figures.map((figure) => {
      const target = figure.query.startsWith('overview') ? OVERVIEW_TARGET_MS : EXPLORER_TARGET_MS;
      const met = figure.p95Ms < target;
      say(
        `${figure.query.padEnd(width)} | ${figure.p50Ms.toFixed(1).padStart(6)} | ${figure.p95Ms.toFixed(1).padStart(6)} | ${String(figure.rows).padStart(4)} | p95 < ${target}: ${met ? 'yes' : 'NO'}`,
      );
      return { ...figure, targetMs: target, met };
    });
    say(
      JSON.stringify({
        db: options.db ?? null,
        seededEvents: seeded?.events ?? null,
        seedSeconds: seeded ? Number(seeded.seconds.toFixed(1)) : null,
        dbBytes: fs.statSync(file).size,
        queries: results,
        allMet: results.every((result) => result.met),
        loadAverage1mAtEnd: Number(os.loadavg()[0].toFixed(2)),
        cpus: os.cpus().length,
      }),
    );
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`bench-queries: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
