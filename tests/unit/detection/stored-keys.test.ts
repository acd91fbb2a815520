import { describe, expect, it } from 'vitest';
import { LATE_ARRIVAL_GRACE_MS, MAX_ENTRIES, MAX_KEYS } from '@/lib/detection/keyed-windows';
import { StoredKeys, type StoredKey } from '@/lib/detection/stored-keys';
import { Xorshift32 } from '@/scripts/xorshift';

const WINDOW_MS = 300_000;

/** What KeyedWindowsDraft.finish keeps of a whole state, written out plainly: the oracle. */
function keptByFinish(all: Map<string, StoredKey>, now: number): Set<string> {
  const kept = [...all.values()].filter((key) => now - key.touchedAt <= WINDOW_MS + LATE_ARRIVAL_GRACE_MS);
  let entries = kept.reduce((sum, key) => sum + key.entries, 0);
  if (kept.length > MAX_KEYS || entries > MAX_ENTRIES) {
    kept.sort((a, b) => b.lastSeq - a.lastSeq);
    while (kept.length > MAX_KEYS * 0.9 || entries > MAX_ENTRIES * 0.9) entries -= kept.pop()!.entries;
  }
  return new Set(kept.map((key) => key.keyId));
}

describe('StoredKeys', () => {
  it('forgets, step after step, exactly the keys finish would forget of the whole state', () => {
    const random = new Xorshift32(7);
    const stored = new StoredKeys();
    const whole = new Map<string, StoredKey>();
    let seq = 0;
    let now = 1_000_000;
    let evictedByCap = 0;
    for (let step = 0; step < 40; step++) {
      // Mostly new keys (a flood), some old ones again, now and then a long pause that lets keys go quiet.
      now += step % 13 === 12 ? WINDOW_MS + LATE_ARRIVAL_GRACE_MS : 5_000;
      const touched = new Map<string, StoredKey>();
      for (let i = 0; i < 1500; i++) {
        const keyId = random.next() % 4 === 0 && seq > 0 ? `k${random.next() % seq}` : `k${seq + 1}`;
        seq += 1;
        touched.set(keyId, { keyId, lastSeq: seq, touchedAt: now, entries: 1 + (random.next() % 12), rowId: 0 });
      }
      const changed = [...touched.values()].sort((a, b) => a.lastSeq - b.lastSeq);
      for (const key of changed) whole.set(key.keyId, key);
      const expected = keptByFinish(whole, now);
      const forgotten = stored.toForget(changed, new Set(), now, WINDOW_MS);
      stored.apply(changed, forgotten);
      for (const keyId of [...whole.keys()]) if (!expected.has(keyId)) whole.delete(keyId);
      evictedByCap += forgotten.size;
      expect(new Set([...stored.values()].map((key) => key.keyId))).toEqual(expected);
    }
    expect(evictedByCap).toBeGreaterThan(10_000);
    expect(stored.size).toBeLessThanOrEqual(MAX_KEYS);
  }, 60_000);

  it('forgets a key its step dropped, and nothing else while under the caps', () => {
    const stored = new StoredKeys();
    const key = (keyId: string, lastSeq: number): StoredKey => ({ keyId, lastSeq, touchedAt: 1_000, entries: 1, rowId: lastSeq });
    stored.apply([key('a', 1), key('b', 2)], new Set());
    expect([...stored.toForget([key('c', 3)], new Set(['a']), 1_000, WINDOW_MS)]).toEqual(['a']);
  });
});
