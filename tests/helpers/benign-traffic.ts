/**
 * A day of ordinary traffic for a small company, generated deterministically
 * from a seed: people signing in (a few typos each, now and then a mistyped
 * username), one-hour access tokens refreshed in long sessions, API calls
 * through the gateway to the services behind it, a normal trickle of expired
 * tokens, denied scopes and rate limits, service-to-service calls over mTLS,
 * a planned signing-key rotation, HTTPS only. No rule should fire on it.
 *
 * Events are in the ingest format (PRODUCT.md, event format v1), each with
 * the service whose credential sends it and the time it reaches authwatch
 * (a reporter sends each event 0-3 s after it happened, so arrival order is
 * not quite time order). Integration tests can post them as they are, with
 * `start` at least `hours` + 3 h in the past (the last events come up to
 * 2.5 h after the span, and ingest refuses events from the future).
 */
export type BenignEvent = { service: string; arrival: number; event: Record<string, unknown> };

export type BenignTrafficOptions = { seed?: number; start: number; hours?: number; users?: number };

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const RESOURCE_SERVICES = ['orders', 'payments', 'inventory'];
const PATHS: Record<string, string[]> = {
  orders: ['/api/orders', '/api/orders/{id}', '/api/cart'],
  payments: ['/api/payments', '/api/payments/{id}/status'],
  inventory: ['/api/items', '/api/items/{id}'],
};
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    between: (low: number, high: number) => low + Math.floor(next() * (high - low + 1)),
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
  };
}

type Random = ReturnType<typeof randomSource>;
type User = { username: string; subject: string; ip: string };

function makeUsers(random: Random, count: number): User[] {
  // A third work from one of twenty offices behind a shared address; the rest from home.
  return Array.from({ length: count }, (_, n) => ({
    username: `user${n}@example.com`,
    subject: `u-${n}`,
    ip: random.chance(1 / 3) ? `192.0.2.${random.between(1, 20)}` : `198.18.${random.between(0, 255)}.${random.between(1, 254)}`,
  }));
}

/** Most sessions begin in working hours, some in the evening, a few at night. */
function sessionStart(random: Random, start: number, hours: number): number {
  const day = Math.floor(random.next() * Math.max(1, hours / 24)) * 24 * HOUR;
  const roll = random.next();
  const hour = roll < 0.75 ? random.between(7, 18) : roll < 0.95 ? random.between(19, 22) : random.between(0, 6);
  const time = start + day + hour * HOUR + random.between(0, HOUR - 1);
  return Math.min(time, start + hours * HOUR - 2 * HOUR);
}

class TrafficWriter {
  readonly events: BenignEvent[] = [];
  private count = 0;
  constructor(private readonly random: Random) {}

  add(service: string, time: number, fields: Record<string, unknown>): void {
    this.count += 1;
    const event = { id: `benign-${this.count}`, time: new Date(time).toISOString(), scheme: 'https', ...fields };
    this.events.push({ service, arrival: time + this.random.between(0, 3 * SECOND), event });
  }

  token(service: string, time: number, jti: string, kid: string, lifetimeSeconds: number, actor: Record<string, unknown>, ip: string, type = 'token.issued') {
    const issuedAt = Math.floor(time / SECOND);
    const token = { jti, kid, alg: 'RS256', issuer: 'https://id.example.com', issued_at: issuedAt, expires_at: issuedAt + lifetimeSeconds };
    this.add(service, time, { type, source: { ip }, actor, token });
  }
}

/** The signing key in use: the authorization server rotates at the middle of the span; every service already trusts the new key. */
const kidAt = (time: number, rotation: number) => (time < rotation ? 'key-2024' : 'key-2025');

