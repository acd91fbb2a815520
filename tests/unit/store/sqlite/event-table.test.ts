import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventQueries } from '@/lib/store/sqlite/event-queries';
import { idempotencyKey } from '@/lib/store/sqlite/event-table';
import { PartitionCatalog } from '@/lib/store/sqlite/partition-catalog';
import { partitionTableName } from '@/lib/store/sqlite/partition-names';
import { Partitions } from '@/lib/store/sqlite/partitions';
import { dayOf } from '@/lib/time';
import { createSqliteStore } from '@/lib/store/sqlite/sqlite-store';
import { DAY, HOUR, MINUTE, NOW, createTempStore, eventRecord, openRawDatabase, queryPlan, recordingPrepares, type TempStore } from '@/tests/helpers/temp-store';

const STORED = { stored: true, seq: expect.any(Number) };
const DUPLICATE = { stored: false };

const TODAY = dayOf(NOW);

describe('partitionTableName', () => {
  it.each([
    [0, 'events_p19700101'],
    [dayOf(Date.parse('2026-11-28T23:59:59.999Z')), 'events_p20261128'],
    [dayOf(Date.parse('2026-11-29T00:00:00Z')), 'events_p20261129'],
    [dayOf(Date.parse('2024-02-29T12:00:00Z')), 'events_p20240229'],
  ])('names day %i %s', (day, table) => {
    expect(partitionTableName(day)).toBe(table);
  });

  it.each([1.5, NaN, Infinity])('refuses a non-integer day %s', (day) => {
    expect(() => partitionTableName(day)).toThrow();
  });
});

