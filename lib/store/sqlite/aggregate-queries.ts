import type Database from 'better-sqlite3';
import { DAY_MS, HOUR_MS, MINUTE_MS, dayOf } from '../../time';
import type { BucketCount, BucketSize, TopQuery, TopValues } from '../store';
import { filterConditions, whereClause } from './event-conditions';
import { RECENT_TABLE, partitionTableName } from './partition-names';
import type { PartitionCatalog } from './partition-catalog';
import { StatementCache } from './statement-cache';
import { TopValueQueries } from './top-value-queries';
import { FAILURE_TYPE_CODES } from './value-counts';

const BUCKET_MS: Record<BucketSize, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };
/** `by: 'type'` sums over services and reasons in SQL (rows carry serviceId 0 and reason null): a chart by type needs no more. */
type Scope = { serviceIds?: readonly number[]; types?: readonly number[]; by?: 'type' };
type Span = { since: number; until: number };
type Counted = { time: number; serviceId: number; type: number; reason: number | null; count: number };
/** One bucket for a whole range: every rollup row's time divides to 0. */
const WHOLE_RANGE = Number.MAX_SAFE_INTEGER;

/**
 * Counts over time ranges without scanning events: whole days from the daily
 * rollups, whole hours from the hourly ones, whole minutes from the per-minute
 * ones (all kept in the ingest transaction), and only the partial minutes at a
 * range's edges from the events themselves, so every figure is exact to the
 * millisecond. Rollup rows are summed into buckets in SQL.
 */
export class AggregateQueries {
  private readonly statements: StatementCache;
  private readonly values: TopValueQueries;

  constructor(
    db: Database.Database,
    private readonly catalog: PartitionCatalog,
  ) {
    this.statements = new StatementCache(db);
    this.values = new TopValueQueries(this.statements, catalog);
  }

  bucketCounts(query: Span & Scope & { bucket: BucketSize }): BucketCount[] {
    const size = BUCKET_MS[query.bucket];
    const sums = new Map<string, BucketCount>();
    for (const counted of this.counts(query, query.bucket, size)) {
      const bucket = Math.floor(counted.time / size) * size;
      const key = `${bucket}:${counted.serviceId}:${counted.type}:${counted.reason}`;
      const sum = sums.get(key);
      if (sum) sum.count += counted.count;
      else sums.set(key, { bucket, serviceId: counted.serviceId, type: counted.type, reason: counted.reason, count: counted.count });
    }
    return [...sums.values()].sort((a, b) => a.bucket - b.bucket || a.serviceId - b.serviceId || a.type - b.type || (a.reason ?? 0) - (b.reason ?? 0));
  }

