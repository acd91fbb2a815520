/**
 * A token bucket per credential, counted in events: a batch of 500 costs 500.
 * Node runs each take() to completion before the next, so parallel bursts are
 * admitted exactly up to the bucket's content.
 */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

type Bucket = { tokens: number; updatedAt: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {
    if (ratePerSecond <= 0 || burst <= 0) throw new Error('rate and burst must be positive');
  }

  take(key: string, cost: number, now: number): RateDecision {
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true };
    }
    return this.refusal(bucket, cost);
  }

  /** Gives back what a `take` charged for work that was then refused; never beyond the bucket's size. */
  refund(key: string, cost: number, now: number): void {
    const bucket = this.refilled(key, now);
    bucket.tokens = Math.min(this.burst, bucket.tokens + cost);
  }

  /** What `take` would decide, without charging anything. */
  check(key: string, cost: number, now: number): RateDecision {
    const bucket = this.refilled(key, now);
    return bucket.tokens >= cost ? { allowed: true } : this.refusal(bucket, cost);
  }

  private refilled(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: now };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsedSeconds * this.ratePerSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  private refusal(bucket: Bucket, cost: number): RateDecision {
    const missing = Math.min(cost, this.burst) - bucket.tokens;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / this.ratePerSecond)) };
  }
}
