/**
 * The headline of `bench-ingest.ts`: N events sent as fast as 4 keep-alive
 * connections allow, in batches of 500, to the production server
 * (synchronous=FULL) on a fresh database, timed until the indexer's backlog is
 * empty; beside it the bare naive insert of the same N events (bench-naive.ts).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { watchBacklog } from './bench-backlog';
import { naiveInsert } from './bench-naive';
import { startServer, stopServer, type Server } from './bench-server';
import { BATCH_SIZE, setUp } from './bench-store';
import type { SustainedConfig, SustainedSent } from './bench-sustained-driver';

const CONCURRENCY = 4;

export type SustainedResult = {
  events: number;
  sendSeconds: number;
  drainSeconds: number | null;
  /** N / (send + drain): stored and indexed. */
  eventsPerSecond: number;
  /** N / send: acknowledged (durable) but not yet all indexed. */
  sentPerSecond: number;
  batchP50Ms: number;
  batchP99Ms: number;
  maxBacklog: number;
  /** With detection on: seconds after the last answer until the engine had evaluated every event (null: not within the timeout), and the alerts it opened. */
  detectedSeconds: number | null;
  alerts: number;
  naiveEventsPerSecond: number;
  naiveSeconds: number;
  ratio: number;
};

function sendEvents(config: SustainedConfig, drainWarmUp: () => Promise<void>): Promise<SustainedSent> {
  const child = fork(path.join(process.cwd(), 'scripts', 'bench-sustained-driver.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SUSTAINED_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let sent: SustainedSent | undefined;
    let failure: string | undefined;
    // Building the bodies and warming up come before the send's own limit.
    const timer = setTimeout(() => child.kill('SIGKILL'), config.timeoutMs * 2 + 120_000);
    child.on('message', (message: { warmedUp?: boolean; sent?: SustainedSent; error?: string }) => {
      if (message.warmedUp) void drainWarmUp().then(() => child.send({ go: true }));
      if (message.sent) sent = message.sent;
      if (message.error) failure = message.error;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (sent) resolve(sent);
      else reject(new Error(`sustained driver failed: ${failure ?? `exit ${code ?? signal}`}`));
    });
  });
}

export async function measureSustained(
  dir: string,
  events: number,
  say: (line: string) => void,
  track: (server: Server | undefined) => void,
  detection: 'on' | 'off' = 'on',
): Promise<SustainedResult> {
  const file = path.join(dir, 'sustained.db');
  const key = setUp(file);
  // Generous: at 500 events/s either phase would still finish (the new indexer drained 1 M at ~640/s under load 8).
  const timeoutMs = Math.max(5 * 60_000, 2 * events);
  let sent: SustainedSent;
  let drainSeconds: number | null;
  let maxBacklog: number;
  let detectedSeconds: number | null = null;
  let alerts = 0;
  const server = await startServer(file, detection);
  track(server);
  const backlog = watchBacklog(file);
  try {
    say(`sustained: ${events.toLocaleString('en')} events to ${server.url}, batches of ${BATCH_SIZE}, ${CONCURRENCY} connections, then until indexed`);
    sent = await sendEvents(
      { url: server.url, key, events, batchSize: BATCH_SIZE, concurrency: CONCURRENCY, timeoutMs },
      async () => void (await backlog.drain(timeoutMs)),
    );
    say(`  sent in ${sent.seconds.toFixed(1)} s (${Math.round(sent.events / sent.seconds)} events/s acknowledged); waiting for the indexer`);
    const report = await backlog.drain(timeoutMs);
    drainSeconds = report.drainSeconds;
    maxBacklog = report.maxBacklog;
    say(`  backlog peaked at ${maxBacklog.toLocaleString('en')}; empty ${drainSeconds === null ? 'not within the timeout' : `${drainSeconds.toFixed(1)} s after the last answer`}`);
    if (detection === 'on') {
      const drained = performance.now();
      const caughtUp = await backlog.detection(timeoutMs);
      alerts = caughtUp.alerts;
      if (caughtUp.caughtUpSeconds !== null) detectedSeconds = (drainSeconds ?? 0) + (performance.now() - drained) / 1000;
      say(`  detection evaluated every event ${detectedSeconds === null ? 'not within the timeout' : `${detectedSeconds.toFixed(1)} s after the last answer`}; ${alerts} alerts opened`);
    }
  } finally {
    backlog.close();
    await stopServer(server.child);
    track(undefined);
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}-wal`, { force: true });
    fs.rmSync(`${file}-shm`, { force: true });
  }
  say(`sustained: bare better-sqlite3 insert of the same ${events.toLocaleString('en')} events, naive 5-index schema (synchronous=FULL, WAL, ${BATCH_SIZE} per transaction)`);
  const naiveFile = path.join(dir, 'naive.db');
  const naive = naiveInsert(naiveFile, events);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${naiveFile}${suffix}`, { force: true });
  const eventsPerSecond = drainSeconds === null ? NaN : events / (sent.seconds + drainSeconds);
  return {
    events,
    sendSeconds: sent.seconds,
    drainSeconds,
    eventsPerSecond,
    sentPerSecond: sent.events / sent.seconds,
    batchP50Ms: sent.p50Ms,
    batchP99Ms: sent.p99Ms,
    maxBacklog,
    detectedSeconds,
    alerts,
    naiveEventsPerSecond: naive.eventsPerSecond,
    naiveSeconds: naive.seconds,
    ratio: eventsPerSecond / naive.eventsPerSecond,
  };
}
