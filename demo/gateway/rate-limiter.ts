/**
 * Token buckets keyed by client or IP: `burst` requests at once, refilled at
 * `perSecond`. The number of keys is bounded; past it the least recently
 * refilled bucket is forgotten (which only ever forgives, never blocks).
 */
export type RateLimiter = { take(key: string): boolean; retryAfterSeconds(): number };

export function createRateLimiter(perSecond: number, burst: number, maxKeys = 50_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take: (key) => {
      const now = Date.now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    retryAfterSeconds: () => Math.max(1, Math.ceil(1 / perSecond)),
  };
}
