import { explorerQueryString } from '../detection/explorer-filter';
import { ruleById } from '../detection/rule-catalog';
import type { StoredAlert } from '../detection/detection-store';
import type { AlertDetail } from '../store/store';

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/** An alert as the API and the pages show it (PRODUCT.md, `GET /api/v1/alerts`), snake_case, times in RFC 3339. */
export function toAlertView(alert: StoredAlert) {
  const rule = ruleById(alert.rule);
  return {
    id: alert.id,
    rule: alert.rule,
    title: rule.title,
    attack: rule.attack,
    severity: alert.severity,
    status: alert.status,
    key: alert.key,
    service: alert.service,
    services: alert.services,
    count: alert.count,
    first_seen: iso(alert.firstSeen),
    last_seen: iso(alert.lastSeen),
    opened_at: iso(alert.openedAt),
    updated_at: iso(alert.updatedAt),
    resolved_at: iso(alert.resolvedAt),
    summary: alert.summary,
    detail: alert.detail,
    /** The explorer on this alert's evidence: its key, the events its rule counts, its span. */
    explorer: `/events?${explorerQueryString(alert.explorer)}`,
  };
}
export type AlertView = ReturnType<typeof toAlertView>;

/** `GET /api/v1/alerts/{id}`: the alert, its evidence event ids, its history and its notifications. */
export function toAlertDetailView(alert: AlertDetail) {
  return {
    ...toAlertView(alert),
    evidence: alert.evidence.map((event) => ({ seq: event.seq, id: event.id, time: iso(event.time), service: event.service })),
    history: alert.history.map((entry) => ({ at: iso(entry.at), actor: entry.actor, action: entry.action, note: entry.note ?? null })),
    deliveries: alert.deliveries.map((delivery) => ({
      target: delivery.target,
      kind: delivery.kind,
      state: delivery.state,
      attempts: delivery.attempts,
      last_error: delivery.lastError,
      delivered_at: iso(delivery.deliveredAt),
    })),
  };
}
