import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AggregateQueries } from '@/lib/store/sqlite/aggregate-queries';
import { PartitionCatalog } from '@/lib/store/sqlite/partition-catalog';
import { hourRanges } from '@/lib/store/sqlite/top-value-queries';
import { SUMMARY_TOP_K } from '@/lib/store/sqlite/value-summaries';
import type { EventRecord } from '@/lib/store/store';
import { DAY, HOUR, NOW, createTempStore, eventRecord, openRawDatabase, queryPlan, recordingPrepares, type TempStore } from '@/tests/helpers/temp-store';

// NOW (2026-11-28T12:00Z) is days before the real clock, so every day here is closed and the
// indexer summarizes it when idle (one day per idle call).
const DAY_A = Math.floor(NOW / DAY) - 2;
const DAY_B = DAY_A + 1;
const startOf = (day: number) => day * DAY;

describe('daily rollups and day summaries of the failure value counts', () => {
  let temp: TempStore;
  let gateway: number;
  let sequence = 0;
  const failure = (time: number, ip: string, extra: Partial<EventRecord> = {}) =>
    eventRecord({ id: `e${sequence++}`, time, serviceId: gateway, type: 2, reason: 1, ip, ...extra });
  /** Moves every recent event, then lets the idle indexer summarize the closed days. */
  const indexAndSummarize = () => {
    while (temp.store.indexRecentEvents(1000) > 0);
    for (let pass = 0; pass < 5; pass++) temp.store.indexRecentEvents(1000);
  };
  const summarizedDays = () => {
    const raw = openRawDatabase(temp.file);
    try {
      return raw.prepare('SELECT DISTINCT day FROM event_failure_days ORDER BY day').pluck().all();
    } finally {
      raw.close();
    }
  };

  beforeEach(() => {
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW).id;
    const events: EventRecord[] = [];
    // Day A: SUMMARY_TOP_K fillers with 2 failures each, then 'left out' with 1: the summary keeps
    // the fillers and bounds anything else at 1.
    for (let index = 0; index < SUMMARY_TOP_K; index++) {
      const ip = `10.0.${index >> 8}.${index & 255}`;
      events.push(failure(startOf(DAY_A) + HOUR + index, ip), failure(startOf(DAY_A) + 2 * HOUR + index, ip));
    }
    events.push(failure(startOf(DAY_A) + 3 * HOUR, '192.0.2.1'));
    // Day B: 'left out' again (4 failures), the busiest address of both days (6 + 4), and a success that is never counted.
    for (let index = 0; index < 4; index++) events.push(failure(startOf(DAY_B) + index * HOUR, '192.0.2.1'));
    for (let index = 0; index < 6; index++) events.push(failure(startOf(DAY_B) + 5 * HOUR + index, '198.51.100.9', { username: 'root' }));
    for (let index = 0; index < 4; index++) events.push(failure(startOf(DAY_A) + 5 * HOUR + index, '198.51.100.9', { username: 'root' }));
    events.push(eventRecord({ id: 'success', time: startOf(DAY_B) + HOUR, serviceId: gateway, type: 1, ip: '203.0.113.200', username: 'alice' }));
    temp.store.insertEvents(events);
    indexAndSummarize();
  });
  afterEach(() => temp.remove());

  const top = (since: number, until: number, limit: number) => temp.reader.topValues({ field: 'ip', since, until, limit, failuresOnly: true });

  it('summarizes each closed day once the indexer is idle', () => {
    expect(summarizedDays()).toEqual([DAY_A, DAY_B]);
  });

  it('ranks whole summarized days exactly when no value left out could reach the list', () => {
    expect(top(startOf(DAY_A), startOf(DAY_B + 1), 1)).toEqual({ values: [{ value: '198.51.100.9', count: 10, margin: 0 }], exact: true });
  });

  it('gives a value absent from one day summary its lower count and that day bound as margin, and says the list is not exact', () => {
    const list = top(startOf(DAY_A), startOf(DAY_B + 1), 2);
    // True count 5: 4 on day B (kept) and 1 on day A, left out there and bounded by day A's 201st
    // count: 2, a filler's (the busiest address took one of the 200 places).
    expect(list.values[1]).toEqual({ value: '192.0.2.1', count: 4, margin: 2 });
    expect(list.exact).toBe(false);
  });

  it('counts exactly when the range edges fall inside a summarized day (those hours come from the hourly counts and the events)', () => {
    // One millisecond into day A: day A is read by the hour and, for its first hour, from the events.
    expect(top(startOf(DAY_A) + 1, startOf(DAY_B + 1), 2)).toEqual({
      values: [
        { value: '198.51.100.9', count: 10, margin: 0 },
        { value: '192.0.2.1', count: 5, margin: 0 },
      ],
      exact: true,
    });
    // Ending one millisecond after the last of 'left out's day B failures (at 03:00): 1 + 4, exact.
    expect(top(startOf(DAY_A) + 1, startOf(DAY_B) + 3 * HOUR + 1, 2).values).toContainEqual({ value: '192.0.2.1', count: 5, margin: 0 });
    // And ending at 03:00 itself, which leaves that one out.
    expect(top(startOf(DAY_A) + 1, startOf(DAY_B) + 3 * HOUR, 2).values).toContainEqual({ value: '192.0.2.1', count: 4, margin: 0 });
  });

  it('counts failures only: a success leaves no value behind', () => {
    const all = [...top(startOf(DAY_A), startOf(DAY_B + 1), 1000).values, ...top(startOf(DAY_B), startOf(DAY_B) + 2 * HOUR, 1000).values];
    expect(all.map((row) => row.value)).not.toContain('203.0.113.200');
    expect(temp.reader.topValues({ field: 'username', since: startOf(DAY_A), until: startOf(DAY_B + 1), limit: 5, failuresOnly: true }).values).toEqual([
      { value: 'root', count: 10, margin: 0 },
    ]);
  });

  it('drops a day summary when a late event of that day is indexed, then builds it again', () => {
    temp.store.insertEvents([failure(startOf(DAY_A) + 20 * HOUR, '192.0.2.1'), failure(startOf(DAY_A) + 21 * HOUR, '192.0.2.1')]);
    while (temp.store.indexRecentEvents(1000) > 0);
    // The move dropped day A's summary; the idle call that ended the loop built it again from the hourly counts.
    expect(summarizedDays()).toEqual([DAY_A, DAY_B]);
    // Now 3 on day A, which the rebuilt summary keeps (above the fillers' 2), and 4 on day B: exact.
    expect(top(startOf(DAY_A), startOf(DAY_B + 1), 2).values[1]).toEqual({ value: '192.0.2.1', count: 7, margin: 0 });
  });

  it('counts days exactly to the millisecond: whole days from the daily rollups, edges from finer rollups and the events', () => {
    const edges = [
      [startOf(DAY_A), startOf(DAY_B + 1)],
      [startOf(DAY_A) + HOUR + 150, startOf(DAY_B) + 5 * HOUR + 3],
      [startOf(DAY_A) - 30 * DAY, startOf(DAY_B) + 3 * HOUR + 1],
    ] as const;
    for (const [since, until] of edges) {
      const expected = temp.reader.countEvents({ since, until });
      for (const bucket of ['minute', 'hour', 'day'] as const) {
        expect(temp.reader.bucketCounts({ since, until, bucket }).reduce((sum, row) => sum + row.count, 0)).toBe(expected);
      }
    }
    expect(temp.reader.bucketCounts({ since: startOf(DAY_A), until: startOf(DAY_B + 1), bucket: 'day', types: [2] }).map((row) => [row.bucket, row.count])).toEqual([
      [startOf(DAY_A), 2 * SUMMARY_TOP_K + 1 + 4],
      [startOf(DAY_B), 10],
    ]);
  });

  it('sums over services and reasons in SQL when asked by type, to the same totals per bucket and type', () => {
    temp.store.insertEvents([failure(startOf(DAY_B) + 2 * HOUR + 7, '192.0.2.9', { reason: 2 }), eventRecord({ id: 'ok', time: startOf(DAY_B) + 2 * HOUR + 9, serviceId: gateway, type: 1 })]);
    const since = startOf(DAY_A) + HOUR + 150;
    const until = startOf(DAY_B) + 5 * HOUR + 3;
    for (const bucket of ['minute', 'hour', 'day'] as const) {
      const full = new Map<string, number>();
      for (const row of temp.reader.bucketCounts({ since, until, bucket })) full.set(`${row.bucket}:${row.type}`, (full.get(`${row.bucket}:${row.type}`) ?? 0) + row.count);
      const byType = temp.reader.bucketCounts({ since, until, bucket, by: 'type' });
      expect(byType.every((row) => row.serviceId === 0 && row.reason === null)).toBe(true);
      expect(new Map(byType.map((row) => [`${row.bucket}:${row.type}`, row.count]))).toEqual(full);
      expect(byType.length).toBe(full.size);
    }
  });

  it('reads whole days from the daily rollups (a late event of a summarized day still counts there at once)', () => {
    temp.store.insertEvents([failure(startOf(DAY_A) + 23 * HOUR, '192.0.2.77')]);
    expect(temp.reader.bucketCounts({ since: startOf(DAY_A), until: startOf(DAY_A + 1), bucket: 'day' }).reduce((sum, row) => sum + row.count, 0)).toBe(
      2 * SUMMARY_TOP_K + 1 + 4 + 1,
    );
    // Before it is indexed, the top list finds it in the recent table; day A's summary (built before
    // it) may have left out more of it, so its margin is day A's bound.
    expect(top(startOf(DAY_A), startOf(DAY_B + 1), 1000).values.find((row) => row.value === '192.0.2.77')).toEqual({ value: '192.0.2.77', count: 1, margin: 2 });
  });

  it('deletes the summaries of days wholly past the retention cutoff with their hourly counts, and keeps later ones', () => {
    const cutoff = startOf(DAY_B) + HOUR;
    while (temp.store.deleteEventsBefore(cutoff, 100) > 0);
    expect(summarizedDays()).toEqual([DAY_B]);
    const raw = openRawDatabase(temp.file);
    try {
      expect(raw.prepare('SELECT count(*) FROM event_failure_values_day WHERE day = ?').pluck().get(DAY_A)).toBe(0);
      expect(raw.prepare('SELECT min(hour) FROM event_failure_values_hour').pluck().get()).toBe(cutoff / HOUR);
    } finally {
      raw.close();
    }
    expect(temp.store.deleteRollupsBefore(cutoff, 10_000)).toBeGreaterThan(0);
    while (temp.store.deleteRollupsBefore(cutoff, 10_000) > 0);
    expect(temp.reader.bucketCounts({ since: 0, until: startOf(DAY_B), bucket: 'day' })).toEqual([]);
  });
});

