import type { StoredAlert } from '../detection/detection-store';

/**
 * An alert in Alertmanager's API v2 shape (`POST /api/v2/alerts`). Labels come
 * only from bounded sets (rule, severity, registered service) plus authwatch's
 * own alert id, which keeps two alerts of one rule and service apart; the
 * attacker-controlled key (an address, a username) goes in the annotations.
 */
export type AlertmanagerAlert = {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
};

/**
 * How long a firing alert stays firing in Alertmanager without being sent
 * again; authwatch re-sends open alerts well within it (Prometheus does the
 * same with four evaluation intervals), so they resolve there by themselves if
 * authwatch goes away.
 */
export const FIRING_LEASE_MS = 5 * 60_000;

export function toAlertmanagerAlert(alert: StoredAlert, now: number, publicUrl: string): AlertmanagerAlert {
  const keyText = Object.entries(alert.key)
    .map(([field, value]) => `${field}=${value}`)
    .join(', ');
  return {
    labels: { alertname: alert.rule, rule: alert.rule, severity: alert.severity, service: alert.service, authwatch_alert_id: String(alert.id) },
    annotations: {
      summary: alert.summary,
      description: `${alert.count} events for ${keyText} between ${new Date(alert.firstSeen).toISOString()} and ${new Date(alert.lastSeen).toISOString()}`,
    },
    startsAt: new Date(alert.openedAt).toISOString(),
    endsAt: new Date(alert.status === 'resolved' ? (alert.resolvedAt ?? now) : now + FIRING_LEASE_MS).toISOString(),
    generatorURL: `${publicUrl.replace(/\/+$/, '')}/alerts/${alert.id}`,
  };
}
