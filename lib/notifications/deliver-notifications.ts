import type { Config } from '../config';
import type { DetectionTables, DueDelivery } from '../store/sqlite/detection-tables';
import { toAlertView } from '../alerts/alert-view';
import { toAlertmanagerAlert } from './alertmanager';
import { signWebhook } from './webhook-signature';

export type NotificationTargets = {
  alertmanagerUrl?: string;
  webhook?: { url: string; secret: string };
  /** Where people open authwatch: alert links (Alertmanager's generatorURL, webhooks) point here. */
  publicUrl: string;
};

/** The targets the configuration names. */
export function notificationTargets(config: Config, publicUrl: string): NotificationTargets {
  const webhook = config.AUTHWATCH_WEBHOOK_URL && config.AUTHWATCH_WEBHOOK_SECRET ? { url: config.AUTHWATCH_WEBHOOK_URL, secret: config.AUTHWATCH_WEBHOOK_SECRET } : undefined;
  return { alertmanagerUrl: config.AUTHWATCH_ALERTMANAGER_URL, webhook, publicUrl };
}

/** Which targets a new alert or a resolution is queued for. */
export function targetNames(targets: NotificationTargets): string[] {
  return [...(targets.alertmanagerUrl ? ['alertmanager'] : []), ...(targets.webhook ? ['webhook'] : [])];
}

/** Alertmanager expects firing alerts again and again; authwatch re-sends every open alert this often. */
export const ALERTMANAGER_RESEND_MS = 60_000;
const REQUEST_TIMEOUT_MS = 5_000;
const MAX_ATTEMPTS = 20;

/** 5 s, 10 s, 20 s … up to an hour, each with up to a fifth added at random so retries do not march in step. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const base = Math.min(3_600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (1 + random() / 5));
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'failed';
}

/**
 * One round of delivery: every due webhook delivery, one at a time, signed;
 * and to Alertmanager, every open alert plus the due resolutions, in one
 * request, whenever something is due or the last re-send is a minute old.
 * Outcomes are written back, failures with an exponential backoff, so a
 * target that is down delays only its own deliveries and loses none. Returns
 * when Alertmanager was last sent to.
 */
export async function deliverNotifications({
  tables,
  targets,
  now,
  lastAlertmanagerPush,
}: {
  tables: DetectionTables;
  targets: NotificationTargets;
  now: number;
  lastAlertmanagerPush: number;
}): Promise<number> {
  const due = tables.dueDeliveries(now, 100);
  const failed = (delivery: DueDelivery, error: unknown) =>
    tables.markDeliveryFailed(delivery.id, delivery.attempts + 1, now + retryDelayMs(delivery.attempts + 1), describe(error), delivery.attempts + 1 >= MAX_ATTEMPTS);

  if (targets.webhook) {
    for (const delivery of due.filter((each) => each.target === 'webhook')) {
      const timestamp = String(Math.floor(now / 1000));
      const body = JSON.stringify({ kind: delivery.kind, alert: toAlertView(delivery.alert) });
      try {
        await post(targets.webhook.url, body, { 'x-authwatch-timestamp': timestamp, 'x-authwatch-signature': signWebhook(targets.webhook.secret, timestamp, body) });
        tables.markDelivered(delivery.id, now);
      } catch (error) {
        failed(delivery, error);
      }
    }
  }

  const alertmanagerDue = due.filter((each) => each.target === 'alertmanager');
  if (!targets.alertmanagerUrl || (alertmanagerDue.length === 0 && now - lastAlertmanagerPush < ALERTMANAGER_RESEND_MS)) return lastAlertmanagerPush;
  const alerts = new Map(tables.unresolvedAlerts().map((alert) => [alert.id, alert]));
  for (const delivery of alertmanagerDue) if (!alerts.has(delivery.alert.id)) alerts.set(delivery.alert.id, delivery.alert);
  try {
    const body = JSON.stringify([...alerts.values()].map((alert) => toAlertmanagerAlert(alert, now, targets.publicUrl)));
    await post(`${targets.alertmanagerUrl.replace(/\/+$/, '')}/api/v2/alerts`, body);
    for (const delivery of alertmanagerDue) tables.markDelivered(delivery.id, now);
    return now;
  } catch (error) {
    for (const delivery of alertmanagerDue) failed(delivery, error);
    return lastAlertmanagerPush;
  }
}