describe('failure value counts by block of arrivals', () => {
  let temp: TempStore;
  afterEach(() => temp.remove());

  it('keeps a value apart per block of 16,384 arrivals (upserts stay in the newest block) and sums the blocks when ranking', () => {
    temp = createTempStore();
    const serviceId = temp.store.addService('gateway', NOW).id;
    const time = startOf(DAY_A) + HOUR;
    const events: EventRecord[] = [eventRecord({ id: 'first', time, serviceId, type: 2, reason: 1, ip: '192.0.2.7' })];
    // Successes (never counted) carry the sequence past the first block.
    for (let index = 0; index < 16_400; index++) events.push(eventRecord({ id: `s${index}`, time: time + 1, serviceId, type: 1, ip: '203.0.113.1' }));
    events.push(eventRecord({ id: 'second', time: time + 2, serviceId, type: 2, reason: 1, ip: '192.0.2.7' }));
    for (let index = 0; index < events.length; index += 5000) temp.store.insertEvents(events.slice(index, index + 5000));
    while (temp.store.indexRecentEvents(4000) > 0);
    const raw = openRawDatabase(temp.file);
    try {
      const rows = raw.prepare('SELECT block, count FROM event_failure_values_hour WHERE field = 1 ORDER BY block').all() as Array<{ block: number; count: number }>;
      expect(rows.map((row) => row.count)).toEqual([1, 1]);
      expect(rows[1].block).toBe(rows[0].block + 1);
    } finally {
      raw.close();
    }
    const ranked = temp.reader.topValues({ field: 'ip', since: startOf(DAY_A), until: startOf(DAY_A) + 2 * HOUR, limit: 5, failuresOnly: true });
    expect(ranked.values.map(({ value, count }) => [value, count])).toEqual([['192.0.2.7', 2]]);
  });
});

