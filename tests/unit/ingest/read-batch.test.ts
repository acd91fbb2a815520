import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AuthwatchError, type ErrorCode } from '@/lib/errors';
import { MAX_BODY_BYTES, MAX_EVENTS_PER_REQUEST, parseEventBatch, readEventBody } from '@/lib/ingest/read-batch';

const URL = 'http://authwatch.test/api/v1/events';
const event = { time: '2026-11-28T12:00:00Z', type: 'login.success' };

function post(body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }): Request {
  return new Request(URL, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** What ingest does with a request: read its body on the main thread, parse it where the events are prepared. */
const readEventBatch = async (request: Request) => parseEventBatch(await readEventBody(request));

async function codeOf(request: Request): Promise<ErrorCode | undefined> {
  try {
    await readEventBatch(request);
    return undefined;
  } catch (error) {
    if (error instanceof AuthwatchError) return error.code;
    throw error;
  }
}

describe('reading and parsing a request body', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])('reads one event sent as %s', async (type) => {
    expect(await readEventBatch(post(JSON.stringify(event), { 'content-type': type }))).toEqual([{ kind: 'value', value: event }]);
  });

  it('reads a JSON array as one item per element', async () => {
    const items = await readEventBatch(post(JSON.stringify([event, { ...event, id: 'b' }])));
    expect(items).toEqual([
      { kind: 'value', value: event },
      { kind: 'value', value: { ...event, id: 'b' } },
    ]);
  });

  it.each(['application/x-ndjson', 'application/ndjson', 'application/jsonl'])('reads NDJSON sent as %s', async (type) => {
    const body = `${JSON.stringify(event)}\n${JSON.stringify({ ...event, id: 'b' })}\n`;
    expect(await readEventBatch(post(body, { 'content-type': type }))).toHaveLength(2);
  });

  it('skips blank NDJSON lines and reports a malformed line by its number', async () => {
    const body = `\n${JSON.stringify(event)}\r\n   \n{not json\n${JSON.stringify(event)}\n\n`;
    expect(await readEventBatch(post(body, { 'content-type': 'application/x-ndjson' }))).toEqual([
      { kind: 'value', value: event },
      { kind: 'malformed', line: 4 },
      { kind: 'value', value: event },
    ]);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form data', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no content type', {}],
  ])('refuses %s with ERR_INGEST_UNSUPPORTED_MEDIA_TYPE', async (_what, headers) => {
    const request = new Request(URL, { method: 'POST', body: new Blob([JSON.stringify(event)]), headers });
    expect(await codeOf(request)).toBe('ERR_INGEST_UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a declared Content-Length above 1 MiB before reading', async () => {
    const request = post(JSON.stringify(event), { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) });
    expect(await codeOf(request)).toBe('ERR_INGEST_TOO_LARGE');
  });

  it('refuses a streamed body that grows past 1 MiB without a declared length', async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    const body = streamOf([chunk, chunk, chunk, chunk, new Uint8Array([0x20])]);
    expect(await codeOf(post(body))).toBe('ERR_INGEST_TOO_LARGE');
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const json = JSON.stringify(event);
    const body = json + ' '.repeat(MAX_BODY_BYTES - json.length);
    expect(await readEventBatch(post(streamOf([new TextEncoder().encode(body)])))).toHaveLength(1);
  });

  it('accepts 1000 events and refuses 1001 with ERR_INGEST_TOO_MANY_EVENTS', async () => {
    const events = (count: number) => Array.from({ length: count }, () => event);
    expect(await readEventBatch(post(JSON.stringify(events(MAX_EVENTS_PER_REQUEST))))).toHaveLength(1000);
    expect(await codeOf(post(JSON.stringify(events(MAX_EVENTS_PER_REQUEST + 1))))).toBe('ERR_INGEST_TOO_MANY_EVENTS');
    const ndjson = events(MAX_EVENTS_PER_REQUEST + 1).map((item) => JSON.stringify(item)).join('\n');
    expect(await codeOf(post(ndjson, { 'content-type': 'application/x-ndjson' }))).toBe('ERR_INGEST_TOO_MANY_EVENTS');
  });

  it.each([
    ['an empty JSON array', '[]', 'application/json'],
    ['an empty JSON body', '', 'application/json'],
    ['a whitespace JSON body', ' \n', 'application/json'],
    ['an empty NDJSON body', '', 'application/x-ndjson'],
    ['blank NDJSON lines only', '\n \n\r\n', 'application/x-ndjson'],
  ])('refuses %s with ERR_INGEST_EMPTY', async (_what, body, type) => {
    expect(await codeOf(post(body, { 'content-type': type }))).toBe('ERR_INGEST_EMPTY');
  });

  it.each([
    ['invalid JSON', '{"time": '],
    ['a JSON string', '"event"'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
  ])('refuses %s with ERR_INGEST_MALFORMED', async (_what, body) => {
    expect(await codeOf(post(body))).toBe('ERR_INGEST_MALFORMED');
  });

  it.each(['application/json', 'application/x-ndjson'])('refuses invalid UTF-8 sent as %s with ERR_INGEST_MALFORMED', async (type) => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"type":"'), 0xc3, 0x28, ...new TextEncoder().encode('"}')]);
    expect(await codeOf(post(bytes, { 'content-type': type }))).toBe('ERR_INGEST_MALFORMED');
  });
});

