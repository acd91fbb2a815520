import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from '@/lib/detection/detection-event';
import type { Rule } from '@/lib/detection/rule';
import { apiAbuse } from '@/lib/detection/rules/api-abuse';
import { bruteForceIp } from '@/lib/detection/rules/brute-force-ip';
import { bruteForceUser } from '@/lib/detection/rules/brute-force-user';
import { invalidTokenSpike } from '@/lib/detection/rules/invalid-token-spike';
import { passwordSpraying } from '@/lib/detection/rules/password-spraying';
import { privilegeProbing } from '@/lib/detection/rules/privilege-probing';
import { slowBruteForce } from '@/lib/detection/rules/slow-brute-force';
import { tokenReplay } from '@/lib/detection/rules/token-replay';
import { HOUR, MINUTE, T0, eventSequence, reportedSeqs, runRule } from '../../../helpers/detection';

/**
 * Every rule that fires on a count (or a distinct count) within a window, at
 * PRODUCT.md's defaults. `matching(i)` is the i-th event of one key's attack;
 * `other` is an event the rule must not count.
 */
type CountingCase = {
  rule: Rule;
  threshold: number;
  windowMs: number;
  matching: (i: number) => Partial<DetectionEvent>;
  other: Partial<DetectionEvent>;
};

const CASES: CountingCase[] = [
  {
    rule: bruteForceIp,
    threshold: 10,
    windowMs: 5 * MINUTE,
    matching: (i) => ({ type: 'login.failure', ip: '203.0.113.7', username: `user${i % 3}@example.com` }),
    other: { type: 'login.success', reason: null, ip: '203.0.113.7' },
  },
  {
    rule: bruteForceUser,
    threshold: 5,
    windowMs: 10 * MINUTE,
    matching: (i) => ({ type: 'login.failure', username: 'alice@example.com', ip: `198.51.100.${i + 1}` }),
    other: { type: 'login.failure', username: 'bob@example.com' },
  },
  {
    rule: slowBruteForce,
    threshold: 100,
    windowMs: 24 * HOUR,
    matching: () => ({ type: 'login.failure', ip: '203.0.113.9' }),
    other: { type: 'access.denied', reason: 'forbidden', ip: '203.0.113.9' },
  },
  {
    rule: passwordSpraying,
    threshold: 10,
    windowMs: 10 * MINUTE,
    matching: (i) => ({ type: 'login.failure', ip: '203.0.113.50', username: `employee${i}@example.com` }),
    other: { type: 'login.failure', ip: '203.0.113.50', username: 'employee0@example.com' },
  },
  {
    rule: invalidTokenSpike,
    threshold: 50,
    windowMs: 5 * MINUTE,
    matching: (i) => ({ type: 'token.rejected', reason: i % 2 ? 'malformed' : 'wrong_audience', service: 'payments' }),
    other: { type: 'token.rejected', reason: 'malformed', service: 'orders' },
  },
  {
    rule: tokenReplay,
    threshold: 2,
    windowMs: 10 * MINUTE,
    matching: (i) => ({ type: 'access.granted', reason: null, jti: 'jti-7f3a', ip: `198.51.100.${i + 1}` }),
    other: { type: 'access.granted', reason: null, jti: 'jti-7f3a', ip: '198.51.100.1' },
  },
  {
    rule: privilegeProbing,
    threshold: 10,
    windowMs: 10 * MINUTE,
    matching: () => ({ type: 'access.denied', reason: 'missing_role', subject: 'user-42' }),
    other: { type: 'access.granted', reason: null, subject: 'user-42' },
  },
  {
    rule: apiAbuse,
    threshold: 100,
    windowMs: 5 * MINUTE,
    matching: () => ({ type: 'rate_limit.exceeded', reason: 'per_client', clientId: 'mobile-app', ip: '203.0.113.80' }),
    other: { type: 'rate_limit.exceeded', reason: 'per_client', clientId: 'web-app', ip: '203.0.113.80' },
  },
];

/** The attack's events, the i-th at times[i], in seq order. */
function attack(testCase: CountingCase, times: readonly number[]): DetectionEvent[] {
  const next = eventSequence();
  return times.map((time, i) => next({ ...testCase.matching(i), time }));
}

