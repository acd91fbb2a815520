import { AuthwatchError } from '../errors';

/** One request's share of the bytes in flight: `charge` adds to it or refuses, `release` gives all of it back. */
export type BodyBudget = { charge(bytes: number): void; release(): void };

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
    let mine = 0;
    return {
      charge: (bytes) => {
        if (this.total + bytes > this.limit) {
          throw new AuthwatchError('ERR_SERVER_BUSY', 'the server is receiving too much at once; retry shortly', { retryAfterSeconds: 1 });
        }
        this.total += bytes;
        mine += bytes;
      },
      release: () => {
        this.total -= mine;
        mine = 0;
      },
    };
  }
}
