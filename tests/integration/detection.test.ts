import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDetection } from '@/lib/store/sqlite/sqlite-detection';
import { makeEvent, type TestEvent } from '../helpers/events';
import { get, ingestResult, postEvents } from '../helpers/http';
import { parsePrometheus, valueOf } from '../helpers/metrics';
import { provisionService, withReader } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

const started: RunningServer[] = [];
afterAll(async () => {
  for (const server of started.reverse()) await server.dispose();
});

async function metrics(url: string) {
  return parsePrometheus((await get(url, '/api/metrics')).text);
}

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every alert in the database, read on a connection of the test's own. */
function storedAlerts(dbFile: string) {
  const detection = openSqliteDetection({ file: dbFile, synchronous: 'FULL', busyTimeoutMs: 5_000, cacheMegabytes: 8 });
  try {
    const alerts = [];
    for (let id = 1; ; id++) {
      const alert = detection.store.getAlert(id);
      if (!alert) return alerts;
      alerts.push(alert);
    }
  } finally {
    detection.close();
  }
}

const failureFrom = (ip: string, username: string): TestEvent =>
  makeEvent({ source: { ip }, actor: { username }, type: 'login.failure', reason: 'bad_credentials' });

describe('detection in the running server', () => {
  it('raises an alert within 2 s of the ingest response that completed its pattern, and counts it in the metrics', async () => {
    const server = await startServer();
    started.push(server);
    const gateway = provisionService(server.dbFile, 'gateway');
    ingestResult(await postEvents(server.url, Array.from({ length: 9 }, (_, i) => failureFrom('198.51.100.20', `user${i}`)), { key: gateway.key }));
    ingestResult(await postEvents(server.url, [makeEvent({ type: 'token.rejected', reason: 'expired', source: { ip: '198.51.100.99' } })], { key: gateway.key }));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(valueOf(await metrics(server.url), 'authwatch_alerts_fired_total', { rule: 'brute_force_ip' })).toBe(0);

    ingestResult(await postEvents(server.url, [failureFrom('198.51.100.20', 'user9')], { key: gateway.key }));
    const completed = Date.now();
    const samples = await eventually(
      () => metrics(server.url),
      (found) => valueOf(found, 'authwatch_alerts_open', { rule: 'brute_force_ip', severity: 'high' }) === 1,
      2_000,
    );
    expect(Date.now() - completed).toBeLessThan(2_000);
    expect(valueOf(samples, 'authwatch_alerts_fired_total', { rule: 'brute_force_ip', severity: 'high' })).toBe(1);
    expect(valueOf(samples, 'authwatch_alerts_open', { rule: 'brute_force_ip', severity: 'high' })).toBe(1);
    expect(valueOf(samples, 'authwatch_alerts_open', { rule: 'token_forgery', severity: 'high' })).toBe(0);
    const [alert] = storedAlerts(server.dbFile).filter((found) => found.rule === 'brute_force_ip');
    expect(alert).toMatchObject({ status: 'open', count: 10, key: { ip: '198.51.100.20' }, service: 'gateway' });
  });

  it('fires exactly once per key after a SIGKILL in the middle of an attack, counting every acknowledged event', async () => {
    const first = await startServer();
    started.push(first);
    const gateway = provisionService(first.dbFile, 'gateway');
    const attackers = ['203.0.113.1', '203.0.113.2', '203.0.113.3'];
    const acknowledged = new Map(attackers.map((ip) => [ip, 0]));
    const send = async (url: string, rounds: number) => {
      for (let round = 0; round < rounds; round++) {
        for (const ip of attackers) {
          const events = Array.from({ length: 4 }, (_, i) => failureFrom(ip, `victim-${round}-${i}`));
          const reply = await postEvents(url, events, { key: gateway.key }).catch(() => undefined);
          if (!reply || reply.status !== 200) return;
          acknowledged.set(ip, acknowledged.get(ip)! + ingestResult(reply).accepted);
        }
      }
    };
    await send(first.url, 2); // 8 failures per address: not yet an attack
    const stream = send(first.url, 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.kill9();
    await stream;

    const second = await startServer({ dbFile: first.dbFile });
    started.push(second);
    await send(second.url, 2);
    // An event committed just before the kill may have lost its response: the alert counts what was stored,
    // which is every acknowledged event and perhaps a batch more, each exactly once.
    const storedFrom = (ip: string) => withReader(second.dbFile, (reader) => reader.countEvents({ ips: [ip], types: [2] }));
    const settled = await eventually(
      async () => storedAlerts(second.dbFile).filter((alert) => alert.rule === 'brute_force_ip'),
      (alerts) => alerts.length === attackers.length && alerts.every((alert) => alert.count === storedFrom(alert.key.ip!)),
      5_000,
    );
    expect(settled.map((alert) => [alert.key.ip, alert.count]).sort()).toEqual(attackers.map((ip) => [ip, storedFrom(ip)]));
    for (const ip of attackers) {
      expect(storedFrom(ip)).toBeGreaterThanOrEqual(acknowledged.get(ip)!);
      expect(storedFrom(ip)).toBeLessThanOrEqual(acknowledged.get(ip)! + 4);
    }
  });
});
