import 'server-only';
import type { Context } from '../context';
import { onShutdown } from '../lifecycle';
import { log } from '../log';
import type { Store } from '../store/store';

/**
 * When each ingest key was last used, for rotation ("is the old key still
 * sent?"). The ingest path only notes a use in memory, a Map write; a timer
 * writes the newest uses once a minute, and once more at shutdown, so ingest
 * never waits for a database write of its own. Kept on globalThis: the ingest
 * fast path and Next's routes are separate bundles and must share one record.
 */
const FLUSH_INTERVAL_MS = 60_000;
const USAGE_KEY = Symbol.for('authwatch.ingest-key-usage');
type Usage = { pending: Map<string, number>; store: Store; timer: NodeJS.Timeout };
type WithUsage = typeof globalThis & { [USAGE_KEY]?: Usage };

function flush(usage: Usage): void {
  if (usage.pending.size === 0) return;
  const uses = usage.pending;
  usage.pending = new Map();
  try {
    usage.store.accounts.recordIngestKeyUses(uses);
  } catch {
    // Busy or closing: keep the uses for the next flush, unless newer ones replaced them.
    for (const [id, at] of uses) if (!usage.pending.has(id)) usage.pending.set(id, at);
    log.warn('could not record ingest key use; will retry', {});
  }
}

export function noteIngestKeyUse(store: Store, keyId: string, now: number): void {
  const holder = globalThis as WithUsage;
  let usage = holder[USAGE_KEY];
  if (!usage) {
    const created: Usage = { pending: new Map(), store, timer: setInterval(() => flush(created), FLUSH_INTERVAL_MS).unref() };
    holder[USAGE_KEY] = usage = created;
    onShutdown('ingest-key-usage', () => {
      clearInterval(created.timer);
      flush(created);
      delete holder[USAGE_KEY];
    });
  }
  usage.store = store;
  usage.pending.set(keyId, now);
}

/** Last use of every key: what was written, updated by what this process saw since. */
export function ingestKeyLastUses(ctx: Context): Map<string, number> {
  const uses = ctx.store.accounts.ingestKeyLastUses();
  for (const [id, at] of (globalThis as WithUsage)[USAGE_KEY]?.pending ?? []) uses.set(id, Math.max(at, uses.get(id) ?? 0));
  return uses;
}
