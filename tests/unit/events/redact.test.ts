import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateIngestKey } from '@/lib/auth/ingest-key-format';
import { digestEventId, redactEvent, redactText } from '@/lib/events/redact';
import { Event } from '@/lib/events/schema';

const b64url = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jws = `${b64url({ alg: 'RS256', kid: 'k1' })}.${b64url({ sub: 'alice', exp: 1_800_000_000 })}.c2lnbmF0dXJlLWJ5dGVz`;
const unsecuredJwt = `${b64url({ alg: 'none' })}.${b64url({ sub: 'alice' })}.`;
const jwe = `${b64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.ZW5jcnlwdGVkLWtleQ.aXYtaXYtaXYtaXY.Y2lwaGVydGV4dA.dGFnLXRhZy10YWc`;
const jweDirect = `${b64url({ alg: 'dir', enc: 'A256GCM' })}..aXYtaXYtaXYtaXY.Y2lwaGVydGV4dA.dGFnLXRhZy10YWc`;
const ingestKey = generateIngestKey().key;
const githubToken = `ghp_${'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5'}`;
const ID_KEY = randomBytes(32);

describe('redactText', () => {
  it.each([
    ['a JWS', `token ${jws} seen`, `token [REDACTED:jwt] seen`],
    ['an unsecured JWT with an empty signature', `jwt=${unsecuredJwt}`, 'jwt=[REDACTED:jwt]'],
    ['a five-part JWE', jwe, '[REDACTED:jwt]'],
    ['a JWE with an empty encrypted key (alg dir)', `cookie ${jweDirect}`, 'cookie [REDACTED:jwt]'],
    ['a JWT inside a user agent', `Mozilla/5.0 (${jws})`, 'Mozilla/5.0 ([REDACTED:jwt])'],
    ['a Bearer header', 'Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA', 'Authorization: [REDACTED:secret]'],
    ['a lowercase bearer credential', 'sent bearer mF_9.B5f-4.1JqM', 'sent bearer [REDACTED:bearer]'],
    ['a Basic header', 'Authorization: Basic dXNlcjpodW50ZXIy', 'Authorization: [REDACTED:secret]'],
    ['an all-letter Basic credential (user:pass)', 'header Basic dXNlcjpwYXNz', 'header Basic [REDACTED:bearer]'],
    ['password= in a path', '/login;password=hunter2', '/login;password=[REDACTED:secret]'],
    ['a prefixed password= in a path', '/login;db_password=hunter2', '/login;db_password=[REDACTED:secret]'],
    ['client_secret= in a form', 'grant_type=client_credentials&client_secret=s3cr3t&x=1', 'grant_type=client_credentials&client_secret=[REDACTED:secret]&x=1'],
    ['access_token= in a fragment', '/cb#access_token=abc.def', '/cb#access_token=[REDACTED:secret]'],
    ['password: in text', 'login failed password: hunter2', 'login failed password: [REDACTED:secret]'],
    ['a password in a JSON string', '{"user":"alice","password":"hunter2"}', '{"user":"alice","password":"[REDACTED:secret]"}'],
    ['an access token in a JSON string', '{"access_token": "SlAV32hkKG", "token_type": "Bearer"}', '{"access_token": "[REDACTED:secret]", "token_type": "Bearer"}'],
    ['a password in JSON inside JSON', '{\\"password\\":\\"hunter2\\"}', '{\\"password\\":\\"[REDACTED:secret]\\"}'],
    ['a password with spaces, quoted', "db_password: 'correct horse'", "db_password: '[REDACTED:secret]'"],
    ['passphrase=', 'ssh passphrase=Tr0ub4dor', 'ssh passphrase=[REDACTED:secret]'],
    ['private_key=', 'private_key=MIIEvQIBADANBg', 'private_key=[REDACTED:secret]'],
    ['aws_secret_access_key=', 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'aws_secret_access_key=[REDACTED:secret]'],
    ['sid= in a cookie', 'Cookie: theme=dark; sid=s3ss10n', 'Cookie: [REDACTED:secret]; sid=[REDACTED:secret]'],
    [';jsessionid= in a path', '/shop/cart;jsessionid=1A530637289A03B07199A44E8D531427', '/shop/cart;jsessionid=[REDACTED:secret]'],
    ['a URL-encoded password', 'body=user%3Dalice%26password%3Dhunter2', 'body=user%3Dalice%26password%3D[REDACTED:secret]'],
    ['?token= in a URL', 'https://x.example/dl?token=abc123', 'https://x.example/dl?token=[REDACTED:secret]'],
    ['?code= in a URL', '/oauth/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz', '/oauth/callback?code=[REDACTED:secret]&state=xyz'],
    ['?key= in a URL', 'GET /maps/api?key=AIzaSyA-1234', 'GET /maps/api?key=[REDACTED:secret]'],
    ['&sig= in a URL', '/blob?sv=2022&sig=Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D', '/blob?sv=2022&sig=[REDACTED:secret]'],
    ['URL credentials', 'fetch https://svc:s3cr3t@api.example/x', 'fetch https://svc:[REDACTED:url_credentials]@api.example/x'],
    ['an authwatch ingest key', `key ${ingestKey} leaked`, 'key [REDACTED:ingest_key] leaked'],
    ['a GitHub token in a user agent', `deploy-bot/1.0 (${githubToken})`, 'deploy-bot/1.0 ([REDACTED:github-pat])'],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE', '[REDACTED:aws-access-token]'],
  ])('replaces %s', (_what, text, expected) => {
    const result = redactText(text);
    expect(result.value).toBe(expected);
    expect(result.redactions).toBe(expected.split('[REDACTED:').length - 1);
  });

  it('redacts a private key, and one cut short by a field length', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    expect(redactText(`key: ${pem} end`).value).toBe('key: -----BEGIN PRIVATE KEY-----[REDACTED:private_key] end');
    expect(redactText('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbm').value).toBe(
      '-----BEGIN OPENSSH PRIVATE KEY-----[REDACTED:private_key]',
    );
  });

  it('counts every replacement in one string', () => {
    const result = redactText(`Bearer abcdefgh12345678 and ${jws} and password=x and ${ingestKey}`);
    expect(result.redactions).toBe(4);
    expect(result.value).toBe('Bearer [REDACTED:bearer] and [REDACTED:jwt] and password=[REDACTED:secret] and [REDACTED:ingest_key]');
  });

  it('replaces a string that holds more credentials than any honest field, whole', () => {
    expect(redactText(Array.from({ length: 40 }, (_, i) => `password=p${i}`).join(' '))).toEqual({ value: '[REDACTED:secret]', redactions: 1 });
  });

  it.each([
    ['a UUID', '3f2b8c1e-9a4d-4f6b-b1e2-7c9d0a1b2c3d'],
    ['a kid', '2024-rotation-1'],
    ['a browser user agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'],
    ['a client user agent', 'okhttp/4.12.0'],
    ['a path', '/api/v1/orders/42/items'],
    ['a password reset path', '/account/password/reset'],
    ['the token endpoint', '/oauth/token'],
    ['an issuer URL', 'https://id.example.com/realms/main'],
    ['a URL with a port', 'https://api.example:8443/x'],
    ['a scope', 'orders:read'],
    ['an IPv6 address', '2001:db8::1'],
    ['prose about tokens', 'token validation failed for client'],
    ['prose about Basic auth', 'Basic authentication required'],
    ['prose after Bearer', 'Bearer realm missing'],
    ['a token type', 'token_type=Bearer'],
    ['a word that contains sid', 'inside=3'],
    ['a flag that contains pass', 'mfa_passed=true'],
    ['a harmless query string', '/search?q=keys&page=2'],
  ])('leaves %s untouched', (_what, text) => {
    expect(redactText(text)).toEqual({ value: text, redactions: 0 });
  });
});

