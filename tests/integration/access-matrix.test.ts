import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS, type Access } from '@/lib/auth/access';
import { ROLES, hasRole, type Role } from '@/lib/auth/roles';
import { call, createToken, createUser, signIn, type CallOptions } from '../helpers/accounts';
import { pages, routeHandlers } from '../helpers/app-routes';
import { makeEvent } from '../helpers/events';
import { errorCode, type Reply } from '../helpers/http';
import { provisionService, withStore, type Provisioned } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

/**
 * Every route the app serves × every kind of caller, against the access table:
 * anonymous, a garbage bearer, an ingest key, and USER, MANAGER and ADMIN API
 * tokens. Each request is a real one (fresh targets for changes), so an allowed
 * call must succeed, not merely get past the check.
 */
let server: RunningServer;
let gateway: Provisioned;
const tokens = {} as Record<Role, string>;
let unique = 0;
/** An alert for the alert routes to read and annotate: ten failed sign-ins from one address raise one. */
let alertId = 0;

async function raiseAlert(): Promise<number> {
  const failures = Array.from({ length: 10 }, (_, i) => makeEvent({ source: { ip: '203.0.113.250' }, actor: { username: `guess${i}` } }));
  await call(server.url, 'POST', '/api/v1/events', { bearer: gateway.key, body: failures });
  for (let tries = 0; tries < 100; tries++) {
    const listed = await call(server.url, 'GET', '/api/v1/alerts?rule=brute_force_ip', { bearer: tokens.USER });
    const [first] = (listed.json as { alerts: Array<{ id: number }> }).alerts;
    if (first) return first.id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no alert was raised');
}

beforeAll(async () => {
  server = await startServer();
  gateway = provisionService(server.dbFile, 'gateway');
  for (const role of ROLES) tokens[role] = createToken(server.dbFile, role).token;
  await createUser(server.dbFile, 'root@example.com', 'ADMIN', 'glacier-violet-tuesday-41');
  await createUser(server.dbFile, 'user@example.com', 'USER', 'glacier-violet-tuesday-42');
  alertId = await raiseAlert();
});
afterAll(async () => server?.dispose());

/** `missing`: the route's record does not exist here, so an allowed caller gets that 404 code (the role check passed). */
type Sample = { path: string; body?: unknown; missing?: string };

/** A request that succeeds for a caller allowed to make it; changes get a fresh target each time. */
function sample(key: string): Sample {
  unique += 1;
  const db = server.dbFile;
  const userId = () =>
    withStore(db, (store) => store.accounts.findUserByEmail('user@example.com')?.id) as number;
  const freshKey = () => provisionService(db, 'gateway').keyId;
  switch (key) {
    case 'POST /api/v1/events':
      return { path: '/api/v1/events', body: makeEvent() };
    case 'POST /api/v1/services':
      return { path: '/api/v1/services', body: { name: `svc-${unique}` } };
    case 'POST /api/v1/keys':
      return { path: '/api/v1/keys', body: { service: 'gateway', expires: '1d' } };
    case 'DELETE /api/v1/keys/[id]':
      return { path: `/api/v1/keys/${freshKey()}` };
    case 'POST /api/v1/keys/[id]/rotate':
      return { path: `/api/v1/keys/${freshKey()}/rotate`, body: {} };
    case 'POST /api/v1/users':
      return { path: '/api/v1/users', body: { email: `invitee-${unique}@example.com`, role: 'USER' } };
    case 'PATCH /api/v1/users/[id]':
      return { path: `/api/v1/users/${userId()}`, body: { role: unique % 2 === 0 ? 'USER' : 'MANAGER' } };
    case 'POST /api/v1/users/[id]/setup-link':
      return { path: `/api/v1/users/${userId()}/setup-link` };
    case 'POST /api/v1/tokens':
      return { path: '/api/v1/tokens', body: { name: `bot ${unique}`, role: 'USER' } };
    case 'GET /api/v1/alerts/[id]':
      return { path: `/api/v1/alerts/${alertId}` };
    case 'PATCH /api/v1/alerts/[id]':
      return { path: `/api/v1/alerts/${alertId}`, body: { note: `seen ${unique}` } };
    case 'PUT /api/v1/rules/[id]':
      return { path: '/api/v1/rules/brute_force_ip', body: { params: { threshold: 10 } } };
    case 'POST /api/v1/rules/[id]/backtest':
      return { path: '/api/v1/rules/brute_force_ip/backtest', body: { params: { threshold: 12 }, days: 1 } };
    case 'DELETE /api/v1/tokens/[id]':
      return { path: `/api/v1/tokens/${createToken(db, 'USER', `doomed-${unique}`).id}` };
    default:
      return { path: key.split(' ')[1] };
  }
}

type Caller = { name: string; options: () => CallOptions; role?: Role; kind: 'none' | 'garbage' | 'ingest' | 'token' };
const CALLERS: Caller[] = [
  { name: 'anonymous', kind: 'none', options: () => ({}) },
  { name: 'a garbage token', kind: 'garbage', options: () => ({ bearer: 'garbage-not-a-token' }) },
  { name: 'an ingest key', kind: 'ingest', options: () => ({ bearer: gateway.key }) },
  ...ROLES.map((role): Caller => ({ name: `a ${role} token`, kind: 'token', role, options: () => ({ bearer: tokens[role] }) })),
];

/** What the access table says this caller gets: a status and, for refusals, a code. */
function expected(access: Access, caller: Caller): { status: 'ok' | number; code?: string } {
  switch (access.who) {
    case 'anyone':
    case 'metrics-scraper':
      return { status: 'ok' };
    case 'ingest-key':
      if (caller.kind === 'ingest') return { status: 'ok' };
      return caller.kind === 'none' ? { status: 401, code: 'ERR_AUTH_MISSING' } : { status: 401, code: 'ERR_AUTH_INVALID' };
    case 'member':
      if (caller.kind === 'none') return { status: 401, code: 'ERR_AUTH_MISSING' };
      if (caller.kind !== 'token' || !access.tokens) return { status: 401, code: 'ERR_AUTH_INVALID' };
      return hasRole(caller.role as Role, access.role) ? { status: 'ok' } : { status: 403, code: 'ERR_FORBIDDEN' };
  }
}

const served = routeHandlers().filter((route) => !['POST /api/session', 'POST /api/setup', 'POST /api/setup/preview'].includes(route.key));
const cases = served.flatMap((route) => CALLERS.map((caller) => [route.key, caller.name, caller] as const));

describe('the access matrix of every route', () => {
  it('covers every route handler the app serves', () => {
    expect(served.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s as %s', async (key, _, caller) => {
    const access: Access = (ACCESS as Record<string, Access>)[key];
    const method = key.split(' ')[0];
    const { path, body, missing } = sample(key);
    const reply: Reply = await call(server.url, method, path, { ...caller.options(), body });
    const want = expected(access, caller);
    if (want.status === 'ok' && missing) {
      expect(reply.status, reply.text).toBe(404);
      expect(errorCode(reply)).toBe(missing);
    } else if (want.status === 'ok') {
      expect(reply.status, reply.text).toBeGreaterThanOrEqual(200);
      expect(reply.status, reply.text).toBeLessThan(300);
    } else {
      expect(reply.status, reply.text).toBe(want.status);
      expect(errorCode(reply)).toBe(want.code);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });
});

describe('the access matrix of every page', () => {
  const memberPages = pages().filter((page) => (ACCESS as Record<string, Access>)[page.key].who === 'member');

  it.each(memberPages.map((page) => [page.key]))('%s sends an anonymous visitor to /login', async (key) => {
    const reply = await call(server.url, 'GET', key.slice(5));
    expect(reply.status).toBe(307);
    expect(reply.headers.get('location')).toMatch(/^\/login(\?|$)/);
  });

  it.each(memberPages.map((page) => [page.key]))('%s answers a session by role, and never an API token', async (key) => {
    const access = (ACCESS as Record<string, Access>)[key] as Extract<Access, { who: 'member' }>;
    // A page of one record (/events/[id]) checks the role first, then answers 404 for a record that does not exist.
    const path = key.slice(5).replace('[id]', '999999');
    const allowed = path === key.slice(5) ? 200 : 404;
    const admin = (await signIn(server.url, 'root@example.com', 'glacier-violet-tuesday-41')).cookie;
    const user = (await signIn(server.url, 'user@example.com', 'glacier-violet-tuesday-42')).cookie;
    expect((await call(server.url, 'GET', path, { cookie: admin })).status).toBe(allowed);
    expect((await call(server.url, 'GET', path, { cookie: user })).status).toBe(hasRole('USER', access.role) ? allowed : 403);
    expect((await call(server.url, 'GET', path, { bearer: tokens.ADMIN })).status).toBe(307);
  });
});
