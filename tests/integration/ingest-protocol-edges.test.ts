import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeEvent, makeEvents } from '../helpers/events';
import { errorCode, get, ingestResult, postEvents, rawExchange, type Reply } from '../helpers/http';
import { parsePrometheus, valueOf } from '../helpers/metrics';
import { storedEvents } from '../helpers/provision';
import { withGatewayServer } from '../helpers/gateway-server';

const live = withGatewayServer();

async function postBytes(body: Uint8Array, headers: Record<string, string>): Promise<Reply> {
  const response = await fetch(`${live.server.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${live.gateway.key}`, 'content-type': 'application/json', ...headers },
    body: new Uint8Array(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) as unknown };
}

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  return valueOf(parsePrometheus((await get(live.server.url, '/api/metrics')).text), name, labels);
}

describe('Content-Encoding', () => {
  it('stores a gzip body, as log shippers send it', async () => {
    const events = makeEvents(20);
    const reply = await postBytes(gzipSync(JSON.stringify(events)), { 'content-encoding': 'gzip' });
    expect(ingestResult(reply)).toEqual({ accepted: 20, duplicates: 0, rejected: [] });
    const ids = new Set(storedEvents(live.server.dbFile, live.gateway.serviceId).map((event) => event.id));
    for (const event of events) expect(ids.has(event.id)).toBe(true);
  });

  it('answers 415 ERR_INGEST_UNSUPPORTED_ENCODING to any other encoding', async () => {
    const reply = await postBytes(new TextEncoder().encode(JSON.stringify(makeEvent())), { 'content-encoding': 'br' });
    expect(reply.status).toBe(415);
    expect(errorCode(reply)).toBe('ERR_INGEST_UNSUPPORTED_ENCODING');
  });

  it('answers 413 to a gzip bomb', async () => {
    const bomb = gzipSync(Buffer.alloc(32 * 1_048_576, 0x20));
    const reply = await postBytes(bomb, { 'content-encoding': 'gzip' });
    expect(reply.status).toBe(413);
    expect(errorCode(reply)).toBe('ERR_INGEST_TOO_LARGE');
  });
});

describe('two Authorization headers', () => {
  it('answer 400 ERR_AUTH_AMBIGUOUS when sent as two header lines, one of them valid', async () => {
    const body = JSON.stringify(makeEvent());
    const answer = await rawExchange(
      live.server.url,
      [
        'POST /api/v1/events HTTP/1.1',
        'Host: 127.0.0.1',
        `Authorization: Bearer ${live.gateway.key}`,
        'Authorization: Bearer aw_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('ERR_AUTH_AMBIGUOUS');
  });

  it('answer 400 when joined into one header', async () => {
    const reply = await postEvents(live.server.url, makeEvent(), { headers: { authorization: `Bearer ${live.gateway.key}, Bearer ${live.gateway.key}` } });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('ERR_AUTH_AMBIGUOUS');
  });
});

describe('bad items', () => {
  it('list the first 100 rejections in full and count the rest by code', async () => {
    const bad = Array.from({ length: 1000 }, () => ({ type: 'nope' }));
    const reply = await postEvents(live.server.url, bad, { key: live.gateway.key });
    const result = ingestResult(reply) as ReturnType<typeof ingestResult> & { rejected_omitted?: unknown };
    expect(result.rejected).toHaveLength(100);
    expect(result.rejected_omitted).toEqual({ count: 900, by_code: { ERR_EVENT_INVALID: 900 } });
    expect(reply.text.length).toBeLessThan(32_000);
  });

  it('reject attributes named __proto__ with ERR_EVENT_RESERVED_KEY, keeping the good items', async () => {
    const good = makeEvent();
    const body = `[${JSON.stringify(good)},${JSON.stringify(makeEvent()).replace(/}$/, ',"attributes":{"__proto__":{"admin":true}}}')}]`;
    const result = ingestResult(await postEvents(live.server.url, body, { key: live.gateway.key }));
    expect(result.accepted).toBe(1);
    expect(result.rejected.map(({ index, error }) => [index, error.code])).toEqual([[1, 'ERR_EVENT_RESERVED_KEY']]);
  });

  it('never echo a field name that holds a credential', async () => {
    const reply = await postEvents(live.server.url, makeEvent({ [live.gateway.key.slice(0, 60)]: 1 }), { key: live.gateway.key });
    const result = ingestResult(reply);
    expect(result.rejected[0].error.code).toBe('ERR_EVENT_UNKNOWN_FIELD');
    expect(reply.text).not.toContain(live.gateway.key.slice(16, 40));
  });
});

describe('a client that hangs up mid-upload', () => {
  it('is counted as client_aborted, not internal, and logged below error level', async () => {
    const before = await metric('authwatch_ingest_rejected_total', { reason: 'client_aborted' });
    const internalBefore = await metric('authwatch_ingest_rejected_total', { reason: 'internal' });
    const { hostname, port } = new URL(live.server.url);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => {
        socket.write(
          [
            'POST /api/v1/events HTTP/1.1',
            'Host: 127.0.0.1',
            `Authorization: Bearer ${live.gateway.key}`,
            'Content-Type: application/json',
            'Content-Length: 500000',
            '',
            '[{"type":"login.success","time":',
          ].join('\r\n'),
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 200);
      });
      socket.on('error', reject);
    });
    const deadline = Date.now() + 10_000;
    while ((await metric('authwatch_ingest_rejected_total', { reason: 'client_aborted' })) === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await metric('authwatch_ingest_rejected_total', { reason: 'client_aborted' })).toBe(before + 1);
    expect(await metric('authwatch_ingest_rejected_total', { reason: 'internal' })).toBe(internalBefore);
    const errors = live.server.logs().filter((line) => line.includes('"level":"error"'));
    expect(errors).toEqual([]);
  });
});
