import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpiredKey, createServiceWithKey, loginFailure, postEvents, revokeKey, withStore } from '../helpers/fixtures';
import { startServer, type RunningServer } from '../helpers/server';

describe('POST /api/v1/events answers every status with the JSON error shape', () => {
  let server: RunningServer;
  let key: string;
  let revoked: string;
  let expired: string;

  beforeAll(async () => {
    server = await startServer();
    key = createServiceWithKey(server.dbFile, 'gateway').key;
    const toRevoke = createServiceWithKey(server.dbFile, 'gateway');
    revokeKey(server.dbFile, toRevoke.keyId);
    revoked = toRevoke.key;
    expired = createExpiredKey(server.dbFile, 'gateway');
  });

  afterAll(async () => {
    await server?.stop();
    server?.remove();
  });

  it('accepts one valid event with 200 and counts it', async () => {
    const answer = await postEvents(server.url, key, loginFailure());
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('answers 400 ERR_INGEST_MALFORMED to a body that is not JSON', async () => {
    const answer = await postEvents(server.url, key, '{"type": ', { raw: true });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('ERR_INGEST_MALFORMED');
  });

  it('answers 400 ERR_INGEST_EMPTY to an empty array', async () => {
    const answer = await postEvents(server.url, key, []);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('ERR_INGEST_EMPTY');
  });

  it('answers 401 ERR_AUTH_MISSING without a credential, with a Bearer challenge', async () => {
    const answer = await postEvents(server.url, undefined, loginFailure());
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('ERR_AUTH_MISSING');
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    ['garbage', 'not-a-key'],
    ['an unknown key id', 'aw_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('answers 401 ERR_AUTH_INVALID to %s', async (_what, credential) => {
    const answer = await postEvents(server.url, credential, loginFailure());
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('ERR_AUTH_INVALID');
  });

  it('answers 401 ERR_AUTH_INVALID to a real key id with a wrong secret', async () => {
    const forged = `${key.slice(0, 16)}${'A'.repeat(43)}`;
    const answer = await postEvents(server.url, forged, loginFailure());
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('ERR_AUTH_INVALID');
  });

  it('answers 403 ERR_CREDENTIAL_REVOKED to a revoked key and stores nothing', async () => {
    const event = loginFailure();
    const answer = await postEvents(server.url, revoked, event);
    expect(answer.status).toBe(403);
    expect(answer.body.error?.code).toBe('ERR_CREDENTIAL_REVOKED');
    expect(withStore(server.dbFile, (store) => store.countEvents({ username: 'alice', since: Date.now() - 60_000 }))).toBe(1);
  });

  it('answers 413 ERR_INGEST_TOO_LARGE to a body over 1 MiB', async () => {
    const big = loginFailure({ attributes: { note: 'x'.repeat(1000) } });
    const body = Array.from({ length: 1100 }, () => big);
    const answer = await postEvents(server.url, key, body);
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe('ERR_INGEST_TOO_LARGE');
  });

  it('answers 413 ERR_INGEST_TOO_MANY_EVENTS to 1,001 events', async () => {
    const answer = await postEvents(server.url, key, Array.from({ length: 1001 }, () => ({ type: 'login.success' })));
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe('ERR_INGEST_TOO_MANY_EVENTS');
  });

  it('accepts exactly 1,000 events in one request', async () => {
    const answer = await postEvents(server.url, key, Array.from({ length: 1000 }, () => loginFailure({ actor: { username: 'bulk' } })));
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(1000);
  });

  it('answers 415 ERR_INGEST_UNSUPPORTED_MEDIA_TYPE to text/plain', async () => {
    const answer = await postEvents(server.url, key, loginFailure(), { contentType: 'text/plain' });
    expect(answer.status).toBe(415);
    expect(answer.body.error?.code).toBe('ERR_INGEST_UNSUPPORTED_MEDIA_TYPE');
  });

  it('never echoes a credential in a response body or in the logs', async () => {
    const answers = await Promise.all([
      postEvents(server.url, key, '{', { raw: true }),
      postEvents(server.url, revoked, loginFailure()),
      postEvents(server.url, `${key}x`, loginFailure()),
      postEvents(server.url, key, loginFailure(), { contentType: 'text/plain' }),
    ]);
    for (const answer of answers) {
      expect(answer.text).not.toContain(key.slice(16));
      expect(answer.text).not.toContain(revoked.slice(16));
    }
    expect(server.logs()).not.toContain(key.slice(16));
    expect(server.logs()).not.toContain(revoked.slice(16));
  });

  it('answers 403 ERR_CREDENTIAL_EXPIRED to an expired key', async () => {
    const answer = await postEvents(server.url, expired, loginFailure());
    expect(answer.status).toBe(403);
    expect(answer.body.error?.code).toBe('ERR_CREDENTIAL_EXPIRED');
  });
});
