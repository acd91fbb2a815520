import { AuthwatchError } from '../errors';

/** One request's share of the bytes in flight: `charge` adds to it or refuses, `release` gives all of it back. */
export interface BodyBudget {
  charge(bytes: number): void;
  release(): void;
}

/**
 * Bounds the ingest body bytes held at once across all requests, from the
 * first byte read until the response (read, decompressed, prepared, waiting
 * for its commit): a thousand concurrent 1 MiB bodies must not grow the
 * process by gigabytes. A request that would pass the bound is answered 503
 * ERR_SERVER_BUSY with Retry-After before more of its body is read. A declared
 * Content-Length is charged up front, so the refusal comes before the upload.
 */
export class BytesInFlight {
  private total = 0;

  constructor(readonly limit: number) {}

  get held(): number {
    return this.total;
  }

  open(): BodyBudget {
    return new RequestShare(this);
  }

  /** Adds `bytes` to the total, or throws ERR_SERVER_BUSY if that would pass the limit. */
  take(bytes: number): void {
    if (this.total + bytes > this.limit) {
      throw new AuthwatchError('ERR_SERVER_BUSY', 'the server is receiving too much at once; retry shortly', { retryAfterSeconds: 1 });
    }
    this.total += bytes;
  }

  give(bytes: number): void {
    this.total -= bytes;
  }
}

/** One object per request (no closures): it is made on the ingest hot path. */
class RequestShare implements BodyBudget {
  private held = 0;

  constructor(private readonly pool: BytesInFlight) {}

  charge(bytes: number): void {
    this.pool.take(bytes);
    this.held += bytes;
  }

  release(): void {
    this.pool.give(this.held);
    this.held = 0;
  }
}