  /** The most frequent values of a field: services and reasons from the rollups (exact), addresses, usernames and clients from the failure value counts. */
  topValues(query: TopQuery): TopValues {
    if (query.field !== 'serviceId' && query.field !== 'reason') return this.values.top({ ...query, field: query.field });
    const totals = new Map<number, number>();
    for (const counted of this.counts(query, 'day', WHOLE_RANGE)) {
      if (query.failuresOnly && !FAILURE_CODES.has(counted.type)) continue;
      const value = query.field === 'serviceId' ? counted.serviceId : counted.reason;
      if (value !== null) totals.set(value, (totals.get(value) ?? 0) + counted.count);
    }
    const ranked = [...totals].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, query.limit);
    return { values: ranked.map(([value, count]) => ({ value, count, margin: 0 })), exact: true };
  }

  /**
   * Counts by (service, type, reason) over the span, each rollup row summed into
   * buckets of `size` in SQL; `coarsest` is the largest rollup table the
   * buckets allow (days only where a bucket holds whole days).
   */
  private counts(span: Span & Scope, coarsest: BucketSize, size: number): Counted[] {
    const firstMinute = Math.ceil(span.since / MINUTE_MS) * MINUTE_MS;
    const lastMinute = Math.floor(span.until / MINUTE_MS) * MINUTE_MS;
    if (firstMinute >= lastMinute) return this.rawCounts(span, span);
    const counted = [...this.rawCounts({ since: span.since, until: firstMinute }, span), ...this.rawCounts({ since: lastMinute, until: span.until }, span)];
    const pieces: Array<[BucketSize, Span]> = [];
    // Each coarser table takes the whole units inside what the finer one would read, which keeps its edges.
    const split = (table: BucketSize, within: Span): void => {
      const next = table === 'minute' ? 'hour' : 'day';
      const unit = BUCKET_MS[next];
      const first = Math.ceil(within.since / unit) * unit;
      const last = Math.floor(within.until / unit) * unit;
      if (table === coarsest || table === 'day' || first >= last) {
        pieces.push([table, within]);
        return;
      }
      pieces.push([table, { since: within.since, until: first }], [table, { since: last, until: within.until }]);
      split(next, { since: first, until: last });
    };
    split('minute', { since: firstMinute, until: lastMinute });
    return [...counted, ...pieces.flatMap(([table, piece]) => this.rollups(table, piece, span, size))];
  }

  private rollups(table: BucketSize, span: Span, scope: Scope, size: number): Counted[] {
    if (span.since >= span.until) return [];
    const unit = BUCKET_MS[table];
    const { clauses, params } = scopeConditions(scope);
    // Rows of the bucket's own size are read as they are, in key order; finer ones summed into buckets,
    // the size written as an integer literal (bound, a JS number arrives as a REAL and the division
    // would no longer be an integer one).
    const byType = scope.by === 'type';
    const columns = byType ? '0 AS serviceId, type, NULL AS reason' : 'service_id AS serviceId, type, NULLIF(reason, 0) AS reason';
    const groups = byType ? '1, 3' : '1, 2, 3, 4';
    const sql =
      size === unit && !byType
        ? `SELECT ${table} * ${unit} AS time, ${columns}, count FROM event_rollups_${table} WHERE ${table} >= @first AND ${table} < @last ${clauses}`
        : `SELECT ${table} * ${unit} / ${size} * ${size} AS time, ${columns}, sum(count) AS count
           FROM event_rollups_${table} WHERE ${table} >= @first AND ${table} < @last ${clauses} GROUP BY ${groups}`;
    return this.statements.get(sql).all({ ...params, first: span.since / unit, last: span.until / unit }) as Counted[];
  }

  /** Counts of events with time in `span` (within one minute or less), read from the events themselves. */
  private rawCounts(span: Span, scope: Scope): Counted[] {
    if (span.since >= span.until) return [];
    const filter = { since: span.since, until: span.until, serviceIds: scope.serviceIds, types: scope.types };
    const tables = [RECENT_TABLE, ...this.daysOf(span).map(partitionTableName)];
    return tables.flatMap((table) => {
      const { where, params } = whereClause(filterConditions(filter, table === RECENT_TABLE ? 'recent' : 'partition'));
      const sql =
        scope.by === 'type'
          ? `SELECT @since AS time, 0 AS serviceId, type, NULL AS reason, count(*) AS count FROM ${table} ${where} GROUP BY 3`
          : `SELECT @since AS time, service_id AS serviceId, type, reason, count(*) AS count FROM ${table} ${where} GROUP BY 2, 3, 4`;
      return this.statements.get(sql).all(params) as Counted[];
    });
  }

  private daysOf(span: Span): number[] {
    const first = dayOf(span.since);
    const last = dayOf(span.until - 1);
    return this.catalog.days().filter((day) => day >= first && day <= last);
  }
}

const FAILURE_CODES = new Set(FAILURE_TYPE_CODES);

function scopeConditions(scope: Scope): { clauses: string; params: Record<string, string> } {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  if (scope.serviceIds?.length) {
    clauses.push('AND service_id IN (SELECT value FROM json_each(@serviceIds))');
    params.serviceIds = JSON.stringify(scope.serviceIds);
  }
  if (scope.types?.length) {
    clauses.push('AND type IN (SELECT value FROM json_each(@types))');
    params.types = JSON.stringify(scope.types);
  }
  return { clauses: clauses.join(' '), params };
}
