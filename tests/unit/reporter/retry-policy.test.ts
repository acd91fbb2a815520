import { describe, expect, it } from 'vitest';
import { isRetryableStatus, parseRetryAfter, retryDelay } from '@/lib/reporter/retry-policy';

const settings = { initialMs: 250, maxMs: 10_000, maxRetryAfterMs: 60_000 };

describe('retry policy', () => {
  it('retries 408, 429 and 5xx and nothing else', () => {
    expect([408, 429, 500, 503, 507].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 415].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores garbage', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('doubles the step per attempt up to the cap, half of it jittered', () => {
    const low = [1, 2, 3, 4, 10].map((attempt) => retryDelay(attempt, undefined, settings, () => 0));
    const high = [1, 2, 3, 4, 10].map((attempt) => retryDelay(attempt, undefined, settings, () => 0.999_999));
    expect(low).toEqual([125, 250, 500, 1_000, 5_000]);
    expect(high).toEqual([250, 500, 1_000, 2_000, 10_000]);
  });

  it('waits at least what Retry-After says, capped, with at most 20% (1 s) on top', () => {
    expect(retryDelay(1, 2_000, settings, () => 0)).toBe(2_000);
    expect(retryDelay(1, 2_000, settings, () => 0.999_999)).toBe(2_400);
    expect(retryDelay(1, 30_000, settings, () => 0.999_999)).toBe(31_000);
    expect(retryDelay(1, 3_600_000, settings, () => 0)).toBe(60_000);
  });
});
