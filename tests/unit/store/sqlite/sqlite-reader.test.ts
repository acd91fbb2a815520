import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { iterateEvents } from '@/lib/events/iterate-events';
import { inProcessReader } from '@/lib/store/event-reader';
import { EventQueries } from '@/lib/store/sqlite/event-queries';
import { PartitionCatalog } from '@/lib/store/sqlite/partition-catalog';
import type { EventRecord } from '@/lib/store/store';
import { DAY, HOUR, MINUTE, NOW, createTempStore, eventRecord, openRawDatabase, queryPlan, recordingPrepares, type TempStore } from '@/tests/helpers/temp-store';

/**
 * The reader's connection only reads, and it is opened before most of what it
 * reads exists: partitions the writer creates later, days retention drops,
 * late events for days without a partition. Each test indexes (or not) with
 * the writing store and reads through the reader, as the server's threads do.
 */
describe('the read-only reader', () => {
  let temp: TempStore;
  let gateway: number;
  const put = (...records: Array<Partial<EventRecord> & { id: string; time: number }>) =>
    temp.store.insertEvents(records.map((record) => eventRecord({ serviceId: gateway, ...record })));
  const indexAll = () => {
    while (temp.store.indexRecentEvents(1000) > 0);
  };
  const ids = (query = {}) => temp.reader.listEvents({ limit: 1000, ...query }).events.map((event) => event.id);

  beforeEach(() => {
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW).id;
  });
  afterEach(() => temp.remove());

  it('refuses to write: SQLite itself rejects a write on its connection', () => {
    const raw = openRawDatabase(temp.file);
    raw.pragma('query_only = ON');
    try {
      expect(() => raw.exec("INSERT INTO services (name, created_at) VALUES ('x', 1)")).toThrow(/readonly/);
    } finally {
      raw.close();
    }
  });

  it('finds events by ip, username and subject in partitions the writer created after the reader opened, across midnight', () => {
    expect(ids({ usernames: ['alice'] })).toEqual([]); // the reader has looked before any partition exists
    const midnight = Math.ceil(NOW / DAY) * DAY;
    put(
      { id: 'before', time: midnight - 1, ip: '10.1.1.1', username: 'alice', subject: 's-1' },
      { id: 'after', time: midnight, ip: '10.1.1.1', username: 'alice', subject: 's-1' },
    );
    expect(ids({ usernames: ['alice'] })).toEqual(['after', 'before']); // still in the recent table
    indexAll();
    for (const query of [{ usernames: ['alice'] }, { ips: ['10.1.1.1'] }, { subjects: ['s-1'] }, { ips: ['10.0.0.0/8'] }]) {
      expect(ids(query)).toEqual(['after', 'before']);
      expect(temp.reader.countEvents(query)).toBe(2);
    }
  });

  it('stops seeing a day that retention dropped, and sees a late event for a day that had no partition', () => {
    put({ id: 'old', time: NOW - 3 * DAY, username: 'bob' }, { id: 'today', time: NOW, username: 'bob' });
    indexAll();
    expect(ids({ usernames: ['bob'] })).toEqual(['today', 'old']);
    while (temp.store.deleteEventsBefore(NOW - 2 * DAY, 100) > 0);
    expect(ids({ usernames: ['bob'] })).toEqual(['today']);
    put({ id: 'late', time: NOW - 2 * DAY + HOUR, username: 'bob' });
    expect(ids({ usernames: ['bob'] })).toEqual(['today', 'late']);
    indexAll();
    expect(ids({ usernames: ['bob'] })).toEqual(['today', 'late']);
  });

  it('filters by client id, jti and reason, each accepting several values', () => {
    put(
      { id: 'a', time: NOW, clientId: 'web', jti: 'j-1', type: 8, reason: 13 },
      { id: 'b', time: NOW + 1, clientId: 'cli', jti: 'j-2', type: 8, reason: 11 },
      { id: 'c', time: NOW + 2, clientId: 'batch', jti: 'j-3', type: 2, reason: 1 },
    );
    for (const indexed of [false, true]) {
      if (indexed) indexAll();
      expect(ids({ clientIds: ['web', 'batch'] })).toEqual(['c', 'a']);
      expect(ids({ jtis: ['j-2'] })).toEqual(['b']);
      expect(ids({ reasons: [13, 1] })).toEqual(['c', 'a']);
      expect(ids({ reasons: [11], types: [8], clientIds: ['cli'] })).toEqual(['b']);
    }
  });

  it.each([
    ['an IPv6 address in its long and short forms', ['2001:db8:0:0:0:0:0:1'], ['v6']],
    ['an IPv6 /32', ['2001:db8::/32'], ['v6']],
    ['an IPv6 /128', ['2001:db8::1/128'], ['v6']],
    ['::/0, every address, IPv4 ones included', ['::/0'], ['v6', 'mapped', 'v4']],
    ['the IPv4-mapped block of one IPv4 /24', ['::ffff:192.0.2.0/120'], ['mapped', 'v4']],
    ['an IPv4 /24 that holds an address sent IPv4-mapped', ['192.0.2.0/24'], ['mapped', 'v4']],
    ['overlapping blocks, each event once', ['192.0.2.0/24', '192.0.2.9/32'], ['mapped', 'v4']],
    ['a /31 that misses', ['192.0.2.10/31'], []],
  ])('matches %s', (_case, ips, expected) => {
    put(
      { id: 'v4', time: NOW, ip: '192.0.2.9' },
      { id: 'mapped', time: NOW + 1, ip: '::ffff:192.0.2.200' },
      { id: 'v6', time: NOW + 2, ip: '2001:db8::1' },
    );
    expect(ids({ ips })).toEqual(expected);
    indexAll();
    expect(ids({ ips })).toEqual(expected);
    expect(temp.reader.countEvents({ ips })).toBe(expected.length);
  });

  it('pages newest first by cursor without repeating or skipping while events keep arriving', () => {
    put(...Array.from({ length: 25 }, (_, i) => ({ id: `e${i}`, time: NOW - i * MINUTE })));
    indexAll();
    const seen: string[] = [];
    let page = temp.reader.listEvents({ limit: 10 });
    for (let round = 0; ; round++) {
      seen.push(...page.events.map((event) => event.id));
      // New events arrive between pages, newer and older than the cursor; only older ones may show up later.
      put({ id: `new-${round}`, time: NOW + MINUTE }, { id: `late-${round}`, time: NOW - 100 * MINUTE });
      if (round === 1) indexAll();
      if (!page.nextCursor) break;
      page = temp.reader.listEvents({ limit: 10, cursor: page.nextCursor });
    }
    const original = Array.from({ length: 25 }, (_, i) => `e${i}`);
    expect(seen.filter((id) => id.startsWith('e'))).toEqual(original);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.some((id) => id.startsWith('new-'))).toBe(false);
  });

  it('streams an export of every matching event through the keyset iterator', async () => {
    put(...Array.from({ length: 57 }, (_, i) => ({ id: `x${i}`, time: NOW - i * 1000, username: i % 2 ? 'odd' : 'even' })));
    indexAll();
    const reader = inProcessReader(temp.reader);
    const exported: string[] = [];
    for await (const event of iterateEvents(reader, { usernames: ['odd'] }, { pageSize: 7 })) exported.push(event.id);
    expect(exported).toEqual(Array.from({ length: 28 }, (_, i) => `x${2 * i + 1}`));
    const capped: string[] = [];
    for await (const event of iterateEvents(reader, {}, { pageSize: 10, max: 25 })) capped.push(event.id);
    expect(capped).toHaveLength(25);
  });

  it('gives detection the events after a sequence, in sequence order, wherever they are', () => {
    const outcomes = put({ id: 'a', time: NOW }, { id: 'b', time: NOW - DAY }, { id: 'c', time: NOW - 2 * DAY });
    indexAll();
    put({ id: 'd', time: NOW - DAY });
    const [first] = outcomes;
    if (!first.stored) throw new Error('expected a stored event');
    expect(temp.reader.eventsAfter(first.seq, 10).map((event) => event.id)).toEqual(['b', 'c', 'd']);
    expect(temp.reader.eventsAfter(first.seq, 2).map((event) => event.id)).toEqual(['b', 'c']);
    expect(temp.reader.eventsAfter(0, 10).map((event) => event.sequence)).toEqual([first.seq, first.seq + 1, first.seq + 2, first.seq + 3]);
    expect(temp.reader.getEvent(first.seq + 1)?.id).toBe('b');
    expect(temp.reader.getEvent(first.seq + 3)?.id).toBe('d');
    expect(temp.reader.getEvent(999)).toBeUndefined();
  });
});

