import { hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EventRecord, InsertOutcome, RollupRow } from '../store';
import { DAY_MS, Partitions, RECENT_TABLE, dayOf, partitionTableName } from './partitions';
import { dedupeKey, type RecentEvents, type RecentSlice } from './recent-events';

type Committed = { key: string; seq: number };

const MINUTE_MS = 60_000;

/**
 * A compact idempotency key: 48 bits of SHA-256 over the event id, a plain
 * integer that keeps the dedupe index small. Collisions are harmless because a
 * match is confirmed on the full (service, id) before an event counts as a repeat.
 */
export function idempotencyKey(id: string): number {
  return hash('sha256', id, 'buffer').readUIntBE(0, 6);
}

/** Events across the recent table and the daily partitions, with the per-minute rollups kept in the same transaction. */
export class EventTable {
  private readonly upsertRollup: Database.Statement;
  private readonly selectRollups: Database.Statement;
  private readonly deleteRollups: Database.Statement;
  private readonly deleteOldRecent: Database.Statement;
  private readonly insertBatch: Database.Transaction<(events: readonly EventRecord[]) => { outcomes: InsertOutcome[]; committed: Committed[] }>;
  private readonly moveSlice: Database.Transaction<(limit: number) => RecentSlice | undefined>;

  constructor(
    private readonly db: Database.Database,
    private readonly partitions: Partitions,
    private readonly recent: RecentEvents,
    private readonly synchronous: string,
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
    this.deleteOldRecent = db.prepare(
      `DELETE FROM ${RECENT_TABLE} WHERE seq IN (SELECT seq FROM ${RECENT_TABLE} WHERE time < @cutoff LIMIT @limit)`,
    );
    this.insertBatch = db.transaction((events: readonly EventRecord[]) => this.append(events));
    this.moveSlice = db.transaction((limit: number) => this.move(limit));
  }

  /** Stores the new events and recognises repeats, in one durable transaction. */
  insert(events: readonly EventRecord[]): InsertOutcome[] {
    const { outcomes, committed } = this.insertBatch.immediate(events);
    this.recent.remember(committed);
    return outcomes;
  }

  /**
   * Moves the oldest `limit` recent events into their day partitions, where the
   * indexes are, and returns how many moved. The move is atomic, so a crash
   * leaves each row in exactly one place, and it is not synced on its own: the
   * rows were durable before and stay durable in one table or the other, and
   * the next synced commit (or checkpoint) syncs the move with it.
   */
  indexRecent(limit: number): number {
    const relax = this.synchronous !== 'NORMAL';
    if (relax) this.db.pragma('synchronous = NORMAL');
    try {
      const slice = this.moveSlice.immediate(limit);
      if (!slice) {
        // An empty table: any key still remembered is of a row retention deleted (perhaps from the CLI).
        this.recent.forgetThrough(Infinity);
        return 0;
      }
      this.recent.forgetThrough(slice.last);
      return slice.rows;
    } finally {
      if (relax) this.db.pragma(`synchronous = ${this.synchronous}`);
    }
  }

  private append(events: readonly EventRecord[]): { outcomes: InsertOutcome[]; committed: Committed[] } {
    const outcomes: InsertOutcome[] = [];
    const committed: Committed[] = [];
    const inBatch = new Set<string>();
    const rollups = new Map<string, { minute: number; serviceId: number; type: number; reason: number; count: number }>();
    for (const event of events) {
      const day = dayOf(event.time);
      const key = dedupeKey(day, event.serviceId, event.id);
      const idKey = idempotencyKey(event.id);
      if (inBatch.has(key) || this.recent.holds(key) || this.partitions.forRead(day)?.findDuplicate.get({ idKey, serviceId: event.serviceId, id: event.id }) !== undefined) {
        outcomes.push('duplicate');
        continue;
      }
      inBatch.add(key);
      committed.push({ key, seq: this.recent.append(event, idKey) });
      outcomes.push('stored');
      const minute = Math.floor(event.time / MINUTE_MS);
      const reason = event.reason ?? 0;
      const rollupKey = `${minute}:${event.serviceId}:${event.type}:${reason}`;
      const rollup = rollups.get(rollupKey);
      if (rollup) rollup.count += 1;
      else rollups.set(rollupKey, { minute, serviceId: event.serviceId, type: event.type, reason, count: 1 });
    }
    for (const rollup of rollups.values()) this.upsertRollup.run(rollup);
    return { outcomes, committed };
  }

  /** Copies a slice of recent rows into their partitions and deletes them. */
  private move(limit: number): RecentSlice | undefined {
    const slice = this.recent.oldest(limit);
    if (!slice) return undefined;
    for (const day of slice.days) {
      this.partitions.forWrite(day).moveFromRecent.run({ first: slice.first, last: slice.last, start: day * DAY_MS, end: (day + 1) * DAY_MS });
    }
    this.recent.deleteThroughSeq(slice.last);
    return slice;
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
    const recentDeleted = this.db.transaction(() => this.deleteOldRecent.run({ cutoff, limit }).changes).immediate();
    if (recentDeleted > 0) return recentDeleted;
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
}
