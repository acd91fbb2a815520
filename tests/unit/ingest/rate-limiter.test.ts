import { describe, expect, it } from 'vitest';
import { sizeCost } from '@/lib/ingest/ingest-rate';
import { TokenBuckets } from '@/lib/ingest/rate-limiter';
import { MAX_BODY_BYTES, MAX_EVENTS_PER_REQUEST } from '@/lib/ingest/read-batch';

const T0 = Date.parse('2026-11-28T12:00:00Z');

describe('TokenBuckets', () => {
  it('admits a full burst exactly, then refuses the next event', () => {
    const buckets = new TokenBuckets(10, 100);
    for (let i = 0; i < 100; i += 1) expect(buckets.take('key', 1, T0)).toEqual({ allowed: true });
    expect(buckets.take('key', 1, T0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('charges a batch by its number of events', () => {
    const buckets = new TokenBuckets(10, 100);
    expect(buckets.take('key', 60, T0).allowed).toBe(true);
    expect(buckets.take('key', 41, T0).allowed).toBe(false);
    expect(buckets.take('key', 40, T0).allowed).toBe(true);
  });

  it('gives back a refunded charge, never beyond the bucket', () => {
    const buckets = new TokenBuckets(10, 100);
    expect(buckets.take('key', 90, T0).allowed).toBe(true);
    buckets.refund('key', 50, T0);
    expect(buckets.take('key', 60, T0).allowed).toBe(true);
    buckets.refund('key', 500, T0);
    expect(buckets.take('key', 101, T0).allowed).toBe(false);
    expect(buckets.take('key', 100, T0).allowed).toBe(true);
  });

  it('charges a body by its size before its events are known: a full-size body as a full batch', () => {
    expect(sizeCost(0)).toBe(1);
    expect(sizeCost(1)).toBe(1);
    expect(sizeCost(MAX_BODY_BYTES)).toBe(MAX_EVENTS_PER_REQUEST);
    expect(sizeCost(MAX_BODY_BYTES / 2)).toBe(MAX_EVENTS_PER_REQUEST / 2);
  });

  it('refills at the rate', () => {
    const buckets = new TokenBuckets(10, 100);
    expect(buckets.take('key', 100, T0).allowed).toBe(true);
    expect(buckets.take('key', 5, T0 + 400).allowed).toBe(false);
    expect(buckets.take('key', 5, T0 + 500).allowed).toBe(true);
    expect(buckets.take('key', 1, T0 + 500).allowed).toBe(false);
  });

  it.each([
    [1, 1],
    [10, 1],
    [11, 2],
    [55, 6],
    [100, 10],
  ])('asks an empty bucket holding 10/s to retry a cost of %i after %i s', (cost, retryAfterSeconds) => {
    const buckets = new TokenBuckets(10, 100);
    buckets.take('key', 100, T0);
    expect(buckets.take('key', cost, T0)).toEqual({ allowed: false, retryAfterSeconds });
  });

  it('keeps separate keys independent', () => {
    const buckets = new TokenBuckets(1, 10);
    expect(buckets.take('a', 10, T0).allowed).toBe(true);
    expect(buckets.take('a', 1, T0).allowed).toBe(false);
    expect(buckets.take('b', 10, T0).allowed).toBe(true);
  });

  it('never fills above the burst, however long it was idle', () => {
    const buckets = new TokenBuckets(10, 100);
    buckets.take('key', 1, T0);
    const muchLater = T0 + 86_400_000;
    expect(buckets.take('key', 100, muchLater).allowed).toBe(true);
    expect(buckets.take('key', 1, muchLater).allowed).toBe(false);
  });

  it('checks without charging, deciding as take would', () => {
    const buckets = new TokenBuckets(10, 100);
    expect(buckets.check('key', 100, T0)).toEqual({ allowed: true });
    expect(buckets.take('key', 100, T0)).toEqual({ allowed: true });
    expect(buckets.check('key', 1, T0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.check('key', 1, T0 + 100)).toEqual({ allowed: true });
    expect(buckets.take('key', 1, T0 + 100)).toEqual({ allowed: true });
    expect(buckets.take('key', 1, T0 + 100)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('does not refill when the clock goes backwards', () => {
    const buckets = new TokenBuckets(10, 100);
    buckets.take('key', 100, T0);
    expect(buckets.take('key', 1, T0 - 60_000).allowed).toBe(false);
  });

  it.each([
    [0, 10],
    [10, 0],
    [-1, 10],
  ])('refuses rate %i and burst %i', (rate, burst) => {
    expect(() => new TokenBuckets(rate, burst)).toThrow();
  });
});
