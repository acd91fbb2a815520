/**
 * When a session ends, as pure arithmetic on its times (tests drive it with a
 * fixed clock). A session ends at the first of: its absolute end (created +
 * AUTHWATCH_SESSION_MAX_AGE, default 7 d) or being idle (no use for
 * AUTHWATCH_SESSION_IDLE, default 12 h).
 *
 * Last use is written at most once a minute, not on every request, so the idle
 * end can come up to that much early; with idle settings under 4 minutes the
 * interval shrinks to a quarter of the idle time, so a session in use never lapses.
 */
export type SessionPolicy = { idleMs: number; maxAgeMs: number };
export type SessionTimes = { createdAt: number; lastSeenAt: number; expiresAt: number };

const TOUCH_INTERVAL_MS = 60_000;

export function newSessionTimes(now: number, policy: SessionPolicy): SessionTimes {
  return { createdAt: now, lastSeenAt: now, expiresAt: now + policy.maxAgeMs };
}

export type SessionState = 'active' | 'idle' | 'expired';

export function sessionState(session: Pick<SessionTimes, 'lastSeenAt' | 'expiresAt'>, now: number, policy: SessionPolicy): SessionState {
  if (now >= session.expiresAt) return 'expired';
  if (now >= session.lastSeenAt + policy.idleMs) return 'idle';
  return 'active';
}

/** Whether this use should be written as the session's last use. */
export function touchDue(session: Pick<SessionTimes, 'lastSeenAt'>, now: number, policy: SessionPolicy): boolean {
  return now - session.lastSeenAt >= Math.min(TOUCH_INTERVAL_MS, policy.idleMs / 4);
}

/** Seconds the cookie may live: until the absolute end (the server enforces the idle end). */
export function cookieMaxAgeSeconds(session: Pick<SessionTimes, 'expiresAt'>, now: number): number {
  return Math.max(0, Math.floor((session.expiresAt - now) / 1000));
}
