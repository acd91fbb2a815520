import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createToken, createUser, signIn } from '../helpers/accounts';
import { errorCode } from '../helpers/http';
import { startServer, type RunningServer } from '../helpers/server';

/**
 * State changes made with the session cookie must come from authwatch's own
 * pages: same-origin Origin, or Sec-Fetch-Site: same-origin without one. JSON
 * endpoints take only JSON.
 */
let server: RunningServer;
let cookie: string;
const PASSWORD = 'glacier-violet-tuesday-41';
let invitee = 0;
const invite = () => ({ email: `csrf-${(invitee += 1)}@example.com`, role: 'USER' });

beforeAll(async () => {
  server = await startServer();
  await createUser(server.dbFile, 'root@example.com', 'ADMIN', PASSWORD);
  cookie = (await signIn(server.url, 'root@example.com', PASSWORD)).cookie as string;
});
afterAll(async () => server?.dispose());

describe('cross-site request forgery', () => {
  it.each([
    ['Origin: null', { origin: 'null' }],
    ['a cross-origin Origin', { origin: 'https://evil.example' }],
    ['the right host on another scheme', { origin: 'https://127.0.0.1' }],
    ['no Origin at all', { origin: null }],
    ['no Origin and Sec-Fetch-Site: cross-site', { origin: null, headers: { 'sec-fetch-site': 'cross-site' } }],
    ['a same Origin contradicted by Sec-Fetch-Site: cross-site', { headers: { 'sec-fetch-site': 'cross-site' } }],
  ])('refuses a cookie-authenticated change with %s (403 ERR_CROSS_ORIGIN), and makes no change', async (_, options) => {
    const body = invite();
    const reply = await call(server.url, 'POST', '/api/v1/users', { cookie, body, ...options });
    expect(reply.status).toBe(403);
    expect(errorCode(reply)).toBe('ERR_CROSS_ORIGIN');
    const users = await call(server.url, 'GET', '/api/v1/users', { cookie });
    expect(JSON.stringify(users.json)).not.toContain(body.email);
  });

  it('accepts the same change from its own origin, or with Sec-Fetch-Site: same-origin and no Origin', async () => {
    expect((await call(server.url, 'POST', '/api/v1/users', { cookie, body: invite() })).status).toBe(201);
    const fetchSite = await call(server.url, 'POST', '/api/v1/users', { cookie, body: invite(), origin: null, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(fetchSite.status).toBe(201);
  });

  it('needs no Origin for reads, nor for an API token (a browser never sends one by itself)', async () => {
    expect((await call(server.url, 'GET', '/api/v1/users', { cookie, origin: null })).status).toBe(200);
    const admin = createToken(server.dbFile, 'ADMIN').token;
    expect((await call(server.url, 'POST', '/api/v1/users', { bearer: admin, body: invite(), origin: null })).status).toBe(201);
  });

  it('refuses a cross-site sign-in and sign-out', async () => {
    const signInReply = await call(server.url, 'POST', '/api/session', {
      body: { email: 'root@example.com', password: PASSWORD },
      origin: 'https://evil.example',
    });
    expect(signInReply.status).toBe(403);
    expect(signInReply.headers.getSetCookie()).toEqual([]);
    expect((await call(server.url, 'DELETE', '/api/session', { cookie, origin: 'https://evil.example' })).status).toBe(403);
    expect((await call(server.url, 'GET', '/api/v1/me', { cookie })).status).toBe(200);
  });

  it.each([
    ['text/plain', '{"email":"x@example.com","role":"USER"}'],
    ['application/x-www-form-urlencoded', 'email=x%40example.com&role=USER'],
    ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nx@example.com\r\n--b--'],
  ])('refuses a %s body with 415 ERR_UNSUPPORTED_MEDIA_TYPE', async (contentType, body) => {
    const reply = await call(server.url, 'POST', '/api/v1/users', { cookie, body, headers: { 'content-type': contentType } });
    expect(reply.status).toBe(415);
    expect(errorCode(reply)).toBe('ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a malformed or oversized JSON body', async () => {
    const broken = await call(server.url, 'POST', '/api/v1/users', { cookie, body: '{"email": ' });
    expect([broken.status, errorCode(broken)]).toEqual([400, 'ERR_INVALID_INPUT']);
    const huge = await call(server.url, 'POST', '/api/v1/users', { cookie, body: { email: 'a@example.com', role: 'USER', pad: 'x'.repeat(70_000) } });
    expect([huge.status, errorCode(huge)]).toEqual([413, 'ERR_BODY_TOO_LARGE']);
  });
});
