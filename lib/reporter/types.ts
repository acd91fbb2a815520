import type { Event } from '../events/schema';

/**
 * The reporter's public types. The event is authwatch's format v1 (PRODUCT.md)
 * as a TypeScript type only: the reporter carries no validation library at run
 * time, authwatch validates and answers per event.
 */
export type ReportedEvent = Omit<Event, 'id' | 'time' | 'service'> & {
  /** Defaults to a random UUID, chosen once, so every retry resends the same id. */
  id?: string;
  /** Defaults to the moment `report` is called. */
  time?: Date | string;
};

export type ReporterOptions = {
  /** authwatch's base URL, e.g. `https://authwatch.internal`; events go to `/api/v1/events`. */
  url: string;
  /** An ingest key bound to `service` (`npx authwatch keys create SERVICE`). */
  key: string;
  service: string;
  /** Events per request, 1–1,000 (authwatch's cap). Default 100. */
  batchSize?: number;
  /** Longest an event waits for its batch to fill. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** Most events held (waiting or in flight); past it new events are dropped. Default 10,000. */
  maxQueueEvents?: number;
  /** Most bytes held, counted as serialised JSON. Default 8 MiB. */
  maxQueueBytes?: number;
  /** Largest single event; bigger ones are dropped at `report`. Default 64 KiB. */
  maxEventBytes?: number;
  /** Largest request body, at most 1,000,000 bytes (under authwatch's 1 MiB cap). Default 512 KiB. */
  maxBatchBytes?: number;
  requestTimeoutMs?: number;
  /** First retry delay and the cap of the exponential backoff. Defaults 250 ms and 10 s. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** A `Retry-After` longer than this is cut to it, so a bad header cannot stall the reporter. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Called with the ids authwatch acknowledged (stored or recognised as duplicates). */
  onAcknowledged?: (ids: readonly string[]) => void;
  /** Called on every problem: a failed attempt (to be retried), rejected or dropped events. Never throws into the caller. */
  onError?: (problem: ReporterProblem) => void;
  /** Source of jitter, 0 ≤ x < 1. Default `Math.random`. */
  random?: () => number;
};

export type DropReason = 'queue_full' | 'too_large' | 'unserialisable' | 'closed' | 'rejected';

export type ReporterProblem =
  | { kind: 'retrying'; attempt: number; delayMs: number; status?: number; message: string }
  | { kind: 'rejected'; status: number; ids: readonly string[]; codes: readonly string[] }
  | { kind: 'dropped'; reason: Exclude<DropReason, 'rejected'>; id: string };

export type ReporterStats = {
  /** Events accepted by `report`. */
  reported: number;
  /** Acknowledged by authwatch: stored, or duplicates of a stored event. */
  acknowledged: number;
  duplicates: number;
  /** Events lost, by reason; `rejected` means authwatch refused them (invalid, or a non-retryable 4xx). */
  dropped: Record<DropReason, number>;
  /** Held now, waiting or in flight. */
  pending: number;
  /** Failed attempts that were retried. */
  retries: number;
};

export type Reporter = {
  /** Queues one event; returns its id, or `undefined` if it was dropped. Never throws, never blocks. */
  report(event: ReportedEvent): string | undefined;
  /** Sends everything queued without waiting for a batch to fill; resolves `true` once the queue is empty, `false` at the timeout. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Stops accepting events, flushes for at most `timeoutMs` (default 5 s), stops its timers. */
  close(timeoutMs?: number): Promise<ReporterStats>;
  stats(): ReporterStats;
};
