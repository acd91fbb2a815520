import type Database from 'better-sqlite3';
import { ipText } from '../../net/ip-address';
import { HOUR_MS, MINUTE_MS, dayOf } from '../../time';
import type { BucketCount, BucketSize, TopQuery, TopValue } from '../store';
import { filterConditions, whereClause } from './event-conditions';
import { RECENT_TABLE, partitionTableName } from './partition-names';
import type { PartitionCatalog } from './partition-catalog';
import { StatementCache } from './statement-cache';
import { COUNTED_FIELDS, FAILURE_TYPE_CODES, FAILURE_TYPES_SQL, type CountedField } from './value-counts';

const BUCKET_MS: Record<BucketSize, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: 24 * HOUR_MS };
type Scope = { serviceIds?: readonly number[]; types?: readonly number[] };
type Span = { since: number; until: number };
type Counted = { time: number; serviceId: number; type: number; reason: number | null; count: number };
const RAW_VALUE: Record<CountedField, string> = { ip: 'ip_key', username: 'username', clientId: 'client_id' };

/**
 * Counts over time ranges without scanning events: whole hours from the hourly
 * rollups, whole minutes from the per-minute ones (both kept in the ingest
 * transaction), and only the partial minutes at a range's edges from the
 * events themselves, so every figure is exact to the millisecond.
 */
export class AggregateQueries {

  private readonly statements: StatementCache;

  constructor(
    db: Database.Database,
    private readonly catalog: PartitionCatalog,
  ) {
    this.statements = new StatementCache(db);
  }

  bucketCounts(query: Span & Scope & { bucket: BucketSize }): BucketCount[] {
    const size = BUCKET_MS[query.bucket];
    const sums = new Map<string, BucketCount>();
    for (const counted of this.counts(query, query.bucket !== 'minute')) {
      const bucket = Math.floor(counted.time / size) * size;
      const key = `${bucket}:${counted.serviceId}:${counted.type}:${counted.reason}`;
      const sum = sums.get(key);
      if (sum) sum.count += counted.count;
      else sums.set(key, { bucket, serviceId: counted.serviceId, type: counted.type, reason: counted.reason, count: counted.count });
    }
    return [...sums.values()].sort((a, b) => a.bucket - b.bucket || a.serviceId - b.serviceId || a.type - b.type || (a.reason ?? 0) - (b.reason ?? 0));
  }

