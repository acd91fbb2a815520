import fs from 'node:fs';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEvent, makeEvents } from '../helpers/events';
import { get, ingestResult, postEvents } from '../helpers/http';
import { provisionService, storedEvents } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

type LogRecord = Record<string, unknown>;

describe('health and readiness', () => {
  it('answers /api/health and /api/ready with 200 on a writable database', async () => {
    server = await startServer();
    expect(await get(server.url, '/api/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(await get(server.url, '/api/ready')).toMatchObject({ status: 200, json: { status: 'ready' } });
  });
});

describe('the access log', () => {
  it('writes one JSON line per request with id, route, status and duration, and never a credential or a body', async () => {
    server = await startServer();
    const gateway = provisionService(server.dbFile, 'gateway');
    const marker = `body-marker-${Date.now()}`;
    await postEvents(server.url, makeEvent({ attributes: { marker } }), { key: gateway.key, headers: { 'x-request-id': 'trace-abc.123' } });
    await postEvents(server.url, makeEvent({ attributes: { marker } }), { key: `${gateway.key}x` });
    await get(server.url, '/api/health?token=query-secret-value');

    const lines = server.logs().filter((line) => line.startsWith('{'));
    const records = lines.map((line) => JSON.parse(line) as LogRecord);
    const requests = records.filter((record) => record.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const record of requests) {
      expect(record).toEqual(
        expect.objectContaining({ requestId: expect.any(String), route: expect.any(String), status: expect.any(Number) }),
      );
      expect(record.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(requests).toContainEqual(expect.objectContaining({ requestId: 'trace-abc.123', route: '/api/v1/events', status: 200 }));
    expect(requests).toContainEqual(expect.objectContaining({ route: '/api/v1/events', status: 401 }));
    expect(requests).toContainEqual(expect.objectContaining({ route: '/api/health', status: 200 }));
    const everything = server.logs().join('\n');
    for (const forbidden of [gateway.key.slice(-43), 'Bearer', marker, 'query-secret-value']) {
      expect(everything).not.toContain(forbidden);
    }
  });
});

type SlowReply = { status: number; connection: string | undefined; text: string };

/**
 * Starts a POST on a keep-alive connection, as a reporter library sends it, whose
 * headers the server has parsed (it answered 100 Continue) and whose body we send later.
 */
function startSlowPost(url: string, key: string, body: string, agent: http.Agent): Promise<{ send(): void; response: Promise<SlowReply> }> {
  const target = new URL(url);
  const request = http.request({
    host: target.hostname,
    port: target.port,
    path: '/api/v1/events',
    method: 'POST',
    agent,
    timeout: 30_000,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      expect: '100-continue',
    },
  });
  const response = new Promise<SlowReply>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }));
    });
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error('slow request timed out')));
  });
  const half = Math.floor(body.length / 2);
  const send = () => {
    request.write(body.slice(0, half));
    setTimeout(() => request.end(body.slice(half)), 300);
  };
  return new Promise((resolve, reject) => {
    request.once('continue', () => resolve({ send, response }));
    request.once('error', reject);
    request.flushHeaders();
  });
}

describe('graceful shutdown on SIGTERM', () => {
  it('stops accepting, finishes the in-flight request, stores its events, closes the database and exits 0', async () => {
    server = await startServer({ env: { AUTHWATCH_SHUTDOWN_TIMEOUT_MS: '30000' } });
    const gateway = provisionService(server.dbFile, 'gateway');
    expect(ingestResult(await postEvents(server.url, makeEvents(10), { key: gateway.key })).accepted).toBe(10);
    const inFlight = makeEvents(100);
    const agent = new http.Agent({ keepAlive: true });
    const slow = await startSlowPost(server.url, gateway.key, JSON.stringify(inFlight), agent);

    const signalled = Date.now();
    const exited = server.stop('SIGTERM');
    await server.waitForLog((line) => line.includes('"shutting down"'));
    await expect(fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
    slow.send();

    const reply = await slow.response.finally(() => agent.destroy());
    expect(reply.status).toBe(200);
    expect(reply.connection).toBe('close');
    expect(JSON.parse(reply.text)).toEqual({ accepted: 100, duplicates: 0, rejected: [] });
    expect(await exited).toBe(0);
    // Well inside the 30 s shutdown timeout: the keep-alive connection was closed once its response ended.
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(server.logs().join('\n')).not.toContain('shutdown timeout');
    const wal = `${server.dbFile}-wal`;
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
    const storedIds = new Set(storedEvents(server.dbFile, gateway.serviceId).map((stored) => stored.id));
    expect(storedIds.size).toBe(110);
    for (const event of inFlight) expect(storedIds.has(event.id)).toBe(true);
  });
});
