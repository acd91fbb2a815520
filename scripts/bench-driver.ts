/**
 * The load driver for `bench-ingest.ts`, run in its own process (forked with
 * tsx) so its CPU time is not charged to the server's event loop. Talks only to
 * 127.0.0.1; every loop is bounded in count and in time. Reports over IPC.
 */
import http from 'node:http';
import { EventGenerator } from './bench-events';

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

export type BatchRun = { events: number; seconds: number; eventsPerSecond: number; p50Ms: number; p99Ms: number; maxMs: number };
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

type Response = { status: number; body: string };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function post(agent: http.Agent, url: URL, key: string, body: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/api/v1/events',
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('request timed out after 30 s')));
    request.on('error', reject);
    request.end(body);
  });
}

function checkAccepted(response: Response, expected: number): void {
  if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${response.body.slice(0, 300)}`);
  const parsed = JSON.parse(response.body) as { accepted: number; rejected: unknown[] };
  if (parsed.accepted !== expected) {
    throw new Error(`expected ${expected} accepted, got ${parsed.accepted}: ${JSON.stringify(parsed.rejected).slice(0, 300)}`);
  }
}

async function runBatches(config: DriverConfig, generator: EventGenerator, url: URL): Promise<BatchRun> {
  // Bodies are built before the clock starts so the driver's JSON work is not measured.
  const now = Date.now();
  const bodies = Array.from({ length: config.batches }, () => JSON.stringify(generator.batch(config.batchSize, now)));
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });
  const latencies: number[] = [];
  let nextBatch = 0;
  const deadline = performance.now() + config.scenarioTimeoutMs;
  const started = performance.now();
  async function worker(): Promise<void> {
    while (nextBatch < bodies.length) {
      if (performance.now() > deadline) throw new Error('batch scenario exceeded its time limit');
      const body = bodies[nextBatch++];
      const sent = performance.now();
      const response = await post(agent, url, config.key, body);
      latencies.push(performance.now() - sent);
      checkAccepted(response, config.batchSize);
    }
  }
  try {
    await Promise.all(Array.from({ length: config.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const events = config.batches * config.batchSize;
  return {
    events,
    seconds,
    eventsPerSecond: events / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1],
  };
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

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    process.send?.({ error: error instanceof Error ? error.message : String(error) });
    process.disconnect?.();
    process.exitCode = 1;
  },
);
