import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEvent, makeEvents } from '../helpers/events';
import { errorCode, get, ingestResult, postEvents } from '../helpers/http';
import { parsePrometheus, valueOf } from '../helpers/metrics';
import { provisionService, storedEvents, withReader } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

describe('the per-credential ingest rate', () => {
  it('admits exactly the bucket of events from parallel requests and answers the rest 429 with Retry-After', async () => {
    server = await startServer({ env: { AUTHWATCH_INGEST_RATE: '1', AUTHWATCH_INGEST_BURST: '1000' } });
    const gateway = provisionService(server.dbFile, 'gateway');
    const url = server.url;

    const replies = await Promise.all(Array.from({ length: 10 }, () => postEvents(url, makeEvents(200), { key: gateway.key })));

    const admitted = replies.filter((reply) => reply.status === 200);
    const limited = replies.filter((reply) => reply.status === 429);
    expect(admitted).toHaveLength(5);
    expect(limited).toHaveLength(5);
    for (const reply of admitted) expect(ingestResult(reply).accepted).toBe(200);
    for (const reply of limited) {
      expect(errorCode(reply)).toBe('ERR_RATE_LIMITED');
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(withReader(server.dbFile, (reader) => reader.countEvents({ serviceIds: [gateway.serviceId] }))).toBe(1000);
  });

  it('refuses an exhausted credential before parsing what it sent, and other credentials keep their own rate', async () => {
    server = await startServer({ env: { AUTHWATCH_INGEST_RATE: '1', AUTHWATCH_INGEST_BURST: '1000' } });
    const gateway = provisionService(server.dbFile, 'gateway');
    const orders = provisionService(server.dbFile, 'orders');
    expect(ingestResult(await postEvents(server.url, makeEvents(1000), { key: gateway.key })).accepted).toBe(1000);

    // A body that does not parse gets 429, not 400: the bucket was checked before the body was prepared.
    const flood = await postEvents(server.url, '[{"type": ', { key: gateway.key });
    expect(flood.status).toBe(429);
    expect(errorCode(flood)).toBe('ERR_RATE_LIMITED');
    expect(errorCode(await postEvents(server.url, '[{"type": ', { key: orders.key }))).toBe('ERR_INGEST_MALFORMED');
  });
});

describe('a database whose write lock is held by another process', () => {
  it('waits out a short hold of the write lock on the writer thread (a detection step) and stores the batch', async () => {
    server = await startServer();
    const gateway = provisionService(server.dbFile, 'gateway');
    const holder = new Database(server.dbFile, { timeout: 5_000 });
    try {
      holder.exec('BEGIN IMMEDIATE');
      const answer = postEvents(server.url, makeEvent(), { key: gateway.key });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      holder.exec('COMMIT');
      expect((await answer).status).toBe(200);
    } finally {
      holder.close();
    }
  });

  it('answers ingest 503 ERR_STORE_BUSY with Retry-After, reports not ready, and recovers once the lock is released', async () => {
    server = await startServer({ env: { AUTHWATCH_WRITER_BUSY_TIMEOUT_MS: '250' } });
    const gateway = provisionService(server.dbFile, 'gateway');
    const event = makeEvent();
    const holder = new Database(server.dbFile, { timeout: 5_000 });
    try {
      holder.exec('BEGIN IMMEDIATE');
      const busy = await postEvents(server.url, event, { key: gateway.key });
      expect(busy.status).toBe(503);
      expect(errorCode(busy)).toBe('ERR_STORE_BUSY');
      expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const ready = await get(server.url, '/api/ready');
      expect(ready.status).toBe(503);
      expect((await get(server.url, '/api/health')).status).toBe(200);
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    }

    // Readiness reuses the last write's outcome for up to a second, then probes again.
    const deadline = Date.now() + 5_000;
    while ((await get(server.url, '/api/ready')).status !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await get(server.url, '/api/ready')).status).toBe(200);
    expect(ingestResult(await postEvents(server.url, event, { key: gateway.key }))).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    expect(storedEvents(server.dbFile, gateway.serviceId).map((stored) => stored.id)).toEqual([event.id]);
    const samples = parsePrometheus((await get(server.url, '/api/metrics')).text);
    expect(valueOf(samples, 'authwatch_events_total', { service: 'gateway', type: 'login.failure' })).toBe(1);
    expect(valueOf(samples, 'authwatch_ingest_rejected_total', { reason: 'store_busy' })).toBe(1);
    expect(valueOf(samples, 'authwatch_ingest_request_duration_seconds_count', { status: '503' })).toBe(1);
  });
});