describe('the SQLite event table', () => {
  let temp: TempStore;
  let raw: Database.Database;
  let gateway: number;
  let orders: number;
  const partitionTables = () =>
    raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'events_p%' ORDER BY name").pluck().all();
  const indexAll = () => {
    while (temp.store.indexRecentEvents(1000) > 0);
  };
  /** Stores `count` events a millisecond apart and lets the indexer move them into their partitions. */
  const insertEvents = (count: number, time: number, prefix: string) => {
    const outcomes = temp.store.insertEvents(
      Array.from({ length: count }, (_, i) => eventRecord({ id: `${prefix}-${i}`, time: time + i, serviceId: gateway })),
    );
    indexAll();
    return outcomes;
  };

  beforeEach(() => {
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW).id;
    orders = temp.store.addService('orders', NOW).id;
    raw = openRawDatabase(temp.file);
  });
  afterEach(() => {
    raw.close();
    temp.remove();
  });

  it('puts an event in the partition of its UTC day', () => {
    temp.store.insertEvents([eventRecord({ id: 'a', time: NOW, serviceId: gateway })]);
    indexAll();
    expect(partitionTables()).toEqual(['events_p20261128']);
    expect(raw.prepare('SELECT id FROM events_p20261128').pluck().all()).toEqual(['a']);
  });

  it('splits a batch that crosses midnight UTC over two partitions', () => {
    const midnight = (TODAY + 1) * DAY;
    const outcomes = temp.store.insertEvents([
      eventRecord({ id: 'before', time: midnight - 1, serviceId: gateway }),
      eventRecord({ id: 'after', time: midnight, serviceId: gateway }),
    ]);
    expect(outcomes).toEqual([{ stored: true, seq: 1 }, { stored: true, seq: 2 }]);
    indexAll();
    expect(partitionTables()).toEqual(['events_p20261128', 'events_p20261129']);
    expect(raw.prepare('SELECT id FROM events_p20261129').pluck().all()).toEqual(['after']);
    expect(raw.prepare('SELECT day FROM event_partitions ORDER BY day').pluck().all()).toEqual([TODAY, TODAY + 1]);
  });

  describe.each([
    ['still in the recent table', false],
    ['moved into their partitions', true],
  ])('listEvents and countEvents, events %s', (_where, indexed) => {
    beforeEach(() => {
      temp.store.insertEvents([
        eventRecord({ id: 'old', time: NOW - 2 * DAY, serviceId: gateway, type: 2, ip: '10.0.0.1', username: 'alice' }),
        eventRecord({ id: 'yesterday', time: NOW - DAY, serviceId: orders, type: 8, subject: 'u-1' }),
        eventRecord({ id: 'hour', time: NOW - HOUR, serviceId: gateway, type: 2, ip: '10.0.0.2', username: 'bob' }),
        eventRecord({ id: 'now', time: NOW, serviceId: gateway, type: 1, ip: '10.0.0.1', username: 'alice', subject: 'u-1' }),
      ]);
      if (indexed) indexAll();
    });
    const ids = (query: Parameters<TempStore['reader']['listEvents']>[0]) => temp.reader.listEvents(query).events.map((event) => event.id);

    it.each([
      ['everything, newest first', {}, ['now', 'hour', 'yesterday', 'old']],
      ['a service', { serviceIds: [0] }, ['now', 'hour', 'old']],
      ['a type', { types: [2] }, ['hour', 'old']],
      ['any of two types', { types: [1, 8] }, ['now', 'yesterday']],
      ['an ip', { ips: ['10.0.0.1'] }, ['now', 'old']],
      ['the same ip written as IPv4-mapped IPv6', { ips: ['::ffff:10.0.0.1'] }, ['now', 'old']],
      ['a CIDR block', { ips: ['10.0.0.0/30'] }, ['now', 'hour', 'old']],
      ['a /32', { ips: ['10.0.0.2/32'] }, ['hour']],
      ['/0, every address', { ips: ['0.0.0.0/0'] }, ['now', 'hour', 'old']],
      ['a username', { usernames: ['bob'] }, ['hour']],
      ['any of two usernames', { usernames: ['bob', 'alice'] }, ['now', 'hour', 'old']],
      ['a subject', { subjects: ['u-1'] }, ['now', 'yesterday']],
      ['a time range, since inclusive and until exclusive', { since: NOW - DAY, until: NOW }, ['hour', 'yesterday']],
      ['combined filters', { ips: ['10.0.0.1'], since: NOW - DAY }, ['now']],
      ['nothing that matches', { usernames: ['mallory'] }, []],
    ])('filters by %s', (_what, query, expected) => {
      const resolved = 'serviceIds' in query ? { ...query, serviceIds: [gateway] } : query;
      expect(ids(resolved)).toEqual(expected);
      expect(temp.reader.countEvents(resolved)).toBe(expected.length);
    });

    it('stops at the limit across partitions', () => {
      expect(ids({ limit: 3 })).toEqual(['now', 'hour', 'yesterday']);
      temp.store.insertEvents([eventRecord({ id: 'yesterday-later', time: NOW - DAY + 1, serviceId: orders })]);
      expect(ids({ limit: 3 })).toEqual(['now', 'hour', 'yesterday-later']);
      expect(ids({ limit: 1 })).toEqual(['now']);
    });

    it('orders events of the same time by arrival', () => {
      temp.store.insertEvents([eventRecord({ id: 'now-2', time: NOW, serviceId: gateway })]);
      expect(ids({ limit: 2 })).toEqual(['now-2', 'now']);
    });
  });

  describe('queries by ip, username and subject', () => {
    /** Makes the next stored event's seq `seq`, as if that many had arrived before it. */
    const continueAt = (seq: number) => raw.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events_recent'").run(seq - 1);
    const attacker = { ip: '203.0.113.9', username: 'admin', subject: 'u-9' };

    beforeEach(() => {
      insertEvents(1, NOW - HOUR, 'seed');
      // Ten events whose seqs straddle the first boundary between blocks of 16,384 arrivals, then one
      // that arrives much later but happened earlier that day, two blocks further on.
      continueAt(16_380);
      temp.store.insertEvents(Array.from({ length: 10 }, (_, i) => eventRecord({ ...attacker, serviceId: gateway, id: `burst-${i}`, time: NOW + i })));
      continueAt(40_000);
      temp.store.insertEvents([eventRecord({ ...attacker, serviceId: gateway, id: 'late', time: NOW - 2 * HOUR })]);
      indexAll();
    });

    it.each([['ip', { ips: [attacker.ip] }], ['username', { usernames: [attacker.username] }], ['subject', { subjects: [attacker.subject] }]])(
      'find every event by %s in whichever block of arrivals it is, newest first',
      (_field, query) => {
        const expected = [...Array.from({ length: 10 }, (_, i) => `burst-${9 - i}`), 'late'];
        expect(temp.reader.listEvents(query).events.map((event) => event.id)).toEqual(expected);
        expect(temp.reader.listEvents({ ...query, limit: 3 }).events.map((event) => event.id)).toEqual(expected.slice(0, 3));
        expect(temp.reader.listEvents({ ...query, until: NOW }).events.map((event) => event.id)).toEqual(['late']);
        expect(temp.reader.countEvents(query)).toBe(11);
        expect(temp.reader.countEvents({ ...query, since: NOW + 5 })).toBe(5);
      },
    );

    it.each([
      ['ips', 'ip_key', '203.0.113.0/24', 'ip_key>\\? AND ip_key<\\?'],
      ['usernames', 'username', 'x', 'username=\\? AND time>\\? AND time<\\?'],
      ['subjects', 'subject', 'x', 'subject=\\? AND time>\\? AND time<\\?'],
      ['clientIds', 'client', 'x', 'client_id=\\? AND time>\\? AND time<\\?'],
      ['jtis', 'jti', 'x', 'jti=\\? AND time>\\? AND time<\\?'],
    ])('seeks %s through the partition index that leads with the block of arrivals', (field, index, value, seek) => {
      const { connection: recording, statements } = recordingPrepares(raw);
      new EventQueries(recording, new PartitionCatalog(recording)).list({ [field]: [value], since: NOW - DAY, until: NOW, limit: 10 });

      const planOf = (sql: string) => queryPlan(raw, sql);
      // Finding the partition's blocks reads the two ends of its rowid B-tree, not the whole table.
      const [blockRange] = statements.filter((sql) => sql.includes('min(seq)'));
      expect(planOf(blockRange)).not.toMatch(/SCAN events_p/);

      const partitionReads = statements.filter((sql) => sql.includes(`FROM events_p20261128 INDEXED BY events_p20261128_by_block_${index} `));
      expect(partitionReads).toHaveLength(1);
      expect(planOf(partitionReads[0])).toMatch(
        new RegExp(`SEARCH events_p20261128 USING (?:COVERING )?INDEX events_p20261128_by_block_${index} \\(<expr>=\\? AND ${seek}\\)`),
      );
    });
  });

  it('rebuilds the indexes of a partition made before they led with the block of arrivals', () => {
    insertEvents(3, NOW, 'before-upgrade');
    temp.store.insertEvents([eventRecord({ id: 'mine', time: NOW, serviceId: gateway, ip: '10.0.0.9' })]);
    indexAll();
    raw.exec('DROP INDEX events_p20261128_by_block_ip_key');
    raw.exec('CREATE INDEX events_p20261128_by_block_ip ON events_p20261128 ((seq >> 14), ip, time) WHERE ip IS NOT NULL');
    raw.exec('DROP INDEX events_p20261128_by_block_id_key');
    raw.exec('CREATE INDEX events_p20261128_by_id_key ON events_p20261128 (id_key)');
    for (const column of ['username', 'subject']) {
      raw.exec(`DROP INDEX events_p20261128_by_block_${column}`);
      raw.exec(`CREATE INDEX events_p20261128_by_${column} ON events_p20261128 (${column}, time) WHERE ${column} IS NOT NULL`);
    }
    temp.store.close();
    temp = { ...temp, store: createSqliteStore({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 }) };

    const indexes = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events_p20261128' ORDER BY name").pluck().all();
    expect(indexes.filter((name) => /_by_(block_)?(ip|ip_key|id_key|username|subject)$/.test(name as string))).toEqual([
      'events_p20261128_by_block_id_key',
      'events_p20261128_by_block_ip_key',
      'events_p20261128_by_block_subject',
      'events_p20261128_by_block_username',
    ]);
    expect(temp.reader.listEvents({ ips: ['10.0.0.9'] }).events.map((event) => event.id)).toEqual(['mine']);
    expect(temp.store.insertEvents([eventRecord({ id: 'mine', time: NOW, serviceId: gateway })])).toEqual([DUPLICATE]);
  });

  it('recognises a repeat only on the full id, even when two ids share an id_key', () => {
    insertEvents(1, NOW, 'seed');
    raw
      .prepare(
        `INSERT INTO events_p20261128 (seq, id, id_key, time, received_at, service_id, type, document)
         VALUES (1000000, 'impostor', @idKey, @time, @time, @serviceId, 1, '{}')`,
      )
      .run({ idKey: idempotencyKey('real'), time: NOW, serviceId: gateway });

    expect(temp.store.insertEvents([eventRecord({ id: 'real', time: NOW, serviceId: gateway })])).toEqual([STORED]);
    indexAll();
    expect(temp.store.insertEvents([eventRecord({ id: 'real', time: NOW, serviceId: gateway })])).toEqual([DUPLICATE]);
    expect(temp.store.insertEvents([eventRecord({ id: 'real', time: NOW, serviceId: orders })])).toEqual([STORED]);
  });

  it('recognises repeats across blocks of arrivals, of rows moved after the day was first checked, and after a restart', () => {
    const repeat = (ids: string[]) => temp.store.insertEvents(ids.map((id) => eventRecord({ id, time: NOW, serviceId: gateway })));
    // 20,000 events fill block 0 and part of block 1; the first check of the day builds its filter from the index.
    expect(insertEvents(20_000, NOW - HOUR, 'bulk').filter((outcome) => outcome.stored)).toHaveLength(20_000);
    const bulk = ['bulk-0', 'bulk-9000', 'bulk-16383', 'bulk-16384', 'bulk-19999'];
    expect(repeat(bulk)).toEqual(bulk.map(() => DUPLICATE));
    // Moved in after the filter was built: the indexer adds them to it.
    insertEvents(600, NOW - MINUTE, 'later');
    const later = ['later-0', 'later-599'];
    expect(repeat(later)).toEqual(later.map(() => DUPLICATE));
    expect(repeat(['fresh'])).toEqual([STORED]);

    temp.store.close();
    temp = { ...temp, store: createSqliteStore({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 }) };
    indexAll();
    expect(repeat([...bulk, ...later, 'fresh'])).toEqual([...bulk, ...later, 'fresh'].map(() => DUPLICATE));
    expect(repeat(['fresher'])).toEqual([STORED]);
    expect(temp.reader.countEvents({})).toBe(20_602);
  });

  it('gives the id_key 48 bits at most', () => {
    for (const id of ['a', 'event-1', 'x'.repeat(128)]) {
      expect(Number.isSafeInteger(idempotencyKey(id))).toBe(true);
      expect(idempotencyKey(id)).toBeLessThan(2 ** 48);
    }
  });

  describe('deleteEventsBefore', () => {
    it('deletes in chunks of at most limit, drops emptied past partitions and leaves newer ones', () => {
      insertEvents(25, NOW - 3 * DAY, 'd3');
      insertEvents(5, NOW - 2 * DAY, 'd2');
      insertEvents(5, NOW, 'today');
      const cutoff = (TODAY - 1) * DAY;

      const chunks: number[] = [];
      for (let deleted = temp.store.deleteEventsBefore(cutoff, 10); deleted > 0; deleted = temp.store.deleteEventsBefore(cutoff, 10)) {
        chunks.push(deleted);
      }
      // Then the summaries of the two days wholly past the cutoff (a marker per counted field each).
      expect(chunks).toEqual([10, 10, 5, 5, 6]);
      expect(partitionTables()).toEqual(['events_p20261128']);
      expect(raw.prepare('SELECT day FROM event_partitions').pluck().all()).toEqual([TODAY]);
      expect(temp.reader.countEvents({})).toBe(5);
    });

    it('deletes the older part of the cutoff day and keeps its partition', () => {
      insertEvents(3, NOW - HOUR, 'earlier');
      insertEvents(2, NOW, 'later');
      expect(temp.store.deleteEventsBefore(NOW, 100)).toBe(3);
      expect(temp.store.deleteEventsBefore(NOW, 100)).toBe(0);
      expect(partitionTables()).toEqual(['events_p20261128']);
      expect(temp.reader.countEvents({})).toBe(2);
    });

    it('keeps the partition of the cutoff day even once it is empty', () => {
      insertEvents(3, NOW - HOUR, 'earlier');
      expect(temp.store.deleteEventsBefore(NOW, 100)).toBe(3);
      expect(temp.store.deleteEventsBefore(NOW, 100)).toBe(0);
      expect(partitionTables()).toEqual(['events_p20261128']);
    });

    it('can write again to a day whose partition was dropped', () => {
      insertEvents(1, NOW - 3 * DAY, 'old');
      temp.store.deleteEventsBefore(NOW, 10);
      temp.store.deleteEventsBefore(NOW, 10);
      expect(partitionTables()).toEqual([]);
      expect(insertEvents(1, NOW - 3 * DAY, 'again')).toEqual([{ stored: true, seq: expect.any(Number) }]);
      expect(temp.reader.countEvents({})).toBe(1);
    });
  });

  it('deletes rollups before the cutoff in chunks and keeps later ones', () => {
    for (let minute = 0; minute < 5; minute += 1) insertEvents(1, NOW - 10 * MINUTE + minute * MINUTE, `m${minute}`);
    expect(temp.store.deleteRollupsBefore(NOW - 7 * MINUTE, 2)).toBe(2);
    expect(temp.store.deleteRollupsBefore(NOW - 7 * MINUTE, 2)).toBe(1);
    expect(temp.store.deleteRollupsBefore(NOW - 7 * MINUTE, 2)).toBe(0);
    const minutes = temp.reader.bucketCounts({ since: NOW - DAY, until: NOW, bucket: 'minute' }).map((row) => row.bucket);
    expect(minutes).toEqual([NOW - 7 * MINUTE, NOW - 6 * MINUTE]);
  });

  it('checks that the database is writable', () => {
    expect(() => temp.store.checkWritable(NOW)).not.toThrow();
    expect(raw.prepare('SELECT checked_at FROM health WHERE id = 1').pluck().get()).toBe(NOW);
  });
});

describe('the duplicate check', () => {
  it('looks events up by the idempotency key even in a partition without statistics', () => {
    const temp = createTempStore();
    const raw = openRawDatabase(temp.file);
    try {
      const statement = new Partitions(raw).forWrite(TODAY).findDuplicate;
      const plan = raw
        .prepare(`EXPLAIN QUERY PLAN ${statement.source}`)
        .all({ block: 0, idKey: 1, serviceId: 1, id: 'a' }) as { detail: string }[];
      expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING INDEX events_p\d{8}_by_block_id_key \(<expr>=\? AND id_key=\?\)/);
    } finally {
      raw.close();
      temp.remove();
    }
  });
});
