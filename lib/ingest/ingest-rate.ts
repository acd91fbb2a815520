import 'server-only';
import type { IngestCredential } from '../auth/authenticate-ingest';
import { getConfig } from '../config';
import { AuthwatchError } from '../errors';
import { TokenBuckets } from './rate-limiter';

const LIMITER_KEY = Symbol.for('authwatch.ingest.limiter');
type WithLimiter = typeof globalThis & { [LIMITER_KEY]?: TokenBuckets };

function limiter(): TokenBuckets {
  const holder = globalThis as WithLimiter;
  const config = getConfig();
  holder[LIMITER_KEY] ??= new TokenBuckets(config.AUTHWATCH_INGEST_RATE, config.AUTHWATCH_INGEST_BURST);
  return holder[LIMITER_KEY];
}

/** Charges a request's events to its credential's bucket, or refuses it with 429 and Retry-After. */
export function enforceIngestRate(credential: IngestCredential, eventCount: number, now: number): void {
  const decision = limiter().take(credential.keyId, eventCount, now);
  if (!decision.allowed) {
    throw new AuthwatchError('ERR_RATE_LIMITED', 'this credential is sending faster than its ingest rate', {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
}
