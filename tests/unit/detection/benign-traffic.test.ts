import { describe, expect, it } from 'vitest';
import { backtestRule } from '@/lib/detection/backtest';
import { toDetectionEvent, type DetectionEvent } from '@/lib/detection/detection-event';
import { evaluateRules, type RuleStates } from '@/lib/detection/evaluate-rules';
import type { Finding } from '@/lib/detection/rule';
import { bruteForceIp } from '@/lib/detection/rules/brute-force-ip';
import { prepareEvents } from '@/lib/ingest/prepare-events';
import { fromEventRow } from '@/lib/store/event-row';
import { generateBenignTraffic, type BenignEvent } from '../../helpers/benign-traffic';
import { HOUR, T0 } from '../../helpers/detection';

const SERVICE_IDS: Record<string, number> = { auth: 1, gateway: 2, orders: 3, payments: 4, inventory: 5 };

/** The events as the store would hand them to detection: prepared by ingest, in arrival (seq) order. */
function storeAndRead(traffic: readonly BenignEvent[]): DetectionEvent[] {
  const events: DetectionEvent[] = [];
  for (const item of traffic) {
    const text = JSON.stringify(item.event);
    const body = { mediaType: 'json' as const, text, bytes: Buffer.byteLength(text) };
    const prepared = prepareEvents({ body, service: { id: SERVICE_IDS[item.service], name: item.service }, now: item.arrival, retentionDays: 30, idKey: Buffer.alloc(32, 7) });
    expect(prepared.rejected.listed).toEqual([]);
    const stored = { ...fromEventRow(prepared.rows[0]), sequence: events.length + 1 };
    events.push(toDetectionEvent(stored)!);
  }
  return events;
}

/** Every rule at its defaults, in engine-sized batches, with the state through JSON now and then (a restart). */
function detectAll(events: readonly DetectionEvent[]): Finding[] {
  let states: RuleStates = {};
  const findings: Finding[] = [];
  for (let first = 0, batch = 0; first < events.length; first += 500, batch += 1) {
    const slice = events.slice(first, first + 500);
    const result = evaluateRules(states, slice, {}, slice.at(-1)!.receivedAt);
    findings.push(...result.findings);
    states = batch % 20 === 0 ? JSON.parse(JSON.stringify(result.states)) : result.states;
  }
  return findings;
}

describe('a day of benign traffic', () => {
  const traffic = generateBenignTraffic({ start: T0 - 27 * HOUR, hours: 24, users: 1000 });
  const events = storeAndRead(traffic);

  it('is realistic: many users, a few typos each, expired tokens, refreshes, a key rotation, HTTPS only', () => {
    const count = (predicate: (event: DetectionEvent) => boolean) => events.filter(predicate).length;
    expect(events.length).toBeGreaterThan(50_000);
    expect(new Set(events.map((event) => event.username).filter(Boolean)).size).toBeGreaterThan(1000);
    expect(count((event) => event.reason === 'bad_credentials')).toBeGreaterThan(300);
    expect(count((event) => event.reason === 'unknown_user')).toBeGreaterThan(20);
    expect(count((event) => event.reason === 'expired')).toBeGreaterThan(100);
    expect(count((event) => event.type === 'token.refreshed')).toBeGreaterThan(100);
    expect(new Set(events.map((event) => event.tokenKid).filter(Boolean))).toEqual(new Set(['key-2024', 'key-2025']));
    expect(count((event) => event.scheme !== 'https')).toBe(0);
    expect(events.some((event, i) => i > 0 && event.time < events[i - 1].time)).toBe(true);
  });

  it('is the same for the same seed', () => {
    const again = generateBenignTraffic({ start: T0 - 27 * HOUR, hours: 24, users: 1000 });
    expect(again.length).toBe(traffic.length);
    expect(again.slice(-5)).toEqual(traffic.slice(-5));
  });

  it('raises no alert with the default parameters', () => {
    expect(detectAll(events)).toEqual([]);
  });

  it('still raises the one alert of a small attack hidden in it', () => {
    const attackAt = events[Math.floor(events.length / 2)];
    const attack = Array.from({ length: 10 }, (_, i): DetectionEvent => ({
      ...attackAt,
      id: `attack-${i}`,
      type: 'login.failure',
      reason: 'bad_credentials',
      ip: '203.0.113.66',
      username: `user${i}@example.com`,
      time: attackAt.time + i * 5000,
    }));
    const mixed = [...events.slice(0, events.length / 2), ...attack, ...events.slice(events.length / 2)].map((event, i) => ({ ...event, seq: i + 1 }));
    const findings = detectAll(mixed);
    expect(findings.map((finding) => [finding.rule, finding.key, finding.events.length])).toEqual([
      ['brute_force_ip', { ip: '203.0.113.66' }, 10],
      ['password_spraying', { ip: '203.0.113.66' }, 10],
    ]);
    expect(backtestRule(bruteForceIp, bruteForceIp.params.parse({}), mixed).alerts).toHaveLength(1);
  });
});
