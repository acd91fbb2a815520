import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, isoAgo, makeEvent, makeEvents } from '../helpers/events';
import { get, ingestResult, postEvents } from '../helpers/http';
import { parsePrometheus, valueOf } from '../helpers/metrics';
import { provisionService, storedEvents, type Provisioned } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let gateway: Provisioned;
let orders: Provisioned;

beforeAll(async () => {
  server = await startServer();
  gateway = provisionService(server.dbFile, 'gateway');
  orders = provisionService(server.dbFile, 'orders');
});
afterAll(async () => server?.dispose());

async function eventsCounted(service: string, type: string): Promise<number> {
  const scrape = await get(server.url, '/api/metrics');
  return valueOf(parsePrometheus(scrape.text), 'authwatch_events_total', { service, type });
}

function rowsWithId(serviceId: number, id: string): number {
  return storedEvents(server.dbFile, serviceId).filter((event) => event.id === id).length;
}

describe('idempotent ingest', () => {
  it('stores and counts an event sent 50 times in parallel exactly once', async () => {
    const event = makeEvent({ type: 'token.rejected', reason: 'expired' });
    const countedBefore = await eventsCounted('gateway', 'token.rejected');

    const replies = await Promise.all(Array.from({ length: 50 }, () => postEvents(server.url, event, { key: gateway.key })));
    const results = replies.map(ingestResult);

    expect(results.reduce((sum, result) => sum + result.accepted, 0)).toBe(1);
    expect(results.reduce((sum, result) => sum + result.duplicates, 0)).toBe(49);
    expect(rowsWithId(gateway.serviceId, event.id)).toBe(1);
    expect(await eventsCounted('gateway', 'token.rejected')).toBe(countedBefore + 1);
  });

  it('acknowledges a repeat inside one batch as a duplicate', async () => {
    const event = makeEvent();
    const result = ingestResult(await postEvents(server.url, [event, event, makeEvent()], { key: gateway.key }));
    expect(result).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
    expect(rowsWithId(gateway.serviceId, event.id)).toBe(1);
  });

  it('acknowledges a retried batch entirely as duplicates', async () => {
    const batch = makeEvents(20);
    expect(ingestResult(await postEvents(server.url, batch, { key: gateway.key })).accepted).toBe(20);
    expect(ingestResult(await postEvents(server.url, batch, { key: gateway.key }))).toEqual({ accepted: 0, duplicates: 20, rejected: [] });
  });

  it('keeps ids unique per service: the same id from another service is a different event', async () => {
    const id = `shared-${Date.now()}`;
    expect(ingestResult(await postEvents(server.url, makeEvent({ id }), { key: gateway.key })).accepted).toBe(1);
    expect(ingestResult(await postEvents(server.url, makeEvent({ id }), { key: orders.key })).accepted).toBe(1);
    expect(rowsWithId(gateway.serviceId, id)).toBe(1);
    expect(rowsWithId(orders.serviceId, id)).toBe(1);
  });

  // Idempotency is scoped to (service, id, UTC day of `time`), as ids are per backing index in a
  // time-partitioned store: a retry resends the same time, so it meets its first copy; an id reused
  // with a time on another day is a different event. A global id index is what the design avoids.
  it('treats an id reused with a time on another UTC day as a different event', async () => {
    const event = makeEvent();
    const elsewhere = { ...event, time: isoAgo(DAY_MS + 60_000) };
    expect(ingestResult(await postEvents(server.url, event, { key: gateway.key })).accepted).toBe(1);
    expect(ingestResult(await postEvents(server.url, event, { key: gateway.key }))).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect(ingestResult(await postEvents(server.url, elsewhere, { key: gateway.key })).accepted).toBe(1);
    expect(rowsWithId(gateway.serviceId, event.id)).toBe(2);
  });

  it('stores each event without an id as a new event', async () => {
    const { id: _none, ...anonymous } = makeEvent({ type: 'access.granted', reason: undefined });
    const before = await eventsCounted('gateway', 'access.granted');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(ingestResult(await postEvents(server.url, anonymous, { key: gateway.key })).accepted).toBe(1);
    }
    expect(await eventsCounted('gateway', 'access.granted')).toBe(before + 2);
  });
});