describe('reading a compressed body', () => {
  const events = Array.from({ length: 50 }, (_, index) => ({ ...event, id: `e-${index}` }));
  const json = JSON.stringify(events);
  const compressed = (bytes: Uint8Array, encoding: string) =>
    post(new Uint8Array(bytes), { 'content-type': 'application/json', 'content-encoding': encoding });

  it.each([
    ['gzip', gzipSync(json)],
    ['x-gzip', gzipSync(json)],
    ['GZIP', gzipSync(json)],
    ['deflate', deflateSync(json)],
  ])('reads a body sent with Content-Encoding %s', async (encoding, bytes) => {
    const body = await readEventBody(compressed(bytes, encoding));
    expect(body.bytes).toBe(Buffer.byteLength(json));
    expect(parseEventBatch(body)).toHaveLength(50);
  });

  it('reads an identity encoding as no encoding', async () => {
    expect(parseEventBatch(await readEventBody(compressed(new TextEncoder().encode(json), 'identity')))).toHaveLength(50);
  });

  it.each(['br', 'zstd', 'compress', 'gzip, gzip', 'unknown'])('refuses Content-Encoding %s with 415', async (encoding) => {
    expect(await codeOf(compressed(gzipSync(json), encoding))).toBe('ERR_INGEST_UNSUPPORTED_ENCODING');
  });

  it('refuses a body that decompresses past 1 MiB, without decompressing all of it', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * MAX_BODY_BYTES, 0x20));
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
    expect(await codeOf(compressed(bomb, 'gzip'))).toBe('ERR_INGEST_TOO_LARGE');
  });

  it('refuses a body that expands beyond an honest compression ratio, even within 1 MiB', async () => {
    const padded = JSON.stringify([event]) + ' '.repeat(MAX_BODY_BYTES - 200);
    expect(await codeOf(compressed(gzipSync(padded, { level: 9 }), 'gzip'))).toBe('ERR_INGEST_TOO_LARGE');
  });

  it('accepts a body of exactly 1 MiB once decompressed', async () => {
    const filler = randomBytes(MAX_BODY_BYTES).toString('base64');
    const text = `${json} ${filler}`.slice(0, MAX_BODY_BYTES);
    expect((await readEventBody(compressed(gzipSync(text), 'gzip'))).bytes).toBe(MAX_BODY_BYTES);
  });

  it('refuses a body that is not what its encoding says with ERR_INGEST_MALFORMED', async () => {
    expect(await codeOf(compressed(new TextEncoder().encode(json), 'gzip'))).toBe('ERR_INGEST_MALFORMED');
  });
});

describe('a client that goes away mid-upload', () => {
  it('is ERR_CLIENT_ABORTED, not an internal error', async () => {
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      },
    });
    const request = { headers: { get: (name: string) => (name === 'content-type' ? 'application/json' : null) }, body: failing };
    await expect(readEventBody(request)).rejects.toMatchObject({ code: 'ERR_CLIENT_ABORTED' });
  });
});

describe('reading a Node request, as server.js passes it', () => {
  const nodeRequest = (chunks: Buffer[]) => {
    const body = Readable.from(chunks);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    return { body, request: { headers: { get: (name: string) => headers[name.toLowerCase()] ?? null }, body } };
  };

  it('reads its chunks as one body', async () => {
    const text = JSON.stringify(event);
    const { request } = nodeRequest([Buffer.from(text.slice(0, 10)), Buffer.from(text.slice(10))]);
    expect(parseEventBatch(await readEventBody(request))).toEqual([{ kind: 'value', value: event }]);
  });

  it('stops reading, and destroys the stream, once the body passes the limit', async () => {
    const { body, request } = nodeRequest([Buffer.alloc(MAX_BODY_BYTES), Buffer.alloc(1), Buffer.alloc(10)]);
    await expect(readEventBody(request)).rejects.toMatchObject({ code: 'ERR_INGEST_TOO_LARGE' });
    expect(body.destroyed).toBe(true);
  });
});
