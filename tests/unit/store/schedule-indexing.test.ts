import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_INDEXING, scheduleIndexing } from '@/lib/store/schedule-indexing';
import type { SqliteStore } from '@/lib/store/sqlite/sqlite-store';
import { NOW, createTempStore, eventRecord, type TempStore } from '@/tests/helpers/temp-store';

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('scheduleIndexing', () => {
  let temp: TempStore;
  let service: number;
  const storeMany = (count: number, prefix: string) =>
    temp.store.insertEvents(Array.from({ length: count }, (_, i) => eventRecord({ id: `${prefix}-${i}`, time: NOW + i, serviceId: service })));

  beforeEach(() => {
    temp = createTempStore();
    service = temp.store.addService('gateway', NOW).id;
  });
  afterEach(() => temp.remove());

  it('moves everything stored, in many short slices, and nothing once stopped', async () => {
    const slices: number[] = [];
    const store: SqliteStore = { ...temp.store, indexRecentEvents: (limit) => {
      const moved = temp.store.indexRecentEvents(limit);
      slices.push(moved);
      return moved;
    } };
    storeMany(3000, 'a');
    const stop = scheduleIndexing(store, { ...DEFAULT_INDEXING, sliceMs: 1, bulkSliceMs: 1, pollMs: 5, onError: (error) => { throw error; } });
    try {
      await eventually(() => slices.reduce((sum, moved) => sum + moved, 0) === 3000);
      expect(slices.filter((moved) => moved > 0).length).toBeGreaterThan(1);
      storeMany(10, 'b');
      await eventually(() => slices.reduce((sum, moved) => sum + moved, 0) === 3010);
    } finally {
      stop();
    }
    const movedBefore = slices.length;
    storeMany(10, 'c');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(slices.length).toBe(movedBefore);
    expect(temp.store.indexRecentEvents(100)).toBe(10);
    expect(temp.reader.countEvents({})).toBe(3020);
  });

  it('reports a failed slice and tries again', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const store: SqliteStore = { ...temp.store, indexRecentEvents: (limit) => {
      calls += 1;
      if (calls === 1) throw new Error('database is locked');
      return temp.store.indexRecentEvents(limit);
    } };
    storeMany(5, 'a');
    const stop = scheduleIndexing(store, { ...DEFAULT_INDEXING, pollMs: 5, retryMs: 5, onError: (error) => errors.push(error) });
    try {
      await eventually(() => calls >= 3);
      expect(errors).toHaveLength(1);
      expect(temp.store.indexRecentEvents(100)).toBe(0);
    } finally {
      stop();
    }
  });

  /** A store whose backlog starts at `backlog` and grows by `growth` each time it is read. */
  const fakeStore = (backlog: number, growth: number, limits: number[]) =>
    ({
      unindexedEventCount: () => (backlog += growth),
      indexRecentEvents: (limit: number) => {
        limits.push(limit);
        return 0;
      },
      indexText: () => false,
    }) as unknown as SqliteStore;

  it.each([
    ['short slices while events trickle in', 10_000, 1, 64],
    ['long slices when ingest is quiet', 10_000, 0, 1000],
    ['long slices once the backlog is past bulkBacklog, even during a burst', 200_000, 100_000, 1000],
  ])('takes %s', async (_what, backlog, growth, firstLimit) => {
    const limits: number[] = [];
    const stop = scheduleIndexing(fakeStore(backlog, growth, limits), { ...DEFAULT_INDEXING, onError: (error) => { throw error; } });
    try {
      await eventually(() => limits.length > 0);
      expect(limits[0]).toBe(firstLimit);
    } finally {
      stop();
    }
  });

  it('builds the text index only while the indexer is caught up, back to back once ingest is quiet', async () => {
    let behind = true;
    const textSteps: Array<{ budgetMs: number; quiet: boolean }> = [];
    const store = {
      unindexedEventCount: () => 0,
      indexRecentEvents: (limit: number) => (behind ? limit : 0),
      indexText: (options: { budgetMs: number; quiet: boolean }) => {
        textSteps.push(options);
        return textSteps.length < 20;
      },
    } as unknown as SqliteStore;
    const stop = scheduleIndexing(store, { ...DEFAULT_INDEXING, pollMs: 5, quietMs: 0, textStepMs: 3, onError: (error) => { throw error; } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(textSteps).toEqual([]);
      behind = false;
      await eventually(() => textSteps.length >= 20);
      expect(textSteps[0]).toEqual({ budgetMs: 3, quiet: true });
    } finally {
      stop();
    }
    const afterStop = textSteps.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(textSteps.length).toBe(afterStop);
  });

  it('leaves the CPU to ingest during a burst, once it has measured the arrival rate', async () => {
    const limits: number[] = [];
    const stop = scheduleIndexing(fakeStore(0, 500, limits), { ...DEFAULT_INDEXING, pollMs: 10, onError: (error) => { throw error; } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const afterFirstWindow = limits.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(limits.length).toBe(afterFirstWindow);
    } finally {
      stop();
    }
  });
});