  /** The most frequent values of a field: services and reasons from the rollups, addresses, usernames and clients from the hourly value counts. */
  topValues(query: TopQuery): TopValue[] {
    const totals = new Map<string | number, number>();
    const add = (value: string | number, count: number) => totals.set(value, (totals.get(value) ?? 0) + count);
    if (query.field === 'serviceId' || query.field === 'reason') {
      for (const counted of this.counts(query, true)) {
        if (query.failuresOnly && !FAILURE_CODES.has(counted.type)) continue;
        const value = query.field === 'serviceId' ? counted.serviceId : counted.reason;
        if (value !== null) add(value, counted.count);
      }
    } else {
      this.countValues(query.field, query, query.failuresOnly ?? false, add);
    }
    const ranked = [...totals].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).slice(0, query.limit);
    return ranked.map(([value, count]) => ({ value: query.field === 'ip' ? ipText(String(value)) : value, count }));
  }

  /** Counts by (service, type, reason) over the span, at the finest granularity the sources give. */
  private counts(span: Span & Scope, useHours: boolean): Counted[] {
    const firstMinute = Math.ceil(span.since / MINUTE_MS) * MINUTE_MS;
    const lastMinute = Math.floor(span.until / MINUTE_MS) * MINUTE_MS;
    if (firstMinute >= lastMinute) return this.rawCounts(span, span);
    const counted = [...this.rawCounts({ since: span.since, until: firstMinute }, span), ...this.rawCounts({ since: lastMinute, until: span.until }, span)];
    const firstHour = Math.ceil(firstMinute / HOUR_MS) * HOUR_MS;
    const lastHour = Math.floor(lastMinute / HOUR_MS) * HOUR_MS;
    if (!useHours || firstHour >= lastHour) return [...counted, ...this.rollups('minute', { since: firstMinute, until: lastMinute }, span)];
    return [
      ...counted,
      ...this.rollups('minute', { since: firstMinute, until: firstHour }, span),
      ...this.rollups('hour', { since: firstHour, until: lastHour }, span),
      ...this.rollups('minute', { since: lastHour, until: lastMinute }, span),
    ];
  }

  private rollups(table: 'minute' | 'hour', span: Span, scope: Scope): Counted[] {
    if (span.since >= span.until) return [];
    const unit = table === 'minute' ? MINUTE_MS : HOUR_MS;
    const { clauses, params } = scopeConditions(scope);
    const sql = `SELECT ${table} * ${unit} AS time, service_id AS serviceId, type, NULLIF(reason, 0) AS reason, count
      FROM event_rollups_${table} WHERE ${table} >= @first AND ${table} < @last ${clauses}`;
    return this.statements.get(sql).all({ ...params, first: span.since / unit, last: span.until / unit }) as Counted[];
  }

  /** Counts of events with time in `span` (within one minute or less), read from the events themselves. */
  private rawCounts(span: Span, scope: Scope): Counted[] {
    if (span.since >= span.until) return [];
    const filter = { since: span.since, until: span.until, serviceIds: scope.serviceIds, types: scope.types };
    const tables = [RECENT_TABLE, ...this.daysOf(span).map(partitionTableName)];
    return tables.flatMap((table) => {
      const { where, params } = whereClause(filterConditions(filter, table === RECENT_TABLE ? 'recent' : 'partition'));
      const sql = `SELECT @since AS time, service_id AS serviceId, type, reason, count(*) AS count FROM ${table} ${where} GROUP BY 2, 3, 4`;
      return this.statements.get(sql).all(params) as Counted[];
    });
  }

  /**
   * Value counts over the span: whole hours from `event_values_hour` (rows the
   * indexer has moved) plus, read from the events, the partial hours at the
   * edges and whatever the recent table still holds.
   */
  private countValues(field: CountedField, span: Span, failuresOnly: boolean, add: (value: string | number, count: number) => void): void {
    const firstHour = Math.ceil(span.since / HOUR_MS);
    const lastHour = Math.floor(span.until / HOUR_MS);
    const column = failuresOnly ? 'failures' : 'total';
    const typeCondition = failuresOnly ? `AND type IN ${FAILURE_TYPES_SQL}` : '';
    const rawFrom = (table: string, source: 'recent' | 'partition', edge: Span) => {
      const { where, params } = whereClause(filterConditions(edge, source));
      const value = RAW_VALUE[field];
      const sql = `SELECT ${value} AS value, count(*) AS count FROM ${table} ${where} ${typeCondition} AND value IS NOT NULL GROUP BY 1`;
      for (const row of this.statements.get(sql).all(params) as Array<{ value: string; count: number }>) add(row.value, row.count);
    };
    rawFrom(RECENT_TABLE, 'recent', span);
    const edges: Span[] = firstHour < lastHour ? [{ since: span.since, until: firstHour * HOUR_MS }, { since: lastHour * HOUR_MS, until: span.until }] : [span];
    for (const edge of edges.filter((candidate) => candidate.since < candidate.until)) {
      for (const day of this.daysOf(edge)) rawFrom(partitionTableName(day), 'partition', edge);
    }
    if (firstHour >= lastHour) return;
    const sql = `SELECT value, sum(${column}) AS count FROM event_values_hour WHERE field = @field AND hour >= @firstHour AND hour < @lastHour GROUP BY value HAVING count > 0`;
    for (const row of this.statements.get(sql).all({ field: COUNTED_FIELDS[field], firstHour, lastHour }) as Array<{ value: string; count: number }>) {
      add(row.value, row.count);
    }
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
