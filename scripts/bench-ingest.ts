/**
 * Ingest benchmark: the production server (`npm run build` output, synchronous=FULL)
 * driven over HTTP from a separate process, compared with the store's bare
 * insert path on the same machine in the same run.
 *
 *   npm run bench:ingest -- [--sustained N] [--prefill N] [--batches N] [--singles-seconds S] [--repeat K] [--detection on|off]
 *
 * `--detection off` runs the server with AUTHWATCH_DETECTION=off (no detection
 * engine), so runs with it on and off give detection's cost to ingest; with it
 * on, the sustained run also reports when the engine had evaluated every event.
 *
 * The headline, first: N events (default 1,000,000; 0 skips) sent as fast as 4
 * connections allow and timed until indexed, beside the bare naive insert of the
 * same events (bench-sustained.ts). Then the burst, single-event and bare-store
 * figures on a database of their own. Prints a table and, last, one JSON line
 * with every figure. Needs `npm run build` first.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DriverConfig, DriverResult } from './bench-driver';
import { watchBacklog, type BacklogReport } from './bench-backlog';
import { measureQueries } from './bench-queries';
import { startServer, stopServer, type Server } from './bench-server';
import { BATCH_SIZE, PREFILL_BATCH, bareInsert, prefill, setUp } from './bench-store';
import { measureSustained, type SustainedResult } from './bench-sustained';

const CONCURRENCY = 4;
const SINGLES_RATE = 500;
const SCENARIO_TIMEOUT_MS = 10 * 60_000;
const DRAIN_TIMEOUT_MS = 5 * 60_000;

type Options = { sustained: number; prefill: number; batches: number; singlesSeconds: number; repeat: number; detection: 'on' | 'off' };
const USAGE = 'usage: bench-ingest [--sustained N] [--prefill N] [--batches N] [--singles-seconds S] [--repeat K] [--detection on|off]';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function parseOptions(argv: string[]): Options {
  const options: Options = { sustained: 1_000_000, prefill: 0, batches: 200, singlesSeconds: 10, repeat: 1, detection: 'on' };
  const flags: Record<string, Exclude<keyof Options, 'detection'>> = {
    '--sustained': 'sustained',
    '--prefill': 'prefill',
    '--batches': 'batches',
    '--singles-seconds': 'singlesSeconds',
    '--repeat': 'repeat',
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--detection') {
      const value = argv[i + 1];
      if (value !== 'on' && value !== 'off') throw new Error(`${USAGE} (bad: --detection ${value})`);
      options.detection = value;
      i++;
      continue;
    }
    const name = flags[argv[i]];
    const value = Number(argv[i + 1]);
    if (!name || !Number.isInteger(value) || value < 0) {
      throw new Error(`${USAGE} (bad: ${argv[i]})`);
    }
    options[name] = value;
    i++;
  }
  if (options.batches < 1 || options.repeat < 1 || options.singlesSeconds < 1) {
    throw new Error('--batches, --repeat and --singles-seconds must be at least 1');
  }
  return options;
}

function runDriver(config: DriverConfig, waitForIndexer: () => Promise<void>): Promise<DriverResult> {
  const child = fork(path.join(process.cwd(), 'scripts', 'bench-driver.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DRIVER_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const limitMs = (SCENARIO_TIMEOUT_MS + DRAIN_TIMEOUT_MS) * (config.repeat + 2) + config.singlesSeconds * 1000;
  return new Promise((resolve, reject) => {
    let result: DriverResult | undefined;
    let failure: string | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('message', (message: { progress?: string; drain?: boolean; result?: DriverResult; error?: string }) => {
      if (message.progress) say(`  ${message.progress}`);
      if (message.drain) void waitForIndexer().then(() => child.send({ go: true }));
      if (message.result) result = message.result;
      if (message.error) failure = message.error;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`driver failed: ${failure ?? `exit ${code ?? signal}`}`));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const fmt = (value: number, digits = 1) => value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // The fast path's bundle was ingest-handler.js before the read path (8a6e72f), server-support.js since.
  const built = (file: string) => fs.existsSync(path.join(process.cwd(), '.next', file));
  if (!built('BUILD_ID') || !built('authwatch/event-writer.js') || !(built('authwatch/server-support.js') || built('authwatch/ingest-handler.js'))) {
    throw new Error('no production build in .next: run `npm run build` first');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-bench-'));
  let server: Server | undefined;
  const cleanUp = () => {
    if (server?.child.pid !== undefined && server.child.exitCode === null) {
      try {
        process.kill(-server.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = () => {
    cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    say(`authwatch ingest benchmark: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`);
    say(`options: ${JSON.stringify(options)}; temp dir ${dir}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    let sustained: SustainedResult | undefined;
    if (options.sustained > 0) {
      sustained = await measureSustained(dir, options.sustained, say, (running) => (server = running), options.detection);
    }

    const file = path.join(dir, 'http.db');
    const key = setUp(file);
    let prefillSeconds = 0;
    if (options.prefill > 0) {
      say(`prefilling ${options.prefill.toLocaleString('en')} events over the last 29 days (synchronous=NORMAL, batches of ${PREFILL_BATCH})`);
      prefillSeconds = prefill(file, options.prefill);
      say(`query latency on ${options.prefill.toLocaleString('en')} stored events (store.listEvents, 25 runs each)`);
      for (const figure of measureQueries(file)) {
        say(`  ${figure.query.padEnd(40)} p50 ${fmt(figure.p50Ms)} ms, p95 ${fmt(figure.p95Ms)} ms (${figure.rows} rows)`);
      }
    }

    say(`starting the production server (synchronous=FULL, detection ${options.detection})`);
    server = await startServer(file, options.detection);
    say(`  listening at ${server.url}`);
    const backlogWatch = watchBacklog(file);
    // One report after the warm-up, then one after each batch run.
    const drains: BacklogReport[] = [];
    const driverResult = await runDriver({
      url: server.url,
      key,
      batchSize: BATCH_SIZE,
      batches: options.batches,
      concurrency: CONCURRENCY,
      repeat: options.repeat,
      singlesRate: SINGLES_RATE,
      singlesSeconds: options.singlesSeconds,
      scenarioTimeoutMs: SCENARIO_TIMEOUT_MS,
    }, async () => {
      const report = await backlogWatch.drain(DRAIN_TIMEOUT_MS);
      if (drains.push(report) > 1) {
        say(`    indexer backlog peaked at ${report.maxBacklog} events; empty ${report.drainSeconds === null ? 'not within the timeout' : `${fmt(report.drainSeconds)} s after the run`}`);
      }
    });
    const afterBatches = drains.slice(1);
    const afterSingles = await backlogWatch.drain(DRAIN_TIMEOUT_MS);
    backlogWatch.close();
    await stopServer(server.child);
    server = undefined;
    const dbBytes = fs.statSync(file).size;

    say('bare insert: store.insertEvents on a fresh, empty DB (synchronous=FULL)');
    const bare = bareInsert(path.join(dir, 'bare.db'), options.batches);

    const runs = driverResult.batchRuns;
    // Stored and indexed: the run's events over the time until the indexer had moved them all.
    const untilIndexed = runs.map((run, index) => {
      const drainSeconds = afterBatches[index]?.drainSeconds;
      return drainSeconds === null || drainSeconds === undefined ? NaN : run.events / (run.seconds + drainSeconds);
    });
    const batch = {
      eventsPerSecond: median(runs.map((run) => run.eventsPerSecond)),
      sustainedPerSecond: median(untilIndexed),
      p50Ms: median(runs.map((run) => run.p50Ms)),
      p99Ms: median(runs.map((run) => run.p99Ms)),
      runs: runs.map((run) => Math.round(run.eventsPerSecond)),
    };
    const singles = driverResult.singles;
    const ratio = batch.eventsPerSecond / bare.eventsPerSecond;

    say('');
    say(`scenario                                   | events/s  | p50 ms | p99 ms | notes`);
    say(`-------------------------------------------|-----------|--------|--------|------`);
    if (sustained) {
      const s = sustained;
      say(
        `${`SUSTAINED ${s.events.toLocaleString('en')} events until indexed`.padEnd(43)}| ${fmt(s.eventsPerSecond, 0).padStart(9)} | ${fmt(s.batchP50Ms).padStart(6)} | ${fmt(s.batchP99Ms).padStart(6)} | sent ${fmt(s.sendSeconds)} s (${fmt(s.sentPerSecond, 0)}/s acked) + drain ${s.drainSeconds === null ? 'TIMED OUT' : `${fmt(s.drainSeconds)} s`}; backlog peak ${s.maxBacklog}`,
      );
      say(`${'bare insert, naive 5-index schema, same N'.padEnd(43)}| ${fmt(s.naiveEventsPerSecond, 0).padStart(9)} |        |        | ${fmt(s.naiveSeconds)} s in transactions`);
      say(`SUSTAINED / naive ratio: ${s.ratio.toFixed(2)}`);
      if (options.detection === 'on') {
        say(`detection: every event evaluated ${s.detectedSeconds === null ? 'NOT within the timeout' : `${fmt(s.detectedSeconds)} s after the last answer`}; ${s.alerts} alerts opened`);
      }
    }
    say(
      `(a) HTTP batches of ${BATCH_SIZE}, ${CONCURRENCY} conns, ${options.batches}×${options.repeat} | ${fmt(batch.eventsPerSecond, 0).padStart(9)} | ${fmt(batch.p50Ms).padStart(6)} | ${fmt(batch.p99Ms).padStart(6)} | median of ${runs.length}: ${batch.runs.join(', ')}`,
    );
    say(
      `(b) HTTP single events @ ${SINGLES_RATE}/s open loop      | ${fmt(singles.achievedRate, 0).padStart(9)} | ${fmt(singles.p50Ms).padStart(6)} | ${fmt(singles.p99Ms).padStart(6)} | ${singles.requests} requests; max ${fmt(singles.maxMs)} ms; from send p50/p99 ${fmt(singles.serviceP50Ms)}/${fmt(singles.serviceP99Ms)} ms; ${singles.failed} failed${singles.firstFailure ? ` (${singles.firstFailure})` : ''}`,
    );
    say(
      `bare store.insertEvents, batches of ${BATCH_SIZE}     | ${fmt(bare.eventsPerSecond, 0).padStart(9)} |        |        | ${bare.events} events, empty DB`,
    );
    say(`HTTP / bare ratio: ${ratio.toFixed(2)}`);
    say(
      `(a') the same runs until indexed             | ${fmt(batch.sustainedPerSecond, 0).padStart(9)} |        |        | median of ${runs.length}: ${untilIndexed.map((rate) => fmt(rate, 0)).join(', ')}; backlog peaks ${afterBatches.map((report) => report.maxBacklog).join(', ')}`,
    );
    say(`indexing: bare ${fmt(bare.indexedPerSecond, 0)} events/s in slices of ${PREFILL_BATCH}; server backlog peak ${afterSingles.maxBacklog} in the singles`);
    if (options.prefill > 0) {
      say(`prefill: ${options.prefill.toLocaleString('en')} events in ${fmt(prefillSeconds)} s; DB file ${fmt(dbBytes / 1048576)} MiB after the run`);
    }
    say(
      JSON.stringify({
        detection: options.detection,
        sustainedEvents: sustained?.events ?? 0,
        sustainedEventsPerSecond: sustained ? Math.round(sustained.eventsPerSecond) : null,
        naiveEventsPerSecond: sustained ? Math.round(sustained.naiveEventsPerSecond) : null,
        sustainedToNaiveRatio: sustained ? Number(sustained.ratio.toFixed(3)) : null,
        sustainedSendSeconds: sustained ? Number(sustained.sendSeconds.toFixed(1)) : null,
        sustainedDrainSeconds: sustained?.drainSeconds === null || !sustained ? null : Number(sustained.drainSeconds.toFixed(1)),
        sustainedAckedEventsPerSecond: sustained ? Math.round(sustained.sentPerSecond) : null,
        sustainedBatchP50Ms: sustained ? Number(sustained.batchP50Ms.toFixed(2)) : null,
        sustainedBatchP99Ms: sustained ? Number(sustained.batchP99Ms.toFixed(2)) : null,
        sustainedMaxBacklog: sustained?.maxBacklog ?? null,
        sustainedDetectedSeconds: sustained?.detectedSeconds === null || !sustained ? null : Number(sustained.detectedSeconds.toFixed(1)),
        sustainedAlerts: sustained?.alerts ?? null,
        prefill: options.prefill,
        prefillSeconds: Number(prefillSeconds.toFixed(1)),
        batches: options.batches,
        batchSize: BATCH_SIZE,
        concurrency: CONCURRENCY,
        repeat: options.repeat,
        batchEventsPerSecond: Math.round(batch.eventsPerSecond),
        batchRunsEventsPerSecond: batch.runs,
        batchP50Ms: Number(batch.p50Ms.toFixed(2)),
        batchP99Ms: Number(batch.p99Ms.toFixed(2)),
        singlesRequests: singles.requests,
        singlesAchievedRate: Number(singles.achievedRate.toFixed(1)),
        singlesP50Ms: Number(singles.p50Ms.toFixed(2)),
        singlesP99Ms: Number(singles.p99Ms.toFixed(2)),
        singlesMaxMs: Number(singles.maxMs.toFixed(2)),
        singlesFailed: singles.failed,
        bareEventsPerSecond: Math.round(bare.eventsPerSecond),
        bareIndexedPerSecond: Math.round(bare.indexedPerSecond),
        batchSustainedEventsPerSecond: Math.round(batch.sustainedPerSecond),
        batchesMaxBacklog: Math.max(0, ...afterBatches.map((report) => report.maxBacklog)),
        batchesDrainSeconds: afterBatches.map((report) => (report.drainSeconds === null ? null : Number(report.drainSeconds.toFixed(1)))),
        singlesMaxBacklog: afterSingles.maxBacklog,
        httpToBareRatio: Number(ratio.toFixed(3)),
        dbBytes,
        // Other processes on the machine skew every figure; the 1-minute load average at the end shows how much.
        loadAverage1mAtEnd: Number(os.loadavg()[0].toFixed(2)),
        cpus: os.cpus().length,
      }),
    );
  } finally {
    if (server) await stopServer(server.child);
    cleanUp();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-ingest: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
