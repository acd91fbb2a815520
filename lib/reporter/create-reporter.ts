import { randomUUID } from 'node:crypto';
import { BoundedQueue } from './bounded-queue';
import { retryDelay, type BackoffSettings } from './retry-policy';
import { sendBatch, type BatchResult } from './send-batch';
import type { DropReason, ReportedEvent, Reporter, ReporterOptions, ReporterProblem, ReporterStats } from './types';

/**
 * Reports security events to authwatch from a Node service: batches them,
 * holds a bounded number while authwatch is unreachable, retries with backoff
 * and jitter (honouring `Retry-After`), and gives each event an id once so a
 * retry is recognised as a duplicate instead of being stored twice.
 * One request is in flight at a time, so events arrive in the order reported.
 */
type Queued = { id: string; json: string };

export function createReporter(options: ReporterOptions): Reporter {
  const settings = resolveOptions(options);
  const queue = new BoundedQueue<Queued>(settings.maxQueueEvents, settings.maxQueueBytes);
  const counts = { reported: 0, acknowledged: 0, duplicates: 0, retries: 0 };
  const dropped: Record<DropReason, number> = { queue_full: 0, too_large: 0, unserialisable: 0, closed: 0, rejected: 0 };
  const abort = new AbortController();
  const emptied = new Set<() => void>();
  let closed = false;
  let sending = false;
  let backingOff = false;
  let attempt = 0;
  let flushers = 0;
  let timer: NodeJS.Timeout | undefined;

  const notify = (problem: ReporterProblem) => {
    try {
      options.onError?.(problem);
    } catch {
      // A faulty callback must not break reporting.
    }
  };
  const drop = (reason: Exclude<DropReason, 'rejected'>, id: string): undefined => {
    dropped[reason]++;
    notify({ kind: 'dropped', reason, id });
    return undefined;
  };
  const setTimer = (ms: number, run: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      run();
    }, ms);
    // Idle reporting never keeps a process alive; a flush in progress does.
    if (flushers === 0) timer.unref();
  };

  function schedule(): void {
    if (sending || backingOff || queue.size === 0 || abort.signal.aborted) return;
    if (queue.size >= settings.batchSize || flushers > 0) void sendNext();
    else if (timer === undefined) setTimer(settings.flushIntervalMs, () => void sendNext());
  }

  async function sendNext(): Promise<void> {
    if (sending || queue.size === 0) return;
    clearTimeout(timer);
    timer = undefined;
    sending = true;
    const batch = queue.peek(settings.batchSize, settings.maxBatchBytes - 1);
    const result = await sendBatch(
      batch.map((item) => item.json),
      { endpoint: settings.endpoint, key: options.key, timeoutMs: settings.requestTimeoutMs, signal: abort.signal },
    );
    sending = false;
    if (abort.signal.aborted) return;
    if (result.outcome === 'retry') {
      attempt++;
      counts.retries++;
      const delayMs = retryDelay(attempt, result.retryAfterMs, settings.backoff, settings.random);
      notify({ kind: 'retrying', attempt, delayMs, status: result.status, message: result.message });
      backingOff = true;
      setTimer(delayMs, () => {
        backingOff = false;
        void sendNext();
      });
      return;
    }
    attempt = 0;
    queue.shift(batch.length);
    settle(batch, result);
    if (queue.size === 0) for (const resolve of emptied) resolve();
    schedule();
  }

  function settle(batch: readonly Queued[], result: BatchResult): void {
    if (result.outcome === 'refused') {
      dropped.rejected += batch.length;
      notify({ kind: 'rejected', status: result.status, ids: batch.map((item) => item.id), codes: [result.message] });
      return;
    }
    const rejected = new Map((result.rejected ?? []).map((item) => [item.index, item.code]));
    if (rejected.size > 0) {
      dropped.rejected += rejected.size;
      const ids = [...rejected.keys()].map((index) => batch[index]?.id ?? `#${index}`);
      notify({ kind: 'rejected', status: 200, ids, codes: [...rejected.values()] });
    }
    const acknowledged = batch.filter((_, index) => !rejected.has(index)).map((item) => item.id);
    counts.acknowledged += acknowledged.length;
    counts.duplicates += result.duplicates ?? 0;
    if (acknowledged.length === 0) return;
    try {
      options.onAcknowledged?.(acknowledged);
    } catch {
      // As with onError: the caller's bookkeeping must not stop delivery.
    }
  }

  function report(event: ReportedEvent): string | undefined {
    const id = event.id ?? randomUUID();
    if (closed) return drop('closed', id);
    const time = event.time instanceof Date ? event.time.toISOString() : (event.time ?? new Date().toISOString());
    let json: string;
    try {
      json = JSON.stringify({ ...event, id, time, service: options.service });
    } catch {
      return drop('unserialisable', id);
    }
    const bytes = Buffer.byteLength(json);
    if (bytes > settings.maxEventBytes) return drop('too_large', id);
    // Each event costs its comma in the JSON array body, which `[` and `]` close: body = 1 + Σ(bytes + 1).
    if (!queue.push({ id, json }, bytes + 1)) return drop('queue_full', id);
    counts.reported++;
    schedule();
    return id;
  }

  async function flush(timeoutMs = 5_000): Promise<boolean> {
    if (queue.size === 0) return true;
    flushers++;
    timer?.ref();
    try {
      return await new Promise<boolean>((resolve) => {
        const done = (empty: boolean) => {
          clearTimeout(deadline);
          emptied.delete(onEmpty);
          resolve(empty);
        };
        const onEmpty = () => done(true);
        const deadline = setTimeout(() => done(false), timeoutMs);
        emptied.add(onEmpty);
        schedule();
      });
    } finally {
      flushers--;
    }
  }

  const stats = (): ReporterStats => ({ ...counts, dropped: { ...dropped }, pending: queue.size });

  return {
    report,
    flush,
    stats,
    close: async (timeoutMs = 5_000) => {
      closed = true;
      await flush(timeoutMs);
      abort.abort();
      clearTimeout(timer);
      return stats();
    },
  };
}

