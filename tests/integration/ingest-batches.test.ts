import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceWithKey, loginFailure, postEvents, scrapeMetrics, withStore } from '../helpers/fixtures';
import { startServer, type RunningServer } from '../helpers/server';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('a batch is judged event by event', () => {
  let server: RunningServer;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    server = await startServer();
    key = createServiceWithKey(server.dbFile, 'gateway').key;
    otherKey = createServiceWithKey(server.dbFile, 'orders').key;
  });

  afterAll(async () => {
    await server?.stop();
    server?.remove();
  });

  const storedIds = (service: string) =>
    withStore(server.dbFile, (store) => {
      const serviceId = store.findServiceByName(service)!.id;
      return store.listEvents({ serviceId, limit: 10_000 }).map((event) => event.id);
    });

  it('stores the good events of a mixed batch and reports each bad one by index and code', async () => {
    const good = [loginFailure(), loginFailure({ type: 'login.success', reason: undefined })];
    const batch = [
      good[0],
      { ...loginFailure(), surprise: true },
      loginFailure({ reason: 'not_a_reason' }),
      loginFailure({ time: new Date(Date.now() + 10 * MINUTE).toISOString() }),
      loginFailure({ time: new Date(Date.now() - 31 * DAY).toISOString() }),
      loginFailure({ service: 'orders' }),
      good[1],
    ];
    const answer = await postEvents(server.url, key, batch);
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(2);
    expect(answer.body.rejected?.map((rejection) => [rejection.index, rejection.error.code])).toEqual([
      [1, 'ERR_EVENT_UNKNOWN_FIELD'],
      [2, 'ERR_EVENT_INVALID'],
      [3, 'ERR_EVENT_TIME_IN_FUTURE'],
      [4, 'ERR_EVENT_TIME_TOO_OLD'],
      [5, 'ERR_SERVICE_MISMATCH'],
    ]);
    const stored = storedIds('gateway');
    expect(stored).toEqual(expect.arrayContaining(good.map((event) => event.id)));
    for (const bad of batch.slice(1, 6)) expect(stored).not.toContain((bad as { id: string }).id);
  });

  it('reads NDJSON, rejecting a malformed line without sinking the others', async () => {
    const events = [loginFailure(), loginFailure(), loginFailure()];
    const body = [JSON.stringify(events[0]), '{"broken":', '', JSON.stringify(events[1]), JSON.stringify(events[2])].join('\n');
    const answer = await postEvents(server.url, key, body, { raw: true, contentType: 'application/x-ndjson' });
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(3);
    expect(answer.body.rejected).toEqual([{ index: 1, error: { code: 'ERR_EVENT_MALFORMED', message: expect.stringContaining('line 2') } }]);
    expect(storedIds('gateway')).toEqual(expect.arrayContaining(events.map((event) => event.id)));
  });

  it('stores one copy of an event posted 50 times in parallel and counts it once', async () => {
    const before = (await scrapeMetrics(server.url)).samples.get('authwatch_events_total{service="gateway",type="token.rejected"}') ?? 0;
    const event = loginFailure({ type: 'token.rejected', reason: 'expired' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => postEvents(server.url, key, event)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.reduce((sum, answer) => sum + answer.body.accepted!, 0)).toBe(1);
    expect(answers.reduce((sum, answer) => sum + answer.body.duplicates!, 0)).toBe(49);
    expect(storedIds('gateway').filter((id) => id === event.id)).toHaveLength(1);
    const after = (await scrapeMetrics(server.url)).samples.get('authwatch_events_total{service="gateway",type="token.rejected"}');
    expect(after).toBe(before + 1);
  });

  it('binds events to the key’s service: another service’s name is refused, a missing one is filled in', async () => {
    const claimsGateway = loginFailure({ service: 'gateway' });
    const unnamed = loginFailure();
    const answer = await postEvents(server.url, otherKey, [claimsGateway, unnamed]);
    expect(answer.body.accepted).toBe(1);
    expect(answer.body.rejected?.[0].error.code).toBe('ERR_SERVICE_MISMATCH');
    expect(storedIds('gateway')).not.toContain(claimsGateway.id);
    expect(storedIds('orders')).toContain(unnamed.id);
    const document = withStore(server.dbFile, (store) =>
      store.listEvents({ serviceId: store.findServiceByName('orders')!.id }).find((event) => event.id === unnamed.id)!.document,
    );
    expect(JSON.parse(document).service).toBe('orders');
  });

  it('redacts leaked tokens and passwords before storing, and counts the redactions', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.c2lnbmF0dXJlLWJ5dGVz';
    const before = (await scrapeMetrics(server.url)).samples.get('authwatch_ingest_redactions_total{service="gateway"}') ?? 0;
    const event = loginFailure({
      source: { ip: '203.0.113.9', user_agent: `client ${jwt}` },
      attributes: { password: 'hunter2hunter2', note: 'retry with password=s3cr3t-value' },
    });
    const answer = await postEvents(server.url, key, event);
    expect(answer.body.accepted).toBe(1);
    const document = withStore(server.dbFile, (store) => store.listEvents({ ip: '203.0.113.9' })[0].document);
    expect(document).not.toContain(jwt);
    expect(document).not.toContain('hunter2hunter2');
    expect(document).not.toContain('s3cr3t-value');
    expect(document).toContain('[REDACTED:jwt]');
    const after = (await scrapeMetrics(server.url)).samples.get('authwatch_ingest_redactions_total{service="gateway"}');
    expect(after).toBe(before + 3);
  });
});
