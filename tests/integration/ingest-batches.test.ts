import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, MINUTE_MS, isoAgo, makeEvent } from '../helpers/events';
import { ingestResult, postEvents } from '../helpers/http';
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

function storedIds(serviceId: number): string[] {
  return storedEvents(server.dbFile, serviceId).map((event) => event.id);
}

describe('a batch with good and bad items', () => {
  it('stores exactly the good ones and reports each bad one by index and code', async () => {
    const good = [makeEvent(), makeEvent({ type: 'login.success', reason: undefined }), makeEvent()];
    const batch = [
      good[0],
      makeEvent({ colour: 'red' }),
      makeEvent({ reason: 'not_a_reason' }),
      good[1],
      makeEvent({ time: new Date(Date.now() + 10 * MINUTE_MS).toISOString() }),
      makeEvent({ time: isoAgo(31 * DAY_MS) }),
      makeEvent({ service: 'orders' }),
      good[2],
    ];
    const result = ingestResult(await postEvents(server.url, batch, { key: gateway.key }));

    expect(result.accepted).toBe(3);
    expect(result.duplicates).toBe(0);
    expect(result.rejected.map(({ index, error }) => [index, error.code])).toEqual([
      [1, 'ERR_EVENT_UNKNOWN_FIELD'],
      [2, 'ERR_EVENT_INVALID'],
      [4, 'ERR_EVENT_TIME_IN_FUTURE'],
      [5, 'ERR_EVENT_TIME_TOO_OLD'],
      [6, 'ERR_SERVICE_MISMATCH'],
    ]);
    const stored = storedIds(gateway.serviceId);
    for (const event of good) expect(stored).toContain(event.id);
    for (const event of batch.filter((item) => !good.includes(item))) expect(stored).not.toContain(event.id);
  });

  it('accepts an event 4 minutes in the future, inside the allowed clock skew', async () => {
    const event = makeEvent({ time: new Date(Date.now() + 4 * MINUTE_MS).toISOString() });
    expect(ingestResult(await postEvents(server.url, event, { key: gateway.key })).accepted).toBe(1);
    expect(storedIds(gateway.serviceId)).toContain(event.id);
  });
});

describe('NDJSON bodies', () => {
  it('stores every valid line and rejects a malformed line alone', async () => {
    const first = makeEvent();
    const last = makeEvent();
    const body = `${JSON.stringify(first)}\n{"id": "broken", "time": \n\n${JSON.stringify(last)}\n`;
    const reply = await postEvents(server.url, body, { key: gateway.key, contentType: 'application/x-ndjson' });
    const result = ingestResult(reply);
    expect(result.accepted).toBe(2);
    expect(result.rejected).toEqual([{ index: 1, error: expect.objectContaining({ code: 'ERR_EVENT_MALFORMED' }) }]);
    const stored = storedIds(gateway.serviceId);
    expect(stored).toContain(first.id);
    expect(stored).toContain(last.id);
    expect(stored).not.toContain('broken');
  });
});

describe('service binding', () => {
  it('never lets a key for one service store an event claiming another', async () => {
    const impostor = makeEvent({ service: 'orders' });
    const result = ingestResult(await postEvents(server.url, [impostor], { key: gateway.key }));
    expect(result.accepted).toBe(0);
    expect(result.rejected[0].error.code).toBe('ERR_SERVICE_MISMATCH');
    expect(storedIds(orders.serviceId)).not.toContain(impostor.id);
    expect(storedIds(gateway.serviceId)).not.toContain(impostor.id);
  });

  it('stores an event without a service under the service of its key', async () => {
    const { service: _omitted, ...anonymous } = makeEvent();
    const result = ingestResult(await postEvents(server.url, anonymous, { key: orders.key }));
    expect(result.accepted).toBe(1);
    const [stored] = storedEvents(server.dbFile, orders.serviceId).filter((event) => event.id === anonymous.id);
    expect(stored.serviceId).toBe(orders.serviceId);
    expect(JSON.parse(stored.document).service).toBe('orders');
  });

  it('stores an event naming its own service', async () => {
    const event = makeEvent({ service: 'orders' });
    expect(ingestResult(await postEvents(server.url, event, { key: orders.key })).accepted).toBe(1);
    expect(storedIds(orders.serviceId)).toContain(event.id);
  });
});
