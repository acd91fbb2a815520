import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAlertSearchParams } from '@/lib/alerts/alert-search-params';
import { changeAlert } from '@/lib/alerts/change-alert';
import { getAlert } from '@/lib/alerts/get-alert';
import { listAlerts } from '@/lib/alerts/list-alerts';
import type { Context } from '@/lib/context';
import { AuthwatchError } from '@/lib/errors';
import { runDetection } from '@/lib/detection/run-detection';
import { backtestRule } from '@/lib/rules/backtest-rule';
import { listRules } from '@/lib/rules/list-rules';
import { updateRule } from '@/lib/rules/update-rule';
import { inProcessReader } from '@/lib/store/event-reader';
import { openSqliteDetection, type SqliteDetection } from '@/lib/store/sqlite/sqlite-detection';
import { MINUTE, NOW, createTempStore, eventRecord, type TempStore } from '@/tests/helpers/temp-store';

async function codeOf(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    return error instanceof AuthwatchError ? error.code : String(error);
  }
  return 'no error';
}

describe('the alerts and rules verbs', () => {
  let temp: TempStore;
  let detection: SqliteDetection;
  let ctx: Context;
  const attack = (ip: string, count: number, at: number) =>
    temp.store.insertEvents(
      Array.from({ length: count }, (_, i) =>
        eventRecord({ id: `${ip}-${at}-${i}`, time: at + i * 1000, receivedAt: at + i * 1000, serviceId: 1, type: 2, reason: 1, ip, username: `u${i}`, document: '{"service":"gateway"}' }),
      ),
    );
  const detect = (now = NOW + 10 * MINUTE) => runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now, limit: 1000 });

  beforeEach(() => {
    temp = createTempStore();
    temp.store.addService('gateway', NOW);
    detection = openSqliteDetection({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 });
    ctx = { store: temp.store, reader: inProcessReader(temp.reader), now: NOW + 10 * MINUTE };
    attack('203.0.113.1', 12, NOW);
    attack('203.0.113.2', 10, NOW + MINUTE);
    detect();
  });
  afterEach(() => {
    detection.close();
    temp.remove();
  });

  it('lists alerts newest first with counts per status, filtered and paged', async () => {
    const all = await listAlerts({ ctx, input: parseAlertSearchParams(new URLSearchParams('rule=brute_force_ip')) });
    expect(all.alerts.map((alert) => alert.key.ip)).toEqual(['203.0.113.2', '203.0.113.1']);
    expect(all.counts).toEqual({ open: 2, acknowledged: 0, resolved: 0 });
    expect(all.alerts[1]).toMatchObject({ rule: 'brute_force_ip', severity: 'high', status: 'open', count: 12, service: 'gateway', title: expect.any(String) });
    expect(new URLSearchParams(all.alerts[1].explorer.split('?')[1]).get('ip')).toBe('203.0.113.1');
    const first = await listAlerts({ ctx, input: parseAlertSearchParams(new URLSearchParams('rule=brute_force_ip&limit=1')) });
    const second = await listAlerts({ ctx, input: parseAlertSearchParams(new URLSearchParams(`rule=brute_force_ip&limit=1&cursor=${first.next_cursor}`)) });
    expect([...first.alerts, ...second.alerts].map((alert) => alert.key.ip)).toEqual(['203.0.113.2', '203.0.113.1']);
    expect(second.next_cursor).toBeNull();
    expect(await codeOf(() => parseAlertSearchParams(new URLSearchParams('status=closed')))).toBe('ERR_QUERY_INVALID');
  });

  it('acknowledges, annotates, resolves and reopens an alert, each in its history under who did it', async () => {
    const [alert] = (await listAlerts({ ctx, input: parseAlertSearchParams(new URLSearchParams('rule=brute_force_ip&limit=1')) })).alerts;
    changeAlert({ ctx, input: { id: alert.id, actor: 'manager@example.com', change: { status: 'acknowledged', note: 'looking' } } });
    changeAlert({ ctx, input: { id: alert.id, actor: 'manager@example.com', change: { note: 'blocked at the WAF' } } });
    changeAlert({ ctx, input: { id: alert.id, actor: 'admin@example.com', change: { status: 'resolved' } } });
    const reopened = changeAlert({ ctx, input: { id: alert.id, actor: 'admin@example.com', change: { status: 'open' } } });
    expect(reopened.status).toBe('open');
    const detail = await getAlert({ ctx, input: { id: alert.id } });
    expect(detail.history.map((entry) => [entry.actor, entry.action, entry.note])).toEqual([
      ['detection', 'opened', null],
      ['manager@example.com', 'acknowledged', 'looking'],
      ['manager@example.com', 'annotated', 'blocked at the WAF'],
      ['admin@example.com', 'resolved', null],
      ['admin@example.com', 'reopened', null],
    ]);
    expect(detail.evidence).toHaveLength(10);
    expect(detail.evidence[0]).toMatchObject({ seq: expect.any(Number), id: expect.stringContaining('203.0.113.2') });
    expect(await codeOf(() => changeAlert({ ctx, input: { id: alert.id, actor: 'm', change: { status: 'closed' } } }))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(() => changeAlert({ ctx, input: { id: alert.id, actor: 'm', change: {} } }))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(() => changeAlert({ ctx, input: { id: 9999, actor: 'm', change: { status: 'resolved' } } }))).toBe('ERR_ALERT_UNKNOWN');
    expect(await codeOf(() => getAlert({ ctx, input: { id: 9999 } }))).toBe('ERR_ALERT_UNKNOWN');
  });

  it('the engine keeps a person’s status: an acknowledged alert stays acknowledged while its attack goes on', async () => {
    const [alert] = (await listAlerts({ ctx, input: parseAlertSearchParams(new URLSearchParams('rule=brute_force_ip&limit=1')) })).alerts;
    changeAlert({ ctx, input: { id: alert.id, actor: 'manager@example.com', change: { status: 'acknowledged' } } });
    attack('203.0.113.2', 3, NOW + 2 * MINUTE);
    detect();
    expect(await getAlert({ ctx, input: { id: alert.id } })).toMatchObject({ status: 'acknowledged', count: 13 });
  });

  it('lists every rule with its parameters and the alerts of the last 7 days, and saves validated parameters', async () => {
    const { rules } = await listRules({ ctx });
    expect(rules).toHaveLength(13);
    expect(rules.find((rule) => rule.id === 'brute_force_ip')).toMatchObject({ enabled: true, severity: 'high', alerts_last_7_days: 2, customised: false });
    updateRule({ ctx, input: { id: 'brute_force_ip', actor: 'manager@example.com', params: { threshold: 11, window_seconds: 300 } } });
    expect((await listRules({ ctx })).rules.find((rule) => rule.id === 'brute_force_ip')).toMatchObject({ params: { threshold: 11 }, customised: true });
    expect(await codeOf(() => updateRule({ ctx, input: { id: 'brute_force_ip', actor: 'm', params: { threshold: -1 } } }))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(() => updateRule({ ctx, input: { id: 'brute_force_ip', actor: 'm', params: { colour: 'red' } } }))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(() => updateRule({ ctx, input: { id: 'no_such_rule', actor: 'm', params: {} } }))).toBe('ERR_RULE_UNKNOWN');
  });

  it('backtests proposed parameters against the current ones over stored events', async () => {
    const result = await backtestRule({ ctx, input: { id: 'brute_force_ip', body: { params: { threshold: 11 }, days: 1 } } });
    expect(result.current).toMatchObject({ alerts: 2, events: 22, truncated: false });
    expect(result.proposed).toMatchObject({ alerts: 1, keys: [expect.objectContaining({ key: { ip: '203.0.113.1' }, count: 12 })] });
    expect(await codeOf(() => backtestRule({ ctx, input: { id: 'brute_force_ip', body: { params: {}, days: 90 } } }))).toBe('ERR_INVALID_INPUT');
  });
});
