import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sessionCookieOf } from '../helpers/accounts';
import { makeEvent } from '../helpers/events';
import { postEvents, type Reply } from '../helpers/http';
import { startServer, type RunningServer } from '../helpers/server';

/**
 * Canaries: a password, a session token, an API token and an ingest key made in
 * this test, each used where it belongs and where it does not. Apart from the
 * one response that hands each out, none may appear in clear in any response,
 * the server's log, the database file or its write-ahead log.
 */
const PASSWORD = `canary-pass-${Date.now()}-phrase`;
let server: RunningServer;
const replies: Reply[] = [];
const walCopies: Buffer[] = [];

async function record(reply: Promise<Reply>): Promise<Reply> {
  const done = await reply;
  replies.push(done);
  return done;
}

function snapshotWal(): void {
  const wal = `${server.dbFile}-wal`;
  if (fs.existsSync(wal)) walCopies.push(fs.readFileSync(wal));
}

beforeAll(async () => {
  server = await startServer({ env: { AUTHWATCH_LOG_LEVEL: 'debug' } });
});
afterAll(async () => server?.dispose());

describe('secrets in clear', () => {
  it('appear nowhere but in the response that hands each one out', async () => {
    const line = await server.waitForLog((text) => text.includes('setupLink'));
    const setupToken = (JSON.parse(line).setupLink as string).split('#')[1];
    const origin = server.url;

    // The password is chosen through the first-run link; the session token arrives in its cookie.
    const setup = await call(server.url, 'POST', '/api/setup', { body: { token: setupToken, email: 'root@example.com', password: PASSWORD }, origin });
    expect(setup.status).toBe(200);
    const cookie = sessionCookieOf(setup) as string;
    const session = cookie.split('=')[1];

    const created = await call(server.url, 'POST', '/api/v1/tokens', { cookie, body: { name: 'canary', role: 'ADMIN' } });
    const apiToken = (created.json as { token: string }).token;
    await record(call(server.url, 'POST', '/api/v1/services', { cookie, body: { name: 'gateway' } }));
    const issued = await call(server.url, 'POST', '/api/v1/keys', { bearer: apiToken, body: { service: 'gateway' } });
    const ingestKey = (issued.json as { key: string }).key;
    expect([created.status, issued.status]).toEqual([201, 201]);

    // Each used where it belongs, and where it does not.
    await record(call(server.url, 'POST', '/api/session', { body: { email: 'root@example.com', password: `${PASSWORD}-wrong` }, origin }));
    await record(call(server.url, 'POST', '/api/session', { body: { email: PASSWORD, password: PASSWORD }, origin }));
    const signedIn = await record(call(server.url, 'POST', '/api/session', { body: { email: 'root@example.com', password: PASSWORD }, origin }));
    expect(signedIn.status).toBe(200);
    await record(call(server.url, 'GET', '/api/v1/me', { cookie }));
    await record(call(server.url, 'GET', '/', { cookie }));
    await record(call(server.url, 'GET', '/admin/tokens', { cookie }));
    await record(call(server.url, 'GET', '/admin/keys', { cookie }));
    await record(call(server.url, 'GET', '/admin/audit', { cookie }));
    await record(call(server.url, 'GET', '/api/v1/audit', { bearer: apiToken }));
    await record(call(server.url, 'GET', '/api/v1/keys', { bearer: apiToken }));
    await record(call(server.url, 'GET', '/api/v1/tokens', { bearer: apiToken }));
    await record(call(server.url, 'GET', '/api/v1/me', { bearer: ingestKey }));
    await record(call(server.url, 'GET', '/api/v1/me', { bearer: `${apiToken}x` }));
    await record(call(server.url, 'GET', '/api/v1/me', { bearer: session }));
    await record(call(server.url, 'GET', '/api/metrics'));
    expect((await record(postEvents(server.url, makeEvent(), { key: ingestKey }))).status).toBe(200);
    expect((await record(postEvents(server.url, makeEvent(), { key: apiToken }))).status).toBe(401);
    snapshotWal();

    const canaries = {
      password: PASSWORD,
      session,
      'API token': apiToken.slice(-43),
      'ingest key': ingestKey.slice(-43),
    };
    const responses = replies.map((reply) => `${[...reply.headers.entries()].map(([n, v]) => `${n}: ${v}`).join('\n')}\n${reply.text}`).join('\n');
    const logs = server.logs().join('\n');
    for (const [name, secret] of Object.entries(canaries)) {
      expect(responses.includes(secret), `${name} in a response`).toBe(false);
      expect(logs.includes(secret), `${name} in the server log`).toBe(false);
    }

    await server.stop();
    const files = [fs.readFileSync(server.dbFile), ...walCopies];
    if (fs.existsSync(`${server.dbFile}-wal`)) files.push(fs.readFileSync(`${server.dbFile}-wal`));
    for (const [name, secret] of Object.entries(canaries)) {
      for (const bytes of files) expect(bytes.includes(Buffer.from(secret)), `${name} in the database files`).toBe(false);
    }
    // The canaries were real: the test would have found them had they been stored.
    expect(walCopies.length + files.length).toBeGreaterThan(1);
    expect(fs.readFileSync(server.dbFile).includes(Buffer.from('root@example.com'))).toBe(true);
  });
});
