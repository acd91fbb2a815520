import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '@/lib/context';
import { EVENT_TYPE_CODES, REASON_CODES } from '@/lib/events/catalog';
import { exportEvents } from '@/lib/events/export-events';
import { parseEventSearchParams } from '@/lib/events/search-params';
import { inProcessReader } from '@/lib/store/event-reader';
import { overviewStats } from '@/lib/stats/overview-stats';
import { resolveTimeRange } from '@/lib/stats/time-range';
import { AuthwatchError } from '@/lib/errors';
import { HOUR, MINUTE, NOW, createTempStore, eventRecord, type TempStore } from '@/tests/helpers/temp-store';

const T = EVENT_TYPE_CODES;

describe('the overview stats verb', () => {
  let temp: TempStore;
  let ctx: Context;
  let serviceId: number;
  let sequence = 0;
  const put = (count: number, at: number, fields: Partial<Parameters<typeof eventRecord>[0]>) =>
    temp.store.insertEvents(Array.from({ length: count }, () => eventRecord({ id: `e${sequence++}`, time: at, serviceId, ...fields })));

  beforeEach(() => {
    temp = createTempStore();
    serviceId = temp.store.addService('gateway', NOW - 3 * HOUR).id;
    ctx = { store: temp.store, reader: inProcessReader(temp.reader), now: NOW };
    // The last hour: 5 failed logins from .1 (3 for alice), 2 from .2, 3 expired tokens, 1 success.
    put(3, NOW - 10 * MINUTE, { type: T['login.failure'], reason: REASON_CODES.bad_credentials, ip: '203.0.113.1', username: 'alice' });
    put(2, NOW - 20 * MINUTE, { type: T['login.failure'], reason: REASON_CODES.unknown_user, ip: '203.0.113.1', username: 'bob' });
    put(2, NOW - 30 * MINUTE, { type: T['login.failure'], reason: REASON_CODES.bad_credentials, ip: '203.0.113.2', username: 'alice' });
    put(3, NOW - 5 * MINUTE, { type: T['token.rejected'], reason: REASON_CODES.expired, ip: '198.51.100.9', clientId: 'mobile' });
    put(1, NOW - 5 * MINUTE, { type: T['login.success'], ip: '203.0.113.50', username: 'carol' });
    // The hour before: 2 failed logins (the previous period).
    put(2, NOW - 90 * MINUTE, { type: T['login.failure'], reason: REASON_CODES.bad_credentials, ip: '203.0.113.1' });
  });
  afterEach(() => temp.remove());

  it('counts each tile over the range and the previous period, with a zero-filled series', async () => {
    const stats = await overviewStats({ ctx, range: resolveTimeRange({ range: '1h' }, NOW) });
    const tile = (type: string) => stats.kpis.find((kpi) => kpi.type === type)!;
    expect(tile('login.failure')).toMatchObject({ count: 7, previous: 2 });
    expect(tile('token.rejected')).toMatchObject({ count: 3, previous: 0 });
    expect(tile('mtls.rejected')).toMatchObject({ count: 0, previous: 0 });
    expect(stats.total).toBe(11);
    expect(stats.reported).toBe(11);
    expect(stats.bucket).toBe('minute');
    expect(stats.series).toHaveLength(60);
    expect(tile('login.failure').series.reduce((a, b) => a + b, 0)).toBe(7);
    expect(stats.series.filter((row) => row['login.failure'] > 0).map((row) => row['login.failure'])).toEqual([2, 2, 3]);
  });

  it('ranks failures by address, username and client, and breaks failures down by reason', async () => {
    const stats = await overviewStats({ ctx, range: resolveTimeRange({ range: '1h' }, NOW) });
    expect(stats.top.ips).toEqual([
      { value: '203.0.113.1', count: 5 },
      { value: '198.51.100.9', count: 3 },
      { value: '203.0.113.2', count: 2 },
    ]);
    expect(stats.top.usernames).toEqual([
      { value: 'alice', count: 5 },
      { value: 'bob', count: 2 },
    ]);
    expect(stats.top.clients).toEqual([{ value: 'mobile', count: 3 }]);
    expect(stats.top.services).toEqual([{ value: 'gateway', count: 11 }]);
    expect(stats.top.exact).toEqual({ ips: true, usernames: true, clients: true });
    expect(stats.reasons).toEqual([
      { type: 'login.failure', reason: 'bad_credentials', count: 5 },
      { type: 'token.rejected', reason: 'expired', count: 3 },
      { type: 'login.failure', reason: 'unknown_user', count: 2 },
    ]);
  });

  it('resolves presets, custom spans and refuses impossible ones', () => {
    expect(resolveTimeRange({ range: '7d' }, NOW)).toMatchObject({ from: NOW - 7 * 24 * HOUR, to: NOW, bucket: 'hour', preset: '7d' });
    expect(resolveTimeRange({}, NOW)).toMatchObject({ preset: '24h', bucket: 'hour' });
    expect(resolveTimeRange({ from: NOW - HOUR, to: NOW }, NOW)).toMatchObject({ preset: null, bucket: 'minute' });
    expect(() => resolveTimeRange({ from: NOW, to: NOW - 1 }, NOW)).toThrow(AuthwatchError);
    expect(() => resolveTimeRange({ from: NOW - 100 * 24 * HOUR, to: NOW }, NOW)).toThrow(AuthwatchError);
  });

  it('exports the filtered events as escaped CSV and as NDJSON, newest first', async () => {
    put(1, NOW - MINUTE, { type: T['login.failure'], reason: REASON_CODES.bad_credentials, ip: '192.0.2.66', username: '=cmd|"/c calc"!A1' });
    const input = parseEventSearchParams(new URLSearchParams('ip=192.0.2.66&ip=203.0.113.2'));
    const csv = [];
    for await (const line of exportEvents({ ctx, input, format: 'csv' })) csv.push(line);
    expect(csv).toHaveLength(4);
    expect(csv[0]).toBe('seq,id,time,received_at,service,type,reason,ip,username,subject,client_id,jti,event\r\n');
    expect(csv[1]).toContain(`,gateway,login.failure,bad_credentials,192.0.2.66,"'=cmd|""/c calc""!A1",`);
    expect(csv.slice(2).every((line) => line.includes(',203.0.113.2,alice,'))).toBe(true);
    const ndjson = [];
    for await (const line of exportEvents({ ctx, input, format: 'ndjson' })) ndjson.push(JSON.parse(line) as { seq: number });
    expect(ndjson).toHaveLength(3);
    expect(ndjson[0].seq).toBeGreaterThan(ndjson[1].seq);
  });
});
