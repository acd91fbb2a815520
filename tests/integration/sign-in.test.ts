import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createToken, createUser, signIn } from '../helpers/accounts';
import { errorCode } from '../helpers/http';
import { get } from '../helpers/http';
import { parsePrometheus, valueOf } from '../helpers/metrics';
import { withReader, withStore } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

/**
 * Sign-in against the real server: throttling that holds exactly under
 * parallel guesses, sessions that end at once, and authwatch's own door
 * recorded as events of service `authwatch`, stored and counted.
 */
let server: RunningServer;
const PASSWORD = 'glacier-violet-tuesday-41';
const ROOT = path.resolve(__dirname, '..', '..');

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/authwatch.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', AUTHWATCH_DB: server.dbFile },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

function doorEvents(): { type: string; reason?: string; source?: { ip?: string }; actor?: { username?: string } }[] {
  const service = withStore(server.dbFile, (store) => store.findServiceByName('authwatch'));
  if (!service) return [];
  return withReader(server.dbFile, (reader) => reader.listEvents({ serviceIds: [service.id], limit: 10_000 }).events.map((event) => JSON.parse(event.document)));
}

async function counted(name: string, labels: Record<string, string>): Promise<number> {
  return valueOf(parsePrometheus((await get(server.url, '/api/metrics')).text), name, labels);
}

beforeAll(async () => {
  // Addresses come from X-Forwarded-For here, so one test can play many clients.
  server = await startServer({ env: { AUTHWATCH_TRUST_PROXY: 'true' } });
  await createUser(server.dbFile, 'alice@example.com', 'MANAGER', PASSWORD);
  await createUser(server.dbFile, 'root@example.com', 'ADMIN', PASSWORD);
});
afterAll(async () => server?.dispose());

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const attempt = (email: string, password: string, ip: string) =>
  call(server.url, 'POST', '/api/session', { body: { email, password }, origin: server.url, headers: from(ip) });

