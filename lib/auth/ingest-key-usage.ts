import 'server-only';
import type { Context } from '../context';
import { getCore } from '../core';
import { log } from '../log';
import type { Store } from '../store/store';

/**
 * When each ingest key was last used, for rotation ("is the old key still
 * sent?"). The ingest path only notes a use in memory, a Map write; a timer
 * writes the newest uses once a minute, and once more at shutdown, so ingest
 * never waits for a database write of its own. One per process, in the core
 * (lib/core.ts): the ingest fast path and Next's routes must share it.
 */
const FLUSH_INTERVAL_MS = 60_000;

export class IngestKeyUsage {
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  /** The store the uses were noted with: the one the flush writes to. */
  private store: Store | undefined;

  constructor() {
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  note(store: Store, keyId: string, now: number): void {
    this.store = store;
    this.pending.set(keyId, now);
  }

  /** Last use of every key: what was written, updated by what this process saw since. */
  lastUses(store: Store): Map<string, number> {
    const uses = store.accounts.ingestKeyLastUses();
    for (const [id, at] of this.pending) uses.set(id, Math.max(at, uses.get(id) ?? 0));
    return uses;
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private flush(): void {
    if (this.pending.size === 0 || !this.store) return;
    const uses = this.pending;
    this.pending = new Map();
    try {
      this.store.accounts.recordIngestKeyUses(uses);
    } catch {
      // Busy or closing: keep the uses for the next flush, unless newer ones replaced them.
      for (const [id, at] of uses) if (!this.pending.has(id)) this.pending.set(id, at);
      log.warn('could not record ingest key use; will retry', {});
    }
  }
}

export function noteIngestKeyUse(store: Store, keyId: string, now: number): void {
  getCore().ingestKeyUsage.note(store, keyId, now);
}

/** Last use of every key, as `IngestKeyUsage.lastUses` gives it. */
export function ingestKeyLastUses(ctx: Context): Map<string, number> {
  return getCore().ingestKeyUsage.lastUses(ctx.store);
}