describe('aggregates', () => {
  let temp: TempStore;
  let gateway: number;
  let orders: number;
  beforeEach(() => {
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW).id;
    orders = temp.store.addService('orders', NOW).id;
    // 12:00:00.000 is NOW. Events at odd offsets so edges fall inside minutes and hours.
    temp.store.insertEvents([
      eventRecord({ id: '1', time: NOW - 2 * HOUR - 30_000, serviceId: gateway, type: 2, reason: 1, ip: '198.51.100.1', username: 'root' }),
      eventRecord({ id: '2', time: NOW - HOUR + 5_000, serviceId: gateway, type: 2, reason: 1, ip: '198.51.100.1', username: 'root' }),
      eventRecord({ id: '3', time: NOW - 10 * MINUTE, serviceId: orders, type: 10, reason: 22, ip: '::ffff:198.51.100.1', clientId: 'web' }),
      eventRecord({ id: '4', time: NOW - 1_000, serviceId: orders, type: 8, reason: 13, ip: '2001:db8::7', clientId: 'web' }),
      eventRecord({ id: '5', time: NOW + 1_000, serviceId: gateway, type: 2, reason: 2, ip: '203.0.113.5', username: 'admin' }),
    ]);
  });
  afterEach(() => temp.remove());

  const spans = [
    ['whole hours', NOW - 3 * HOUR, NOW + HOUR],
    ['edges inside minutes', NOW - 2 * HOUR - 29_000, NOW + 999],
    ['a span inside one minute', NOW - 2_000, NOW + 2_000],
  ] as const;

  describe.each([
    ['still recent', false],
    ['indexed', true],
  ])('with events %s', (_where, indexed) => {
    beforeEach(() => {
      if (indexed) while (temp.store.indexRecentEvents(1000) > 0);
    });

    it.each(spans)('count exactly what lies in [since, until) over %s, in buckets of every size', (_span, since, until) => {
      const events = temp.reader.listEvents({ since, until, limit: 100 }).events;
      for (const bucket of ['minute', 'hour', 'day'] as const) {
        const counts = temp.reader.bucketCounts({ since, until, bucket });
        expect(counts.reduce((sum, row) => sum + row.count, 0)).toBe(events.length);
        expect(temp.reader.bucketCounts({ since, until, bucket, serviceIds: [orders] }).reduce((sum, row) => sum + row.count, 0)).toBe(
          events.filter((event) => event.serviceId === orders).length,
        );
      }
    });

    it('buckets by UTC hour with each count in the bucket its event time falls in', () => {
      const hours = temp.reader.bucketCounts({ since: NOW - 3 * HOUR, until: NOW + HOUR, bucket: 'hour', types: [2] });
      expect(hours.map((row) => [row.bucket - NOW, row.reason, row.count])).toEqual([
        [-3 * HOUR, 1, 1],
        [-HOUR, 1, 1],
        [0, 2, 1],
      ]);
    });

    it('ranks addresses by their canonical form, usernames and clients by failures, services and reasons by failures or all events', () => {
      const span = { since: NOW - 3 * HOUR, until: NOW + HOUR, limit: 5 };
      const exactly = (values: Array<{ value: string | number; count: number }>) => ({ values: values.map((row) => ({ ...row, margin: 0 })), exact: true });
      expect(temp.reader.topValues({ field: 'ip', ...span, failuresOnly: true })).toEqual(
        exactly([
          { value: '198.51.100.1', count: 3 },
          // Ties in key order: IPv4 (as ::ffff:a.b.c.d) before 2001:…
          { value: '203.0.113.5', count: 1 },
          { value: '2001:db8::7', count: 1 },
        ]),
      );
      expect(temp.reader.topValues({ field: 'username', ...span, failuresOnly: true })).toEqual(
        exactly([
          { value: 'root', count: 2 },
          { value: 'admin', count: 1 },
        ]),
      );
      expect(temp.reader.topValues({ field: 'clientId', ...span, failuresOnly: true })).toEqual(exactly([{ value: 'web', count: 2 }]));
      expect(temp.reader.topValues({ field: 'serviceId', ...span })).toEqual(
        exactly([
          { value: gateway, count: 3 },
          { value: orders, count: 2 },
        ]),
      );
      expect(temp.reader.topValues({ field: 'serviceId', ...span, failuresOnly: true, limit: 1 })).toEqual(exactly([{ value: gateway, count: 3 }]));
      expect(temp.reader.topValues({ field: 'reason', ...span, limit: 1 })).toEqual(exactly([{ value: 1, count: 2 }]));
      // Edges inside hours are read from the events themselves.
      expect(temp.reader.topValues({ field: 'ip', since: NOW - HOUR + 5_000, until: NOW, limit: 5, failuresOnly: true })).toEqual(
        exactly([
          { value: '198.51.100.1', count: 2 },
          { value: '2001:db8::7', count: 1 },
        ]),
      );
    });
  });
});

