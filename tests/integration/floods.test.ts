import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../helpers/events';
import { errorCode, ingestResult, postEvents, rawExchange, type Reply } from '../helpers/http';
import { provisionService } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

/** Odd requests and floods of connections and bytes: bounded, answered in the JSON error shape, and honest clients still served. */
const started: RunningServer[] = [];
afterAll(async () => {
  for (const server of started.reverse()) await server.dispose();
});

async function start(env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer({ env });
  started.push(server);
  return server;
}

function address(server: RunningServer): { host: string; port: number } {
  const { hostname, port } = new URL(server.url);
  return { host: hostname, port: Number(port) };
}

function parseAnswer(answer: string): { status: number; headers: string; body: unknown } {
  const [head, ...rest] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(rest.join('\r\n\r\n')) };
}

describe('odd methods and request targets', () => {
  it('answer TRACE 405 and GET * / OPTIONS * / an absolute-form target 400, in the JSON error shape, with no stack trace in the output', async () => {
    const server = await start();
    const trace = parseAnswer(await rawExchange(server.url, 'TRACE / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'));
    expect(trace.status).toBe(405);
    expect(trace.body).toEqual({ error: { code: 'ERR_METHOD_NOT_ALLOWED', message: expect.any(String) } });
    expect(trace.headers).toContain('allow: get, head, post');
    for (const target of ['GET * HTTP/1.1', 'OPTIONS * HTTP/1.1', 'GET http://evil.example/api/health HTTP/1.1', 'GET //evil.example/x HTTP/1.1']) {
      const answer = parseAnswer(await rawExchange(server.url, `${target}\r\nHost: a\r\nConnection: close\r\n\r\n`));
      expect(answer.status, target).toBe(400);
      expect(answer.body, target).toEqual({ error: { code: 'ERR_INVALID_INPUT', message: expect.any(String) } });
    }
    const other = parseAnswer(await rawExchange(server.url, 'PROPFIND /api/health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'));
    expect(other.status).toBe(405);
    expect(server.logs().filter((line) => /^\s+at /.test(line))).toEqual([]);
    // Once listening, everything written is a JSON log line (before it, Next.js prints its own banner).
    const afterStart = server.logs().slice(server.logs().findIndex((line) => line.includes('"msg":"listening"')));
    expect(afterStart.filter((line) => !line.startsWith('{'))).toEqual([]);
  });
});

/** Opens `count` connections from `localAddress` that send half a request's headers and then nothing. */
function slowClients(server: RunningServer, localAddress: string, count: number) {
  const sockets = Array.from({ length: count }, () => {
    const socket = net.connect({ ...address(server), localAddress });
    socket.on('error', () => {});
    socket.on('connect', () => socket.write('POST /api/v1/events HTTP/1.1\r\nHost: a\r\n'));
    return socket;
  });
  const closed = sockets.map((socket) => new Promise<string>((resolve) => {
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
  }));
  return { sockets, closed };
}

describe('a flood of slow connections', () => {
  it('caps the connections of one address, answering the rest 503, closes slow ones after the header timeout, and serves an honest client throughout', async () => {
    const server = await start({ AUTHWATCH_HEADERS_TIMEOUT_MS: '2000', AUTHWATCH_MAX_CONNECTIONS_PER_ADDRESS: '40' });
    const gateway = provisionService(server.dbFile, 'gateway');
    const flood = slowClients(server, '127.0.0.2', 300);
    try {
      // The honest client (127.0.0.1) stores events while the flood holds its sockets.
      for (let request = 0; request < 10; request += 1) {
        expect(ingestResult(await postEvents(server.url, makeEvent(), { key: gateway.key })).accepted).toBe(1);
      }
      const answers = await Promise.race([
        Promise.all(flood.closed),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('slow connections still open after 10 s')), 10_000)),
      ]);
      const refused = answers.filter((answer) => answer.startsWith('HTTP/1.1 503'));
      expect(refused.length).toBeGreaterThanOrEqual(300 - 40);
      expect(JSON.parse(refused[0].split('\r\n\r\n')[1])).toEqual({ error: { code: 'ERR_SERVER_BUSY', message: expect.any(String) } });
      expect(refused[0].toLowerCase()).toContain('retry-after: 1');
      // The accepted ones were timed out (408) or closed, not kept.
      expect(answers.filter((answer) => !answer.startsWith('HTTP/1.1 503')).every((answer) => answer === '' || answer.startsWith('HTTP/1.1 408'))).toBe(true);
      expect(ingestResult(await postEvents(server.url, makeEvent(), { key: gateway.key })).accepted).toBe(1);
      expect(server.logs().filter((line) => line.includes('"msg":"connections refused: too many open"'))).toHaveLength(1);
    } finally {
      for (const socket of flood.sockets) socket.destroy();
    }
  });
  it('caps open connections overall: one beyond is answered 503 until the slow ones time out', async () => {
    const server = await start({ AUTHWATCH_HEADERS_TIMEOUT_MS: '2000', AUTHWATCH_MAX_CONNECTIONS: '16' });
    const gateway = provisionService(server.dbFile, 'gateway');
    const flood = slowClients(server, '127.0.0.3', 16);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      // A new connection (fetch would reuse one it keeps alive).
      const refused = parseAnswer(await rawExchange(server.url, 'GET /api/health HTTP/1.1\r\nHost: a\r\n\r\n'));
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({ error: { code: 'ERR_SERVER_BUSY', message: expect.any(String) } });
      await Promise.all(flood.closed);
      expect(ingestResult(await postEvents(server.url, makeEvent(), { key: gateway.key })).accepted).toBe(1);
    } finally {
      for (const socket of flood.sockets) socket.destroy();
    }
  });
});

describe('the bound on ingest bytes in flight', () => {
  it('answers 503 ERR_SERVER_BUSY with Retry-After while uploads hold the bound, and takes the request once they are gone', async () => {
    const server = await start({ AUTHWATCH_INGEST_MAX_BYTES_IN_FLIGHT: String(2 * 1_048_576) });
    const gateway = provisionService(server.dbFile, 'gateway');
    // Two uploads declare 1,000,000 bytes each and send a little of it, then wait.
    const uploads = [0, 1].map(() => {
      const socket = net.connect(address(server));
      socket.on('error', () => {});
      socket.write(
        `POST /api/v1/events HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer ${gateway.key}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n[`,
      );
      return socket;
    });
    const padded = JSON.stringify([makeEvent()]) + ' '.repeat(200_000);
    try {
      let busy: Reply | undefined;
      for (let attempt = 0; attempt < 50 && !busy; attempt += 1) {
        const reply = await postEvents(server.url, padded, { key: gateway.key });
        if (reply.status === 503) busy = reply;
        else expect(reply.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(busy).toBeDefined();
      expect(errorCode(busy!)).toBe('ERR_SERVER_BUSY');
      expect(Number(busy!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      for (const socket of uploads) socket.destroy();
    }
    // The aborted uploads gave their share back.
    let accepted = false;
    for (let attempt = 0; attempt < 50 && !accepted; attempt += 1) {
      accepted = (await postEvents(server.url, padded, { key: gateway.key })).status === 200;
      if (!accepted) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(accepted).toBe(true);
  });
});
