import type { ThrottleRecord } from '../store/accounts';

/**
 * Sign-in throttling, as pure arithmetic on stored records. Each key (an email
 * digest, a source address) counts failures in a fixed window that starts at
 * its first failure (AUTHWATCH_SIGNIN_WINDOW, default 15 min); at its limit
 * (5 per email, 20 per address by default) further attempts are refused until
 * the window ends.
 *
 * An attempt is charged before its password is checked, and refunded if it
 * turns out right: charging after the check would let 50 parallel guesses all
 * pass the limit while the first are still hashing. The caller reads, decides
 * and writes without awaiting in between, so on one event loop the limit holds
 * exactly.
 */
export type ThrottleKey = { key: string; limit: number };

export type ChargeDecision =
  | { allowed: true; records: ThrottleRecord[]; reachedLimit: string[] }
  | { allowed: false; retryAfterSeconds: number; lockedKeys: string[] };

/** The record for `key` as of `now`: a window that has ended starts again at zero. */
function current(records: readonly ThrottleRecord[], key: string, now: number, windowMs: number): ThrottleRecord {
  const found = records.find((record) => record.key === key);
  if (!found || now >= found.windowStartedAt + windowMs) return { key, failures: 0, windowStartedAt: now };
  return found;
}

export function chargeAttempt(stored: readonly ThrottleRecord[], keys: readonly ThrottleKey[], now: number, windowMs: number): ChargeDecision {
  const states = keys.map(({ key }) => current(stored, key, now, windowMs));
  const locked = states.filter((state, index) => state.failures >= keys[index].limit);
  if (locked.length > 0) {
    const waitMs = Math.max(...locked.map((state) => state.windowStartedAt + windowMs - now));
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), lockedKeys: locked.map((state) => state.key) };
  }
  const records = states.map((state) => ({ ...state, failures: state.failures + 1 }));
  const reachedLimit = records.filter((record, index) => record.failures === keys[index].limit).map((record) => record.key);
  return { allowed: true, records, reachedLimit };
}

/**
 * Undoes the charge of an attempt that succeeded: keys in `reset` start from
 * zero (the account's own earlier failures are forgiven), the others lose one
 * failure (a source address does not earn a clean slate by signing in).
 */
export function refundAttempt(
  stored: readonly ThrottleRecord[],
  keys: readonly string[],
  reset: readonly string[],
  now: number,
  windowMs: number,
): ThrottleRecord[] {
  return keys.map((key) => {
    const state = current(stored, key, now, windowMs);
    return { ...state, failures: reset.includes(key) ? 0 : Math.max(0, state.failures - 1) };
  });
}
