import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from '@/lib/detection/detection-event';
import type { Rule } from '@/lib/detection/rule';
import { LATE_ARRIVAL_GRACE_MS, MAX_ENTRIES, MAX_KEYS, type KeyedWindowsState } from '@/lib/detection/keyed-windows';
import { MAX_INCIDENTS_PER_KEY } from '@/lib/detection/key-window';
import { bruteForceIp } from '@/lib/detection/rules/brute-force-ip';
import { invalidTokenSpike } from '@/lib/detection/rules/invalid-token-spike';
import { MAX_KIDS } from '@/lib/detection/rules/key-rotation';
import { passwordSpraying } from '@/lib/detection/rules/password-spraying';
import { plaintextHttp } from '@/lib/detection/rules/plaintext-http';
import { slowBruteForce } from '@/lib/detection/rules/slow-brute-force';
import { HOUR, MINUTE, SECOND, T0, eventSequence, runRule } from '../../helpers/detection';

const entryCount = (state: KeyedWindowsState) => state.windows.reduce((sum, window) => sum + window.entries.length, 0);
const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('rule state stays bounded', () => {
  it('keeps at most MAX_KEYS keys under a flood of distinct IPs, the latest ones', () => {
    const next = eventSequence();
    const flood = Array.from({ length: 25_000 }, (_, i) => next({ ip: ipOf(i), time: T0 + i }));
    const state = runRule(bruteForceIp, [flood.slice(0, 12_500), flood.slice(12_500)]).state as KeyedWindowsState;
    const ips = state.windows.map((window) => window.key.ip);
    expect(ips.length).toBeLessThanOrEqual(MAX_KEYS);
    expect(ips).toContain(ipOf(24_999));
    expect(ips).not.toContain(ipOf(0));
  });

  it('keeps at most MAX_ENTRIES entries when many keys each hold many', () => {
    const next = eventSequence();
    const events: DetectionEvent[] = [];
    for (let ip = 0; ip < 1_500; ip += 1) for (let i = 0; i < 80; i += 1) events.push(next({ ip: ipOf(ip), time: T0 + i * SECOND }));
    const state = runRule(slowBruteForce, [events]).state as KeyedWindowsState;
    expect(entryCount(state)).toBeLessThanOrEqual(MAX_ENTRIES);
  });

  it.each<[string, Rule, number]>([
    ['a counting rule', bruteForceIp, 10],
    ['a slow counting rule', slowBruteForce, 100],
    ['a distinct-counting rule', passwordSpraying, 40],
    ['a single-event rule', plaintextHttp, 16],
  ])('keeps per key only what %s needs while one key floods', (_what, rule, max) => {
    const next = eventSequence();
    const flood = Array.from({ length: 5_000 }, (_, i) =>
      next({ type: 'login.failure', scheme: 'http', ip: '203.0.113.7', username: `user${i}@example.com`, time: T0 + i * 10 }),
    );
    const { state, findings } = runRule(rule, [flood]);
    const windows = (state as KeyedWindowsState).windows;
    expect(windows).toHaveLength(1);
    expect(windows[0].entries.length).toBeLessThanOrEqual(max);
    expect(windows[0].incidents.length).toBeLessThanOrEqual(MAX_INCIDENTS_PER_KEY);
    expect(findings.reduce((sum, finding) => sum + finding.events.length, 0)).toBe(5_000);
  });

  it('forgets a key once its window and the late-arrival grace have passed on the engine clock', () => {
    const event = eventSequence()({ time: T0 });
    const params = bruteForceIp.params.parse({});
    const held = bruteForceIp.evaluate(undefined, [event], params, T0).state as KeyedWindowsState;
    const justBefore = bruteForceIp.evaluate(held, [], params, T0 + 5 * MINUTE + LATE_ARRIVAL_GRACE_MS).state as KeyedWindowsState;
    const after = bruteForceIp.evaluate(held, [], params, T0 + 5 * MINUTE + LATE_ARRIVAL_GRACE_MS + 1).state as KeyedWindowsState;
    expect(justBefore.windows).toHaveLength(1);
    expect(after.windows).toHaveLength(0);
  });

  it('keeps at most MAX_KIDS kid sightings', () => {
    const next = eventSequence();
    const events = Array.from({ length: 1_000 }, (_, i) => next({ type: 'access.granted', reason: null, tokenKid: `kid-${i}`, time: T0 + i }));
    const { state } = runRule(invalidTokenSpike, [events]);
    expect((state as unknown as { kidSightings: { kids: unknown[] } }).kidSightings.kids).toHaveLength(MAX_KIDS);
  });

  it('never changes the state it was given', () => {
    const next = eventSequence();
    const first = bruteForceIp.evaluate(undefined, Array.from({ length: 9 }, () => next()), bruteForceIp.params.parse({}), T0 + HOUR).state;
    const copy = JSON.parse(JSON.stringify(first));
    const result = bruteForceIp.evaluate(first, Array.from({ length: 5 }, () => next()), bruteForceIp.params.parse({}), T0 + HOUR);
    expect(result.findings).toHaveLength(1);
    expect(first).toEqual(copy);
  });
});
