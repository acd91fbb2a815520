import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPE_CODES, REASON_CODES } from '@/lib/events/catalog';
import { ingestEvents, type IngestOutcome } from '@/lib/ingest/ingest-events';
import { prepareEvents, type IngestService } from '@/lib/ingest/prepare-events';
import { fromEventRow } from '@/lib/store/event-row';
import type { BatchItem, EventBody } from '@/lib/ingest/read-batch';
import { DAY, MINUTE, NOW, createTempStore, type TempStore } from '@/tests/helpers/temp-store';

const iso = (time: number) => new Date(time).toISOString();
const good = (overrides: Record<string, unknown> = {}) => ({ id: 'e-1', time: iso(NOW - MINUTE), type: 'login.success', ...overrides });
const values = (...events: unknown[]): BatchItem[] => events.map((value) => ({ kind: 'value', value }));
/** The NDJSON body that parses into `items`; a malformed item's line is not JSON. */
const ndjson = (items: BatchItem[]): EventBody => {
  const text = items.map((item) => (item.kind === 'value' ? JSON.stringify(item.value) : '{not json')).join('\n');
  return { mediaType: 'ndjson', text, bytes: Buffer.byteLength(text) };
};
const ID_KEY = randomBytes(32);
const redactionsOf = (outcome: IngestOutcome) => outcome.stored.reduce((sum, row) => sum + fromEventRow(row).redactions, 0);

