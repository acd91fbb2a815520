import { hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { DAY_MS, HOUR_MS, MINUTE_MS, dayOf } from '../../time';
import type { EventRecord, InsertOutcome } from '../store';
import { withoutSync } from './database';
import { RECENT_TABLE, partitionTableName } from './partition-names';
import type { Partitions } from './partitions';
import { dedupeKey, type RecentEvents, type RecentSlice } from './recent-events';
import type { TextIndex } from './text-index';
import { prepareValueCounting } from './value-counts';
import { ValueSummaries } from './value-summaries';

type Committed = { key: string; seq: number };
/** A text index page (about 4 KiB) costs retention about as much as this many event rows. */
const TEXT_PAGES_PER_ROW = 8;
type Rollup = { minute: number; serviceId: number; type: number; reason: number; count: number };

/**
 * A compact idempotency key: 48 bits of SHA-256 over the event id, a plain
 * integer that keeps the dedupe index small. Collisions are harmless because a
 * match is confirmed on the full (service, id) before an event counts as a repeat.
 */
export function idempotencyKey(id: string): number {
  return hash('sha256', id, 'buffer').readUIntBE(0, 6);
}

/**
 * Events across the recent table and the daily partitions, with the per-minute,
 * hourly and daily rollups kept in the ingest transaction, and the hourly
 * failure value counts kept in the indexer's (their per-day summaries built
 * by the indexer once a day is over).
 */
export class EventTable {
  private readonly upsertRollup: Database.Statement;
  private readonly upsertHourRollup: Database.Statement;
  private readonly upsertDayRollup: Database.Statement;
  private readonly deleteRollups: Database.Statement[];
  private readonly deleteOldRecent: Database.Statement;
  private readonly deleteOldValueCounts: Database.Statement;
  private readonly countMovedValues: Database.Statement[];
  private readonly summaries: ValueSummaries;
  private readonly partitionDeletes = new Map<string, { deleteOld: Database.Statement; isEmpty: Database.Statement }>();
  private readonly insertBatch: Database.Transaction<(events: readonly EventRecord[]) => { outcomes: InsertOutcome[]; committed: Committed[] }>;
  private readonly moveSlice: Database.Transaction<(limit: number) => RecentSlice | undefined>;

  constructor(
    private readonly db: Database.Database,
    private readonly partitions: Partitions,
    private readonly recent: RecentEvents,
    private readonly synchronous: string,
    private readonly text: TextIndex,
  ) {
    this.upsertRollup = db.prepare(
      `INSERT INTO event_rollups_minute (minute, service_id, type, reason, count) VALUES (@minute, @serviceId, @type, @reason, @count)
       ON CONFLICT (minute, service_id, type, reason) DO UPDATE SET count = count + excluded.count`,
    );
    this.upsertHourRollup = db.prepare(
      `INSERT INTO event_rollups_hour (hour, service_id, type, reason, count) VALUES (@hour, @serviceId, @type, @reason, @count)
       ON CONFLICT (hour, service_id, type, reason) DO UPDATE SET count = count + excluded.count`,
    );
    this.upsertDayRollup = db.prepare(
      `INSERT INTO event_rollups_day (day, service_id, type, reason, count) VALUES (@day, @serviceId, @type, @reason, @count)
       ON CONFLICT (day, service_id, type, reason) DO UPDATE SET count = count + excluded.count`,
    );
    this.deleteRollups = (['minute', 'hour', 'day'] as const).map((unit) =>
      db.prepare(
        `DELETE FROM event_rollups_${unit} WHERE (${unit}, service_id, type, reason) IN
           (SELECT ${unit}, service_id, type, reason FROM event_rollups_${unit} WHERE ${unit} < @cutoff LIMIT @limit)`,
      ),
    );
    this.deleteOldRecent = db.prepare(
      `DELETE FROM ${RECENT_TABLE} WHERE seq IN (SELECT seq FROM ${RECENT_TABLE} WHERE time < @cutoff LIMIT @limit)`,
    );
    this.deleteOldValueCounts = db.prepare(
      `DELETE FROM event_failure_values_hour WHERE (field, hour, block, value) IN
         (SELECT field, hour, block, value FROM event_failure_values_hour WHERE field IN (1, 2, 3) AND hour < @cutoffHour LIMIT @limit)`,
    );
    this.countMovedValues = prepareValueCounting(db, RECENT_TABLE);
    this.summaries = new ValueSummaries(db);
    this.insertBatch = db.transaction((events: readonly EventRecord[]) => this.append(events));
    this.moveSlice = db.transaction((limit: number) => this.move(limit));
  }

  /** Stores the new events and recognises repeats, in one durable transaction; returns each one's outcome. */
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
  indexRecent(limit: number, now = Date.now()): number {
    return withoutSync(this.db, this.synchronous, () => {
      const slice = this.moveSlice.immediate(limit);
      // Caught up: time to summarize a day that is over (at most one per call, in a short transaction of its own).
      if ((slice?.rows ?? 0) < limit) this.summaries.summarizeNext(now);
      if (!slice) {
        // An empty table: any key still remembered is of a row retention deleted (perhaps from the CLI).
        this.recent.forgetThrough(Infinity);
        return 0;
      }
      this.recent.forgetThrough(slice.last);
      this.text.touched(slice.days);
      return slice.rows;
    });
  }

  private append(events: readonly EventRecord[]): { outcomes: InsertOutcome[]; committed: Committed[] } {
    const outcomes: InsertOutcome[] = [];
    const committed: Committed[] = [];
    const inBatch = new Set<string>();
    const rollups = new Map<string, Rollup>();
    for (const event of events) {
      const day = dayOf(event.time);
      const key = dedupeKey(day, event.serviceId, event.id);
      const idKey = idempotencyKey(event.id);
      if (inBatch.has(key) || this.recent.holds(key) || this.partitions.holdsRepeat(day, idKey, event.serviceId, event.id)) {
        outcomes.push({ stored: false });
        continue;
      }
      inBatch.add(key);
      const seq = this.recent.append(event, idKey);
      committed.push({ key, seq });
      outcomes.push({ stored: true, seq });
      const minute = Math.floor(event.time / MINUTE_MS);
      const reason = event.reason ?? 0;
      const rollupKey = `${minute}:${event.serviceId}:${event.type}:${reason}`;
      const rollup = rollups.get(rollupKey);
      if (rollup) rollup.count += 1;
      else rollups.set(rollupKey, { minute, serviceId: event.serviceId, type: event.type, reason, count: 1 });
    }
    this.writeRollups(rollups);
    return { outcomes, committed };
  }

  /** The batch's per-minute counts, and the same folded into hours and days. */
  private writeRollups(rollups: ReadonlyMap<string, Rollup>): void {
    const hours = new Map<string, { hour: number; serviceId: number; type: number; reason: number; count: number }>();
    const days = new Map<string, { day: number; serviceId: number; type: number; reason: number; count: number }>();
    const fold = <T extends { count: number }>(into: Map<string, T>, key: string, make: () => T, count: number) => {
      const folded = into.get(key);
      if (folded) folded.count += count;
      else into.set(key, make());
    };
    for (const rollup of rollups.values()) {
      this.upsertRollup.run(rollup);
      const { serviceId, type, reason, count } = rollup;
      const hour = Math.floor((rollup.minute * MINUTE_MS) / HOUR_MS);
      const day = Math.floor((rollup.minute * MINUTE_MS) / DAY_MS);
      fold(hours, `${hour}:${serviceId}:${type}:${reason}`, () => ({ hour, serviceId, type, reason, count }), count);
      fold(days, `${day}:${serviceId}:${type}:${reason}`, () => ({ day, serviceId, type, reason, count }), count);
    }
    for (const hour of hours.values()) this.upsertHourRollup.run(hour);
    for (const day of days.values()) this.upsertDayRollup.run(day);
  }

  /** Copies a slice of recent rows into their partitions and deletes them. */
  private move(limit: number): RecentSlice | undefined {
    const slice = this.recent.oldest(limit);
    if (!slice) return undefined;
    const range = { first: slice.first, last: slice.last };
    for (const day of slice.days) this.partitions.forWrite(day).moveFromRecent.run(range);
    this.partitions.noteMoved(slice.ids);
    for (const count of this.countMovedValues) count.run(range);
    // An event counted for a day already summarized (it came late): that summary no longer holds.
    this.summaries.drop(slice.days);
    this.recent.deleteThroughSeq(slice.last);
    return slice;
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
      const statements = this.partitionDeletesOf(partitionTableName(day));
      const deleted = this.db.transaction(() => {
        const wholeDayExpired = (day + 1) * DAY_MS <= cutoff;
        // A day wholly past the cutoff is no longer searched through its text index, whose
        // pages then go in chunks like the rows: dropped whole, a day's index held the lock long.
        if (wholeDayExpired) this.text.retire(day);
        const { changes } = statements.deleteOld.run({ cutoff, limit });
        if (changes > 0 || !wholeDayExpired) return changes;
        const textPages = this.text.shrink(day, Math.max(1, Math.floor(limit / TEXT_PAGES_PER_ROW)));
        if (textPages > 0) return textPages;
        if (statements.isEmpty.get()) {
          this.text.drop(day);
          this.partitions.drop(day);
          this.partitionDeletes.delete(partitionTableName(day));
        }
        return 0;
      }).immediate();
      if (deleted > 0) return deleted;
    }
    // Value counts go with the events they count (whole hours past the cutoff), and so do the
    // summaries of the days wholly past it.
    return this.db.transaction(() => {
      const { changes } = this.deleteOldValueCounts.run({ cutoffHour: Math.floor(cutoff / HOUR_MS), limit });
      return changes > 0 ? changes : this.summaries.deleteThrough(dayOf(cutoff) - 1, limit);
    }).immediate();
  }

  /** Rollups of whole minutes, hours and days past the cutoff. */
  deleteRollupsBefore(cutoff: number, limit: number): number {
    const [minutes, hours, days] = this.deleteRollups;
    const deleted = minutes.run({ cutoff: Math.floor(cutoff / MINUTE_MS), limit }).changes;
    if (deleted > 0) return deleted;
    const deletedHours = hours.run({ cutoff: Math.floor(cutoff / HOUR_MS), limit }).changes;
    return deletedHours > 0 ? deletedHours : days.run({ cutoff: Math.floor(cutoff / DAY_MS), limit }).changes;
  }

  private partitionDeletesOf(table: string): { deleteOld: Database.Statement; isEmpty: Database.Statement } {
    let statements = this.partitionDeletes.get(table);
    if (!statements) {
      statements = {
        deleteOld: this.db.prepare(`DELETE FROM ${table} WHERE seq IN (SELECT seq FROM ${table} WHERE time < @cutoff LIMIT @limit)`),
        isEmpty: this.db.prepare(`SELECT NOT EXISTS (SELECT 1 FROM ${table})`).pluck(),
      };
      this.partitionDeletes.set(table, statements);
    }
    return statements;
  }
}
