import { keyIdOf, type AlertKey } from './alert-key';
import type { KeyWindow } from './key-window';

/**
 * The state of a windowed rule: one KeyWindow per key, and the highest seq
 * evaluated. Bounded three ways:
 * - a key nobody touched for its window plus LATE_ARRIVAL_GRACE_MS of engine
 *   clock is forgotten (its window has passed for events still arriving);
 * - each key keeps a rule-chosen number of entries (what its threshold needs);
 * - past MAX_KEYS keys or MAX_ENTRIES entries, the keys touched longest ago
 *   (lowest seq) go first, down to nine tenths of the cap.
 */
export type KeyedWindowsState = { version: 1; groupBy: string; lastSeq: number; keys: Record<string, KeyWindow> };

export const MAX_KEYS = 10_000;
export const MAX_ENTRIES = 100_000;
/** How long after its window a key is kept for events that arrive late. */
export const LATE_ARRIVAL_GRACE_MS = 3_600_000;

export function emptyKeyedWindows(groupBy: string): KeyedWindowsState {
  return { version: 1, groupBy, lastSeq: 0, keys: {} };
}

/** The state to continue from: a fresh one when none was kept, it is of another version, or the grouping changed. */
export function keyedWindowsFrom(raw: unknown, groupBy: string): KeyedWindowsState {
  const state = raw as Partial<KeyedWindowsState> | undefined;
  const usable = state?.version === 1 && state.groupBy === groupBy && typeof state.lastSeq === 'number' && typeof state.keys === 'object';
  return usable ? (state as KeyedWindowsState) : emptyKeyedWindows(groupBy);
}

function cloneWindow(window: KeyWindow): KeyWindow {
  return {
    key: window.key,
    entries: window.entries.map((entry) => ({ ...entry })),
    incidents: window.incidents.map(([from, to]): [number, number] => [from, to]),
    lastSeq: window.lastSeq,
    touchedAt: window.touchedAt,
  };
}

/**
 * A copy-on-write view of a KeyedWindowsState for one evaluation: the state
 * passed in is never changed; each key touched is copied once.
 */
export class KeyedWindowsDraft {
  private readonly keys: Record<string, KeyWindow>;
  private readonly copied = new Set<string>();
  lastSeq: number;

  constructor(private readonly base: KeyedWindowsState) {
    this.keys = { ...base.keys };
    this.lastSeq = base.lastSeq;
  }

  /** The key's window, ready to change; touching it marks it as used now. */
  touch(key: AlertKey, seq: number, now: number): { keyId: string; window: KeyWindow } {
    const keyId = keyIdOf(key);
    let window = Object.hasOwn(this.keys, keyId) ? this.keys[keyId] : undefined;
    if (!window) window = { key, entries: [], incidents: [], lastSeq: seq, touchedAt: now };
    else if (!this.copied.has(keyId)) window = cloneWindow(window);
    this.copied.add(keyId);
    window.lastSeq = seq;
    window.touchedAt = now;
    this.keys[keyId] = window;
    return { keyId, window };
  }

  /** The state after this evaluation, with the keys gone quiet or over the caps forgotten. */
  finish(now: number, windowMs: number): KeyedWindowsState {
    const keys = this.keys;
    let entryCount = 0;
    for (const keyId of Object.keys(keys)) {
      if (now - keys[keyId].touchedAt > windowMs + LATE_ARRIVAL_GRACE_MS) delete keys[keyId];
      else entryCount += keys[keyId].entries.length;
    }
    const keyIds = Object.keys(keys);
    if (keyIds.length > MAX_KEYS || entryCount > MAX_ENTRIES) {
      keyIds.sort((a, b) => keys[a].lastSeq - keys[b].lastSeq);
      let keyCount = keyIds.length;
      for (const keyId of keyIds) {
        if (keyCount <= MAX_KEYS * 0.9 && entryCount <= MAX_ENTRIES * 0.9) break;
        entryCount -= keys[keyId].entries.length;
        keyCount -= 1;
        delete keys[keyId];
      }
    }
    return { version: 1, groupBy: this.base.groupBy, lastSeq: this.lastSeq, keys };
  }
}
