import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRetention } from '@/lib/retention/run-retention';
import { DAY, MINUTE, NOW, createTempStore, eventRecord, type TempStore } from '@/tests/helpers/temp-store';

describe('runRetention', () => {
  let temp: TempStore;
  let serviceId: number;
  const insertAt = (time: number, count: number, prefix: string) =>
    temp.store.insertEvents(Array.from({ length: count }, (_, i) => eventRecord({ id: `${prefix}-${i}`, time: time + i * MINUTE, serviceId })));
  const minuteRollups = () => temp.reader.bucketCounts({ since: 0, until: NOW + DAY, bucket: 'minute' });
  const rollupCount = () => minuteRollups().length;

  beforeEach(() => {
    temp = createTempStore();
    serviceId = temp.store.addService('gateway', NOW).id;
    insertAt(NOW - 40 * DAY, 7, 'old');
    insertAt(NOW - 31 * DAY, 5, 'older-than-30');
    insertAt(NOW - 29 * DAY, 3, 'kept');
    insertAt(NOW - MINUTE, 2, 'fresh');
  });
  afterEach(() => temp.remove());

  it('removes events past their retention over several chunks and keeps the rest', async () => {
    let checks = 0;
    const report = await runRetention({
      ctx: { store: temp.store, now: NOW },
      input: { eventDays: 30, rollupDays: 400, chunk: 3, shouldStop: () => ++checks < 0 },
    });
    expect(report).toEqual({ eventsDeleted: 12, rollupsDeleted: 0 });
    // 12 events in chunks of 3 take 4 deleting rounds, one empty round, then the rollup loop.
    expect(checks).toBeGreaterThanOrEqual(6);
    expect(temp.reader.countEvents({})).toBe(5);
    expect(temp.reader.countEvents({ until: NOW - 30 * DAY })).toBe(0);
  });

  it('keeps rollups for their own longer period', async () => {
    const report = await runRetention({ ctx: { store: temp.store, now: NOW }, input: { eventDays: 30, rollupDays: 35, chunk: 2 } });
    // Seven per-minute rollups of the 40-day-old events, and the hourly and the daily one that hold them.
    expect(report).toEqual({ eventsDeleted: 12, rollupsDeleted: 9 });
    expect(rollupCount()).toBe(10);
    expect(minuteRollups()[0].bucket).toBe(NOW - 31 * DAY);
  });

  it('does nothing when nothing is past retention', async () => {
    const report = await runRetention({ ctx: { store: temp.store, now: NOW }, input: { eventDays: 365, rollupDays: 400, chunk: 100 } });
    expect(report).toEqual({ eventsDeleted: 0, rollupsDeleted: 0 });
    expect(temp.reader.countEvents({})).toBe(17);
  });

  it('stops between chunks when asked to', async () => {
    let checks = 0;
    const report = await runRetention({
      ctx: { store: temp.store, now: NOW },
      input: { eventDays: 30, rollupDays: 35, chunk: 3, shouldStop: () => ++checks > 2 },
    });
    expect(report).toEqual({ eventsDeleted: 6, rollupsDeleted: 0 });
    expect(temp.reader.countEvents({})).toBe(11);
    expect(rollupCount()).toBe(17);
  });

  it('deletes nothing when asked to stop before it starts', async () => {
    const report = await runRetention({
      ctx: { store: temp.store, now: NOW },
      input: { eventDays: 1, rollupDays: 1, chunk: 3, shouldStop: () => true },
    });
    expect(report).toEqual({ eventsDeleted: 0, rollupsDeleted: 0 });
    expect(temp.reader.countEvents({})).toBe(17);
  });
});