describe('hourRanges', () => {
  it('leaves out summarized days and merges what is left', () => {
    const summarized = new Map([
      [2, 0],
      [3, 0],
      [5, 0],
    ]);
    expect(hourRanges(24 + 6, 7 * 24, summarized)).toEqual([
      [30, 48],
      [96, 120],
      [144, 168],
    ]);
    expect(hourRanges(48, 96, summarized)).toEqual([]);
  });
});

describe('query plans of the aggregate reads', () => {
  it('searches every rollup, value and summary table by its primary key, never scanning one', () => {
    const temp = createTempStore();
    const raw = openRawDatabase(temp.file);
    try {
      const gateway = temp.store.addService('gateway', NOW).id;
      temp.store.insertEvents([eventRecord({ id: 'a', time: NOW - 3 * DAY, serviceId: gateway, type: 2, ip: '192.0.2.1', username: 'u', clientId: 'c' })]);
      while (temp.store.indexRecentEvents(100) > 0);
      const { connection, statements } = recordingPrepares(raw);
      const aggregates = new AggregateQueries(connection, new PartitionCatalog(connection));
      const since = NOW - 10 * DAY + 1_234;
      aggregates.bucketCounts({ since, until: NOW, bucket: 'day', types: [2] });
      aggregates.bucketCounts({ since, until: NOW, bucket: 'hour' });
      for (const field of ['ip', 'username', 'clientId'] as const) aggregates.topValues({ field, since, until: NOW, limit: 10, failuresOnly: true });
      const tables = ['event_rollups_minute', 'event_rollups_hour', 'event_rollups_day', 'event_failure_values_hour', 'event_failure_values_day', 'event_failure_days'];
      for (const table of tables) {
        const reads = statements.filter((sql) => sql.includes(`FROM ${table}`) || sql.includes(`JOIN ${table}`));
        expect(reads.length, table).toBeGreaterThan(0);
        for (const read of reads) {
          const plan = queryPlan(raw, read);
          expect(plan).toMatch(new RegExp(`SEARCH (${table}|[a-z]) USING PRIMARY KEY`));
          expect(plan).not.toMatch(/SCAN (event_rollups|event_failure|[a-z]\b)/);
        }
      }
    } finally {
      raw.close();
      temp.remove();
    }
  });
});
