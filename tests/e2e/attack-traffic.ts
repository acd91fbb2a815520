/**
 * Attack traffic for every detection rule, in the ingest format (PRODUCT.md,
 * event format v1), each attack on a key of its own, with the alerts it must
 * raise at the rules' default parameters. Times are relative to `now` and
 * spread over each rule's window, as the real attack would be: a slow brute
 * force over most of a day, a spray over ten minutes (slower than brute
 * force by IP would catch), a key rotation an operator forgot a service.
 *
 * Services: `idp` (the authorization server: sign-ins, tokens issued),
 * `edge` (the API gateway), `catalog` and `search` (resource servers),
 * `ledger` (an internal service behind mTLS). The benign traffic of
 * tests/helpers/benign-traffic.ts uses other service names, so no benign
 * event can join an attack's key.
 */
export const ATTACK_SERVICES = ['idp', 'edge', 'catalog', 'search', 'ledger'] as const;
export type AttackService = (typeof ATTACK_SERVICES)[number];

export type ExpectedAlert = {
  rule: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  key: Record<string, string>;
  /** Events the alert counts: every event of the attack that the rule's evidence takes. */
  count: number;
  /** Ids of the events that may be its evidence. */
  evidence: ReadonlySet<string>;
  summary?: RegExp;
};

export type Attack = { service: AttackService; events: Array<Record<string, unknown>> };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const LOGIN = { method: 'POST', path: '/login', service: 'idp' };

