import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AggregateQueries } from '@/lib/store/sqlite/aggregate-queries';
import { PartitionCatalog } from '@/lib/store/sqlite/partition-catalog';
import { DAY, HOUR, MINUTE, NOW, createTempStore, eventRecord, openRawDatabase, queryPlan, recordingPrepares, type TempStore } from '@/tests/helpers/temp-store';

// A day well before NOW, and an older one so that it is not the oldest partition (retention's).
const DAY_C = Math.floor(NOW / DAY) - 3;
const HOUR_H = DAY_C * DAY + 5 * HOUR;
const ADDRESSES = ['198.51.100.1', '198.51.100.2', '198.51.100.3'];

/** The spans (since, until) each read of failures from a day partition was run with. */
function recordingRawReads(raw: Database.Database): { connection: Database.Database; spans: Array<[number, number]> } {
  const spans: Array<[number, number]> = [];
  const { connection } = recordingPrepares(raw);
  const recording = new Proxy(connection, {
    get: (target, property) => {
      if (property !== 'prepare') return Reflect.get(target, property);
      return (sql: string) => {
        const statement = target.prepare(sql);
        if (!/FROM events_p\d+ WHERE .* AND type IN/.test(sql)) return statement;
        return new Proxy(statement, {
          get: (inner, name) =>
            name === 'all'
              ? (params: { since: number; until: number }) => (spans.push([params.since, params.until]), inner.all(params))
              : (Reflect.get(inner, name) as unknown as (...args: unknown[]) => unknown).bind(inner),
        });
      };
    },
  });
  return { connection: recording, spans };
}

describe('top lists: the partial hours at a range edge', () => {
  let temp: TempStore;
  let gateway: number;

  beforeEach(() => {
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW).id;
    const failure = (id: string, time: number, ip: string) => eventRecord({ id, time, serviceId: gateway, type: 2, reason: 1, ip });
    // Hour H: the first address at minutes 1–10, the second at 50–52, the third all hour long (every 3 minutes);
    // the hour after: the third again. One event two days before, so that day C is not the oldest partition.
    const events = [failure('old', (DAY_C - 2) * DAY + HOUR, ADDRESSES[0])];
    for (let minute = 1; minute <= 10; minute++) events.push(failure(`a${minute}`, HOUR_H + minute * MINUTE, ADDRESSES[0]));
    for (let minute = 50; minute <= 52; minute++) events.push(failure(`b${minute}`, HOUR_H + minute * MINUTE, ADDRESSES[1]));
    for (let minute = 0; minute < 120; minute += 3) events.push(failure(`c${minute}`, HOUR_H + minute * MINUTE + 7, ADDRESSES[2]));
    temp.store.insertEvents(events);
    while (temp.store.indexRecentEvents(1000) > 0);
  });
  afterEach(() => temp.remove());

  /** Each address's failures in [since, until), counted one event at a time. */
  const byEvents = (since: number, until: number) =>
    ADDRESSES.map((ip) => ({ value: ip, count: temp.reader.countEvents({ since, until, ips: [ip] }) }))
      .filter((row) => row.count > 0)
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  const ranked = (since: number, until: number) =>
    temp.reader.topValues({ field: 'ip', since, until, limit: 10, failuresOnly: true }).values.map(({ value, count }) => ({ value, count }));

  it('counts exactly whichever way each edge is read: from the events, or as the whole hour less the events outside', () => {
    const minutes = [0, 2, 5, 11, 30, 51, 53, 59, 60, 61, 75, 119, 120];
    for (const from of minutes) {
      for (const to of minutes.filter((minute) => minute > from)) {
        for (const nudge of [0, 1, 7, 8]) {
          const since = HOUR_H + from * MINUTE + nudge;
          const until = HOUR_H + to * MINUTE + nudge;
          expect(ranked(since, until), `[${from} min + ${nudge} ms, ${to} min + ${nudge} ms)`).toEqual(byEvents(since, until));
        }
      }
    }
  });

  it('reads a range ending inside an hour as that hour less the events after the end, which are none when it ends now', () => {
    const raw = openRawDatabase(temp.file);
    try {
      const { connection, spans } = recordingRawReads(raw);
      const aggregates = new AggregateQueries(connection, new PartitionCatalog(connection));
      // Ends after the last event of the next hour, as a preset range ends now: 0 events after it, 20 before it in its hour.
      const until = HOUR_H + HOUR + 58 * MINUTE;
      const values = aggregates.topValues({ field: 'ip', since: HOUR_H + 2 * MINUTE, until, limit: 10, failuresOnly: true }).values;
      expect(values.map(({ value, count }) => ({ value, count }))).toEqual(byEvents(HOUR_H + 2 * MINUTE, until));
      // The start edge [02:00, 60:00) holds more events than [00:00, 02:00): the hour less the latter. The end edge: the hour less [until, its end).
      expect(spans.sort((a, b) => a[0] - b[0])).toEqual([
        [HOUR_H, HOUR_H + 2 * MINUTE],
        [until, HOUR_H + 2 * HOUR],
      ]);
    } finally {
      raw.close();
    }
  });

  it('reads the edge from the events in the oldest partition, where retention may have deleted part of the hour', () => {
    const oldest = (DAY_C - 2) * DAY;
    const more = Array.from({ length: 30 }, (_, index) => eventRecord({ id: `o${index}`, time: oldest + HOUR + index * MINUTE, serviceId: gateway, type: 2, reason: 1, ip: ADDRESSES[1] }));
    temp.store.insertEvents(more);
    while (temp.store.indexRecentEvents(1000) > 0);
    // Retention deletes by the millisecond: the hour keeps its counts of the 20 events before 01:20 it deleted.
    const cutoff = oldest + HOUR + 20 * MINUTE;
    while (temp.store.deleteEventsBefore(cutoff, 100) > 0);
    // From just after the cutoff: 9 events left in the edge, 1 stored before it (at the cutoff itself), so the hour
    // less that one would look cheaper, and would count the deleted events as well.
    const since = cutoff + 1;
    expect(byEvents(since, oldest + 3 * HOUR)).toEqual([{ value: ADDRESSES[1], count: 9 }]);
    expect(ranked(since, oldest + 3 * HOUR)).toEqual([{ value: ADDRESSES[1], count: 9 }]);
  });

  it('counts the events of a partial hour from the time index alone, to choose the side to read', () => {
    const raw = openRawDatabase(temp.file);
    try {
      const { connection, statements } = recordingPrepares(raw);
      new AggregateQueries(connection, new PartitionCatalog(connection)).topValues({ field: 'ip', since: HOUR_H + 2 * MINUTE, until: HOUR_H + 90 * MINUTE, limit: 10, failuresOnly: true });
      const counts = statements.filter((sql) => /^SELECT count\(\*\) FROM events_p\d+ WHERE time >= @since AND time < @until$/.test(sql));
      expect(counts.length).toBeGreaterThan(0);
      for (const sql of counts) expect(queryPlan(raw, sql)).toMatch(/SEARCH events_p\d+ USING COVERING INDEX events_p\d+_by_time \(time>\? AND time<\?\)/);
    } finally {
      raw.close();
    }
  });
});
