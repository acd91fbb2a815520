import type Database from 'better-sqlite3';
import { DAY_MS, HOUR_MS } from '../../time';
import { COUNTED_FIELDS } from './value-counts';

/** How many values of each field a closed day keeps in its summary. */
export const SUMMARY_TOP_K = 200;
/** A day is summarized once it has been over this long: events that late are rare (and undo the summary when they come). */
export const SUMMARY_DELAY_MS = 2 * HOUR_MS;

const HOURS_PER_DAY = DAY_MS / HOUR_MS;

/**
 * The writer's side of the per-day summaries of the failure value counts: for
 * each closed day and counted field, its SUMMARY_TOP_K most frequent values
 * (`event_failure_values_day`) and the count of the next one as the bound on
 * any value left out (`event_failure_days.bound`). Built from the hourly
 * counts once a day is over, dropped (and built again) when an event for a
 * summarized day is indexed late or retention removes part of the day.
 */
export class ValueSummaries {
  private readonly pending: Database.Statement;
  private readonly isSummarized: Database.Statement;
  private readonly ranked: Database.Statement;
  private readonly insertValue: Database.Statement;
  private readonly insertDay: Database.Statement;
  private readonly dropValues: Database.Statement;
  private readonly dropDay: Database.Statement;
  private readonly dropOldValues: Database.Statement;
  private readonly dropOldDays: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.pending = db
      .prepare('SELECT day FROM event_partitions WHERE day < @before AND day NOT IN (SELECT day FROM event_failure_days) ORDER BY day LIMIT 1')
      .pluck();
    this.isSummarized = db.prepare('SELECT 1 FROM event_failure_days WHERE day = ? LIMIT 1').pluck();
    this.ranked = db.prepare(
      `SELECT value, sum(count) AS count FROM event_failure_values_hour
       WHERE field = @field AND hour >= @firstHour AND hour < @lastHour GROUP BY value ORDER BY count DESC LIMIT @limit`,
    );
    this.insertValue = db.prepare('INSERT INTO event_failure_values_day (field, day, value, count) VALUES (@field, @day, @value, @count)');
    this.insertDay = db.prepare('INSERT INTO event_failure_days (day, field, bound) VALUES (@day, @field, @bound)');
    this.dropValues = db.prepare('DELETE FROM event_failure_values_day WHERE field IN (1, 2, 3) AND day = ?');
    this.dropDay = db.prepare('DELETE FROM event_failure_days WHERE day = ?');
    this.dropOldValues = db.prepare(
      `DELETE FROM event_failure_values_day WHERE (field, day, value) IN
         (SELECT field, day, value FROM event_failure_values_day WHERE field IN (1, 2, 3) AND day <= @lastDay LIMIT @limit)`,
    );
    this.dropOldDays = db.prepare('DELETE FROM event_failure_days WHERE day <= @lastDay');
  }

  /** Summarizes the oldest closed day that has none yet, in its own transaction; false when there is none. */
  summarizeNext(now: number): boolean {
    const day = this.pending.get({ before: Math.floor((now - SUMMARY_DELAY_MS) / DAY_MS) }) as number | undefined;
    if (day === undefined) return false;
    this.db.transaction(() => this.summarize(day)).immediate();
    return true;
  }

  /** Builds one day's summary from the hourly counts (inside the caller's transaction). */
  summarize(day: number): void {
    this.drop([day]);
    const hours = { firstHour: day * HOURS_PER_DAY, lastHour: (day + 1) * HOURS_PER_DAY };
    for (const field of Object.values(COUNTED_FIELDS)) {
      const rows = this.ranked.all({ field, ...hours, limit: SUMMARY_TOP_K + 1 }) as Array<{ value: string; count: number }>;
      for (const row of rows.slice(0, SUMMARY_TOP_K)) this.insertValue.run({ field, day, value: row.value, count: row.count });
      this.insertDay.run({ day, field, bound: rows[SUMMARY_TOP_K]?.count ?? 0 });
    }
  }

  /** Drops the summaries of these days (an event of theirs was counted after they were built); the next pass builds them again. */
  drop(days: readonly number[]): void {
    for (const day of days) {
      if (!this.isSummarized.get(day)) continue;
      this.dropValues.run(day);
      this.dropDay.run(day);
    }
  }

  /** Deletes up to `limit` summary rows of days up to `lastDay`; the days' markers go once their rows have. */
  deleteThrough(lastDay: number, limit: number): number {
    const { changes } = this.dropOldValues.run({ lastDay, limit });
    if (changes > 0) return changes;
    return this.dropOldDays.run({ lastDay }).changes;
  }
}
