import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, get } from '../helpers/http';
import { provisionService } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

const TOKEN = 'scrape-token-0123456789abcdef';
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { AUTHWATCH_METRICS_TOKEN: TOKEN } });
  provisionService(server.dbFile, 'gateway');
});
afterAll(async () => server?.dispose());

describe('GET /api/metrics with AUTHWATCH_METRICS_TOKEN set', () => {
  it('answers 401 ERR_AUTH_MISSING without a bearer token', async () => {
    const reply = await get(server.url, '/api/metrics');
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe('ERR_AUTH_MISSING');
    expect(reply.text).not.toContain('authwatch_events_total');
  });

  it('answers 401 ERR_AUTH_INVALID to a wrong token, without echoing either token', async () => {
    const reply = await get(server.url, '/api/metrics', { authorization: 'Bearer wrong-token-0123456789' });
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe('ERR_AUTH_INVALID');
    expect(reply.text).not.toContain(TOKEN);
    expect(reply.text).not.toContain('wrong-token');
  });

  it('serves the Prometheus text to the right token, with zeroed series for a registered service', async () => {
    const reply = await get(server.url, '/api/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(reply.text).toContain('# TYPE authwatch_events_total counter');
    expect(reply.text).toContain('authwatch_failed_logins_total{service="gateway",reason="bad_credentials"} 0');
  });
});