export function attackTraffic(now: number): { attacks: Attack[]; expected: ExpectedAlert[] } {
  const attacks: Attack[] = [];
  const expected: ExpectedAlert[] = [];
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  let serial = 0;
  /** Adds events to a service's attack; returns their ids. */
  const send = (service: AttackService, events: Array<Record<string, unknown>>): string[] => {
    const withIds = events.map((event) => ({ id: `atk-${++serial}`, scheme: 'https', ...event }));
    attacks.push({ service, events: withIds });
    return withIds.map((event) => event.id);
  };
  const expect = (alert: Omit<ExpectedAlert, 'evidence'>, ids: readonly string[]) => expected.push({ ...alert, evidence: new Set(ids) });
  /** An event of `type` for `reason`, from `source` to `target`, with `more` fields. */
  const seen = (msAgo: number, type: string, reason: string, source: object, target: object, more: object = {}) => ({ time: at(msAgo), type, reason, source, target, ...more });
  const failure = (msAgo: number, ip: string, username: string, reason = 'bad_credentials') => ({
    time: at(msAgo),
    type: 'login.failure',
    reason,
    source: { ip, user_agent: BROWSER },
    actor: { username },
    target: LOGIN,
  });

  // Signing keys: key-2025a in use for hours, key-2025b rolled out 20 minutes ago (see the rotation below).
  const issued = (msAgo: number, kid: string, lifetimeS: number, n: number) => ({
    time: at(msAgo),
    type: 'token.issued',
    source: { ip: '10.20.0.5' },
    actor: { subject: `u-${n}`, username: `staff${n}@example.com`, client_id: 'web', scopes: ['orders:read'] },
    token: { jti: `iss-${kid}-${n}`, kid, alg: 'RS256', issuer: 'https://idp.example.com', audience: 'api', issued_at: Math.floor((now - msAgo) / 1000), expires_at: Math.floor((now - msAgo) / 1000) + lifetimeS },
  });
  send('idp', [issued(3 * HOUR, 'key-2025a', 900, 1), issued(2 * HOUR, 'key-2025a', 900, 2), issued(20 * MINUTE, 'key-2025b', 900, 3)]);

  // brute_force_ip: 12 failures from one address in 2 minutes, against 3 accounts (4 each: below brute force by username).
  const burst = send('idp', Array.from({ length: 12 }, (_, i) => failure(40 * MINUTE - i * 10 * SECOND, '203.0.113.10', `clerk${i % 3}@example.com`)));
  expect({ rule: 'brute_force_ip', severity: 'high', key: { ip: '203.0.113.10' }, count: 12 }, burst);

  // brute_force_user: 6 failures for one account from 6 addresses in 8 minutes (a botnet).
  const distributed = send('idp', Array.from({ length: 6 }, (_, i) => failure(90 * MINUTE - i * 96 * SECOND, `198.51.100.${11 + i}`, 'ops@example.com')));
  expect({ rule: 'brute_force_user', severity: 'medium', key: { username: 'ops@example.com' }, count: 6 }, distributed);

  // slow_brute_force: 110 failures from one address, one every 12 minutes over 22 hours, across 4 accounts.
  const slow = send('idp', Array.from({ length: 110 }, (_, i) => failure(22 * HOUR - i * 12 * MINUTE, '203.0.113.20', `finance${i % 4}@example.com`)));
  expect({ rule: 'slow_brute_force', severity: 'medium', key: { ip: '203.0.113.20' }, count: 110 }, slow);

  // password_spraying: one address, 12 accounts, one try each, 50 s apart (at most 7 in any 5 minutes).
  const spray = send('idp', Array.from({ length: 12 }, (_, i) => failure(3 * HOUR - i * 50 * SECOND, '203.0.113.30', `person${i}@example.com`, i % 4 === 0 ? 'unknown_user' : 'bad_credentials')));
  expect({ rule: 'password_spraying', severity: 'high', key: { ip: '203.0.113.30' }, count: 12 }, spray);

  // compromise_suspected: 6 failures for ceo@ then a success, within 7 minutes; brute force by username fires on the failures too.
  const guesses = send('idp', Array.from({ length: 6 }, (_, i) => failure(60 * MINUTE - i * 60 * SECOND, '203.0.113.40', 'ceo@example.com')));
  const success = send('idp', [{ time: at(53 * MINUTE), type: 'login.success', source: { ip: '203.0.113.40', user_agent: BROWSER }, actor: { username: 'ceo@example.com', subject: 'u-ceo' }, target: LOGIN }]);
  expect({ rule: 'compromise_suspected', severity: 'critical', key: { username: 'ceo@example.com' }, count: 7 }, [...guesses, ...success]);
  expect({ rule: 'brute_force_user', severity: 'medium', key: { username: 'ceo@example.com' }, count: 6 }, guesses);

  // token_forgery: a token signed with the wrong key, then one with alg "none", presented at the gateway.
  const forged = send('edge', [
    { time: at(25 * MINUTE), type: 'token.rejected', reason: 'bad_signature', source: { ip: '203.0.113.50', user_agent: 'curl/8.5.0' }, target: { method: 'GET', path: '/api/payments', service: 'payments' }, token: { jti: 'forged-1', kid: 'key-2025a', alg: 'RS256', issuer: 'https://idp.example.com' } },
    { time: at(24 * MINUTE), type: 'token.rejected', reason: 'alg_not_allowed', source: { ip: '203.0.113.50', user_agent: 'curl/8.5.0' }, target: { method: 'GET', path: '/api/payments', service: 'payments' }, token: { jti: 'forged-2', alg: 'none' } },
  ]);
  expect({ rule: 'token_forgery', severity: 'high', key: { service: 'edge' }, count: 2 }, forged);

  // invalid_token_spike: catalog rejects 60 tokens in 4 minutes, mostly for the wrong audience.
  const spike = send('catalog', Array.from({ length: 60 }, (_, i) =>
    seen(70 * MINUTE - i * 4 * SECOND, 'token.rejected', i % 3 === 0 ? 'malformed' : 'wrong_audience', { ip: `198.51.100.${100 + (i % 20)}` }, { method: 'GET', path: '/api/items', service: 'catalog' }),
  ));
  expect({ rule: 'invalid_token_spike', severity: 'medium', key: { service: 'catalog' }, count: 60 }, spike);

  // The same rule, labelled: search still trusts only key-2025a and rejects 55 good tokens as unknown_kid right after key-2025b appeared.
  const rotation = send('search', Array.from({ length: 55 }, (_, i) =>
    seen(10 * MINUTE - i * 4 * SECOND, 'token.rejected', 'unknown_kid', { ip: `10.20.${i % 5}.${10 + i}` }, { method: 'GET', path: '/api/search', service: 'search' }, {
      actor: { subject: `u-${i}`, client_id: 'web' },
      token: { jti: `rot-${i}`, kid: 'key-2025b', alg: 'RS256', issuer: 'https://idp.example.com' },
    }),
  ));
  expect({ rule: 'invalid_token_spike', severity: 'medium', key: { service: 'search' }, count: 55, summary: /likely key rotation, kid key-2025b/ }, rotation);

  // token_replay: one access token used from an office address, then 90 s later from abroad.
  const replay = send('edge', [0, 90].map((offset, i) => ({
    time: at(30 * MINUTE - offset * SECOND),
    type: 'access.granted',
    source: { ip: i === 0 ? '192.0.2.44' : '203.0.113.60', user_agent: BROWSER },
    actor: { subject: 'u-77', username: 'ana@example.com', client_id: 'web', scopes: ['payments:read'] },
    target: { method: 'GET', path: '/api/payments', service: 'payments' },
    token: { jti: 'jti-leaked-7f3a', kid: 'key-2025a', alg: 'RS256', issuer: 'https://idp.example.com' },
  })));
  expect({ rule: 'token_replay', severity: 'high', key: { jti: 'jti-leaked-7f3a' }, count: 2 }, replay);

  // privilege_probing: one subject walks 12 admin endpoints it has no role for, in 6 minutes.
  const probing = send('edge', Array.from({ length: 12 }, (_, i) =>
    seen(45 * MINUTE - i * 30 * SECOND, 'access.denied', i % 2 === 0 ? 'missing_role' : 'insufficient_scope', { ip: '192.0.2.80', user_agent: BROWSER }, { method: 'GET', path: `/admin/section${i}`, service: 'admin', required: ['ADMIN'] }, {
      actor: { subject: 'u-intern-5', username: 'intern5@example.com', client_id: 'web', roles: ['USER'] },
      token: { jti: 'jti-intern-5', kid: 'key-2025a', alg: 'RS256' },
    }),
  ));
  expect({ rule: 'privilege_probing', severity: 'medium', key: { subject: 'u-intern-5' }, count: 12 }, probing);

  // api_abuse: a partner client hits its rate limit 120 times in 4 minutes.
  const flood = send('edge', Array.from({ length: 120 }, (_, i) =>
    seen(15 * MINUTE - i * 2 * SECOND, 'rate_limit.exceeded', 'per_client', { ip: `198.51.100.${200 + (i % 4)}`, user_agent: 'python-requests/2.32.3' }, { method: 'GET', path: '/api/items', service: 'catalog' }, {
      actor: { client_id: 'partner-scraper' },
    }),
  ));
  expect({ rule: 'api_abuse', severity: 'medium', key: { client_id: 'partner-scraper' }, count: 120 }, flood);

  // service_impersonation: a caller presents a certificate for "orders" that is not orders', and one from an unknown CA.
  const impostor = send('ledger', [
    { time: at(35 * MINUTE), type: 'mtls.rejected', reason: 'identity_mismatch', source: { ip: '10.30.0.9' }, target: { method: 'POST', path: '/internal/transfers', service: 'ledger' }, tls: { client_subject: 'CN=orders,O=example', client_fingerprint: 'sha256:9f2c4e' } },
    { time: at(34 * MINUTE), type: 'mtls.rejected', reason: 'untrusted_ca', source: { ip: '10.30.0.9' }, target: { method: 'POST', path: '/internal/transfers', service: 'ledger' }, tls: { client_subject: 'CN=orders', client_fingerprint: 'sha256:01ab77' } },
  ]);
  expect({ rule: 'service_impersonation', severity: 'critical', key: { service: 'ledger' }, count: 2 }, impostor);

  // long_lived_token: the idp issues a 30-day token to a batch client.
  const longLived = send('idp', [issued(50 * MINUTE, 'key-2025a', 30 * 86_400, 4)]);
  expect({ rule: 'long_lived_token', severity: 'low', key: { service: 'idp' }, count: 1 }, longLived);

  // plaintext_http: an internal call reaches the gateway over plain HTTP.
  const plain = send('edge', [{ time: at(5 * MINUTE), scheme: 'http', type: 'access.granted', source: { ip: '10.20.0.7' }, actor: { client_id: 'batch-worker' }, target: { method: 'GET', path: '/api/orders', service: 'orders' } }]);
  expect({ rule: 'plaintext_http', severity: 'low', key: { service: 'edge' }, count: 1 }, plain);

  return { attacks, expected };
}
