import { describe, expect, it } from 'vitest';
import { chargeAttempt, refundAttempt, type ChargeDecision } from '@/lib/auth/signin-throttle';
import type { ThrottleRecord } from '@/lib/store/accounts';
import { MINUTE, NOW } from '@/tests/helpers/temp-store';

const WINDOW = 15 * MINUTE;
const KEYS = [
  { key: 'email:a', limit: 5 },
  { key: 'ip:1', limit: 20 },
];

/** Charges `count` attempts in a row at `now`, keeping the records as the store would. */
function attempts(count: number, start: ThrottleRecord[] = [], now = NOW): { records: ThrottleRecord[]; decisions: ChargeDecision[] } {
  let records = start;
  const decisions: ChargeDecision[] = [];
  for (let i = 0; i < count; i += 1) {
    const decision = chargeAttempt(records, KEYS, now, WINDOW);
    decisions.push(decision);
    if (decision.allowed) records = decision.records;
  }
  return { records, decisions };
}

describe('sign-in throttle arithmetic', () => {
  it('allows exactly the per-email limit, then refuses until the window ends', () => {
    const { records, decisions } = attempts(50);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.slice(0, 5).every((d) => d.allowed)).toBe(true);
    expect(decisions[5]).toEqual({ allowed: false, retryAfterSeconds: 900, lockedKeys: ['email:a'] });
    expect(records).toEqual([
      { key: 'email:a', failures: 5, windowStartedAt: NOW },
      { key: 'ip:1', failures: 5, windowStartedAt: NOW },
    ]);
  });

  it('says which charge reached a limit', () => {
    const { decisions } = attempts(5);
    expect(decisions.map((d) => (d.allowed ? d.reachedLimit : null))).toEqual([[], [], [], [], ['email:a']]);
  });

  it('counts Retry-After down to the end of the window that started at the first failure', () => {
    const { records } = attempts(5);
    expect(chargeAttempt(records, KEYS, NOW + 10 * MINUTE + 500, WINDOW)).toMatchObject({ allowed: false, retryAfterSeconds: 300 });
    expect(chargeAttempt(records, KEYS, NOW + WINDOW - 1, WINDOW)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it('starts a new window once the old one has ended', () => {
    const { records } = attempts(5);
    const later = chargeAttempt(records, KEYS, NOW + WINDOW, WINDOW);
    expect(later).toMatchObject({ allowed: true, records: [{ key: 'email:a', failures: 1, windowStartedAt: NOW + WINDOW }, expect.anything()] });
  });

  it('refuses on the per-address limit across many emails', () => {
    const ip: ThrottleRecord[] = [{ key: 'ip:1', failures: 20, windowStartedAt: NOW - MINUTE }];
    expect(chargeAttempt(ip, KEYS, NOW, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 840, lockedKeys: ['ip:1'] });
  });

  it('refunds a successful attempt: the email starts over, the address only loses that one charge', () => {
    const { records } = attempts(3);
    expect(refundAttempt(records, ['email:a', 'ip:1'], ['email:a'], NOW, WINDOW)).toEqual([
      { key: 'email:a', failures: 0, windowStartedAt: NOW },
      { key: 'ip:1', failures: 2, windowStartedAt: NOW },
    ]);
  });
});
