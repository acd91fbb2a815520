import type Database from 'better-sqlite3';
import { quietFrom, type Alert } from '../../detection/alert-lifecycle';
import type { AlertAccess, AlertChange, DetectionStore, StoredAlert } from '../../detection/detection-store';
import type { RuleId } from '../../detection/rule';
import type { AlertDetail, Store } from '../store';
import { AlertQueries } from './alert-queries';
import { RuleStateTables } from './rule-state-tables';
import { withSqliteErrors } from './sqlite-errors';

type AlertRow = { id: number; body: string };

/** A notification due now: the delivery and the alert as it stands. */
export type DueDelivery = { id: number; target: string; kind: 'firing' | 'resolved'; attempts: number; alert: StoredAlert };

/** The one place an alert row becomes a StoredAlert. */
export function toStoredAlert(row: AlertRow): StoredAlert {
  return { ...(JSON.parse(row.body) as Alert), id: row.id };
}

/** Detection's tables (migrations 006, 008): position, rule states and settings, alerts and their history. */
export class DetectionTables implements DetectionStore {
  private readonly statements;

  private readonly alertQueries: AlertQueries;
  private readonly ruleStates: RuleStateTables;

  constructor(private readonly db: Database.Database) {
    this.alertQueries = new AlertQueries(db);
    this.ruleStates = new RuleStateTables(db);
    this.statements = {
      position: db.prepare('SELECT seq FROM detection_position WHERE id = 1').pluck(),
      setPosition: db.prepare(
        'INSERT INTO detection_position (id, seq, updated_at) VALUES (1, @seq, @now) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at',
      ),
      settings: db.prepare('SELECT rule, params FROM rule_settings'),
      saveSettings: db.prepare(
        `INSERT INTO rule_settings (rule, params, updated_at, updated_by) VALUES (@rule, @params, @now, @by)
         ON CONFLICT (rule) DO UPDATE SET params = excluded.params, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
      latest: db.prepare('SELECT id, body FROM alerts WHERE rule = @rule AND key_id = @keyId ORDER BY id DESC LIMIT 1'),
      unresolved: db.prepare("SELECT id, body FROM alerts WHERE status IN ('open', 'acknowledged') ORDER BY id"),
      // The partial index alerts_quiet (migration 008): its WHERE must read exactly as here.
      quietSince: db.prepare("SELECT id, body FROM alerts WHERE rule = @rule AND quiet_from <= @before AND status IN ('open', 'acknowledged') ORDER BY id"),
      byId: db.prepare('SELECT id, body FROM alerts WHERE id = ?'),
      insert: db.prepare(
        `INSERT INTO alerts (rule, key_id, severity, status, service, count, first_seen, last_seen, opened_at, updated_at, summary, body, quiet_from)
         VALUES (@rule, @keyId, @severity, @status, @service, @count, @firstSeen, @lastSeen, @openedAt, @updatedAt, @summary, '{}', @quietFrom)`,
      ),
      update: db.prepare(
        `UPDATE alerts SET severity = @severity, status = @status, service = @service, count = @count, first_seen = @firstSeen,
           last_seen = @lastSeen, opened_at = @openedAt, updated_at = @updatedAt, summary = @summary, body = @body, quiet_from = @quietFrom WHERE id = @id`,
      ),
      history: db.prepare('INSERT INTO alert_history (alert_id, at, actor, action, note) VALUES (@alertId, @at, @actor, @action, @note)'),
      openCounts: db.prepare("SELECT rule, severity, count(*) AS open FROM alerts WHERE status IN ('open', 'acknowledged') GROUP BY 1, 2"),
      queueDelivery: db.prepare(
        `INSERT INTO alert_deliveries (alert_id, target, kind, state, attempts, next_attempt_at, created_at)
         VALUES (@alertId, @target, @kind, 'pending', 0, @now, @now)`,
      ),
      dueDeliveries: db.prepare(
        `SELECT d.id, d.target, d.kind, d.attempts, a.id AS alertId, a.body FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
         WHERE d.state = 'pending' AND d.next_attempt_at <= @now ORDER BY d.id LIMIT @limit`,
      ),
      delivered: db.prepare("UPDATE alert_deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = @now, last_error = NULL WHERE id = @id"),
      deliveryFailed: db.prepare('UPDATE alert_deliveries SET state = @state, attempts = @attempts, next_attempt_at = @next, last_error = @error WHERE id = @id'),
    };
  }

  position(): number {
    return (this.statements.position.get() as number | undefined) ?? 0;
  }

  ruleDocuments(): ReturnType<DetectionStore['ruleDocuments']> {
    return this.ruleStates.ruleDocuments();
  }

  windowStandings(): ReturnType<DetectionStore['windowStandings']> {
    return this.ruleStates.windowStandings();
  }

  windowBody(rowId: number): string | undefined {
    return this.ruleStates.windowBody(rowId);
  }

  ruleSettings(): Partial<Record<RuleId, unknown>> {
    const rows = this.statements.settings.all() as Array<{ rule: RuleId; params: string }>;
    return Object.fromEntries(rows.map((row) => [row.rule, JSON.parse(row.params) as unknown]));
  }

  saveRuleSettings(rule: RuleId, params: unknown, by: string, now: number): void {
    this.statements.saveSettings.run({ rule, params: JSON.stringify(params), by, now });
  }

  /**
   * Plans the step on a snapshot, outside the write lock (reading every open
   * alert and applying the findings is most of the work), then writes it in
   * one short write transaction, so ingest's writer seldom waits on detection.
   * If a person changed one of the alerts read in between, it plans again
   * inside the write transaction. Only the engine opens alerts, so an alert
   * the snapshot lacked cannot have appeared.
   */
  commit(step: Parameters<DetectionStore['commit']>[0]): StoredAlert[] {
    const read = new Map<number, string>();
    const planned = withSqliteErrors(() => this.db.transaction(() => step(this.alertAccess(read))).deferred());
    return withSqliteErrors(() => this.db
      .transaction(() => {
        const unchanged = [...read].every(([id, body]) => (this.statements.byId.get(id) as AlertRow | undefined)?.body === body);
        const written = unchanged ? planned : step(this.alertAccess(new Map()));
        const stored = written.alerts.map(({ alert, change }) => {
          const saved = this.write(alert, change);
          if (change?.action === 'opened') this.queueDeliveries(saved.id, 'firing', written.targets, saved.updatedAt);
          if (change?.action === 'resolved') this.queueDeliveries(saved.id, 'resolved', written.targets, saved.updatedAt);
          return saved;
        });
        this.ruleStates.write(written.states);
        this.statements.setPosition.run({ seq: written.position, now: Date.now() });
        return stored;
      })
      .immediate());
  }

  /** The engine's reads of alerts during a step, each noted in `read` (id to stored body). */
  private alertAccess(read: Map<number, string>): AlertAccess {
    const note = (row: AlertRow | undefined) => {
      if (row) read.set(row.id, row.body);
      return row;
    };
    return {
      latest: (rule, keyId) => this.row(note(this.statements.latest.get({ rule, keyId }) as AlertRow | undefined)),
      quietSince: (rule, before) => (this.statements.quietSince.all({ rule, before }) as AlertRow[]).map((row) => toStoredAlert(note(row)!)),
    };
  }

  /** A person's change to an alert, with its history entry, in one transaction; undefined when no such alert exists. */
  changeAlert(id: number, change: Parameters<Store['changeAlert']>[1]): StoredAlert | undefined {
    return this.db
      .transaction(() => {
        const current = this.row(this.statements.byId.get(id));
        if (!current) return undefined;
        const { alert, entry, notify } = change(current);
        const saved = this.write(alert, entry);
        if (notify) this.queueDeliveries(saved.id, notify.kind, notify.targets, saved.updatedAt);
        return saved;
      })
      .immediate();
  }

  /** Queues a notification of each target about an alert, to be sent by the delivery loop (deliver-notifications.ts). */
  queueDeliveries(alertId: number, kind: 'firing' | 'resolved', targets: readonly string[], now: number): void {
    for (const target of targets) this.statements.queueDelivery.run({ alertId, target, kind, now });
  }

  dueDeliveries(now: number, limit: number): DueDelivery[] {
    const rows = this.statements.dueDeliveries.all({ now, limit }) as Array<{ id: number; target: string; kind: DueDelivery['kind']; attempts: number; alertId: number; body: string }>;
    return rows.map((row) => ({ id: row.id, target: row.target, kind: row.kind, attempts: row.attempts, alert: toStoredAlert({ id: row.alertId, body: row.body }) }));
  }

  markDelivered(id: number, now: number): void {
    this.statements.delivered.run({ id, now });
  }

  /** Records a failed attempt; after the last one the delivery is given up as failed, visible on the alert. */
  markDeliveryFailed(id: number, attempts: number, next: number, error: string, final: boolean): void {
    this.statements.deliveryFailed.run({ id, attempts, next, error, state: final ? 'failed' : 'pending' });
  }

  unresolvedAlerts(): StoredAlert[] {
    return (this.statements.unresolved.all() as AlertRow[]).map(toStoredAlert);
  }

  /** Alerts open or acknowledged now, by `rule|severity`. */
  openAlertCounts(): Record<string, number> {
    const rows = this.statements.openCounts.all() as Array<{ rule: string; severity: string; open: number }>;
    return Object.fromEntries(rows.map((row) => [`${row.rule}|${row.severity}`, row.open]));
  }

  /** The alert with its history and deliveries, read as the readers read it (alert-queries.ts). */
  getAlert(id: number): AlertDetail | undefined {
    return this.alertQueries.get(id);
  }

  private row(row: unknown): StoredAlert | undefined {
    return row ? toStoredAlert(row as AlertRow) : undefined;
  }

  private write(alert: Alert & { id?: number }, change: AlertChange | undefined): StoredAlert {
    const columns = {
      rule: alert.rule,
      keyId: alert.keyId,
      severity: alert.severity,
      status: alert.status,
      service: alert.service,
      count: alert.count,
      firstSeen: alert.firstSeen,
      lastSeen: alert.lastSeen,
      openedAt: alert.openedAt,
      updatedAt: alert.updatedAt,
      summary: alert.summary,
      // When its quiet period starts (alert-lifecycle.ts quietUntil): the engine reads only alerts quiet long enough.
      quietFrom: quietFrom(alert),
    };
    const id = alert.id ?? Number(this.statements.insert.run(columns).lastInsertRowid);
    const stored: StoredAlert = { ...alert, id };
    const { id: _id, ...body } = stored;
    this.statements.update.run({ ...columns, id, body: JSON.stringify(body) });
    if (change) this.statements.history.run({ alertId: id, at: alert.updatedAt, actor: change.actor, action: change.action, note: change.note ?? null });
    return stored;
  }
}
