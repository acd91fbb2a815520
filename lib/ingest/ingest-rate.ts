import 'server-only';
import type { IngestCredential } from '../auth/authenticate-ingest';
import { getCore } from '../core';
import { AuthwatchError } from '../errors';
import type { RateDecision, TokenBuckets } from './rate-limiter';
import { MAX_BODY_BYTES, MAX_EVENTS_PER_REQUEST } from './read-batch';

function limiter(): TokenBuckets {
  return getCore().ingestLimiter;
}

function refuseUnlessAllowed(decision: RateDecision): void {
  if (!decision.allowed) {
    throw new AuthwatchError('ERR_RATE_LIMITED', 'this credential is sending faster than its ingest rate', {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
}

/**
 * What a body costs before its events are counted: a full-size body costs as
 * much as a full batch. A few huge events are then as dear as many small ones,
 * since preparing them is as much work.
 */
export function sizeCost(bytes: number): number {
  return Math.max(1, Math.ceil((bytes * MAX_EVENTS_PER_REQUEST) / MAX_BODY_BYTES));
}

/**
 * Charges a request's size to its credential before its events are prepared,
 * or refuses it with 429: a flood from an over-rate (or stolen) credential then
 * costs no parsing or validation, and parallel requests are admitted only as
 * far as the bucket pays for them. Returns what was charged.
 */
export function reserveIngestRate(credential: IngestCredential, bytes: number, now: number): number {
  const cost = sizeCost(bytes);
  refuseUnlessAllowed(limiter().take(credential.keyId, cost, now));
  return cost;
}

/**
 * Charges the rest of a prepared request: it costs its items (events and
 * rejections alike) or its size, whichever is more. Refused with 429, it gets
 * its reservation back, as nothing of it is stored.
 */
export function settleIngestRate(credential: IngestCredential, reserved: number, itemCount: number, now: number): void {
  const rest = itemCount - reserved;
  if (rest <= 0) return;
  const decision = limiter().take(credential.keyId, rest, now);
  if (!decision.allowed) limiter().refund(credential.keyId, reserved, now);
  refuseUnlessAllowed(decision);
}
