/**
 * Realistic synthetic security events for the ingest benchmark. Deterministic
 * per seed (a small xorshift PRNG) except for ids, which are random UUIDs so
 * repeated runs never collide with earlier ones.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, REASONS_BY_TYPE, isFailureType, type EventType } from '../lib/events/catalog';
import { Xorshift32 } from './xorshift';

export type BenchEvent = Record<string, unknown> & { id: string; time: string; type: EventType };

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'okhttp/4.12.0',
  'python-requests/2.32.3',
  'curl/8.5.0',
];
export const PATHS = ['/login', '/oauth/token', '/api/v1/orders', '/api/v1/users/me', '/api/v1/payments', '/admin/settings'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const CLIENTS = ['web', 'ios', 'android', 'partner-api', 'batch-worker'];
const TARGET_SERVICES = ['auth', 'orders', 'payments', 'users', 'gateway'];

// Failures dominate a security feed; successes still make up a good share.
const TYPE_WEIGHTS: Partial<Record<EventType, number>> = {
  'login.failure': 25,
  'login.success': 20,
  'token.rejected': 15,
  'access.denied': 10,
  'access.granted': 10,
  'token.issued': 8,
  'token.refreshed': 4,
  'rate_limit.exceeded': 4,
  'mtls.rejected': 2,
  'account.locked': 1,
  'token.revoked': 1,
};

export class EventGenerator {
  private readonly generator: Xorshift32;
  private readonly weighted: EventType[] = [];

  constructor(seed = 0x2545f491) {
    this.generator = new Xorshift32(seed);
    for (const type of EVENT_TYPES) {
      for (let i = 0; i < (TYPE_WEIGHTS[type] ?? 1); i++) this.weighted.push(type);
    }
  }

  private next(): number {
    return this.generator.next();
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.next() % items.length];
  }

  /** One event that passes the v1 schema, with time `timeMs`. */
  event(timeMs: number): BenchEvent {
    const type = this.pick(this.weighted);
    // A few thousand users and a long tail of addresses, some hammering (brute force) from a small pool.
    const user = this.next() % 5000;
    const attacker = this.next() % 10 < 3;
    const ip = attacker
      ? `203.0.113.${this.next() % 64}`
      : `10.${this.next() % 256}.${this.next() % 256}.${1 + (this.next() % 254)}`;
    const event: BenchEvent = {
      id: randomUUID(),
      time: new Date(timeMs).toISOString(),
      type,
      source: { ip, user_agent: this.pick(USER_AGENTS) },
      actor: { username: `user${user}`, subject: `sub-${user}`, client_id: this.pick(CLIENTS) },
      target: { method: this.pick(METHODS), path: this.pick(PATHS), service: this.pick(TARGET_SERVICES) },
      scheme: 'https',
    };
    if (isFailureType(type)) event.reason = this.pick(REASONS_BY_TYPE[type]);
    if (type.startsWith('token.')) {
      event.token = { jti: randomUUID(), kid: `key-${this.next() % 4}`, alg: 'RS256', issuer: 'https://idp.example.com' };
    }
    if (this.next() % 4 === 0) event.trace_id = this.next().toString(16).padStart(8, '0') + this.next().toString(16);
    return event;
  }

  /** `count` events with times within the last `spreadMs` before `now`. */
  batch(count: number, now: number, spreadMs = 60_000): BenchEvent[] {
    const events: BenchEvent[] = [];
    for (let i = 0; i < count; i++) events.push(this.event(now - (this.next() % spreadMs)));
    return events;
  }
}