/** One session: sign-in (after a typo or two now and then), calls until it ends; returns when it ended. */
function userSession(writer: TrafficWriter, random: Random, user: User, begin: number, rotation: number, sessionId: string): number {
  let time = begin;
  const actor = { subject: user.subject, username: user.username, client_id: 'web', roles: ['USER'], scopes: ['orders:read'] };
  const source = { ip: user.ip, user_agent: BROWSER };
  const typos = random.chance(0.25) ? (random.chance(0.2) ? random.between(2, 3) : 1) : 0;
  for (let typo = 0; typo < typos; typo += 1) {
    const misspelled = random.chance(0.1);
    const username = misspelled ? user.username.replace('user', 'usr') : user.username;
    const reason = misspelled ? 'unknown_user' : 'bad_credentials';
    writer.add('auth', time, { type: 'login.failure', reason, source, actor: { username }, target: { method: 'POST', path: '/login' } });
    time += random.between(5, 40) * SECOND;
  }
  writer.add('auth', time, { type: 'login.success', source, actor, target: { method: 'POST', path: '/login' } });
  const end = time + random.between(5, 150) * MINUTE;
  let tokenNumber = 0;
  let jti = `${sessionId}-t0`;
  let expires = time + HOUR;
  writer.token('auth', time, jti, kidAt(time, rotation), 3600, actor, user.ip);
  while (time < end) {
    time += random.between(60, 300) * SECOND;
    if (time > expires - 5 * MINUTE) {
      tokenNumber += 1;
      jti = `${sessionId}-t${tokenNumber}`;
      expires = time + HOUR;
      writer.token('auth', time, jti, kidAt(time, rotation), 3600, actor, user.ip, 'token.refreshed');
      writer.token('auth', time, jti, kidAt(time, rotation), 3600, actor, user.ip);
    }
    const service = random.pick(RESOURCE_SERVICES);
    const target = { method: 'GET', path: random.pick(PATHS[service]), service };
    const token = { jti, kid: kidAt(time, rotation) };
    if (random.chance(0.01)) {
      writer.add(service, time, { type: 'access.denied', reason: 'insufficient_scope', source, actor, target, token });
    } else if (random.chance(0.002)) {
      writer.add('gateway', time, { type: 'rate_limit.exceeded', reason: 'per_user', source, actor, target });
    } else {
      writer.add('gateway', time, { type: 'access.granted', source, actor, target, token });
      writer.add(service, time + random.between(5, 50), { type: 'access.granted', source, actor, target, token });
    }
  }
  // A tab left open calls once more after its token expired.
  if (random.chance(0.1)) {
    const late = expires + random.between(1, 30) * MINUTE;
    writer.add('gateway', late, { type: 'token.rejected', reason: 'expired', source, actor, target: { method: 'GET', path: '/api/orders' }, token: { jti, kid: kidAt(late, rotation) } });
  }
  return end;
}

/** Three internal clients call services every 15-25 s with client-credentials tokens over mTLS. */
function serviceTraffic(writer: TrafficWriter, random: Random, start: number, hours: number, rotation: number): void {
  const clients = [
    { client: 'orders-svc', ip: '10.0.1.10', calls: 'payments' },
    { client: 'billing-job', ip: '10.0.1.20', calls: 'payments' },
    { client: 'inventory-sync', ip: '10.0.1.30', calls: 'inventory' },
  ];
  for (const { client, ip, calls } of clients) {
    const actor = { subject: client, client_id: client, scopes: [`${calls}:write`] };
    let expires = 0;
    let jti = '';
    for (let time = start + random.between(0, 20) * SECOND; time < start + hours * HOUR; time += random.between(15, 25) * SECOND) {
      if (time > expires - 2 * MINUTE) {
        jti = `${client}-${time}`;
        expires = time + 15 * MINUTE;
        writer.token('auth', time, jti, kidAt(time, rotation), 900, actor, ip);
      }
      const tls = { client_subject: `CN=${client}`, client_fingerprint: `sha256:${client}` };
      const fields = { type: 'access.granted', source: { ip }, actor, target: { method: 'POST', path: PATHS[calls][0], service: calls }, token: { jti, kid: kidAt(time, rotation) }, tls };
      writer.add(calls, time, fields);
    }
  }
  // A load balancer's health check that presents no client certificate, once an hour.
  for (let time = start + 7 * MINUTE; time < start + hours * HOUR; time += HOUR) {
    writer.add('payments', time, { type: 'mtls.rejected', reason: 'no_client_cert', source: { ip: '10.0.9.1' }, target: { method: 'GET', path: '/healthz' } });
  }
}

/** The traffic, in arrival order. */
export function generateBenignTraffic(options: BenignTrafficOptions): BenignEvent[] {
  const { seed = 20_250_310, start, hours = 24, users: userCount = 1000 } = options;
  const random = randomSource(seed);
  const writer = new TrafficWriter(random);
  const rotation = start + (hours / 2) * HOUR;
  makeUsers(random, userCount).forEach((user, n) => {
    const starts = Array.from({ length: random.between(1, 3) }, () => sessionStart(random, start, hours)).sort((a, b) => a - b);
    // One person does not sign in twice at once: a session begins at least half an hour after the last one ended.
    let lastEnd = -Infinity;
    starts.forEach((begin, session) => {
      if (begin >= lastEnd + 30 * MINUTE) lastEnd = userSession(writer, random, user, begin, rotation, `s${n}-${session}`);
    });
  });
  serviceTraffic(writer, random, start, hours, rotation);
  return writer.events.sort((a, b) => a.arrival - b.arrival);
}
