import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from '@/lib/detection/detection-event';
import type { Reason } from '@/lib/events/catalog';
import { invalidTokenSpike } from '@/lib/detection/rules/invalid-token-spike';
import { HOUR, MINUTE, SECOND, T0, eventSequence, runRule } from '../../../helpers/detection';

const next = eventSequence();
const granted = (kid: string, time: number): DetectionEvent => next({ type: 'access.granted', reason: null, service: 'orders', tokenKid: kid, time });
const issued = (kid: string, time: number): DetectionEvent => next({ type: 'token.issued', reason: null, service: 'auth', tokenKid: kid, time });

/** Two hours of calls with the old key, so the rule has watched long enough to call a kid new. */
const history = () => Array.from({ length: 12 }, (_, i) => granted('key-2024', T0 - 2 * HOUR + i * 10 * MINUTE));

/** 60 rejections at payments within 2 minutes of `start`, `share` of them with `reason`, the rest malformed. */
function spike(start: number, reason: Reason, share: number, kid = 'key-2025'): DetectionEvent[] {
  return Array.from({ length: 60 }, (_, i) =>
    next({ type: 'token.rejected', reason: i < 60 * share ? reason : 'malformed', service: 'payments', tokenKid: kid, time: start + i * 2 * SECOND }),
  );
}

const params = invalidTokenSpike.params.parse({});
const summaryOf = (events: DetectionEvent[]) => {
  const { findings } = runRule(invalidTokenSpike, [events]);
  expect(findings).toHaveLength(1);
  return invalidTokenSpike.summarize({ key: findings[0].key, count: findings[0].events.length, detail: findings[0].detail }, params);
};

describe('invalid_token_spike: likely key rotation', () => {
  it('says "likely key rotation" when most rejections are unknown_kid right after a new kid was issued', () => {
    const summary = summaryOf([...history(), issued('key-2025', T0), spike(T0 + 12 * MINUTE, 'unknown_kid', 0.8)].flat());
    expect(summary).toBe('payments rejected 60 tokens (at least 50 within 5 min): likely key rotation, kid key-2025 first seen 12 min before');
  });

  it('says it too when most are expired', () => {
    expect(summaryOf([...history(), issued('key-2025', T0), ...spike(T0 + 5 * MINUTE, 'expired', 0.6)])).toContain('likely key rotation');
  });

  it.each([
    ['most rejections are malformed', () => [...history(), issued('key-2025', T0), ...spike(T0 + 5 * MINUTE, 'unknown_kid', 0.4)]],
    ['exactly half are unknown_kid', () => [...history(), issued('key-2025', T0), ...spike(T0 + 5 * MINUTE, 'unknown_kid', 0.5)]],
    ['the newest kid was first seen more than an hour before', () => [...history(), issued('key-2025', T0 - 90 * MINUTE), ...spike(T0, 'unknown_kid', 1)]],
    ['no kid is new (only the old one is in use)', () => [...history(), ...spike(T0, 'unknown_kid', 1)]],
    ['the only new kid is one the rejected tokens carry (anyone can forge one)', () => [...history(), ...spike(T0, 'unknown_kid', 1, 'attacker-kid')]],
    ['authwatch has not watched an hour before the new kid', () => [issued('key-2025', T0), ...spike(T0 + 5 * MINUTE, 'unknown_kid', 1)]],
  ])('does not say it when %s', (_what, events) => {
    const summary = summaryOf(events());
    expect(summary).toBe('payments rejected 60 tokens (at least 50 within 5 min)');
  });

  it('keeps the kids it has seen across a restart', () => {
    const before = runRule(invalidTokenSpike, [[...history(), issued('key-2025', T0)]]);
    const after = runRule(invalidTokenSpike, [spike(T0 + 5 * MINUTE, 'unknown_kid', 1)], params, T0 + HOUR, before.state);
    expect(after.findings[0].detail).toMatchObject({ likely_key_rotation: true, new_kid: 'key-2025' });
  });
});
