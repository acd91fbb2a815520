import type Database from 'better-sqlite3';
import { EVENT_TYPE_CODES } from '../../events/catalog';
import { HOUR_MS } from '../../time';
import { BLOCK_OF_ROW } from './partition-names';

/** The fields whose values are counted for top-N lists, by their code in the value tables' `field`. */
export const COUNTED_FIELDS = { ip: 1, username: 2, clientId: 3 } as const;
export type CountedField = keyof typeof COUNTED_FIELDS;

/** Failure types, and the lockout: what an attack shows up as, and the only events whose values are counted. */
export const FAILURE_TYPE_CODES: readonly number[] = ['login.failure', 'account.locked', 'token.rejected', 'access.denied', 'rate_limit.exceeded', 'mtls.rejected'].map(
  (type) => EVENT_TYPE_CODES[type as keyof typeof EVENT_TYPE_CODES],
);
export const FAILURE_TYPES_SQL = `(${FAILURE_TYPE_CODES.join(', ')})`;

/** The column each counted field reads from an events table. */
export const VALUE_COLUMNS: Record<CountedField, string> = { ip: 'ip_key', username: 'username', clientId: 'client_id' };

/**
 * Statements that add the failures of `source` with seq in [@first, @last] to
 * the hourly failure value counts, one per counted field. The indexer runs
 * them in the transaction that moves those rows, so a row is counted exactly
 * when it leaves the recent table; readers add what the recent table still
 * holds. Only failures are counted: the top lists rank addresses, usernames
 * and clients by failures, and counting every event cost the indexer a
 * random-key upsert per event per field (most events are successes). Counts
 * are kept per block of arrivals within the hour (migration 011), so the
 * upserts of a slice land in one small part of the table, as the indexes on
 * these values do (partition.sql); readers sum over blocks.
 */
export function prepareValueCounting(db: Database.Database, source: string): Database.Statement[] {
  return Object.entries(COUNTED_FIELDS).map(([field, code]) =>
    db.prepare(
      `INSERT INTO event_failure_values_hour (field, hour, block, value, count)
       SELECT ${code}, time / ${HOUR_MS}, ${BLOCK_OF_ROW}, ${VALUE_COLUMNS[field as CountedField]} AS counted, count(*)
       FROM ${source} WHERE seq BETWEEN @first AND @last AND type IN ${FAILURE_TYPES_SQL} AND counted IS NOT NULL GROUP BY 2, 3, 4
       ON CONFLICT (field, hour, block, value) DO UPDATE SET count = count + excluded.count`,
    ),
  );
}
