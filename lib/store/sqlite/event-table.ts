import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EventQuery, EventRecord, InsertOutcome, RollupRow, StoredEvent } from '../store';
import { DAY_MS, Partitions, dayOf, partitionTableName } from './partitions';

const MINUTE_MS = 60_000;

/**
 * A compact idempotency key: 48 bits of SHA-256 over the event id, a plain
 * integer that keeps the dedupe index small. Collisions are harmless because a
 * match is confirmed on the full (service, id) before an event counts as a repeat.
 */
export function idempotencyKey(id: string): number {
  return createHash('sha256').update(id).digest().readUIntBE(0, 6);
}

type EventRow = {
  seq: number;
  id: string;
  time: number;
  received_at: number;
  service_id: number;
  type: number;
  reason: number | null;
  ip: string | null;
  username: string | null;
  subject: string | null;
  client_id: string | null;
  jti: string | null;
  redactions: number;
  document: string;
};

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    sequence: row.seq,
    id: row.id,
    time: row.time,
    receivedAt: row.received_at,
    serviceId: row.service_id,
    type: row.type,
    reason: row.reason,
    ip: row.ip,
    username: row.username,
    subject: row.subject,
    clientId: row.client_id,
    jti: row.jti,
    redactions: row.redactions,
    document: row.document,
  };
}

const FILTER_COLUMNS = [
  ['serviceId', 'service_id'],
  ['type', 'type'],
  ['ip', 'ip'],
  ['username', 'username'],
  ['subject', 'subject'],
] as const;

/** Events across the daily partitions, with the per-minute rollups kept in the same transaction. */
export class EventTable {
  private readonly upsertRollup: Database.Statement;
  private readonly selectRollups: Database.Statement;
  private readonly deleteRollups: Database.Statement;
  private readonly readStatements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly partitions: Partitions,
  ) {
    this.upsertRollup = db.prepare(
      `INSERT INTO event_rollups_minute (minute, service_id, type, reason, count) VALUES (@minute, @serviceId, @type, @reason, @count)
       ON CONFLICT (minute, service_id, type, reason) DO UPDATE SET count = count + excluded.count`,
    );
    this.selectRollups = db.prepare(
      `SELECT minute, service_id AS serviceId, type, NULLIF(reason, 0) AS reason, count
       FROM event_rollups_minute WHERE minute >= @since AND minute < @until ORDER BY minute, service_id, type, reason`,
    );
    this.deleteRollups = db.prepare(
      `DELETE FROM event_rollups_minute WHERE (minute, service_id, type, reason) IN
         (SELECT minute, service_id, type, reason FROM event_rollups_minute WHERE minute < @cutoff LIMIT @limit)`,
    );
  }

  insert(events: readonly EventRecord[]): InsertOutcome[] {
    const outcomes: InsertOutcome[] = [];
    const rollups = new Map<string, { minute: number; serviceId: number; type: number; reason: number; count: number }>();
    for (const event of events) {
      const partition = this.partitions.forWrite(dayOf(event.time));
      const idKey = idempotencyKey(event.id);
      if (partition.findDuplicate.get({ idKey, serviceId: event.serviceId, id: event.id }) !== undefined) {
        outcomes.push('duplicate');
        continue;
      }
      partition.insert.run({ ...event, idKey });
      outcomes.push('stored');
      const minute = Math.floor(event.time / MINUTE_MS);
      const reason = event.reason ?? 0;
      const rollupKey = `${minute}:${event.serviceId}:${event.type}:${reason}`;
      const rollup = rollups.get(rollupKey);
      if (rollup) rollup.count += 1;
      else rollups.set(rollupKey, { minute, serviceId: event.serviceId, type: event.type, reason, count: 1 });
    }
    for (const rollup of rollups.values()) this.upsertRollup.run(rollup);
    return outcomes;
  }

  list(query: EventQuery): StoredEvent[] {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 10_000);
    const results: StoredEvent[] = [];
    for (const day of this.daysFor(query).reverse()) {
      const { sql, params } = this.filteredSql(day, query, 'SELECT *', `ORDER BY time DESC, seq DESC LIMIT ${limit - results.length}`);
      for (const row of this.read(sql).all(params) as EventRow[]) results.push(toStoredEvent(row));
      if (results.length >= limit) break;
    }
    return results;
  }

  count(query: Omit<EventQuery, 'limit'>): number {
    let total = 0;
    for (const day of this.daysFor(query)) {
      const { sql, params } = this.filteredSql(day, query, 'SELECT count(*)', '');
      total += this.read(sql).pluck().get(params) as number;
    }
    return total;
  }

  listRollups(query: { since: number; until: number }): RollupRow[] {
    return this.selectRollups.all({
      since: Math.floor(query.since / MINUTE_MS),
      until: Math.ceil(query.until / MINUTE_MS),
    }) as RollupRow[];
  }

  /**
   * Deletes up to `limit` events older than `cutoff`, oldest partition first, and
   * drops a partition once it is wholly past the cutoff and empty. Small chunks
   * keep each write transaction short so ingest never waits long for the lock.
   */
  deleteBefore(cutoff: number, limit: number): number {
    for (const day of this.partitions.days()) {
      if (day > dayOf(cutoff)) break;
      const table = partitionTableName(day);
      const deleted = this.db.transaction(() => {
        const { changes } = this.db
          .prepare(`DELETE FROM ${table} WHERE seq IN (SELECT seq FROM ${table} WHERE time < ? LIMIT ?)`)
          .run(cutoff, limit);
        const wholeDayExpired = (day + 1) * DAY_MS <= cutoff;
        if (wholeDayExpired && this.db.prepare(`SELECT NOT EXISTS (SELECT 1 FROM ${table})`).pluck().get()) {
          this.partitions.drop(day);
        }
        return changes;
      }).immediate();
      if (deleted > 0) return deleted;
    }
    return 0;
  }

  deleteRollupsBefore(cutoff: number, limit: number): number {
    return this.deleteRollups.run({ cutoff: Math.floor(cutoff / MINUTE_MS), limit }).changes;
  }

  private daysFor(query: { since?: number; until?: number }): number[] {
    const first = query.since === undefined ? -Infinity : dayOf(query.since);
    const last = query.until === undefined ? Infinity : dayOf(query.until);
    return this.partitions.days().filter((day) => day >= first && day <= last);
  }

  private filteredSql(day: number, query: EventQuery, select: string, tail: string) {
    const conditions: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.since !== undefined) {
      conditions.push('time >= @since');
      params.since = query.since;
    }
    if (query.until !== undefined) {
      conditions.push('time < @until');
      params.until = query.until;
    }
    for (const [field, column] of FILTER_COLUMNS) {
      const value = query[field];
      if (value === undefined) continue;
      conditions.push(`${column} = @${field}`);
      params[field] = value;
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return { sql: `${select} FROM ${partitionTableName(day)} ${where} ${tail}`, params };
  }

  /** Read statements are cached by their text: the filters vary, the shapes repeat. */
  private read(sql: string): Database.Statement {
    let statement = this.readStatements.get(sql);
    if (!statement) {
      if (this.readStatements.size > 500) this.readStatements.clear();
      statement = this.db.prepare(sql);
      this.readStatements.set(sql, statement);
    }
    return statement;
  }
}
