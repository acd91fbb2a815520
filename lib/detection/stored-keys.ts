import { LATE_ARRIVAL_GRACE_MS, MAX_ENTRIES, MAX_KEYS, type KeyStanding } from './keyed-windows';

/** A stored key's standing, and the row that holds its window. */
export type StoredKey = KeyStanding & { rowId: number };

/**
 * Every stored key of one rule, stalest first, with their entry count. A key
 * moves to the end when a step changes it; its seq and engine time both grow
 * step by step, so the head holds the keys touched longest ago by either.
 * What to forget is then read off the head, in time proportional to what is
 * forgotten, not to the keys held: the same keys KeyedWindowsDraft.finish
 * picks over a whole state (quiet ones first, then the stalest past either cap).
 */
export class StoredKeys {
  private readonly keys = new Map<string, StoredKey>();
  private entries = 0;

  get size(): number {
    return this.keys.size;
  }

  get(keyId: string): StoredKey | undefined {
    return this.keys.get(keyId);
  }

  values(): IterableIterator<StoredKey> {
    return this.keys.values();
  }

  /** Adds a key at the end (the freshest), replacing its earlier standing. */
  add(key: StoredKey): void {
    this.remove(key.keyId);
    this.keys.set(key.keyId, key);
    this.entries += key.entries;
  }

  remove(keyId: string): void {
    const stored = this.keys.get(keyId);
    if (!stored) return;
    this.keys.delete(keyId);
    this.entries -= stored.entries;
  }

  /**
   * The keys to forget after a step that changed `changed` (in ascending seq)
   * and dropped `dropped` (which it forgets too), at engine time `now`.
   */
  toForget(changed: readonly StoredKey[], dropped: ReadonlySet<string>, now: number, windowMs: number): Set<string> {
    const changedIds = new Set(changed.map((key) => key.keyId));
    let keyCount = this.keys.size;
    let entryCount = this.entries;
    for (const keyId of dropped) {
      const stored = this.keys.get(keyId);
      if (stored) [keyCount, entryCount] = [keyCount - 1, entryCount - stored.entries];
    }
    for (const key of changed) {
      const stored = this.keys.get(key.keyId);
      if (stored) entryCount += key.entries - stored.entries;
      else [keyCount, entryCount] = [keyCount + 1, entryCount + key.entries];
    }
    const forgotten = new Set(dropped);
    const stalest = this.stalestFirst(changed, changedIds, dropped);
    let next = stalest.next();
    const forget = () => {
      forgotten.add(next.value!.keyId);
      [keyCount, entryCount] = [keyCount - 1, entryCount - next.value!.entries];
      next = stalest.next();
    };
    const quietBefore = now - windowMs - LATE_ARRIVAL_GRACE_MS;
    while (!next.done && next.value.touchedAt < quietBefore) forget();
    if (keyCount > MAX_KEYS || entryCount > MAX_ENTRIES) {
      while (!next.done && (keyCount > MAX_KEYS * 0.9 || entryCount > MAX_ENTRIES * 0.9)) forget();
    }
    return forgotten;
  }

  /** After the step's commit: its changed keys at the end, its forgotten ones gone. */
  apply(changed: readonly StoredKey[], forgotten: ReadonlySet<string>): void {
    for (const keyId of forgotten) this.remove(keyId);
    for (const key of changed) if (!forgotten.has(key.keyId)) this.add(key);
  }

  private *stalestFirst(changed: readonly StoredKey[], changedIds: ReadonlySet<string>, dropped: ReadonlySet<string>): Generator<StoredKey, void> {
    for (const [keyId, key] of this.keys) if (!changedIds.has(keyId) && !dropped.has(keyId)) yield key;
    yield* changed;
  }
}
