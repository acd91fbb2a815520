import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeEvents, type TestEvent } from '../helpers/events';
import { ingestResult, postEvents } from '../helpers/http';
import { provisionService, withReader } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

const BATCH = 50;
const MAX_BATCHES_PER_WRITER = 90;
const KILL_AFTER_ACKED_BATCHES = 30;
const KILL_AFTER_MS = 2_000;

const started: RunningServer[] = [];
afterAll(async () => {
  for (const server of started.reverse()) await server.dispose();
});

/** Sends sequential batches until a request fails (the crash) or its bound is reached; returns the acknowledged events. */
async function writer(url: string, key: string, onAck: () => void): Promise<TestEvent[]> {
  const acknowledged: TestEvent[] = [];
  for (let batch = 0; batch < MAX_BATCHES_PER_WRITER; batch += 1) {
    const events = makeEvents(BATCH, { type: 'login.success', reason: undefined });
    let reply;
    try {
      reply = await postEvents(url, events, { key });
    } catch {
      return acknowledged;
    }
    if (reply.status !== 200) return acknowledged;
    const result = ingestResult(reply);
    if (result.accepted + result.duplicates !== BATCH) throw new Error(`batch partly refused: ${reply.text}`);
    acknowledged.push(...events);
    onAck();
  }
  return acknowledged;
}

describe('a server killed with SIGKILL in the middle of an ingest stream', () => {
  it('keeps every acknowledged event exactly once, and the database passes its integrity check', async () => {
    const first = await startServer();
    started.push(first);
    const gateway = provisionService(first.dbFile, 'gateway');

    let ackedBatches = 0;
    let killed: Promise<void> | undefined;
    const kill = () => (killed ??= first.kill9());
    const timer = setTimeout(kill, KILL_AFTER_MS);
    const onAck = () => {
      ackedBatches += 1;
      if (ackedBatches === KILL_AFTER_ACKED_BATCHES) void kill();
    };
    const streams = await Promise.all([0, 1].map(() => writer(first.url, gateway.key, onAck)));
    clearTimeout(timer);
    await kill();
    const acknowledged = streams.flat();
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKED_BATCHES * BATCH);
    expect(acknowledged.length).toBeLessThan(2 * MAX_BATCHES_PER_WRITER * BATCH);

    const second = await startServer({ dbFile: first.dbFile });
    started.push(second);
    const countOccurrences = () => {
      const counted = new Map<string, number>();
      withReader(second.dbFile, (reader) => {
        for (const event of reader.listEvents({ serviceIds: [gateway.serviceId], limit: 10_000 }).events) {
          counted.set(event.id, (counted.get(event.id) ?? 0) + 1);
        }
      });
      return counted;
    };
    const occurrences = countOccurrences();
    const lost = acknowledged.filter((event) => occurrences.get(event.id) !== 1);
    expect(lost).toEqual([]);
    // At most the batches in flight at the kill may have been committed without an acknowledgement.
    expect(occurrences.size).toBeLessThanOrEqual(acknowledged.length + 2 * BATCH);

    const db = new Database(second.dbFile, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }

    for (let offset = 0; offset < acknowledged.length; offset += 1000) {
      const retry = acknowledged.slice(offset, offset + 1000);
      const result = ingestResult(await postEvents(second.url, retry, { key: gateway.key }));
      expect(result).toEqual({ accepted: 0, duplicates: retry.length, rejected: [] });
    }

    // The restarted server's indexer moves every event out of the recent table into its partition, once.
    const unindexed = () => {
      const db = new Database(second.dbFile, { readonly: true });
      try {
        return db.prepare('SELECT count(*) FROM events_recent').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    const deadline = Date.now() + 15_000;
    while (unindexed() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unindexed()).toBe(0);
    const afterIndexing = countOccurrences();
    expect(acknowledged.filter((event) => afterIndexing.get(event.id) !== 1)).toEqual([]);
    expect(afterIndexing.size).toBe(occurrences.size);
  });
});
