import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createUser, signIn } from '../helpers/accounts';
import { makeEvent } from '../helpers/events';
import { get, postEvents, type Reply } from '../helpers/http';
import { withGatewayServer } from '../helpers/gateway-server';

/** The security headers of every kind of response, the ingest fast path's included. */
const STATIC = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};
const API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function expectStatic(reply: Reply): void {
  for (const [name, value] of Object.entries(STATIC)) expect(reply.headers.get(name), name).toBe(value);
}

function sessionAddresses(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare('SELECT DISTINCT ip FROM sessions').pluck().all() as string[];
  } finally {
    db.close();
  }
}

function pageCsp(reply: Reply): Map<string, string> {
  const header = reply.headers.get('content-security-policy') ?? '';
  return new Map(header.split(';').map((directive) => directive.trim().split(/\s+(.*)/s).slice(0, 2) as [string, string]));
}

describe('security headers', () => {
  const live = withGatewayServer();

  it('gives pages a CSP with a fresh nonce per response that Next.js puts on its scripts', async () => {
    const first = await get(live.server.url, '/login');
    const second = await get(live.server.url, '/login');
    expectStatic(first);
    const csp = pageCsp(first);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp.get('script-src') ?? '')?.[1];
    expect(csp.get('script-src')).toBe(`'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(nonce).toBeDefined();
    expect(pageCsp(second).get('script-src')).not.toBe(csp.get('script-src'));
    const scripts = [...first.text.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    expect(first.headers.get('strict-transport-security')).toBeNull();
  });

  it('gives JSON, the ingest fast path, errors, redirects and static files the static headers', async () => {
    const replies = [
      await get(live.server.url, '/api/health'),
      await get(live.server.url, '/api/v1/users'),
      await postEvents(live.server.url, makeEvent(), { key: live.gateway.key }),
      await postEvents(live.server.url, makeEvent(), { key: 'aw_000000000000_nope' }),
      await call(live.server.url, 'GET', '/'),
      await get(live.server.url, '/no-such-page'),
    ];
    expect(replies.map((reply) => reply.status)).toEqual([200, 401, 200, 401, 307, 404]);
    for (const reply of replies) expectStatic(reply);
    for (const reply of replies.slice(0, 4)) expect(reply.headers.get('content-security-policy')).toBe(API_CSP);
    const asset = /\/_next\/static\/[^"]+\.js/.exec((await get(live.server.url, '/login')).text)?.[0] as string;
    const script = await get(live.server.url, asset);
    expect(script.status).toBe(200);
    expectStatic(script);
  });

  it('never lets a client choose the address it is known by (throttle, sessions, events)', async () => {
    await createUser(live.server.dbFile, 'ip@example.com', 'USER', 'glacier-violet-tuesday-41');
    const forged = await call(live.server.url, 'POST', '/api/session', {
      body: { email: 'ip@example.com', password: 'glacier-violet-tuesday-41' },
      origin: live.server.url,
      headers: { 'x-authwatch-peer': '203.0.113.99', 'x-forwarded-for': '203.0.113.98' },
    });
    expect(forged.status).toBe(200);
    expect(sessionAddresses(live.server.dbFile)).toEqual(['127.0.0.1']);
  });
});

describe('behind a trusted HTTPS proxy', () => {
  const live = withGatewayServer({ env: { AUTHWATCH_TRUST_PROXY: 'true' } });

  beforeAll(async () => {
    await createUser(live.server.dbFile, 'tls@example.com', 'ADMIN', 'glacier-violet-tuesday-41');
  });

  const viaProxy = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.20' };

  it('sends HSTS, upgrades insecure requests, and sets a __Host- Secure cookie', async () => {
    const page = await get(live.server.url, '/login', viaProxy);
    expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(page.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    const ingest = await postEvents(live.server.url, makeEvent(), { headers: viaProxy });
    expect(ingest.headers.get('strict-transport-security')).toBe('max-age=31536000');

    const host = new URL(live.server.url).host;
    const reply = await call(live.server.url, 'POST', '/api/session', {
      body: { email: 'tls@example.com', password: 'glacier-violet-tuesday-41' },
      origin: `https://${host}`,
      headers: viaProxy,
    });
    expect(reply.status).toBe(200);
    const [cookie] = reply.headers.getSetCookie();
    expect(cookie).toMatch(/^__Host-authwatch_session=aws_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    const nameValue = cookie.split(';')[0];
    expect(sessionAddresses(live.server.dbFile)).toEqual(['198.51.100.20']);
    expect((await call(live.server.url, 'GET', '/api/v1/me', { cookie: nameValue, headers: viaProxy })).status).toBe(200);
    // Over plain HTTP the __Host- cookie is not read.
    expect((await call(live.server.url, 'GET', '/api/v1/me', { cookie: nameValue })).status).toBe(401);
  });

  it('sends no HSTS over plain HTTP, and sets a plain cookie there', async () => {
    const page = await get(live.server.url, '/login');
    expect(page.headers.get('strict-transport-security')).toBeNull();
    const { cookie } = await signIn(live.server.url, 'tls@example.com', 'glacier-violet-tuesday-41');
    expect(cookie).toMatch(/^authwatch_session=aws_/);
  });
});