describe('query plans of the partition reads', () => {
  it.each([
    ['a time range', {}, 'by_time', /USING COVERING INDEX events_p20261128_by_time \(time>\? AND time<\?\)/],
    ['a type', { types: [2] }, 'by_type', /USING (COVERING )?INDEX events_p20261128_by_type \(type=\? AND time>\? AND time<\?\)/],
    ['a service', { serviceIds: [1] }, 'by_service', /USING (COVERING )?INDEX events_p20261128_by_service \(service_id=\? AND time>\? AND time<\?\)/],
    ['a reason', { reasons: [13] }, 'by_reason', /USING (COVERING )?INDEX events_p20261128_by_reason \(reason=\? AND time>\? AND time<\?\)/],
    ['a page after a cursor', { cursor: { time: NOW, seq: 5 } }, 'by_time', /USING COVERING INDEX events_p20261128_by_time \(time>\? AND time<\?\)/],
    // Led by the block of arrivals: every block in one IN list, each walked in time order with an
    // early stop after LIMIT rows (SQLite's ORDER BY ... LIMIT on IN), not one statement per block.
    ['a username', { usernames: ['alice'] }, 'by_block_username', /USING COVERING INDEX events_p20261128_by_block_username \(<expr>=\? AND username=\? AND time>\? AND time<\?\)/],
    ['one address', { ips: ['198.51.100.7'] }, 'by_block_ip_key', /USING COVERING INDEX events_p20261128_by_block_ip_key \(<expr>=\? AND ip_key=\? AND time>\? AND time<\?\)/],
    ['a client id', { clientIds: ['web'] }, 'by_block_client', /USING COVERING INDEX events_p20261128_by_block_client \(<expr>=\? AND client_id=\? AND time>\? AND time<\?\)/],
  ])('walks the index for %s in time order, with no sort', (_shape, query, index, plan) => {
    const temp = createTempStore();
    const raw = openRawDatabase(temp.file);
    try {
      const gateway = temp.store.addService('gateway', NOW).id;
      temp.store.insertEvents([eventRecord({ id: 'a', time: NOW, serviceId: gateway })]);
      while (temp.store.indexRecentEvents(100) > 0);
      const { connection: recording, statements } = recordingPrepares(raw);
      new EventQueries(recording, new PartitionCatalog(recording)).list({ ...query, since: NOW - DAY, until: NOW + DAY, limit: 10 });
      const [read] = statements.filter((sql) => sql.includes(`INDEXED BY events_p20261128_${index} `));
      const detail = queryPlan(raw, read);
      expect(detail).toMatch(plan);
      if (index.startsWith('by_block_')) expect(detail).toMatch(/LIST SUBQUERY/);
      else expect(detail).not.toMatch(/TEMP B-TREE/);
    } finally {
      raw.close();
      temp.remove();
    }
  });
});
