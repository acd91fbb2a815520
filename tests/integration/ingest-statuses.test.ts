import { describe, expect, it } from 'vitest';
import { makeEvent, makeEvents } from '../helpers/events';
import { errorCode, ingestResult, postEvents } from '../helpers/http';
import { withReader } from '../helpers/provision';
import { withGatewayServer } from '../helpers/gateway-server';

const live = withGatewayServer();

const storedCount = () => withReader(live.server.dbFile, (reader) => reader.countEvents({ serviceIds: [live.gateway.serviceId] }));

describe('POST /api/v1/events answers every documented status', () => {
  it('stores one valid event and answers 200 with the counts', async () => {
    const before = storedCount();
    const reply = await postEvents(live.server.url, makeEvent(), { key: live.gateway.key });
    expect(ingestResult(reply)).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(storedCount()).toBe(before + 1);
  });

  it('answers 400 ERR_INGEST_MALFORMED to a body that is not JSON', async () => {
    const reply = await postEvents(live.server.url, '{"id": "x", "time":', { key: live.gateway.key });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('ERR_INGEST_MALFORMED');
  });

  it('answers 400 ERR_INGEST_EMPTY to an empty array', async () => {
    const reply = await postEvents(live.server.url, [], { key: live.gateway.key });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('ERR_INGEST_EMPTY');
  });

  it('answers 401 ERR_AUTH_MISSING with a Bearer challenge when no credential is sent', async () => {
    const reply = await postEvents(live.server.url, makeEvent(), { key: null });
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe('ERR_AUTH_MISSING');
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it.each([
    ['garbage', 'not-a-key'],
    ['a well-formed key nobody issued', `aw_0123456789ab_${'A'.repeat(43)}`],
    ['a real key id with the wrong secret', 'WRONG_SECRET'],
  ])('answers 401 ERR_AUTH_INVALID to %s', async (_what, presented) => {
    const key = presented === 'WRONG_SECRET' ? `aw_${live.gateway.keyId}_${'B'.repeat(43)}` : presented;
    const reply = await postEvents(live.server.url, makeEvent(), { key });
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe('ERR_AUTH_INVALID');
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 413 ERR_INGEST_TOO_LARGE to a body over 1 MiB and stores nothing of it', async () => {
    const before = storedCount();
    const padding = 'x'.repeat(1000);
    const events = makeEvents(1100, { attributes: { padding } });
    const reply = await postEvents(live.server.url, events.slice(0, 1000), { key: live.gateway.key });
    expect(reply.status).toBe(413);
    expect(errorCode(reply)).toBe('ERR_INGEST_TOO_LARGE');
    expect(storedCount()).toBe(before);
  });

  it('answers 413 ERR_INGEST_TOO_LARGE to an oversized NDJSON body sent without a length', async () => {
    const padding = 'y'.repeat(1000);
    const lines = makeEvents(1000, { attributes: { padding } }).map((event) => JSON.stringify(event));
    const chunks = [new TextEncoder().encode(`${lines.join('\n')}\n`)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const response = await fetch(`${live.server.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${live.gateway.key}`, 'content-type': 'application/x-ndjson' },
      body,
      duplex: 'half',
      signal: AbortSignal.timeout(30_000),
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ERR_INGEST_TOO_LARGE');
    // The unread rest of the body must not poison a reused keep-alive connection.
    expect(response.headers.get('connection')).toBe('close');
    const next = await postEvents(live.server.url, makeEvent(), { key: live.gateway.key });
    expect(ingestResult(next).accepted).toBe(1);
  });

  it('answers 413 ERR_INGEST_TOO_MANY_EVENTS to 1001 events and stores none of them', async () => {
    const before = storedCount();
    const reply = await postEvents(live.server.url, makeEvents(1001), { key: live.gateway.key });
    expect(reply.status).toBe(413);
    expect(errorCode(reply)).toBe('ERR_INGEST_TOO_MANY_EVENTS');
    expect(storedCount()).toBe(before);
  });

  it('accepts exactly 1000 events in one request', async () => {
    const reply = await postEvents(live.server.url, makeEvents(1000), { key: live.gateway.key });
    expect(ingestResult(reply)).toMatchObject({ accepted: 1000, duplicates: 0, rejected: [] });
  });

  it('answers 415 ERR_INGEST_UNSUPPORTED_MEDIA_TYPE to text/plain', async () => {
    const reply = await postEvents(live.server.url, JSON.stringify(makeEvent()), { key: live.gateway.key, contentType: 'text/plain' });
    expect(reply.status).toBe(415);
    expect(errorCode(reply)).toBe('ERR_INGEST_UNSUPPORTED_MEDIA_TYPE');
  });
});
