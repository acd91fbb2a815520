import type Database from 'better-sqlite3';
import type { ActorKind, AuditEntry, AuditQuery, AuditRecord } from '../accounts';

type AuditRow = {
  id: number;
  time: number;
  actor_kind: ActorKind;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target: string | null;
  ip: string | null;
  detail: string | null;
};

const toAuditRecord = (row: AuditRow): AuditRecord => ({
  id: row.id,
  time: row.time,
  actorKind: row.actor_kind,
  actorId: row.actor_id,
  actorLabel: row.actor_label,
  action: row.action,
  target: row.target,
  ip: row.ip,
  detail: row.detail,
});

/**
 * The append-only audit log. The table's triggers refuse UPDATE and DELETE;
 * this class only ever inserts and reads. One statement serves every filter
 * combination: an absent filter is bound as NULL and matches everything.
 */
export class AuditTable {
  private readonly insert;
  private readonly select;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (time, actor_kind, actor_id, actor_label, action, target, ip, detail)
       VALUES (@time, @actorKind, @actorId, @actorLabel, @action, @target, @ip, @detail)`,
    );
    this.select = db.prepare(
      `SELECT id, time, actor_kind, actor_id, actor_label, action, target, ip, detail FROM audit_log
       WHERE (@beforeId IS NULL OR id < @beforeId)
         AND (@since IS NULL OR time >= @since)
         AND (@until IS NULL OR time < @until)
         AND (@actor IS NULL OR actor_label = @actor)
         AND (@action IS NULL OR action = @action)
         AND (@target IS NULL OR target = @target)
       ORDER BY id DESC LIMIT @limit`,
    );
  }

  append(entry: AuditEntry): AuditRecord {
    const { lastInsertRowid } = this.insert.run(entry);
    return { ...entry, id: Number(lastInsertRowid) };
  }

  list(query: AuditQuery): AuditRecord[] {
    const rows = this.select.all({
      beforeId: query.beforeId ?? null,
      since: query.since ?? null,
      until: query.until ?? null,
      actor: query.actor ?? null,
      action: query.action ?? null,
      target: query.target ?? null,
      limit: query.limit,
    }) as AuditRow[];
    return rows.map(toAuditRecord);
  }
}
