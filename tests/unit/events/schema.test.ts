import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, REASONS_BY_TYPE, isFailureType } from '@/lib/events/catalog';
import { Event, ServiceName } from '@/lib/events/schema';

const minimal = { time: '2026-11-28T12:00:00Z', type: 'login.success' };
const full = {
  id: 'evt-0001',
  time: '2026-11-28T12:00:00.123+01:00',
  service: 'gateway',
  type: 'login.failure',
  reason: 'bad_credentials',
  source: { ip: '203.0.113.7', user_agent: 'curl/8.5.0' },
  actor: { subject: 'u-42', username: 'alice', client_id: 'web', roles: ['USER'], scopes: ['orders:read'] },
  target: { method: 'POST', path: '/login', service: 'auth', required: ['ADMIN'] },
  token: { jti: 'j-1', kid: '2024-rotation-1', alg: 'RS256', issuer: 'https://id.example', audience: ['api'], issued_at: 1_700_000_000, expires_at: '2026-11-28T13:00:00Z' },
  tls: { client_subject: 'CN=orders', client_fingerprint: 'ab:cd' },
  scheme: 'https',
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  attributes: { attempt: 3, mfa: false, realm: 'main' },
};

const parse = (overrides: Record<string, unknown>) => Event.safeParse({ ...minimal, ...overrides });
const issueCodes = (overrides: Record<string, unknown>) => {
  const result = parse(overrides);
  return result.success ? [] : result.error.issues.map((issue) => issue.code);
};
const repeat = (length: number) => 'x'.repeat(length);

