import type Database from 'better-sqlite3';
import { EVENT_TYPE_CODES } from '../../events/catalog';
import { HOUR_MS } from '../../time';

/** The fields whose values are counted per hour for top-N lists, by their code in `event_values_hour.field`. */
export const COUNTED_FIELDS = { ip: 1, username: 2, clientId: 3 } as const;
export type CountedField = keyof typeof COUNTED_FIELDS;

/** Failure types, and the lockout, count as failures in `event_values_hour`. */
export const FAILURE_TYPE_CODES: readonly number[] = ['login.failure', 'account.locked', 'token.rejected', 'access.denied', 'rate_limit.exceeded', 'mtls.rejected'].map(
  (type) => EVENT_TYPE_CODES[type as keyof typeof EVENT_TYPE_CODES],
);

const VALUE_EXPRESSIONS: Record<CountedField, string> = { ip: 'ip_key', username: 'username', clientId: 'client_id' };

/**
 * Statements that add the rows of `source` with seq in [@first, @last] to the
 * hourly value counts, one per counted field. The indexer runs them in the
 * transaction that moves those rows, so a row is counted exactly when it
 * leaves the recent table; readers add what the recent table still holds.
 */
export function prepareValueCounting(db: Database.Database, source: string): Database.Statement[] {
  return Object.entries(COUNTED_FIELDS).map(([field, code]) => {
    const value = VALUE_EXPRESSIONS[field as CountedField];
    return db.prepare(
      `INSERT INTO event_values_hour (field, hour, value, total, failures)
       SELECT ${code}, time / ${HOUR_MS}, ${value} AS counted, count(*), sum(type IN (${FAILURE_TYPE_CODES.join(', ')}))
       FROM ${source} WHERE seq BETWEEN @first AND @last AND counted IS NOT NULL GROUP BY 2, 3
       ON CONFLICT (field, hour, value) DO UPDATE SET total = total + excluded.total, failures = failures + excluded.failures`,
    );
  });
}

export const FAILURE_TYPES_SQL = `(${FAILURE_TYPE_CODES.join(', ')})`;