describe('redactEvent', () => {
  const event = (overrides: Partial<Event>): Event => Event.parse({ time: '2026-11-28T12:00:00Z', type: 'login.success', ...overrides });

  it.each(['password', 'db_pwd', 'client_secret', 'Authorization', 'cookie', 'api_key', 'apiKey', 'private-key', 'access_token', 'token', 'refresh-token', 'JSESSIONID', 'sid'])(
    'replaces the value of attribute %s whatever it holds',
    (key) => {
      const subject = event({ attributes: { [key]: 'plain', attempt: 2 } });
      expect(redactEvent(subject, ID_KEY)).toBe(1);
      expect(subject.attributes).toEqual({ [key]: '[REDACTED:secret]', attempt: 2 });
    },
  );

  it.each(['mfa_passed', 'bypass', 'compass', 'token_type', 'user_agent', 'inside'])('keeps the value of attribute %s', (key) => {
    const subject = event({ attributes: { [key]: true } });
    expect(redactEvent(subject, ID_KEY)).toBe(0);
    expect(subject.attributes).toEqual({ [key]: true });
  });

  it('redacts a credential used as an attribute name, keeping its value', () => {
    const other = generateIngestKey().key.slice(0, 64);
    const subject = event({ attributes: { [ingestKey.slice(0, 64)]: 'first', [other]: 'second', attempt: 1 } });
    expect(redactEvent(subject, ID_KEY)).toBe(2);
    expect(subject.attributes).toEqual({ '[REDACTED:ingest_key]': 'first', '[REDACTED:ingest_key]#2': 'second', attempt: 1 });
    expect(JSON.stringify(subject)).not.toContain(ingestKey.slice(3, 40));
  });

  it('redacts nested strings anywhere and returns the total count', () => {
    const subject = event({
      source: { ip: '10.0.0.1', user_agent: `agent ${jws}` },
      actor: { username: 'alice', roles: [`Bearer ${'A'.repeat(20)}`] },
      target: { path: '/login;password=hunter2' },
      attributes: { authorization: 'Basic xyz', note: `sent ${ingestKey}` },
    });
    expect(redactEvent(subject, ID_KEY)).toBe(5);
    expect(subject.source).toEqual({ ip: '10.0.0.1', user_agent: 'agent [REDACTED:jwt]' });
    expect(subject.actor).toEqual({ username: 'alice', roles: ['Bearer [REDACTED:bearer]'] });
    expect(subject.target?.path).toBe('/login;password=[REDACTED:secret]');
    expect(subject.attributes).toEqual({ authorization: '[REDACTED:secret]', note: 'sent [REDACTED:ingest_key]' });
  });

  it('stores an id that holds a credential as its keyed digest: the same for a retry, another under another key', () => {
    const secretId = `sessionid=${'s3ss'.repeat(6)}`;
    const first = event({ id: secretId });
    const retry = event({ id: secretId });
    expect(redactEvent(first, ID_KEY)).toBe(1);
    redactEvent(retry, ID_KEY);
    expect(first.id).toBe(retry.id);
    expect(first.id).toBe(digestEventId(secretId, ID_KEY));
    expect(first.id).toMatch(/^hmac-sha256:[A-Za-z0-9_-]{43}$/);
    expect(first.id).not.toContain('s3ss');
    expect(digestEventId(secretId, randomBytes(32))).not.toBe(first.id);
  });

  it('leaves an ordinary event as it was', () => {
    const subject = event({
      id: '3f2b8c1e-9a4d-4f6b-b1e2-7c9d0a1b2c3d',
      source: { ip: '10.0.0.1', user_agent: 'okhttp/4.12.0' },
      token: { kid: '2024-rotation-1', jti: 'j-1', issuer: 'https://id.example' },
      attributes: { attempt: 3, mfa: true, realm: 'main' },
    });
    const before = structuredClone(subject);
    expect(redactEvent(subject, ID_KEY)).toBe(0);
    expect(subject).toEqual(before);
  });
});
