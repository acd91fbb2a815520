import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../helpers/events';
import { get } from '../helpers/http';
import { parsePrometheus, valueOf } from '../helpers/metrics';
import { provisionService, storedEvents, type Provisioned } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let gateway: Provisioned;

beforeAll(async () => {
  server = await startServer();
  gateway = provisionService(server.dbFile, 'gateway');
});
afterAll(() => server.dispose());

const post = (route: string, body: unknown, method = 'POST') =>
  fetch(`${server.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
    body: method === 'POST' ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });

const scrape = async () => parsePrometheus((await get(server.url, '/api/metrics')).text);

// Next.js marks every response its router produced with `vary: rsc, …`; the direct path does not.
const routedByNext = (response: Response) => /\brsc\b/i.test(response.headers.get('vary') ?? '');

describe('POST /api/v1/events in the production server', () => {
  it('is served by the route handler itself, without Next.js routing', async () => {
    const event = makeEvent();
    const response = await post('/api/v1/events?source=gateway', event);
    expect(response.status).toBe(200);
    expect(routedByNext(response)).toBe(false);
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(storedEvents(server.dbFile, gateway.serviceId).map((stored) => stored.id)).toContain(event.id);
  });

  it('is prepared by the event preparer thread and written by the event writer thread', async () => {
    expect(server.logs().some((line) => line.includes('"msg":"event preparer thread started"'))).toBe(true);
    expect(server.logs().some((line) => line.includes('"msg":"event writer thread started"'))).toBe(true);
    expect(server.logs().some((line) => line.includes('no thread bundles'))).toBe(false);
  });

  it('answers a body the preparer thread cannot parse with its 400 and code', async () => {
    const response = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
      body: '[{"type": ',
      signal: AbortSignal.timeout(30_000),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('ERR_INGEST_MALFORMED');
  });

  it('shares the metrics registry with the pages Next.js serves', async () => {
    const failedLogins = async () =>
      valueOf(await scrape(), 'authwatch_failed_logins_total', { service: 'gateway', reason: 'bad_credentials' });
    const before = await failedLogins();
    expect((await post('/api/v1/events', makeEvent({ type: 'login.failure', reason: 'bad_credentials' }))).status).toBe(200);
    expect(await failedLogins()).toBe(before + 1);
  });

  it('answers errors in the same JSON shape', async () => {
    const response = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(30_000),
    });
    expect(response.status).toBe(401);
    expect(routedByNext(response)).toBe(false);
    expect(await response.json()).toMatchObject({ error: { code: 'ERR_AUTH_MISSING' } });
  });

  it('leaves other methods and paths to Next.js', async () => {
    const getEvents = await post('/api/v1/events', undefined, 'GET');
    expect(routedByNext(getEvents)).toBe(true);
    // GET /api/v1/events is the read API: Next's route answers, and wants a credential.
    expect(getEvents.status).toBe(401);
    const me = await fetch(`${server.url}/api/v1/me`, { signal: AbortSignal.timeout(30_000) });
    expect(routedByNext(me)).toBe(true);
  });

  it('answers GET /api/health, /api/ready and /api/metrics without Next.js, as their routes would', async () => {
    for (const [route, status] of [['/api/health', 200], ['/api/ready', 200], ['/api/metrics', 200]] as const) {
      const response = await fetch(`${server.url}${route}`, { signal: AbortSignal.timeout(30_000) });
      expect(response.status, route).toBe(status);
      expect(routedByNext(response), route).toBe(false);
      expect(response.headers.get('content-security-policy'), route).toContain("default-src 'none'");
    }
  });

  it('still counts a request it served in the request-duration histogram', async () => {
    const served = async () => valueOf(await scrape(), 'authwatch_ingest_request_duration_seconds_count', { status: '200' });
    const before = await served();
    expect((await post('/api/v1/events', makeEvent())).status).toBe(200);
    expect(await served()).toBe(before + 1);
  });
});
