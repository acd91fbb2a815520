import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/store/sqlite/database';
import { EventTable } from '@/lib/store/sqlite/event-table';
import { Partitions } from '@/lib/store/sqlite/partitions';
import { TextIndex } from '@/lib/store/sqlite/text-index';
import { dayOf } from '@/lib/time';
import { RecentEvents } from '@/lib/store/sqlite/recent-events';
import { createSqliteStore } from '@/lib/store/sqlite/sqlite-store';
import type { Store } from '@/lib/store/store';
import { DAY, HOUR, NOW, createTempStore, eventRecord, openRawDatabase, type TempStore } from '@/tests/helpers/temp-store';

const STORED = { stored: true, seq: expect.any(Number) };
const DUPLICATE = { stored: false };

describe('events on their way from the recent table to the partitions', () => {
  let temp: TempStore;
  let raw: Database.Database;
  let service: number;
  const where = () => ({
    recent: raw.prepare('SELECT id FROM events_recent ORDER BY seq').pluck().all(),
    partitioned: raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'events_p%' ORDER BY name")
      .pluck()
      .all()
      .flatMap((table) => raw.prepare(`SELECT id FROM ${table as string} ORDER BY seq`).pluck().all()),
  });
  const store = (records: Array<{ id: string; time: number }>, into: Store = temp.store) =>
    into.insertEvents(records.map((record) => eventRecord({ ...record, serviceId: service })));
  const ids = (query: Parameters<TempStore['reader']['listEvents']>[0] = {}) => temp.reader.listEvents(query).events.map((event) => event.id);

  beforeEach(() => {
    temp = createTempStore();
    service = temp.store.addService('gateway', NOW).id;
    raw = openRawDatabase(temp.file);
  });
  afterEach(() => {
    raw.close();
    temp.remove();
  });

  it('lands in the recent table and moves, oldest first, at most `limit` at a time', () => {
    store([
      { id: 'a', time: NOW },
      { id: 'b', time: NOW - DAY },
      { id: 'c', time: NOW + 1 },
    ]);
    expect(where()).toEqual({ recent: ['a', 'b', 'c'], partitioned: [] });
    expect(temp.store.indexRecentEvents(2)).toBe(2);
    expect(where()).toEqual({ recent: ['c'], partitioned: ['b', 'a'] });
    expect(temp.store.indexRecentEvents(2)).toBe(1);
    expect(temp.store.indexRecentEvents(2)).toBe(0);
    expect(where()).toEqual({ recent: [], partitioned: ['b', 'a', 'c'] });
  });

  it('is listed and counted the same wherever it is, merging both places in order', () => {
    store([
      { id: 'yesterday', time: NOW - DAY },
      { id: 'hour-ago', time: NOW - HOUR },
      { id: 'now', time: NOW },
    ]);
    temp.store.indexRecentEvents(2);
    store([
      { id: 'late-yesterday', time: NOW - DAY + 1 },
      { id: 'between', time: NOW - 1 },
    ]);
    const expected = ['now', 'between', 'hour-ago', 'late-yesterday', 'yesterday'];
    expect(ids()).toEqual(expected);
    expect(ids({ limit: 3 })).toEqual(expected.slice(0, 3));
    expect(ids({ since: NOW - HOUR, until: NOW })).toEqual(['between', 'hour-ago']);
    expect(temp.reader.countEvents({})).toBe(5);
    expect(temp.reader.countEvents({ until: NOW - HOUR })).toBe(2);

    while (temp.store.indexRecentEvents(1) > 0);
    expect(ids()).toEqual(expected);
    expect(temp.reader.countEvents({})).toBe(5);
  });

  it('keeps its sequence when it moves, and a sequence is never handed out twice', () => {
    store([{ id: 'first', time: NOW }]);
    const before = temp.reader.listEvents({}).events[0].sequence;
    temp.store.indexRecentEvents(10);
    expect(temp.reader.listEvents({}).events[0].sequence).toBe(before);
    store([{ id: 'second', time: NOW }]);
    expect(temp.reader.listEvents({ limit: 1 }).events[0]).toMatchObject({ id: 'second', sequence: before + 1 });
  });

  describe('is recognised as a repeat', () => {
    it('while it is recent, within one batch, and once it has moved', () => {
      expect(store([{ id: 'x', time: NOW }])).toEqual([STORED]);
      expect(store([{ id: 'x', time: NOW }, { id: 'y', time: NOW }, { id: 'y', time: NOW }])).toEqual([DUPLICATE, STORED, DUPLICATE]);
      temp.store.indexRecentEvents(1);
      expect(store([{ id: 'x', time: NOW }, { id: 'y', time: NOW }])).toEqual([DUPLICATE, DUPLICATE]);
      temp.store.indexRecentEvents(10);
      expect(store([{ id: 'x', time: NOW }, { id: 'y', time: NOW }])).toEqual([DUPLICATE, DUPLICATE]);
      expect(temp.reader.countEvents({})).toBe(2);
    });

    it('after a restart, while it is still recent', () => {
      store([{ id: 'x', time: NOW }]);
      temp.store.close();
      const reopened = createSqliteStore({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 });
      try {
        expect(store([{ id: 'x', time: NOW }], reopened)).toEqual([DUPLICATE]);
        reopened.indexRecentEvents(10);
        expect(store([{ id: 'x', time: NOW }], reopened)).toEqual([DUPLICATE]);
      } finally {
        reopened.close();
      }
      temp = { ...temp, store: createSqliteStore({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 }) };
    });

    it('only within the same UTC day of event time', () => {
      store([{ id: 'x', time: NOW }]);
      expect(store([{ id: 'x', time: NOW - DAY }])).toEqual([STORED]);
    });
  });

  it('continues the sequence above rows numbered before the recent table existed', () => {
    store([{ id: 'old', time: NOW }]);
    temp.store.indexRecentEvents(10);
    raw.prepare("UPDATE events_p20261128 SET seq = 500 WHERE id = 'old'").run();
    raw.prepare("DELETE FROM sqlite_sequence WHERE name = 'events_recent'").run();
    temp.store.close();
    temp = { ...temp, store: createSqliteStore({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 }) };

    store([{ id: 'new', time: NOW }]);
    expect(temp.store.indexRecentEvents(10)).toBe(1);
    expect(temp.reader.listEvents({}).events.map((event) => [event.id, event.sequence])).toEqual([
      ['new', 501],
      ['old', 500],
    ]);
  });

  it('is deleted by retention even before it has moved', () => {
    store([
      { id: 'expired', time: NOW - 3 * DAY },
      { id: 'kept', time: NOW },
    ]);
    expect(temp.store.deleteEventsBefore(NOW - DAY, 10)).toBe(1);
    expect(temp.store.deleteEventsBefore(NOW - DAY, 10)).toBe(0);
    expect(where()).toEqual({ recent: ['kept'], partitioned: [] });
    expect(temp.store.indexRecentEvents(10)).toBe(1);
  });

  it('moves without a sync of its own, then puts the connection back to synchronous=FULL', () => {
    const db = openDatabase({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 1000, cacheMegabytes: 8 });
    try {
      const partitions = new Partitions(db);
      const events = new EventTable(db, partitions, new RecentEvents(db), 'FULL', new TextIndex(db, 'FULL'));
      let during: unknown;
      events.insert([eventRecord({ id: 'x', time: NOW, serviceId: service })]);
      const move = partitions.forWrite(dayOf(NOW)).moveFromRecent;
      const run = move.run.bind(move);
      move.run = (...args: Parameters<typeof move.run>) => {
        during = db.pragma('synchronous', { simple: true });
        return run(...args);
      };
      expect(events.indexRecent(10)).toBe(1);
      expect(during).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      db.close();
    }
  });
});

describe('the recent table', () => {
  it('has the columns of a partition, so rows move column for column by name', () => {
    const temp = createTempStore();
    const raw = openRawDatabase(temp.file);
    try {
      temp.store.insertEvents([eventRecord({ id: 'a', time: NOW, serviceId: temp.store.addService('s', NOW).id })]);
      temp.store.indexRecentEvents(10);
      const columns = (table: string) =>
        (raw.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string; type: string; notnull: number }>).map(
          ({ name, type, notnull }) => `${name} ${type} ${notnull}`,
        );
      // Migration 003 appended ip_key to the recent table; new partitions have it beside ip.
      expect(columns('events_recent').sort()).toEqual(columns('events_p20261128').sort());
    } finally {
      raw.close();
      temp.remove();
    }
  });
});
