import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '@/lib/context';
import { EVENT_TYPE_CODES, REASON_CODES } from '@/lib/events/catalog';
import { inProcessReader } from '@/lib/store/event-reader';
import { serviceHealth } from '@/lib/stats/service-health';
import { HOUR, MINUTE, NOW, createTempStore, eventRecord, type TempStore } from '@/tests/helpers/temp-store';

describe('the services health verb', () => {
  let temp: TempStore;
  let ctx: Context;

  beforeEach(() => {
    temp = createTempStore();
    const gateway = temp.store.addService('gateway', NOW - 3 * HOUR).id;
    const billing = temp.store.addService('billing', NOW - 3 * HOUR).id;
    temp.store.addService('idle', NOW - 3 * HOUR);
    ctx = { store: temp.store, reader: inProcessReader(temp.reader), now: NOW };
    const put = (id: string, serviceId: number, time: number, type: number, reason: number | null = null) =>
      temp.store.insertEvents([eventRecord({ id, serviceId, time, type, reason })]);
    // gateway: 3 events in the last hour (1 failure), one 2 h ago; billing: last event 20 minutes ago.
    put('g1', gateway, NOW - 5 * MINUTE, EVENT_TYPE_CODES['login.failure'], REASON_CODES.bad_credentials);
    put('g2', gateway, NOW - 10 * MINUTE, EVENT_TYPE_CODES['login.success']);
    put('g3', gateway, NOW - 30 * MINUTE, EVENT_TYPE_CODES['access.granted']);
    put('g4', gateway, NOW - 2 * HOUR, EVENT_TYPE_CODES['access.granted']);
    put('b1', billing, NOW - 20 * MINUTE, EVENT_TYPE_CODES['access.denied'], REASON_CODES.forbidden);
  });
  afterEach(() => temp.remove());

  it('gives each service its last event, rate, failure ratio and series, and flags the silent one', async () => {
    const byName = new Map((await serviceHealth({ ctx })).map((service) => [service.name, service]));
    expect(byName.get('gateway')).toMatchObject({ last_event: new Date(NOW - 5 * MINUTE).toISOString(), rate_per_minute: 3 / 60, failure_ratio: 0.25, events_24h: 4, silent: false });
    expect(byName.get('gateway')!.series.reduce((a, b) => a + b, 0)).toBe(4);
    expect(byName.get('gateway')!.series).toHaveLength(24);
    expect(byName.get('billing')).toMatchObject({ failure_ratio: 1, silent: true });
    expect(byName.get('idle')).toMatchObject({ last_event: null, failure_ratio: null, events_24h: 0, silent: false });
  });
});
