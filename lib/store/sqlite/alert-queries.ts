import type Database from 'better-sqlite3';
import type { AlertChange } from '../../detection/detection-store';
import type { AlertDetail, AlertPage, AlertQuery, AlertStatusCounts } from '../store';
import { toStoredAlert } from './detection-tables';
import { StatementCache } from './statement-cache';

const LIST_FILTERS = [
  ['statuses', 'status'],
  ['rules', 'rule'],
  ['severities', 'severity'],
  ['services', 'service'],
] as const;

/** Reads of detection's alerts (migration 006), newest first by id, for lists, pages and the read API. */
export class AlertQueries {
  private readonly statements: StatementCache;
  private readonly byId: Database.Statement;
  private readonly history: Database.Statement;
  private readonly deliveries: Database.Statement;
  private readonly openedByRule: Database.Statement;

  constructor(db: Database.Database) {
    this.statements = new StatementCache(db, 100);
    this.byId = db.prepare('SELECT id, body FROM alerts WHERE id = ?');
    this.history = db.prepare('SELECT at, actor, action, note FROM alert_history WHERE alert_id = ? ORDER BY id');
    this.deliveries = db.prepare('SELECT target, kind, state, attempts, last_error AS lastError, delivered_at AS deliveredAt FROM alert_deliveries WHERE alert_id = ? ORDER BY id');
    this.openedByRule = db.prepare('SELECT rule, count(*) AS count FROM alerts WHERE opened_at >= ? GROUP BY rule');
  }

  list(query: AlertQuery): AlertPage {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const { where, params } = this.conditions(query, true);
    const rows = this.statements.get(`SELECT id, body FROM alerts ${where} ORDER BY id DESC LIMIT @limit`).all({ ...params, limit: limit + 1 }) as Array<{
      id: number;
      body: string;
    }>;
    const alerts = rows.slice(0, limit).map(toStoredAlert);
    return { alerts, nextCursor: rows.length > limit ? alerts[alerts.length - 1].id : null };
  }

  /** How many alerts each status holds under the other filters: the tabs of the alerts page. */
  statusCounts(query: AlertQuery): AlertStatusCounts {
    const { where, params } = this.conditions({ ...query, statuses: undefined, cursor: undefined }, false);
    const rows = this.statements.get(`SELECT status, count(*) AS count FROM alerts ${where} GROUP BY status`).all(params) as Array<{ status: string; count: number }>;
    const counts: AlertStatusCounts = { open: 0, acknowledged: 0, resolved: 0 };
    for (const row of rows) counts[row.status as keyof AlertStatusCounts] = row.count;
    return counts;
  }

  get(id: number): AlertDetail | undefined {
    const row = this.byId.get(id) as { id: number; body: string } | undefined;
    if (!row) return undefined;
    const history = (this.history.all(id) as Array<{ at: number; actor: string; action: AlertChange['action']; note: string | null }>).map((entry) => ({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      ...(entry.note === null ? {} : { note: entry.note }),
    }));
    return { ...toStoredAlert(row), history, deliveries: this.deliveries.all(id) as AlertDetail['deliveries'] };
  }

  /** Alerts each rule opened since `since`. */
  openedSince(since: number): Record<string, number> {
    return Object.fromEntries((this.openedByRule.all(since) as Array<{ rule: string; count: number }>).map((row) => [row.rule, row.count]));
  }

  private conditions(query: AlertQuery, withCursor: boolean): { where: string; params: Record<string, string | number> } {
    const clauses: string[] = [];
    const params: Record<string, string | number> = {};
    for (const [field, column] of LIST_FILTERS) {
      const values = query[field];
      if (!values || values.length === 0) continue;
      clauses.push(`${column} IN (SELECT value FROM json_each(@${field}))`);
      params[field] = JSON.stringify(values);
    }
    if (withCursor && query.cursor !== undefined) {
      clauses.push('id < @cursor');
      params.cursor = query.cursor;
    }
    return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }
}