describe('prepareEvents, then ingestEvents', () => {
  let temp: TempStore;
  let gateway: IngestService;
  const ingest = (items: BatchItem[], now = NOW, service = gateway) =>
    ingestEvents({ ctx: { store: temp.store, now }, input: { batch: prepareEvents({ body: ndjson(items), service, now, retentionDays: 30, idKey: ID_KEY }), fairnessKey: 'test' } });

  beforeEach(() => {
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW);
    temp.store.addService('orders', NOW);
  });
  afterEach(() => temp.remove());

  it('stores the good items of a batch and reports each bad one by index and code', async () => {
    const outcome = (await ingest([
      { kind: 'value', value: good({ id: 'a' }) },
      { kind: 'malformed', line: 2 },
      { kind: 'value', value: good({ id: 'c', type: 'login.failure' }) },
      { kind: 'value', value: good({ id: 'd', role: 'ADMIN' }) },
      { kind: 'value', value: good({ id: 'e', actor: { email: 'x' } }) },
      { kind: 'value', value: good({ id: 'f', service: 'orders' }) },
      { kind: 'value', value: good({ id: 'g', time: iso(NOW + 5 * MINUTE + 1) }) },
      { kind: 'value', value: good({ id: 'h', time: iso(NOW - 30 * DAY - 1) }) },
      { kind: 'value', value: 42 },
      { kind: 'value', value: good({ id: 'j', service: 'gateway' }) },
    ]));
    expect(outcome.result.accepted).toBe(2);
    expect(outcome.result.duplicates).toBe(0);
    expect(outcome.result.rejected.map(({ index, error }) => [index, error.code])).toEqual([
      [1, 'ERR_EVENT_MALFORMED'],
      [2, 'ERR_EVENT_INVALID'],
      [3, 'ERR_EVENT_UNKNOWN_FIELD'],
      [4, 'ERR_EVENT_UNKNOWN_FIELD'],
      [5, 'ERR_SERVICE_MISMATCH'],
      [6, 'ERR_EVENT_TIME_IN_FUTURE'],
      [7, 'ERR_EVENT_TIME_TOO_OLD'],
      [8, 'ERR_EVENT_INVALID'],
    ]);
    expect(temp.reader.listEvents({}).events.map((event) => event.id).sort()).toEqual(['a', 'j']);
  });

  it.each([
    ['exactly 5 min ahead', NOW + 5 * MINUTE, 1],
    ['5 min and 1 ms ahead', NOW + 5 * MINUTE + 1, 0],
    ['exactly at the retention edge', NOW - 30 * DAY, 1],
    ['1 ms past the retention edge', NOW - 30 * DAY - 1, 0],
  ])('handles a time %s', async (_what, time, accepted) => {
    expect((await ingest(values(good({ time: iso(time) })))).result.accepted).toBe(accepted);
  });

  it('judges an offset time by its instant', async () => {
    const sixMinutesAheadInParis = new Date(NOW + 6 * MINUTE + 3_600_000).toISOString().replace('Z', '+01:00');
    expect((await ingest(values(good({ time: sixMinutesAheadInParis })))).result.rejected[0].error.code).toBe('ERR_EVENT_TIME_IN_FUTURE');
  });

  it('names the unknown field without echoing its value', async () => {
    const { message } = (await ingest(values(good({ actor: { email: 'hunter2' } })))).result.rejected[0].error;
    expect(message).toContain('actor.email');
    expect(message).not.toContain('hunter2');
  });

  it('stores a repeat within one batch once', async () => {
    const outcome = (await ingest(values(good({ id: 'x' }), good({ id: 'x' }), good({ id: 'y' }))));
    expect(outcome.result).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
    expect(outcome.stored.map((row) => fromEventRow(row).id)).toEqual(['x', 'y']);
    expect(temp.reader.countEvents({})).toBe(2);
  });

  it('stores a repeat across batches once', async () => {
    (await ingest(values(good({ id: 'x' }))));
    const retry = (await ingest(values(good({ id: 'x' }), good({ id: 'z' })), NOW + MINUTE));
    expect(retry.result).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect(temp.reader.countEvents({})).toBe(2);
  });

  it('treats the same id from another service as a different event', async () => {
    (await ingest(values(good({ id: 'x' }))));
    const other = await ingest(values(good({ id: 'x' })), NOW, temp.store.findServiceByName('orders')!);
    expect(other.result.accepted).toBe(1);
  });

  it('gives an event without an id a server id, so its resend is stored again', async () => {
    const { id: _omitted, ...anonymous } = good();
    (await ingest(values(anonymous)));
    (await ingest(values(anonymous)));
    const stored = temp.reader.listEvents({}).events;
    expect(stored).toHaveLength(2);
    expect(stored[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored[0].id).not.toBe(stored[1].id);
    expect(JSON.parse(stored[0].document).id).toBe(stored[0].id);
  });

  it('stores the redacted document with the credential service and indexed columns', async () => {
    const outcome = (await ingest(
      values(
        good({
          type: 'token.rejected',
          reason: 'expired',
          source: { ip: '2001:DB8::1', user_agent: 'Bearer abcdefgh12345678' },
          actor: { username: 'alice', subject: 'u-1', client_id: 'web' },
          token: { jti: 'j-9' },
          attributes: { password: 'hunter2' },
        }),
      ),
    ));
    expect(redactionsOf(outcome)).toBe(2);
    const [stored] = temp.reader.listEvents({}).events;
    expect(stored).toMatchObject({
      id: 'e-1',
      time: NOW - MINUTE,
      receivedAt: NOW,
      serviceId: gateway.id,
      type: EVENT_TYPE_CODES['token.rejected'],
      reason: REASON_CODES.expired,
      ip: '2001:db8::1',
      username: 'alice',
      subject: 'u-1',
      clientId: 'web',
      jti: 'j-9',
      redactions: 2,
    });
    expect(stored.document).not.toContain('hunter2');
    expect(stored.document).not.toContain('abcdefgh12345678');
    expect(JSON.parse(stored.document)).toMatchObject({
      service: 'gateway',
      source: { user_agent: 'Bearer [REDACTED:bearer]' },
      attributes: { password: '[REDACTED:secret]' },
    });
  });

  it('stores an event whose id holds a credential once, under a digest, and recognises its retry', async () => {
    const secretId = `sessionid=${'Zx9'.repeat(8)}`;
    expect((await ingest(values(good({ id: secretId })))).result).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await ingest(values(good({ id: secretId })), NOW + MINUTE)).result).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const [stored] = temp.reader.listEvents({}).events;
    expect(temp.reader.countEvents({})).toBe(1);
    expect(stored.id).toMatch(/^hmac-sha256:/);
    expect(stored.document).not.toContain('Zx9Zx9');
    expect(stored.redactions).toBe(1);
  });

  it('rejects an item whose attributes name a prototype key, and stores the rest', async () => {
    const outcome = await ingest([
      { kind: 'value', value: JSON.parse('{"id":"p","time":"' + iso(NOW - MINUTE) + '","type":"login.success","attributes":{"__proto__":{"x":1}}}') },
      { kind: 'value', value: good({ id: 'c', attributes: { constructor: 'x' } }) },
      { kind: 'value', value: good({ id: 'ok', attributes: { toString: 'fine' } }) },
    ]);
    expect(outcome.result.rejected.map(({ index, error }) => [index, error.code])).toEqual([
      [0, 'ERR_EVENT_RESERVED_KEY'],
      [1, 'ERR_EVENT_RESERVED_KEY'],
    ]);
    expect(outcome.result.rejected[0].error.message).toContain('__proto__');
    expect(temp.reader.listEvents({}).events.map((event) => event.id)).toEqual(['ok']);
  });

  it('lists the first 100 rejections in full and counts the rest by code', async () => {
    const items: BatchItem[] = [
      ...Array.from({ length: 900 }, (): BatchItem => ({ kind: 'value', value: { type: 'nope' } })),
      ...Array.from({ length: 99 }, (_, line): BatchItem => ({ kind: 'malformed', line })),
      { kind: 'value', value: good({ id: 'kept' }) },
    ];
    const outcome = await ingest(items);
    expect(outcome.result.accepted).toBe(1);
    expect(outcome.result.rejected).toHaveLength(100);
    expect(outcome.result.rejected_omitted).toEqual({ count: 899, by_code: { ERR_EVENT_INVALID: 800, ERR_EVENT_MALFORMED: 99 } });
    // At most 100 messages of at most 200 characters, where the whole list used to be ~388 KB.
    expect(JSON.stringify(outcome.result).length).toBeLessThan(32_000);
  });

  it('never echoes an unknown field name that holds a credential, nor a long one', async () => {
    const key = 'AKIAIOSFODNN7EXAMPLE';
    const long = 'x'.repeat(500);
    const { message } = (await ingest(values(good({ actor: { [key]: 1, [long]: 2, email: 3 } })))).result.rejected[0].error;
    expect(message).not.toContain(key);
    expect(message).not.toContain('x'.repeat(40));
    expect(message).toContain('actor.email');
    expect(message).toContain('<a name of 20 characters>');
    expect(message.length).toBeLessThanOrEqual(200);
  });

  it('replaces a lone surrogate in any string or name with U+FFFD and stores valid UTF-8', async () => {
    const text = '{"id":"s","time":"' + iso(NOW - MINUTE) + '","type":"login.success","source":{"user_agent":"a\\ud800b"},"attributes":{"k\\udfff":"\\ud83d\\ude00"}}';
    const body: EventBody = { mediaType: 'json', text, bytes: text.length };
    const outcome = await ingestEvents({
      ctx: { store: temp.store, now: NOW },
      input: { batch: prepareEvents({ body, service: gateway, now: NOW, retentionDays: 30, idKey: ID_KEY }), fairnessKey: 'test' },
    });
    expect(outcome.result.accepted).toBe(1);
    const document = JSON.parse(temp.reader.listEvents({}).events[0].document);
    expect(document.source.user_agent).toBe('a\ufffdb');
    expect(document.attributes).toEqual({ 'k\ufffd': '\u{1F600}' });
  });

  it('counts redactions only for events actually stored', async () => {
    (await ingest(values(good({ attributes: { password: 'a' } }))));
    expect(redactionsOf(await ingest(values(good({ attributes: { password: 'a' } }))))).toBe(0);
  });

  it('keeps rollups equal to the stored events', async () => {
    (await ingest(
      values(
        good({ id: '1', time: iso(NOW - 2 * MINUTE), type: 'login.failure', reason: 'bad_credentials' }),
        good({ id: '2', time: iso(NOW - 2 * MINUTE + 1000), type: 'login.failure', reason: 'bad_credentials' }),
        good({ id: '3', time: iso(NOW - 2 * MINUTE), type: 'login.failure', reason: 'unknown_user' }),
        good({ id: '4', time: iso(NOW - MINUTE) }),
        good({ id: '4', time: iso(NOW - MINUTE) }),
        good({ id: '5', time: iso(NOW - 3 * MINUTE), type: 'login.failure' }),
      ),
    ));
    const expected = new Map<string, number>();
    for (const event of temp.reader.listEvents({}).events) {
      const key = `${Math.floor(event.time / MINUTE)}:${event.serviceId}:${event.type}:${event.reason}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const rollups = temp.reader.bucketCounts({ since: NOW - DAY, until: NOW, bucket: 'minute' });
    expect(new Map(rollups.map((row) => [`${row.bucket / MINUTE}:${row.serviceId}:${row.type}:${row.reason}`, row.count]))).toEqual(expected);
    expect(rollups.reduce((sum, row) => sum + row.count, 0)).toBe(4);
  });

  it('touches nothing when every item is rejected', async () => {
    const outcome = (await ingest([{ kind: 'malformed', line: 1 }]));
    expect(outcome.result).toEqual({ accepted: 0, duplicates: 0, rejected: [{ index: 0, error: expect.objectContaining({ code: 'ERR_EVENT_MALFORMED' }) }] });
    expect(temp.reader.countEvents({})).toBe(0);
  });
});
