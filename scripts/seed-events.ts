/**
 * A realistic, fully deterministic event mix for seeding a database: several
 * services, every type and reason in plausible proportions (mostly successes),
 * hot and rare source addresses (IPv4 mostly, some IPv6), tens of thousands of
 * usernames with a Zipf-like popularity, and times over the last days with a
 * daily rhythm, oldest first. Same seed and end time, same events (ids too).
 */
import { EVENT_TYPES, REASONS_BY_TYPE, isFailureType, type EventType } from '../lib/events/catalog';
import { HOUR_MS } from '../lib/time';
import { PATHS, USER_AGENTS, type BenchEvent } from './bench-events';
import { Xorshift32 } from './xorshift';

export const SEED_SERVICES = ['gateway', 'auth', 'orders', 'payments', 'users', 'admin'] as const;
const SERVICE_WEIGHTS = [35, 25, 15, 12, 9, 4];

// Per mille. Successes dominate a real feed; failures are the minority an operator looks for.
const TYPE_WEIGHTS: Record<EventType, number> = {
  'access.granted': 400,
  'login.success': 150,
  'token.issued': 140,
  'token.refreshed': 80,
  'login.failure': 70,
  'access.denied': 50,
  'token.rejected': 50,
  'rate_limit.exceeded': 25,
  'token.revoked': 15,
  'mtls.rejected': 12,
  'account.locked': 5,
  'account.unlocked': 3,
};

const USERS = 50_000;
const CLIENTS = 40;
const HOT_IPS = 200;
const ATTACKER_IPS = 300;
const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE'];

/** Cumulative weights for sampling by binary search. */
function cumulative(weights: readonly number[]): Float64Array {
  const sums = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, index) => (sums[index] = total += weight));
  return sums;
}

/** Zipf-like weights 1 / (rank + 1)^s. */
function zipf(count: number, s: number): Float64Array {
  return cumulative(Array.from({ length: count }, (_, rank) => 1 / Math.pow(rank + 1, s)));
}

/** Relative traffic by UTC hour: a trough at night, a peak in the afternoon. */
export function hourWeight(hourOfDay: number): number {
  return 1 + 0.75 * Math.sin(((hourOfDay - 9) / 24) * 2 * Math.PI);
}

export class SeedGenerator {
  private readonly generator: Xorshift32;
  private readonly types = cumulative(EVENT_TYPES.map((type) => TYPE_WEIGHTS[type]));
  private readonly services = cumulative(SERVICE_WEIGHTS);
  private readonly users = zipf(USERS, 1.05);
  private readonly clients = zipf(CLIENTS, 1.2);
  private readonly hotIps = zipf(HOT_IPS, 1.1);
  private readonly attackers = zipf(ATTACKER_IPS, 0.9);
  private readonly reasons = new Map(
    Object.entries(REASONS_BY_TYPE).map(([type, reasons]) => [type, zipf(reasons.length, 1.3)]),
  );

  constructor(seed = 0x5eed) {
    this.generator = new Xorshift32(seed);
  }

  private random(): number {
    return this.generator.random();
  }

  private int(below: number): number {
    return Math.floor(this.random() * below);
  }

  private sample(sums: Float64Array): number {
    const target = this.random() * sums[sums.length - 1];
    let low = 0;
    let high = sums.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sums[middle] <= target) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private uuid(): string {
    const hex = Array.from({ length: 4 }, () => this.int(4294967296).toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  private ip(attack: boolean): string {
    if (attack) {
      const index = this.sample(this.attackers);
      if (index % 10 === 9) return `2001:db8:bad:${(index % 64).toString(16)}::${(index + 1).toString(16)}`;
      return index < 150 ? `203.0.113.${index % 250}` : `198.51.100.${index % 250}`;
    }
    const roll = this.random();
    if (roll < 0.35) {
      // Offices and NAT gateways: a few addresses carry much of the traffic.
      const index = this.sample(this.hotIps);
      return index % 8 === 7 ? `2001:db8:${(index % 16).toString(16)}::${(index + 16).toString(16)}` : `100.64.${index >> 4}.${1 + (index & 15)}`;
    }
    if (roll < 0.9) return `10.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`;
    return `2001:db8:${this.int(65536).toString(16)}:${this.int(65536).toString(16)}::${(1 + this.int(65535)).toString(16)}`;
  }

  /** One event that passes the v1 schema, at `timeMs`. */
  event(timeMs: number): BenchEvent & { service: string } {
    const type = EVENT_TYPES[this.sample(this.types)];
    const service = SEED_SERVICES[this.sample(this.services)];
    const failure = isFailureType(type) || type === 'account.locked';
    // Most failures are honest mistakes by real users; a third come from a small attacking pool.
    const attack = failure && this.random() < 0.35;
    const user = this.sample(this.users);
    const username = attack && this.random() < 0.5 ? `guess${this.int(20_000)}` : `user${user}`;
    const event: BenchEvent & { service: string } = {
      id: this.uuid(),
      time: new Date(timeMs).toISOString(),
      service,
      type,
      source: { ip: this.ip(attack), user_agent: attack ? USER_AGENTS[4 + this.int(2)] : USER_AGENTS[this.int(4)] },
      actor: { username, subject: `sub-${(user * 2654435761) >>> 0}`, client_id: `client-${this.sample(this.clients)}` },
      target: { method: METHODS[this.int(METHODS.length)], path: PATHS[this.int(PATHS.length)], service },
      scheme: 'https',
    };
    if (isFailureType(type)) event.reason = REASONS_BY_TYPE[type][this.sample(this.reasons.get(type)!)];
    if (type.startsWith('token.')) {
      event.token = { jti: this.uuid(), kid: `key-${this.int(4)}`, alg: 'RS256', issuer: 'https://idp.example.com' };
    }
    if (this.random() < 0.25) event.trace_id = this.uuid().replaceAll('-', '');
    return event;
  }

  /**
   * `count` events over the `days` days before `end`, oldest first: each hour
   * gets its share by the daily rhythm, spread evenly with jitter inside it.
   */
  *events(count: number, days: number, end: number): Generator<BenchEvent & { service: string }> {
    const hours = days * 24;
    const start = end - hours * HOUR_MS;
    const weights = Array.from({ length: hours }, (_, hour) => hourWeight(new Date(start + hour * HOUR_MS).getUTCHours()));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let emitted = 0;
    let share = 0;
    for (let hour = 0; hour < hours; hour++) {
      share += weights[hour];
      const upTo = hour === hours - 1 ? count : Math.round((share / total) * count);
      const inHour = upTo - emitted;
      for (let index = 0; index < inHour; index++) {
        yield this.event(start + hour * HOUR_MS + Math.floor(((index + this.random()) / inHour) * HOUR_MS));
      }
      emitted = upTo;
    }
  }
}