type Settings = {
  endpoint: string;
  batchSize: number;
  flushIntervalMs: number;
  maxQueueEvents: number;
  maxQueueBytes: number;
  maxEventBytes: number;
  maxBatchBytes: number;
  requestTimeoutMs: number;
  backoff: BackoffSettings;
  random: () => number;
};

function resolveOptions(options: ReporterOptions): Settings {
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('reporter url must be http(s)');
  if (!options.key) throw new TypeError('reporter needs an ingest key');
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(options.service)) throw new TypeError('reporter service must match [a-z0-9][a-z0-9._-]{0,62}');
  const positive = (value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER) => {
    const chosen = value ?? fallback;
    if (!Number.isFinite(chosen) || chosen <= 0 || chosen > max) throw new TypeError(`reporter option out of range: ${chosen}`);
    return chosen;
  };
  return {
    endpoint: `${options.url.replace(/\/+$/, '')}/api/v1/events`,
    batchSize: Math.floor(positive(options.batchSize, 100, 1_000)),
    flushIntervalMs: positive(options.flushIntervalMs, 1_000),
    maxQueueEvents: positive(options.maxQueueEvents, 10_000),
    maxQueueBytes: positive(options.maxQueueBytes, 8 * 1024 * 1024),
    maxEventBytes: positive(options.maxEventBytes, 64 * 1024),
    maxBatchBytes: positive(options.maxBatchBytes, 512 * 1024, 1_000_000),
    requestTimeoutMs: positive(options.requestTimeoutMs, 10_000),
    backoff: {
      initialMs: positive(options.backoffInitialMs, 250),
      maxMs: positive(options.backoffMaxMs, 10_000),
      maxRetryAfterMs: positive(options.maxRetryAfterMs, 60_000),
    },
    random: options.random ?? Math.random,
  };
}
