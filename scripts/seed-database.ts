/**
 * Fills a database through the store the way the server would leave it: a
 * realistic event mix (seed-events.ts) inserted in large batches, each then
 * indexed until the recent table is empty (synchronous=NORMAL: a seed is not
 * evidence, and a crash only means seeding again).
 */
import { addService } from '../lib/services/manage-services';
import { createSqliteStore, type SqliteStore } from '../lib/store/sqlite/sqlite-store';
import type { EventRecord } from '../lib/store/store';
import { toRecord } from './bench-store';
import { SEED_SERVICES, SeedGenerator } from './seed-events';

export const SEED_BATCH = 10_000;

/**
 * Builds the free-text index of everything stored (what the server's writer
 * does behind the indexer, here in long steps, nothing else waiting); returns
 * the seconds it took.
 */
export function buildTextIndex(store: Pick<SqliteStore, 'indexText'>, say: (line: string) => void): number {
  const started = performance.now();
  let steps = 0;
  let lastReport = started;
  while (store.indexText({ budgetMs: 200, quiet: true })) {
    steps += 1;
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      say(`  text index: ${steps} steps, ${((lastReport - started) / 1000).toFixed(0)} s`);
    }
  }
  return (performance.now() - started) / 1000;
}

export type SeedOptions = { file: string; events: number; days: number; end: number; seed?: number };
export type SeedResult = { events: number; stored: number; seconds: number; eventsPerSecond: number; textIndexSeconds: number };

export function seedDatabase(options: SeedOptions, say: (line: string) => void): SeedResult {
  const store = createSqliteStore({ file: options.file, synchronous: 'NORMAL', busyTimeoutMs: 250, cacheMegabytes: 256 });
  const started = performance.now();
  let stored = 0;
  let textIndexSeconds: number;
  try {
    const ctx = { store, now: options.end };
    const serviceIds = new Map<string, number>(
      SEED_SERVICES.map((name) => [name, (store.findServiceByName(name) ?? addService({ ctx, input: { name } })).id]),
    );
    const generator = new SeedGenerator(options.seed);
    let batch: EventRecord[] = [];
    let done = 0;
    let lastReport = started;
    const flush = () => {
      stored += store.insertEvents(batch).filter((outcome) => outcome.stored).length;
      while (store.indexRecentEvents(SEED_BATCH) > 0);
      done += batch.length;
      batch = [];
      if (performance.now() - lastReport > 10_000 || done === options.events) {
        lastReport = performance.now();
        const seconds = (lastReport - started) / 1000;
        say(`  seeded ${done.toLocaleString('en')}/${options.events.toLocaleString('en')} (${seconds.toFixed(0)} s, ${Math.round(done / seconds)} events/s)`);
      }
    };
    for (const event of generator.events(options.events, options.days, options.end)) {
      batch.push(toRecord(event, serviceIds.get(event.service)!, event.service, Date.parse(event.time)));
      if (batch.length === SEED_BATCH) flush();
    }
    if (batch.length > 0) flush();
    textIndexSeconds = buildTextIndex(store, say);
    say(`  text index built in ${textIndexSeconds.toFixed(1)} s (${((textIndexSeconds * 1e6) / Math.max(stored, 1)).toFixed(1)} µs per event)`);
  } finally {
    store.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { events: options.events, stored, seconds, eventsPerSecond: options.events / seconds, textIndexSeconds };
}
