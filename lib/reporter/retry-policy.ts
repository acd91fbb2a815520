/**
 * When to retry a request to authwatch, and how long to wait first.
 * Retried: network errors and timeouts, 408, 429 and 5xx (authwatch answers
 * 503/507 with `Retry-After` when its store is busy, locked or full). Any other
 * 4xx will not get better by resending the same bytes, so it is not retried.
 */
export type Attempt =
  | { outcome: 'sent' }
  | { outcome: 'retry'; status?: number; retryAfterMs?: number; message: string }
  | { outcome: 'refused'; status: number; message: string };

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `Retry-After` as delay-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export type BackoffSettings = { initialMs: number; maxMs: number; maxRetryAfterMs: number };

/**
 * "Equal jitter": half of the exponential step fixed, half random, so a crowd of
 * reporters that failed together spreads out but none retries at once. A
 * server's `Retry-After` is honoured as the least wait, with up to 20% (≤ 1 s)
 * jitter on top.
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, settings: BackoffSettings, random: () => number): number {
  if (retryAfterMs !== undefined) {
    const wait = Math.min(retryAfterMs, settings.maxRetryAfterMs);
    return Math.round(wait + random() * Math.min(wait * 0.2, 1000));
  }
  const step = Math.min(settings.maxMs, settings.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
