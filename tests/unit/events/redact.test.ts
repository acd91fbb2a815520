import { describe, expect, it } from 'vitest';
import { generateIngestKey } from '@/lib/auth/ingest-key-format';
import { redactEvent, redactText } from '@/lib/events/redact';
import { Event } from '@/lib/events/schema';

const b64url = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jws = `${b64url({ alg: 'RS256', kid: 'k1' })}.${b64url({ sub: 'alice', exp: 1_800_000_000 })}.c2lnbmF0dXJlLWJ5dGVz`;
const unsecuredJwt = `${b64url({ alg: 'none' })}.${b64url({ sub: 'alice' })}.`;
const jwe = `${b64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.ZW5jcnlwdGVkLWtleQ.aXYtaXYtaXYtaXY.Y2lwaGVydGV4dA.dGFnLXRhZy10YWc`;
const jweDirect = `${b64url({ alg: 'dir', enc: 'A256GCM' })}..aXYtaXYtaXYtaXY.Y2lwaGVydGV4dA.dGFnLXRhZy10YWc`;
const ingestKey = generateIngestKey().key;

describe('redactText', () => {
  it.each([
    ['a JWS', `token ${jws} seen`, `token [REDACTED:jwt] seen`],
    ['an unsecured JWT with an empty signature', `jwt=${unsecuredJwt}`, 'jwt=[REDACTED:jwt]'],
    ['a five-part JWE', jwe, '[REDACTED:jwt]'],
    ['a JWE with an empty encrypted key (alg dir)', `cookie ${jweDirect}`, 'cookie [REDACTED:jwt]'],
    ['a JWT inside a user agent', `Mozilla/5.0 (${jws})`, 'Mozilla/5.0 ([REDACTED:jwt])'],
    ['a Bearer header', 'Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA', 'Authorization: [REDACTED:bearer]'],
    ['a lowercase bearer header', 'bearer mF_9.B5f-4.1JqM', '[REDACTED:bearer]'],
    ['a Basic header', 'Authorization: Basic dXNlcjpodW50ZXIy', 'Authorization: [REDACTED:bearer]'],
    ['an all-letter Basic credential (user:pass)', 'Authorization: Basic dXNlcjpwYXNz', 'Authorization: [REDACTED:bearer]'],
    ['password= in a path', '/login;password=hunter2', '/login;password=[REDACTED:secret]'],
    ['a prefixed password= in a path', '/login;db_password=hunter2', '/login;db_password=[REDACTED:secret]'],
    ['client_secret= in text', 'grant_type=client_credentials&client_secret=s3cr3t&x=1', 'grant_type=client_credentials&client_secret=[REDACTED:secret]&x=1'],
    ['access_token= in a path', '/cb#access_token=abc.def', '/cb#access_token=[REDACTED:secret]'],
    ['password: in text', 'login failed password: hunter2', 'login failed password: [REDACTED:secret]'],
    ['URL credentials', 'fetch https://svc:s3cr3t@api.example/x', 'fetch https://svc:[REDACTED:url_credentials]@api.example/x'],
    ['an authwatch ingest key', `key ${ingestKey} leaked`, 'key [REDACTED:ingest_key] leaked'],
  ])('replaces %s', (_what, text, expected) => {
    const result = redactText(text);
    expect(result.value).toBe(expected);
    expect(result.redactions).toBe(1);
  });

  it('counts every replacement in one string', () => {
    const result = redactText(`Bearer abcdefgh12345678 and ${jws} and password=x and ${ingestKey}`);
    expect(result.redactions).toBe(4);
    expect(result.value).toBe('[REDACTED:bearer] and [REDACTED:jwt] and password=[REDACTED:secret] and [REDACTED:ingest_key]');
  });

  it.each([
    ['a UUID', '3f2b8c1e-9a4d-4f6b-b1e2-7c9d0a1b2c3d'],
    ['a kid', '2024-rotation-1'],
    ['a browser user agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'],
    ['a client user agent', 'okhttp/4.12.0'],
    ['a path', '/api/v1/orders/42/items'],
    ['a password reset path', '/account/password/reset'],
    ['an issuer URL', 'https://id.example.com/realms/main'],
    ['a URL with a port', 'https://api.example:8443/x'],
    ['a scope', 'orders:read'],
    ['an IPv6 address', '2001:db8::1'],
    ['prose about tokens', 'token validation failed for client'],
    ['prose about Basic auth', 'Basic authentication required'],
    ['prose after Bearer', 'Bearer realm missing'],
  ])('leaves %s untouched', (_what, text) => {
    expect(redactText(text)).toEqual({ value: text, redactions: 0 });
  });
});

describe('redactEvent', () => {
  const event = (overrides: Partial<Event>): Event => Event.parse({ time: '2026-11-28T12:00:00Z', type: 'login.success', ...overrides });

  it.each(['password', 'db_pwd', 'client_secret', 'Authorization', 'cookie', 'api_key', 'apiKey', 'private-key', 'access_token', 'token', 'refresh-token'])(
    'replaces the value of attribute %s whatever it holds',
    (key) => {
      const subject = event({ attributes: { [key]: 'plain', attempt: 2 } });
      expect(redactEvent(subject)).toBe(1);
      expect(subject.attributes).toEqual({ [key]: '[REDACTED:secret]', attempt: 2 });
    },
  );

  it.each(['mfa_passed', 'bypass', 'compass', 'token_type', 'user_agent'])('keeps the value of attribute %s', (key) => {
    const subject = event({ attributes: { [key]: true } });
    expect(redactEvent(subject)).toBe(0);
    expect(subject.attributes).toEqual({ [key]: true });
  });

  it('redacts nested strings anywhere and returns the total count', () => {
    const subject = event({
      source: { ip: '10.0.0.1', user_agent: `agent ${jws}` },
      actor: { username: 'alice', roles: [`Bearer ${'A'.repeat(20)}`] },
      target: { path: '/login;password=hunter2' },
      attributes: { authorization: 'Basic xyz', note: `sent ${ingestKey}` },
    });
    expect(redactEvent(subject)).toBe(5);
    expect(subject.source).toEqual({ ip: '10.0.0.1', user_agent: 'agent [REDACTED:jwt]' });
    expect(subject.actor).toEqual({ username: 'alice', roles: ['[REDACTED:bearer]'] });
    expect(subject.target?.path).toBe('/login;password=[REDACTED:secret]');
    expect(subject.attributes).toEqual({ authorization: '[REDACTED:secret]', note: 'sent [REDACTED:ingest_key]' });
  });

  it('leaves an ordinary event as it was', () => {
    const subject = event({
      id: '3f2b8c1e-9a4d-4f6b-b1e2-7c9d0a1b2c3d',
      source: { ip: '10.0.0.1', user_agent: 'okhttp/4.12.0' },
      token: { kid: '2024-rotation-1', jti: 'j-1', issuer: 'https://id.example' },
      attributes: { attempt: 3, mfa: true, realm: 'main' },
    });
    const before = structuredClone(subject);
    expect(redactEvent(subject)).toBe(0);
    expect(subject).toEqual(before);
  });
});