describe('the v1 event schema', () => {
  it('accepts a minimal event', () => {
    expect(Event.safeParse(minimal).success).toBe(true);
  });

  it('accepts a full event with every field', () => {
    const result = Event.safeParse(full);
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(full);
  });

  it.each([
    ['id', { id: repeat(128) }, { id: repeat(129) }],
    ['id (non-empty)', { id: 'a' }, { id: '' }],
    ['source.user_agent', { source: { user_agent: repeat(512) } }, { source: { user_agent: repeat(513) } }],
    ['target.path', { target: { path: `/${repeat(2047)}` } }, { target: { path: `/${repeat(2048)}` } }],
    ['actor.subject', { actor: { subject: repeat(256) } }, { actor: { subject: repeat(257) } }],
    ['actor.username', { actor: { username: repeat(256) } }, { actor: { username: repeat(257) } }],
    ['actor.client_id', { actor: { client_id: repeat(256) } }, { actor: { client_id: repeat(257) } }],
    ['actor.roles[]', { actor: { roles: [repeat(256)] } }, { actor: { roles: [repeat(257)] } }],
    ['actor.scopes[]', { actor: { scopes: [repeat(256)] } }, { actor: { scopes: [repeat(257)] } }],
    ['trace_id', { trace_id: repeat(64) }, { trace_id: repeat(65) }],
    [
      'attributes count',
      { attributes: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i])) },
      { attributes: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i])) },
    ],
    ['attribute value', { attributes: { note: repeat(1024) } }, { attributes: { note: repeat(1025) } }],
  ])('bounds %s: the limit passes, one more fails', (_field, atLimit, overLimit) => {
    expect(parse(atLimit).success).toBe(true);
    expect(parse(overLimit).success).toBe(false);
  });

  it('rejects attribute values that are neither string, number nor boolean', () => {
    expect(parse({ attributes: { nested: { a: 1 } } }).success).toBe(false);
    expect(parse({ attributes: { list: [1] } }).success).toBe(false);
  });

  it.each([
    ['top level', { role: 'ADMIN' }],
    ['source', { source: { ip: '10.0.0.1', port: 443 } }],
    ['actor', { actor: { email: 'a@example.com' } }],
    ['target', { target: { query: 'a=1' } }],
    ['token', { token: { raw: 'x' } }],
    ['tls', { tls: { pem: 'x' } }],
  ])('rejects an unknown field at the %s with unrecognized_keys', (_where, overrides) => {
    expect(issueCodes(overrides)).toEqual(['unrecognized_keys']);
  });

  describe('reasons', () => {
    it.each(EVENT_TYPES.map((type) => [type]))('enforces the reason rules of %s', (type) => {
      if (isFailureType(type)) {
        for (const reason of REASONS_BY_TYPE[type]) expect(parse({ type, reason }).success).toBe(true);
        expect(issueCodes({ type })).toEqual(['custom']);
        expect(issueCodes({ type, reason: 'not_a_reason' })).toEqual(['custom']);
      } else {
        expect(parse({ type }).success).toBe(true);
        expect(issueCodes({ type, reason: 'other' })).toEqual(['custom']);
      }
    });

    it('rejects a reason that belongs to another type', () => {
      expect(parse({ type: 'login.failure', reason: 'bad_signature' }).success).toBe(false);
      expect(parse({ type: 'token.rejected', reason: 'bad_credentials' }).success).toBe(false);
    });

    it('rejects an unknown type', () => {
      expect(issueCodes({ type: 'login.maybe' })).toEqual(['invalid_value']);
    });
  });

  describe('source.ip', () => {
    it.each(['256.0.0.1', '10.0.0', 'example.com', '1.2.3.4/24', '::g', ''])('rejects %j', (ip) => {
      expect(parse({ source: { ip } }).success).toBe(false);
    });

    it.each([
      ['203.0.113.7', '203.0.113.7'],
      ['2001:DB8::A', '2001:db8::a'],
      ['::FFFF:192.0.2.1', '::ffff:192.0.2.1'],
    ])('accepts %s and stores it as %s', (ip, stored) => {
      expect(parse({ source: { ip } }).data?.source?.ip).toBe(stored);
    });
  });

  describe('service', () => {
    it.each(['gateway', 'orders-api', 'a', 'svc.v2_blue', `a${repeat(62)}`])('accepts %s', (name) => {
      expect(ServiceName.safeParse(name).success).toBe(true);
    });

    it.each(['Gateway', '-gateway', '.svc', 'orders api', 'svc/1', '', `a${repeat(63)}`])('rejects %j', (name) => {
      expect(ServiceName.safeParse(name).success).toBe(false);
      expect(parse({ service: name }).success).toBe(false);
    });
  });

  describe('time', () => {
    it.each(['2026-11-28T12:00:00Z', '2026-11-28T12:00:00+05:30', '2026-11-28T12:00:00.5-08:00', '2026-11-28T12:00:00.123456Z'])(
      'accepts RFC 3339 %s',
      (time) => {
        expect(parse({ time }).success).toBe(true);
      },
    );

    it.each(['yesterday', '2026-11-28', '2026-11-28T12:00:00', '2026-11-28 12:00:00Z', '2026-13-01T00:00:00Z', '1732795200', ''])(
      'rejects %j',
      (time) => {
        expect(parse({ time }).success).toBe(false);
      },
    );

    it('rejects a number', () => {
      expect(parse({ time: 1_732_795_200 }).success).toBe(false);
    });
  });

  describe('target.path', () => {
    it.each([
      ['/orders?password=hunter2', '/orders'],
      ['/orders#frag', '/orders'],
      ['/a?b=1\nc?d', '/a'],
      ['/orders/42', '/orders/42'],
    ])('stores %j as %j', (path, stored) => {
      expect(parse({ target: { path } }).data?.target?.path).toBe(stored);
    });
  });

  describe('token times', () => {
    it.each([0, 1_732_795_200, 253_402_300_799, '2026-11-28T12:00:00Z', '2026-11-28T13:00:00+01:00'])('accept %j', (time) => {
      expect(parse({ token: { issued_at: time, expires_at: time } }).success).toBe(true);
    });

    it.each([-1, 1.5, 253_402_300_800, '1732795200', 'tomorrow'])('reject %j', (time) => {
      expect(parse({ token: { expires_at: time } }).success).toBe(false);
    });
  });
});
