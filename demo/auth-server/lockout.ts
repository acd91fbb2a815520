/**
 * Account lockout as identity providers do it: `threshold` failures within
 * `windowMs` lock the account for `lockMs`; a success resets the count.
 * Only known accounts are counted, so the map is bounded by the directory.
 */
export type LockoutSettings = { threshold: number; windowMs: number; lockMs: number; onUnlocked(username: string): void };
export type Lockout = {
  isLocked(username: string): boolean;
  /** Counts a failure; `true` when it is the one that locks the account. */
  recordFailure(username: string): boolean;
  recordSuccess(username: string): void;
  stop(): void;
};

export function createLockout(settings: LockoutSettings): Lockout {
  const failures = new Map<string, number[]>();
  const locks = new Map<string, NodeJS.Timeout>();
  return {
    isLocked: (username) => locks.has(username),
    recordFailure: (username) => {
      const now = Date.now();
      const recent = (failures.get(username) ?? []).filter((at) => now - at < settings.windowMs);
      recent.push(now);
      failures.set(username, recent);
      if (recent.length < settings.threshold || locks.has(username)) return false;
      failures.delete(username);
      const timer = setTimeout(() => {
        locks.delete(username);
        settings.onUnlocked(username);
      }, settings.lockMs);
      timer.unref();
      locks.set(username, timer);
      return true;
    },
    recordSuccess: (username) => void failures.delete(username),
    stop: () => {
      for (const timer of locks.values()) clearTimeout(timer);
      locks.clear();
    },
  };
}
