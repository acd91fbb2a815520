import { keyIdOf, type AlertKey } from './alert-key';
import type { KeyWindow } from './key-window';

/**
 * The state of a windowed rule: one KeyWindow per key, the highest seq
 * evaluated, and the window its keys are kept for. Bounded three ways:
 * - a key nobody touched for its window plus LATE_ARRIVAL_GRACE_MS of engine
 *   clock is forgotten (its window has passed for events still arriving);
 * - each key keeps a rule-chosen number of entries (what its threshold needs);
 * - past MAX_KEYS keys or MAX_ENTRIES entries, the keys touched longest ago
 *   (lowest seq) go first, down to nine tenths of the cap.
 *
 * `windows` may hold only some keys: the engine keeps one row per key and
 * passes `lookup`, which fetches a stored key's window when an event touches
 * it (rule-state-cache.ts); tests and backtests hold every key in `windows`.
 */
export type KeyedWindowsState = { version: 3; groupBy: string; lastSeq: number; windowMs: number; windows: KeyWindow[]; lookup?: KeyLookup };

/** A stored key's window, or undefined when the rule holds nothing for that key. */
export type KeyLookup = (keyId: string) => KeyWindow | undefined;

/** What the caps and the forgetting read of a key. */
export type KeyStanding = { keyId: string; lastSeq: number; touchedAt: number; entries: number };

export const MAX_KEYS = 10_000;
export const MAX_ENTRIES = 100_000;
/**
 * How long after its window a key is kept, on the engine clock, for events
 * that arrive late. A backfill does not need it (its events touch their keys
 * as they arrive); it is for a reporter that sends the same key's events
 * minutes later than another one.
 */
export const LATE_ARRIVAL_GRACE_MS = 15 * 60_000;

export function emptyKeyedWindows(groupBy: string): KeyedWindowsState {
  return { version: 3, groupBy, lastSeq: 0, windowMs: 0, windows: [] };
}

/** The state to continue from: a fresh one when none was kept, it is of another version, or the grouping changed. */
export function keyedWindowsFrom(raw: unknown, groupBy: string): KeyedWindowsState {
  const state = raw as Partial<KeyedWindowsState> | undefined;
  const usable = state?.version === 3 && state.groupBy === groupBy && typeof state.lastSeq === 'number' && Array.isArray(state.windows);
  return usable ? (state as KeyedWindowsState) : emptyKeyedWindows(groupBy);
}

export function standingOf(window: KeyWindow): KeyStanding {
  return { keyId: window.keyId, lastSeq: window.lastSeq, touchedAt: window.touchedAt, entries: window.entries.length };
}

/**
 * A copy-on-write view of a KeyedWindowsState for one evaluation: the state
 * passed in is never changed. A key touched is copied once; its entries are
 * never changed in place (reporting replaces an entry), so the copy shares them.
 */
export class KeyedWindowsDraft {
  private readonly windows: Map<string, KeyWindow>;
  private readonly copied = new Set<string>();
  private lastSeq: number;

  constructor(private readonly base: KeyedWindowsState) {
    this.windows = new Map(base.windows.map((window) => [window.keyId, window]));
    this.lastSeq = base.lastSeq;
  }

  /**
   * Whether an event is new to this rule: above the highest seq of earlier
   * evaluations (a batch evaluated again counts once). Within one batch the
   * order of seqs does not matter; a seq seen twice is caught by holdsEvent.
   */
  admit(seq: number): boolean {
    if (seq <= this.base.lastSeq) return false;
    this.lastSeq = Math.max(this.lastSeq, seq);
    return true;
  }

  /** The key's window, ready to change; touching it marks it as used now. */
  touch(key: AlertKey, seq: number, now: number): KeyWindow {
    const keyId = keyIdOf(key);
    let window = this.windows.get(keyId) ?? this.base.lookup?.(keyId);
    if (!window) window = { keyId, key, entries: [], incidents: [], lastSeq: seq, touchedAt: now };
    else if (!this.copied.has(keyId)) window = { ...window, entries: window.entries.slice() };
    this.copied.add(keyId);
    window.lastSeq = seq;
    window.touchedAt = now;
    this.windows.set(keyId, window);
    return window;
  }

  /**
   * The state after this evaluation (the keys it holds), with the keys gone
   * quiet or over the caps forgotten. The engine's stored keys follow the same
   * rule, read off their order (stored-keys.ts), so both forget the same keys.
   */
  finish(now: number, windowMs: number): KeyedWindowsState {
    const kept = [...this.windows.values()].filter((window) => now - window.touchedAt <= windowMs + LATE_ARRIVAL_GRACE_MS);
    let entryCount = kept.reduce((sum, window) => sum + window.entries.length, 0);
    if (kept.length > MAX_KEYS || entryCount > MAX_ENTRIES) {
      kept.sort((a, b) => b.lastSeq - a.lastSeq);
      while (kept.length > MAX_KEYS * 0.9 || entryCount > MAX_ENTRIES * 0.9) entryCount -= kept.pop()!.entries.length;
    }
    return { version: 3, groupBy: this.base.groupBy, lastSeq: this.lastSeq, windowMs, windows: kept };
  }
}
