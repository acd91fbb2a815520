import 'server-only';
import type { IngestCredential } from '../auth/authenticate-ingest';
import { getCore } from '../core';
import { AuthwatchError } from '../errors';
import type { RateDecision, TokenBuckets } from './rate-limiter';

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
 * Refuses a request with 429 before its events are prepared when its credential
 * could not send even one more event: a flood from an over-rate (or stolen)
 * credential then costs no parsing or validation.
 */
export function refuseIfRateExhausted(credential: IngestCredential, now: number): void {
  refuseUnlessAllowed(limiter().check(credential.keyId, 1, now));
}

/** Charges a request's events to its credential's bucket, or refuses it with 429 and Retry-After. */
export function enforceIngestRate(credential: IngestCredential, eventCount: number, now: number): void {
  refuseUnlessAllowed(limiter().take(credential.keyId, eventCount, now));
}
