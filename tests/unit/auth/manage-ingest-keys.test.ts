import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticateIngest } from '@/lib/auth/authenticate-ingest';
import { createIngestKey, listIngestKeys, revokeIngestKey, type CreateIngestKeyInput } from '@/lib/auth/manage-ingest-keys';
import { DAY, HOUR, MINUTE, NOW, createTempStore, type TempStore } from '@/tests/helpers/temp-store';

describe('managing ingest keys', () => {
  let temp: TempStore;
  const ctx = (now = NOW) => ({ store: temp.store, now });
  const create = (input: CreateIngestKeyInput, now = NOW) => createIngestKey({ ctx: ctx(now), input });

  beforeEach(() => {
    temp = createTempStore();
    temp.store.addService('gateway', NOW);
  });
  afterEach(() => temp.remove());

  it.each([
    [undefined, null],
    ['90d', NOW + 90 * DAY],
    ['12h', NOW + 12 * HOUR],
    ['30m', NOW + 30 * MINUTE],
    ['1d', NOW + DAY],
  ])('creates a key that expires after %s', (expires, expiresAt) => {
    const created = create({ service: 'gateway', expires });
    expect(created).toMatchObject({ service: 'gateway', expiresAt });
    expect(created.key).toBe(`aw_${created.id}_${created.key.slice(16)}`);
    expect(temp.store.findIngestKey(created.id)).toMatchObject({ createdAt: NOW, expiresAt, revokedAt: null });
  });

  it.each(['0d', '90', 'd', '1w', '1.5h', '-1d', '100000d', ' 90d', '90D'])('refuses the lifetime %j with ERR_INVALID_INPUT', (expires) => {
    expect(() => create({ service: 'gateway', expires })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
  });

  it('refuses an invalid service name with ERR_INVALID_INPUT', () => {
    expect(() => create({ service: 'Not A Service' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
  });

  it('refuses an unregistered service with ERR_SERVICE_UNKNOWN', () => {
    expect(() => create({ service: 'orders' })).toThrow(expect.objectContaining({ code: 'ERR_SERVICE_UNKNOWN' }));
  });

  it('keeps several keys of one service active at once, for rotation', () => {
    const first = create({ service: 'gateway' });
    const second = create({ service: 'gateway', expires: '90d' }, NOW + MINUTE);
    for (const { key } of [first, second]) {
      expect(authenticateIngest({ ctx: ctx(), input: { authorization: `Bearer ${key}` } }).serviceName).toBe('gateway');
    }
    revokeIngestKey({ ctx: ctx(), input: { id: first.id } });
    expect(authenticateIngest({ ctx: ctx(), input: { authorization: `Bearer ${second.key}` } }).keyId).toBe(second.id);
  });

  it('lists keys with their status at the given time, and never their secret', () => {
    temp.store.addService('orders', NOW);
    const active = create({ service: 'gateway' });
    const expiring = create({ service: 'gateway', expires: '1h' }, NOW + 1);
    const revoked = create({ service: 'orders' });
    revokeIngestKey({ ctx: ctx(NOW + 2), input: { id: revoked.id } });

    const listed = listIngestKeys({ ctx: ctx(NOW + HOUR + 1) });
    expect(listed.map(({ id, service, status }) => ({ id, service, status }))).toEqual([
      { id: active.id, service: 'gateway', status: 'active' },
      { id: expiring.id, service: 'gateway', status: 'expired' },
      { id: revoked.id, service: 'orders', status: 'revoked' },
    ]);
    expect(listed.find((key) => key.id === revoked.id)?.revokedAt).toBe(NOW + 2);
    expect(JSON.stringify(listed)).not.toContain(active.key.slice(16));
    expect(listIngestKeys({ ctx: ctx(NOW + HOUR) }).find((key) => key.id === expiring.id)?.status).toBe('active');
  });

  it('refuses to revoke an unknown key with ERR_KEY_UNKNOWN and keeps the first revocation time', () => {
    expect(() => revokeIngestKey({ ctx: ctx(), input: { id: 'ffffffffffff' } })).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNKNOWN' }));
    const { id } = create({ service: 'gateway' });
    revokeIngestKey({ ctx: ctx(NOW), input: { id } });
    revokeIngestKey({ ctx: ctx(NOW + DAY), input: { id } });
    expect(temp.store.findIngestKey(id)?.revokedAt).toBe(NOW);
  });
});
