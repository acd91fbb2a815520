/**
 * The sustained-ingest driver for `bench-sustained.ts`, run in its own process:
 * sends N events in batches of 500 over 4 keep-alive connections as fast as the
 * server answers, after a short warm-up. Bodies are built before the clock
 * starts, as Buffers (off the V8 heap), so the driver only writes. Reports the
 * send over IPC; the parent then times the indexer's drain.
 */
import { EventGenerator } from './bench-events';
import { runDriverProcess, sendBatches, type Batch, type BatchRun } from './bench-http';

export type SustainedConfig = { url: string; key: string; events: number; batchSize: number; concurrency: number; timeoutMs: number };
export type SustainedSent = BatchRun;

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_SUSTAINED_CONFIG ?? '') as SustainedConfig;
  const url = new URL(config.url);
  if (url.hostname !== '127.0.0.1') throw new Error('the driver only talks to 127.0.0.1');
  const target = { url, key: config.key, concurrency: config.concurrency, timeoutMs: config.timeoutMs };
  // The same generator and seed as the bare naive insert, so both store the same events.
  const generator = new EventGenerator(0x9e3779b9);
  const build = (count: number): Batch => ({ body: Buffer.from(JSON.stringify(generator.batch(count, Date.now()))), count });
  await sendBatches(Array.from({ length: 10 }, () => build(config.batchSize)), target);
  const batches: Batch[] = [];
  for (let left = config.events; left > 0; left -= config.batchSize) batches.push(build(Math.min(config.batchSize, left)));
  // The parent lets the indexer empty the warm-up's backlog before the clock starts.
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  process.send?.({ warmedUp: true });
  await go;
  process.send?.({ sent: await sendBatches(batches, target) });
}

runDriverProcess(main);
