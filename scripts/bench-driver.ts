/**
 * The load driver for `bench-ingest.ts`, run in its own process (forked with
 * tsx) so its CPU time is not charged to the server's event loop. Talks only to
 * 127.0.0.1; every loop is bounded in count and in time. Reports over IPC.
 */
import http from 'node:http';
import { EventGenerator } from './bench-events';
import { checkAccepted, percentile, post, runDriverProcess, sendBatches, type BatchRun } from './bench-http';

export type { BatchRun };

export type DriverConfig = {
  url: string;
  key: string;
  batchSize: number;
  batches: number;
  concurrency: number;
  repeat: number;
  singlesRate: number;
  singlesSeconds: number;
  /** Hard cap per scenario run. */
  scenarioTimeoutMs: number;
};

export type DriverResult = {
  batchRuns: BatchRun[];
  singles: {
    requests: number;
    seconds: number;
    achievedRate: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    serviceP50Ms: number;
    serviceP99Ms: number;
    /** Requests that failed or timed out (30 s); they count in the percentiles at their time of failure. */
    failed: number;
    firstFailure: string | null;
  };
};

async function runBatches(config: DriverConfig, generator: EventGenerator, url: URL): Promise<BatchRun> {
  // Bodies are built before the clock starts so the driver's JSON work is not measured.
  const now = Date.now();
  const batches = Array.from({ length: config.batches }, () => ({ body: JSON.stringify(generator.batch(config.batchSize, now)), count: config.batchSize }));
  return sendBatches(batches, { url, key: config.key, concurrency: config.concurrency, timeoutMs: config.scenarioTimeoutMs });
}

/**
 * Open loop: request i is due at start + i / rate regardless of how earlier ones
 * fare. Latency is measured from the due time (so a stalled server cannot hide
 * behind a slowed-down client), and also from the actual send ("service").
 */
async function runSingles(config: DriverConfig, generator: EventGenerator, url: URL): Promise<DriverResult['singles']> {
  const total = Math.round(config.singlesRate * config.singlesSeconds);
  const intervalMs = 1000 / config.singlesRate;
  const bodies = Array.from({ length: total }, () => JSON.stringify(generator.event(Date.now())));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const fromDue: number[] = [];
  const fromSend: number[] = [];
  const pending: Promise<void>[] = [];
  const failures: string[] = [];
  const started = performance.now();
  const deadline = started + config.singlesSeconds * 1000 + config.scenarioTimeoutMs;
  let issued = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (issued < total && started + issued * intervalMs <= now) {
        const due = started + issued * intervalMs;
        const body = bodies[issued++];
        const sent = performance.now();
        pending.push(
          post(agent, url, config.key, body).then(
            (response) => {
              const done = performance.now();
              fromDue.push(done - due);
              fromSend.push(done - sent);
              try {
                checkAccepted(response, 1);
              } catch (error) {
                failures.push(String(error));
              }
            },
            (error: unknown) => {
              const done = performance.now();
              fromDue.push(done - due);
              fromSend.push(done - sent);
              failures.push(String(error));
            },
          ),
        );
      }
      if (issued >= total || now > deadline) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, started + issued * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.race([
    Promise.all(pending),
    new Promise((_, reject) => setTimeout(() => reject(new Error('singles did not finish in time')), config.scenarioTimeoutMs).unref()),
  ]);
  const lastDone = performance.now();
  agent.destroy();
  fromDue.sort((a, b) => a - b);
  fromSend.sort((a, b) => a - b);
  const seconds = (lastDone - started) / 1000;
  return {
    requests: issued,
    seconds,
    achievedRate: (issued - failures.length) / seconds,
    p50Ms: percentile(fromDue, 50),
    p99Ms: percentile(fromDue, 99),
    maxMs: fromDue[fromDue.length - 1],
    serviceP50Ms: percentile(fromSend, 50),
    serviceP99Ms: percentile(fromSend, 99),
    failed: failures.length,
    firstFailure: failures[0] ?? null,
  };
}

/** Asks the parent to let the server's indexer catch up before the next scenario, and waits for it. */
async function waitForIndexer(): Promise<void> {
  if (!process.send) return;
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  process.send({ drain: true });
  await go;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_DRIVER_CONFIG ?? '') as DriverConfig;
  const url = new URL(config.url);
  if (url.hostname !== '127.0.0.1') throw new Error('the driver only talks to 127.0.0.1');
  const generator = new EventGenerator(0x9e3779b9);
  // Warm-up: a few batches so JIT and statement caches are hot; not measured.
  await runBatches({ ...config, batches: Math.min(10, config.batches) }, generator, url);
  await waitForIndexer();
  // Every run starts with nothing waiting to be indexed, so each measures the same burst; the
  // parent times how long indexing then takes, which gives the sustained rate.
  const batchRuns: BatchRun[] = [];
  for (let run = 0; run < config.repeat; run++) {
    batchRuns.push(await runBatches(config, generator, url));
    process.send?.({ progress: `batch run ${run + 1}/${config.repeat}: ${Math.round(batchRuns[run].eventsPerSecond)} events/s` });
    await waitForIndexer();
  }
  const singles = await runSingles(config, generator, url);
  const result: DriverResult = { batchRuns, singles };
  process.send?.({ result });
}

runDriverProcess(main);