describe('signing in', () => {
  it('answers one generic 401 for a wrong password and an unknown email, and records why as events', async () => {
    const before = await counted('authwatch_failed_logins_total', { service: 'authwatch', reason: 'unknown_user' });
    const wrong = await attempt('alice@example.com', 'not-the-password-at-all', '192.0.2.1');
    const unknown = await attempt('nobody@example.com', 'not-the-password-at-all', '192.0.2.1');
    for (const reply of [wrong, unknown]) {
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ error: { code: 'ERR_SIGNIN_FAILED', message: 'the email or password is not correct' } });
    }
    const failures = doorEvents().filter((event) => event.type === 'login.failure');
    expect(failures.map((event) => [event.reason, event.actor?.username, event.source?.ip])).toEqual(
      expect.arrayContaining([
        ['bad_credentials', 'alice@example.com', '192.0.2.1'],
        ['unknown_user', 'nobody@example.com', '192.0.2.1'],
      ]),
    );
    expect(await counted('authwatch_failed_logins_total', { service: 'authwatch', reason: 'unknown_user' })).toBe(before + 1);
  });

  it('holds the per-email limit exactly under 50 parallel wrong passwords, and records the lockout', async () => {
    await createUser(server.dbFile, 'target@example.com', 'USER', PASSWORD);
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => attempt('target@example.com', `guess-number-${i}-wrong`, `198.51.100.${i + 1}`)));
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(45);
    for (const reply of replies.filter((r) => r.status === 429)) {
      expect(errorCode(reply)).toBe('ERR_SIGNIN_THROTTLED');
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(800);
    }
    // The right password waits too: a lockout that yields to a guess protects nothing.
    expect((await attempt('target@example.com', PASSWORD, '203.0.113.50')).status).toBe(429);
    const events = doorEvents().filter((event) => event.actor?.username === 'target@example.com');
    expect(events.filter((event) => event.type === 'account.locked')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'login.failure' && event.reason === 'account_locked')).toHaveLength(46);
  });

  it('holds the per-address limit across emails, without locking the same email elsewhere', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await attempt(`spray-${i}@example.com`, 'spring-2026-password', '203.0.113.7')).status);
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await attempt('alice@example.com', PASSWORD, '203.0.113.7')).status).toBe(429);
    expect((await attempt('alice@example.com', PASSWORD, '203.0.113.8')).status).toBe(200);
    expect(doorEvents().some((event) => event.type === 'rate_limit.exceeded' && event.source?.ip === '203.0.113.7')).toBe(true);
  });

  it('records a successful sign-in and counts it', async () => {
    const before = await counted('authwatch_events_total', { service: 'authwatch', type: 'login.success' });
    expect((await attempt('root@example.com', PASSWORD, '192.0.2.44')).status).toBe(200);
    expect(await counted('authwatch_events_total', { service: 'authwatch', type: 'login.success' })).toBe(before + 1);
  });

  it('records rejected API tokens, and never an ingest key or token secret', async () => {
    const revoked = createToken(server.dbFile, 'USER', 'revoked-bot');
    await call(server.url, 'DELETE', `/api/v1/tokens/${revoked.id}`, { bearer: createToken(server.dbFile, 'ADMIN').token });
    const forged = `awt_${revoked.id}_${'A'.repeat(43)}`;
    const statuses = [
      (await call(server.url, 'GET', '/api/v1/me', { bearer: revoked.token })).status,
      (await call(server.url, 'GET', '/api/v1/me', { bearer: forged })).status,
      (await call(server.url, 'GET', '/api/v1/me', { bearer: 'aw_0123456789ab_' + 'B'.repeat(43) })).status,
      (await call(server.url, 'GET', '/api/v1/me', { bearer: 'garbage' })).status,
    ];
    expect(statuses).toEqual([403, 401, 401, 401]);
    const rejected = doorEvents().filter((event) => event.type === 'token.rejected');
    expect(rejected.map((event) => event.reason)).toEqual(expect.arrayContaining(['revoked', 'bad_signature', 'wrong_audience', 'malformed']));
    const stored = JSON.stringify(doorEvents());
    expect(stored).not.toContain(revoked.token.slice(-43));
    expect(stored).not.toContain('B'.repeat(43));
  });
});

describe('sessions', () => {
  it('stop at once when the user is disabled, their role changes, or they sign out', async () => {
    await createUser(server.dbFile, 'carol@example.com', 'USER', PASSWORD);
    await createUser(server.dbFile, 'dave@example.com', 'USER', PASSWORD);
    const carol = (await signIn(server.url, 'carol@example.com', PASSWORD)).cookie as string;
    const dave = (await signIn(server.url, 'dave@example.com', PASSWORD)).cookie as string;
    expect((await call(server.url, 'GET', '/api/v1/me', { cookie: carol })).status).toBe(200);

    expect(cli('users', 'disable', 'carol@example.com').status).toBe(0);
    const afterDisable = await call(server.url, 'GET', '/api/v1/me', { cookie: carol });
    expect([afterDisable.status, errorCode(afterDisable)]).toEqual([401, 'ERR_AUTH_MISSING']);
    expect((await call(server.url, 'GET', '/', { cookie: carol })).headers.get('location')).toMatch(/^\/login/);
    expect((await signIn(server.url, 'carol@example.com', PASSWORD)).reply.status).toBe(401);

    expect(cli('users', 'set-role', 'dave@example.com', 'MANAGER').status).toBe(0);
    expect((await call(server.url, 'GET', '/api/v1/me', { cookie: dave })).status).toBe(401);
    const again = (await signIn(server.url, 'dave@example.com', PASSWORD)).cookie as string;
    expect((await call(server.url, 'GET', '/api/v1/me', { cookie: again })).json).toMatchObject({ role: 'MANAGER' });
    expect((await call(server.url, 'DELETE', '/api/session', { cookie: again })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/me', { cookie: again })).status).toBe(401);
  });
});
