/**
 * What the benchmark drivers share: one ingest request, the check that the
 * server stored the whole batch, a closed-loop run of batches over a few
 * keep-alive connections, and how a driver process ends.
 */
import http from 'node:http';

export type Response = { status: number; body: string };

export function post(agent: http.Agent, url: URL, key: string, body: string | Buffer): Promise<Response> {
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

export function checkAccepted(response: Response, expected: number): void {
  if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${response.body.slice(0, 300)}`);
  const parsed = JSON.parse(response.body) as { accepted: number; rejected: unknown[] };
  if (parsed.accepted !== expected) {
    throw new Error(`expected ${expected} accepted, got ${parsed.accepted}: ${JSON.stringify(parsed.rejected).slice(0, 300)}`);
  }
}

export type BatchRun = { events: number; seconds: number; eventsPerSecond: number; p50Ms: number; p99Ms: number; maxMs: number };

/** A prepared request body and how many events it carries. */
export type Batch = { body: string | Buffer; count: number };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Sends every batch, `concurrency` at a time, each connection sending its next one as soon as the last is answered. */
export async function sendBatches(
  batches: readonly Batch[],
  target: { url: URL; key: string; concurrency: number; timeoutMs: number },
): Promise<BatchRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: target.concurrency });
  const latencies: number[] = [];
  let next = 0;
  const deadline = performance.now() + target.timeoutMs;
  const started = performance.now();
  async function worker(): Promise<void> {
    while (next < batches.length) {
      if (performance.now() > deadline) throw new Error('batch scenario exceeded its time limit');
      const { body, count } = batches[next++];
      const sent = performance.now();
      const response = await post(agent, target.url, target.key, body);
      latencies.push(performance.now() - sent);
      checkAccepted(response, count);
    }
  }
  try {
    await Promise.all(Array.from({ length: target.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const events = batches.reduce((sum, { count }) => sum + count, 0);
  return {
    events,
    seconds,
    eventsPerSecond: events / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1],
  };
}

/** Runs a driver's main and reports its failure to the parent over IPC. */
export function runDriverProcess(main: () => Promise<void>): void {
  main().then(
    () => process.disconnect?.(),
    (error: unknown) => {
      process.send?.({ error: error instanceof Error ? error.message : String(error) });
      process.disconnect?.();
      process.exitCode = 1;
    },
  );
}
