import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetection } from '@/lib/detection/run-detection';
import { deliverNotifications, retryDelayMs, type NotificationTargets } from '@/lib/notifications/deliver-notifications';
import { verifyWebhook } from '@/lib/notifications/webhook-signature';
import { openSqliteDetection, type SqliteDetection } from '@/lib/store/sqlite/sqlite-detection';
import { HOUR, MINUTE, NOW, createTempStore, eventRecord, type TempStore } from '@/tests/helpers/temp-store';

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };

/** A local HTTP server that records what it receives and answers `status()`. */
async function receiver(status: () => number) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = status();
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const SECRET = 'a-webhook-secret-of-at-least-32-characters';

describe('deliverNotifications', () => {
  let temp: TempStore;
  let detection: SqliteDetection;
  let up = true;
  let alertmanager: Awaited<ReturnType<typeof receiver>>;
  let webhook: Awaited<ReturnType<typeof receiver>>;
  let targets: NotificationTargets;

  beforeEach(async () => {
    temp = createTempStore();
    temp.store.addService('gateway', NOW);
    detection = openSqliteDetection({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 });
    up = true;
    alertmanager = await receiver(() => (up ? 200 : 503));
    webhook = await receiver(() => (up ? 204 : 500));
    targets = { alertmanagerUrl: alertmanager.url, webhook: { url: `${webhook.url}/hook`, secret: SECRET }, publicUrl: 'https://authwatch.example.com' };
    temp.store.insertEvents(
      Array.from({ length: 10 }, (_, i) =>
        eventRecord({ id: `f${i}`, time: NOW + i * 1000, serviceId: 1, type: 2, reason: 1, ip: '203.0.113.9', document: '{"service":"gateway"}' }),
      ),
    );
    runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now: NOW + MINUTE, limit: 100, targets: ['alertmanager', 'webhook'] });
  });
  afterEach(async () => {
    await alertmanager.close();
    await webhook.close();
    detection.close();
    temp.remove();
  });

  it('pushes a new alert to Alertmanager with bounded labels and to the webhook, signed', async () => {
    await deliverNotifications({ tables: detection.store, targets, now: NOW + MINUTE, lastAlertmanagerPush: 0 });
    expect(alertmanager.received).toHaveLength(1);
    expect(alertmanager.received[0].path).toBe('/api/v2/alerts');
    const [pushed] = JSON.parse(alertmanager.received[0].body);
    expect(pushed.labels).toEqual({ alertname: 'brute_force_ip', rule: 'brute_force_ip', severity: 'high', service: 'gateway', authwatch_alert_id: expect.any(String) });
    expect(pushed.annotations.summary).toContain('203.0.113.9');
    expect(pushed.annotations.description).toContain('ip=203.0.113.9');
    expect(pushed.generatorURL).toMatch(/^https:\/\/authwatch\.example\.com\/alerts\/\d+$/);
    expect(Date.parse(pushed.endsAt)).toBeGreaterThan(NOW + MINUTE);

    const [delivery] = webhook.received;
    expect(JSON.parse(delivery.body)).toMatchObject({ kind: 'firing', alert: { rule: 'brute_force_ip', status: 'open' } });
    const timestamp = String(delivery.headers['x-authwatch-timestamp']);
    expect(verifyWebhook(SECRET, timestamp, delivery.body, String(delivery.headers['x-authwatch-signature']))).toBe(true);
    expect(verifyWebhook(SECRET, timestamp, `${delivery.body} `, String(delivery.headers['x-authwatch-signature']))).toBe(false);
    expect(detection.store.dueDeliveries(NOW + HOUR, 10)).toEqual([]);
  });

  it('keeps what a target that is down did not take, backs off, and catches up when it returns', async () => {
    up = false;
    await deliverNotifications({ tables: detection.store, targets, now: NOW + MINUTE, lastAlertmanagerPush: 0 });
    expect(detection.store.dueDeliveries(NOW + MINUTE, 10)).toEqual([]); // not due again at once
    const due = detection.store.dueDeliveries(NOW + MINUTE + 10_000, 10);
    expect(due.map((delivery) => [delivery.target, delivery.attempts])).toEqual([
      ['alertmanager', 1],
      ['webhook', 1],
    ]);
    up = true;
    await deliverNotifications({ tables: detection.store, targets, now: NOW + MINUTE + 10_000, lastAlertmanagerPush: 0 });
    expect(detection.store.dueDeliveries(NOW + HOUR, 10)).toEqual([]);
    expect(webhook.received).toHaveLength(2);
  });

  it('sends a resolution, and re-sends open alerts to Alertmanager every minute', async () => {
    const pushed = await deliverNotifications({ tables: detection.store, targets, now: NOW + MINUTE, lastAlertmanagerPush: 0 });
    await deliverNotifications({ tables: detection.store, targets, now: NOW + MINUTE + 30_000, lastAlertmanagerPush: pushed });
    expect(alertmanager.received).toHaveLength(1);
    await deliverNotifications({ tables: detection.store, targets, now: NOW + 2 * MINUTE + 1, lastAlertmanagerPush: pushed });
    expect(alertmanager.received).toHaveLength(2);
    runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now: NOW + 3 * HOUR, limit: 100, targets: ['alertmanager', 'webhook'] });
    await deliverNotifications({ tables: detection.store, targets, now: NOW + 3 * HOUR, lastAlertmanagerPush: NOW + 3 * HOUR });
    const [resolved] = JSON.parse(alertmanager.received[2].body);
    expect(Date.parse(resolved.endsAt)).toBe(NOW + 3 * HOUR);
    expect(JSON.parse(webhook.received.at(-1)!.body)).toMatchObject({ kind: 'resolved', alert: { status: 'resolved' } });
  });

  it('backs off exponentially with jitter, up to an hour', () => {
    expect(retryDelayMs(1, () => 0)).toBe(5_000);
    expect(retryDelayMs(3, () => 0)).toBe(20_000);
    expect(retryDelayMs(3, () => 1)).toBe(24_000);
    expect(retryDelayMs(30, () => 0)).toBe(3_600_000);
  });
});