/** `count` times spread inside one window, the first at `start`. */
const spread = (count: number, start: number, span: number) => Array.from({ length: count }, (_, i) => start + Math.floor((i * span) / Math.max(1, count)));

describe.each(CASES)('$rule.id', (testCase) => {
  const { rule, threshold, windowMs } = testCase;
  const defaults = rule.params.parse({});

  it('has the threshold and window PRODUCT.md gives', () => {
    expect(defaults).toMatchObject({ threshold, window_seconds: windowMs / 1000, enabled: true, quiet_period_seconds: 3600 });
  });

  it('fires at its threshold with every event of the window as evidence', () => {
    const events = attack(testCase, spread(threshold, T0, windowMs / 2));
    const { findings } = runRule(rule, [events]);
    expect(findings).toHaveLength(1);
    expect(reportedSeqs(findings)).toEqual(events.map((event) => event.seq));
  });

  it('does not fire one below its threshold', () => {
    const { findings } = runRule(rule, [attack(testCase, spread(threshold - 1, T0, windowMs / 2))]);
    expect(findings).toEqual([]);
  });

  it('counts events exactly a window apart as one window (the window is closed)', () => {
    const times = [...spread(threshold - 1, T0, 1000), T0 + windowMs];
    expect(runRule(rule, [attack(testCase, times)]).findings).toHaveLength(1);
  });

  it('does not count events a window and one millisecond apart together', () => {
    const times = [T0 - 1, ...spread(threshold - 2, T0 + 1, 1000), T0 + windowMs];
    expect(runRule(rule, [attack(testCase, times)]).findings).toEqual([]);
  });

  it('places out-of-order events by their own time', () => {
    const times = spread(threshold, T0, windowMs / 2).reverse();
    const { findings } = runRule(rule, [attack(testCase, times)]);
    expect(reportedSeqs(findings)).toHaveLength(threshold);
  });

  it('counts a batch whose seqs come in any order', () => {
    const events = attack(testCase, spread(threshold, T0, windowMs / 2)).reverse();
    expect(reportedSeqs(runRule(rule, [events]).findings)).toHaveLength(threshold);
  });

  it('places hours-old backfilled events where they belong', () => {
    const times = spread(threshold, T0 - 5 * HOUR, Math.min(windowMs / 2, HOUR));
    const { findings } = runRule(rule, [attack(testCase, times)], defaults, T0 + HOUR);
    expect(reportedSeqs(findings)).toHaveLength(threshold);
    expect(Math.max(...findings[0].events.map((event) => event.time))).toBeLessThan(T0 - 4 * HOUR);
  });

  it('never counts a duplicate twice: the same seq again, or the same service and id under a new seq', () => {
    const events = attack(testCase, spread(threshold - 1, T0, windowMs / 2));
    const next = eventSequence(1000);
    const sameId = events.map((event) => ({ ...next(), ...event, seq: next().seq }));
    const { findings } = runRule(rule, [events, events, sameId]);
    expect(findings).toEqual([]);
  });

  it('carries a window across a restart (state through JSON between events)', () => {
    const events = attack(testCase, spread(threshold, T0, windowMs / 2));
    const { findings } = runRule(rule, events.map((event) => [event]));
    expect(reportedSeqs(findings)).toEqual(events.map((event) => event.seq));
  });

  it('does not count events of another kind or key', () => {
    const events = attack(testCase, spread(threshold - 1, T0, windowMs / 2));
    const next = eventSequence(events.length + 1);
    const others = Array.from({ length: threshold - 1 }, () => next({ ...testCase.other, time: T0 + 1 }));
    expect(runRule(rule, [[...events, ...others]]).findings).toEqual([]);
  });

  it('adds a later event of the same attack to its alert, once', () => {
    const events = attack(testCase, spread(threshold + 1, T0, windowMs / 2));
    const { findings } = runRule(rule, [events.slice(0, threshold), events.slice(threshold)]);
    expect(findings.map((finding) => finding.events.length)).toEqual([threshold, 1]);
  });
});
