import { describe, expect, it } from 'vitest';
import { cookieMaxAgeSeconds, newSessionTimes, sessionState, touchDue } from '@/lib/auth/session-lifetime';
import { DAY, HOUR, MINUTE, NOW } from '@/tests/helpers/temp-store';

const policy = { idleMs: 12 * HOUR, maxAgeMs: 7 * DAY };
const SECOND = 1000;

describe('session lifetime', () => {
  const fresh = newSessionTimes(NOW, policy);

  it('starts now and ends for good after the absolute lifetime', () => {
    expect(fresh).toEqual({ createdAt: NOW, lastSeenAt: NOW, expiresAt: NOW + 7 * DAY });
    expect(cookieMaxAgeSeconds(fresh, NOW)).toBe(7 * 24 * 3600);
  });

  it.each([
    ['just used', NOW, NOW + MINUTE, 'active'],
    ['idle one millisecond short of 12 h', NOW, NOW + 12 * HOUR - 1, 'active'],
    ['idle exactly 12 h', NOW, NOW + 12 * HOUR, 'idle'],
    ['idle 13 h', NOW, NOW + 13 * HOUR, 'idle'],
    ['used an hour ago on its last day', NOW + 7 * DAY - 2 * HOUR, NOW + 7 * DAY - HOUR, 'active'],
    ['used a minute ago but at its absolute end', NOW + 7 * DAY - MINUTE, NOW + 7 * DAY, 'expired'],
    ['past its absolute end', NOW + 7 * DAY - MINUTE, NOW + 8 * DAY, 'expired'],
  ] as const)('is %s → %s', (_, lastSeenAt, now, state) => {
    expect(sessionState({ lastSeenAt, expiresAt: fresh.expiresAt }, now, policy)).toBe(state);
  });

  it('writes its last use at most once a minute', () => {
    expect(touchDue({ lastSeenAt: NOW }, NOW + 59 * SECOND, policy)).toBe(false);
    expect(touchDue({ lastSeenAt: NOW }, NOW + 60 * SECOND, policy)).toBe(true);
  });

  it('writes more often when the idle time is short, so a session in use never lapses', () => {
    const short = { idleMs: 20 * SECOND, maxAgeMs: HOUR };
    expect(touchDue({ lastSeenAt: NOW }, NOW + 4 * SECOND, short)).toBe(false);
    expect(touchDue({ lastSeenAt: NOW }, NOW + 5 * SECOND, short)).toBe(true);
  });
});
