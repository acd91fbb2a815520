/**
 * The benchmark's direct use of the store: setting up a database, prefilling
 * it, and the bare insert rate that HTTP ingest is compared with.
 */
import { ipKey } from '../lib/net/ip-address';
import { createIngestKey } from '../lib/auth/manage-ingest-keys';
import { EVENT_TYPE_CODES, REASON_CODES, type Reason } from '../lib/events/catalog';
import { addService } from '../lib/services/manage-services';
import { createSqliteStore } from '../lib/store/sqlite/sqlite-store';
import type { EventRecord } from '../lib/store/store';
import { EventGenerator, type BenchEvent } from './bench-events';

const DAY_MS = 86_400_000;
export const BATCH_SIZE = 500;
export const PREFILL_BATCH = 5000;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The record `ingestEvents` would build for an event that needed no redaction. */
export function toRecord(event: BenchEvent, serviceId: number, serviceName: string, now: number): EventRecord {
  const actor = event.actor as { username?: string; subject?: string; client_id?: string };
  const source = event.source as { ip?: string };
  const token = event.token as { jti?: string } | undefined;
  return {
    id: event.id,
    time: Date.parse(event.time),
    receivedAt: now,
    serviceId,
    type: EVENT_TYPE_CODES[event.type],
    reason: event.reason === undefined ? null : REASON_CODES[event.reason as Reason],
    ip: source.ip ?? null,
    ipKey: ipKey(source.ip),
    username: actor.username ?? null,
    subject: actor.subject ?? null,
    clientId: actor.client_id ?? null,
    jti: token?.jti ?? null,
    redactions: 0,
    document: JSON.stringify({ ...event, service: serviceName }),
  };
}

export function setUp(file: string): string {
  const store = createSqliteStore({ file, synchronous: 'FULL', busyTimeoutMs: 250, cacheMegabytes: 64 });
  try {
    const ctx = { store, now: Date.now() };
    addService({ ctx, input: { name: 'bench' } });
    return createIngestKey({ ctx, input: { service: 'bench' } }).key;
  } finally {
    store.close();
  }
}

/** N events evenly over the last 29 days, oldest first, straight into the store. */
export function prefill(file: string, count: number): number {
  const store = createSqliteStore({ file, synchronous: 'NORMAL', busyTimeoutMs: 250, cacheMegabytes: 64 });
  const started = performance.now();
  try {
    const service = store.findServiceByName('bench');
    if (!service) throw new Error('bench service missing');
    const generator = new EventGenerator(0x1234567);
    const now = Date.now();
    const from = now - 29 * DAY_MS;
    const step = (29 * DAY_MS) / count;
    let lastReport = started;
    for (let done = 0; done < count; ) {
      const size = Math.min(PREFILL_BATCH, count - done);
      const records: EventRecord[] = [];
      for (let i = 0; i < size; i++) {
        records.push(toRecord(generator.event(Math.floor(from + (done + i) * step)), service.id, service.name, now));
      }
      store.insertEvents(records);
      while (store.indexRecentEvents(PREFILL_BATCH) > 0);
      done += size;
      if (performance.now() - lastReport > 5000 || done === count) {
        lastReport = performance.now();
        const seconds = (lastReport - started) / 1000;
        say(`  prefill ${done.toLocaleString('en')}/${count.toLocaleString('en')} (${seconds.toFixed(0)} s, ${Math.round(done / seconds)} events/s)`);
      }
    }
  } finally {
    store.close();
  }
  return (performance.now() - started) / 1000;
}

export type BareResult = { events: number; seconds: number; eventsPerSecond: number; indexedPerSecond: number };

/**
 * The store's own insert path: same events and schema, empty DB, synchronous=FULL,
 * batches of 500; then, apart, the rate at which the indexer moves them into the
 * indexed partitions in slices of 5,000.
 */
export function bareInsert(file: string, batches: number): BareResult {
  setUp(file);
  const store = createSqliteStore({ file, synchronous: 'FULL', busyTimeoutMs: 250, cacheMegabytes: 64 });
  try {
    const service = store.findServiceByName('bench')!;
    const generator = new EventGenerator(0x9e3779b9);
    const warm = () => toRecords(generator.batch(BATCH_SIZE, Date.now()));
    const toRecords = (events: BenchEvent[]) => events.map((event) => toRecord(event, service.id, service.name, Date.now()));
    for (let i = 0; i < Math.min(10, batches); i++) store.insertEvents(warm());
    while (store.indexRecentEvents(PREFILL_BATCH) > 0);
    const now = Date.now();
    const prepared = Array.from({ length: batches }, () => toRecords(generator.batch(BATCH_SIZE, now)));
    const started = performance.now();
    for (const records of prepared) store.insertEvents(records);
    const seconds = (performance.now() - started) / 1000;
    const events = batches * BATCH_SIZE;
    const indexStarted = performance.now();
    while (store.indexRecentEvents(PREFILL_BATCH) > 0);
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    return { events, seconds, eventsPerSecond: events / seconds, indexedPerSecond: events / indexSeconds };
  } finally {
    store.close();
  }
}

