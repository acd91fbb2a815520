import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthwatchError } from '@/lib/errors';
import { decodeCursor, encodeCursor } from '@/lib/events/event-cursor';
import { searchEvents } from '@/lib/events/search-events';
import { parseEventSearchParams } from '@/lib/events/search-params';
import { inProcessReader } from '@/lib/store/event-reader';
import { MINUTE, NOW, createTempStore, eventRecord, type TempStore } from '@/tests/helpers/temp-store';

const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error instanceof AuthwatchError ? error.code : 'not an AuthwatchError';
  }
  return 'no error';
};
const params = (query: string) => parseEventSearchParams(new URLSearchParams(query));

describe('the read API query parameters', () => {
  it('reads repeated parameters as any of their values, and times as RFC 3339', () => {
    const parsed = params('type=login.failure&type=token.rejected&ip=10.0.0.0/8&ip=2001:db8::/32&from=2026-11-28T00:00:00Z&limit=5');
    expect(parsed).toMatchObject({ type: ['login.failure', 'token.rejected'], ip: ['10.0.0.0/8', '2001:db8::/32'], from: Date.parse('2026-11-28T00:00:00Z'), limit: 5 });
  });

  it.each([
    ['an unknown parameter', 'colour=red'],
    ['an unknown type', 'type=login.maybe'],
    ['a reason that is no reason', 'reason=because'],
    ['an address that is none', 'ip=10.0.0.256'],
    ['a CIDR prefix too long', 'ip=10.0.0.0/33'],
    ['an IPv6 prefix too long', 'ip=::/129'],
    ['a limit above 1000', 'limit=1001'],
    ['a limit of zero', 'limit=0'],
    ['a time without a zone', 'from=2026-11-28T00:00:00'],
    ['from after to', 'from=2026-11-29T00:00:00Z&to=2026-11-28T00:00:00Z'],
    ['too many values', Array.from({ length: 21 }, (_, i) => `username=u${i}`).join('&')],
    ['an over-long username', `username=${'a'.repeat(257)}`],
    ['a malformed service', 'service=Not_A_Service'],
  ])('refuses %s with ERR_QUERY_INVALID', (_case, query) => {
    expect(codeOf(() => params(query))).toBe('ERR_QUERY_INVALID');
  });

  it('never echoes an unknown parameter name beyond a bounded, safe form', () => {
    try {
      params(`${encodeURIComponent('<script>' + 'x'.repeat(100))}=1`);
    } catch (error) {
      expect((error as Error).message).not.toContain('<script>');
      expect((error as Error).message.length).toBeLessThan(120);
    }
  });

  it('round-trips a cursor and refuses any other string with ERR_CURSOR_INVALID', () => {
    expect(decodeCursor(encodeCursor({ time: NOW, seq: 42 }))).toEqual({ time: NOW, seq: 42 });
    for (const forged of ['', "1' OR 1=1", Buffer.from('1.2; DROP TABLE').toString('base64url'), Buffer.from('-1.2').toString('base64url'), 'x'.repeat(49)]) {
      expect(codeOf(() => decodeCursor(forged))).toBe('ERR_CURSOR_INVALID');
    }
  });
});

describe('searchEvents', () => {
  let temp: TempStore;
  beforeEach(() => {
    temp = createTempStore();
    const gateway = temp.store.addService('gateway', NOW).id;
    const orders = temp.store.addService('orders', NOW).id;
    temp.store.insertEvents([
      eventRecord({ id: 'a', time: NOW - 2 * MINUTE, serviceId: gateway, type: 2, reason: 1, username: 'alice', document: JSON.stringify({ id: 'a', note: 'Mozilla 100%' }) }),
      eventRecord({ id: 'b', time: NOW - MINUTE, serviceId: orders, type: 8, reason: 13 }),
      eventRecord({ id: 'c', time: NOW, serviceId: gateway, type: 2, reason: 2, username: 'bob' }),
    ]);
  });
  afterEach(() => temp.remove());
  const search = (query: string) => searchEvents({ ctx: { store: temp.store, reader: inProcessReader(temp.reader), now: NOW }, input: params(query) });

  it('pages newest first with an opaque cursor, each event the stored document with its seq and arrival', async () => {
    const first = await search('limit=2');
    expect(first.events.map((event) => event.id)).toEqual(['c', 'b']);
    expect(first.events[0]).toMatchObject({ seq: expect.any(Number), received_at: new Date(NOW).toISOString() });
    const second = await search(`limit=2&cursor=${first.next_cursor}`);
    expect(second).toEqual({ events: [expect.objectContaining({ id: 'a' })], next_cursor: null });
  });

  it('filters by names as the contract spells them', async () => {
    expect((await search('service=gateway&reason=unknown_user')).events.map((event) => event.id)).toEqual(['c']);
    expect((await search('type=token.rejected')).events.map((event) => event.id)).toEqual(['b']);
    expect((await search('service=nothing-here')).events).toEqual([]);
  });

  it('searches free text case-insensitively, LIKE wildcards matching only themselves', async () => {
    expect((await search('q=mozilla')).events.map((event) => event.id)).toEqual(['a']);
    expect((await search('q=100%25')).events.map((event) => event.id)).toEqual(['a']);
    expect((await search('q=10_%25')).events).toEqual([]);
  });
});
