import { ipText } from '../../net/ip-address';
import { DAY_MS, HOUR_MS, dayOf } from '../../time';
import type { TopValues } from '../store';
import { filterConditions, whereClause } from './event-conditions';
import { RECENT_TABLE, partitionTableName } from './partition-names';
import type { PartitionCatalog } from './partition-catalog';
import type { StatementCache } from './statement-cache';
import { COUNTED_FIELDS, FAILURE_TYPES_SQL, VALUE_COLUMNS, type CountedField } from './value-counts';

type Span = { since: number; until: number };
type Tally = { count: number; covered: number };
/** How one partial hour at a range's edge is counted: `hour` from the hourly counts (when set), plus the events in `add`, less those in `subtract`. */
type EdgePlan = { hour?: number; add: Span[]; subtract: Span[] };
const HOURS_PER_DAY = DAY_MS / HOUR_MS;

/**
 * Addresses, usernames and clients ranked by failures over a range: closed
 * days from their summaries (value-summaries.ts), other whole hours from the
 * hourly failure counts, and the partial hours at the edges (and whatever the
 * recent table still holds) from the events. A value a day summary left out
 * counted at most that day's bound there: the sum of those bounds is each
 * row's margin, and the list says whether it is exact.
 */
export class TopValueQueries {
  constructor(
    private readonly statements: StatementCache,
    private readonly catalog: PartitionCatalog,
  ) {}

  top(query: Span & { field: CountedField; limit: number }): TopValues {
    const tallies = new Map<string, Tally>();
    const add = (value: string, count: number, covered = 0) => {
      const tally = tallies.get(value);
      if (tally) {
        tally.count += count;
        tally.covered += covered;
      } else tallies.set(value, { count, covered });
    };
    const field = COUNTED_FIELDS[query.field];
    this.raw(query.field, RECENT_TABLE, query, add);
    const firstHour = Math.ceil(query.since / HOUR_MS);
    const lastHour = Math.floor(query.until / HOUR_MS);
    const plan = firstHour > lastHour ? this.withinHour(query, lastHour) : [this.startEdge(query.since, firstHour), this.endEdge(query.until, lastHour)];
    for (const edge of plan) {
      // The partial hour from the events, or its whole hour from the hourly counts less the events outside the range.
      if (edge.hour !== undefined) this.hours(field, edge.hour, edge.hour + 1, add);
      for (const span of edge.add) this.rawSpan(query.field, span, add);
      for (const span of edge.subtract) this.rawSpan(query.field, span, (value, count) => add(value, -count));
    }
    let bound = 0;
    if (firstHour < lastHour) {
      const firstDay = Math.ceil(firstHour / HOURS_PER_DAY);
      const lastDay = Math.floor(lastHour / HOURS_PER_DAY);
      const summarized = firstDay < lastDay ? this.summarizedDays(field, firstDay, lastDay) : new Map<number, number>();
      for (const dayBound of summarized.values()) bound += dayBound;
      for (const [first, last] of hourRanges(firstHour, lastHour, summarized)) this.hours(field, first, last, add);
      if (summarized.size > 0) this.summaries(field, firstDay, lastDay, add);
    }
    return rank(tallies, bound, query.limit, query.field === 'ip');
  }

  /**
   * The partial hour before the range's first whole hour: [since, firstHour) from
   * the events, or the hour before from the hourly counts less [its start, since)
   * from the events, whichever reads fewer events.
   */
  private startEdge(since: number, firstHour: number): EdgePlan {
    const edge = { since, until: firstHour * HOUR_MS };
    if (edge.since >= edge.until) return { add: [], subtract: [] };
    const outside = { since: (firstHour - 1) * HOUR_MS, until: since };
    return this.wholeHourKept(firstHour - 1) && this.stored(outside) < this.stored(edge) ? { hour: firstHour - 1, add: [], subtract: [outside] } : { add: [edge], subtract: [] };
  }

  /**
   * The partial hour after the last whole hour: [lastHour, until) from the events,
   * or that hour from the hourly counts less [until, its end) from the events.
   * For a range ending now the latter holds no event yet: the busiest partial
   * hour of a preset range costs nothing.
   */
  private endEdge(until: number, lastHour: number): EdgePlan {
    const edge = { since: lastHour * HOUR_MS, until };
    if (edge.since >= edge.until) return { add: [], subtract: [] };
    const outside = { since: until, until: (lastHour + 1) * HOUR_MS };
    return this.wholeHourKept(lastHour) && this.stored(outside) < this.stored(edge) ? { hour: lastHour, add: [], subtract: [outside] } : { add: [edge], subtract: [] };
  }

  /** A range inside one hour: from the events, or that hour less both sides outside the range. */
  private withinHour(span: Span, hour: number): EdgePlan[] {
    const outside = [
      { since: hour * HOUR_MS, until: span.since },
      { since: span.until, until: (hour + 1) * HOUR_MS },
    ];
    const cheaper = this.wholeHourKept(hour) && outside.reduce((sum, part) => sum + this.stored(part), 0) < this.stored(span);
    return [cheaper ? { hour, add: [], subtract: outside } : { add: [span], subtract: [] }];
  }

  /**
   * Whether every event of the hour is still stored, so its hourly counts less
   * some of its events count the rest: retention deletes by the millisecond,
   * oldest first, and only the oldest partition can have lost part of its events
   * (older ones are dropped once empty), while an hour's counts go only once the
   * whole hour has.
   */
  private wholeHourKept(hour: number): boolean {
    const oldest = this.catalog.days()[0];
    return oldest !== undefined && dayOf(hour * HOUR_MS) > oldest;
  }

  /** Events of every type stored in the day partitions with time in `span`: a count from the time index alone. */
  private stored(span: Span): number {
    if (span.since >= span.until) return 0;
    let total = 0;
    for (const day of this.daysOf(span)) {
      const sql = `SELECT count(*) FROM ${partitionTableName(day)} WHERE time >= @since AND time < @until`;
      total += this.statements.get(sql).pluck().get(span) as number;
    }
    return total;
  }

  /** Failures in the day partitions with time in `span`, by value. */
  private rawSpan(field: CountedField, span: Span, add: (value: string, count: number) => void): void {
    if (span.since >= span.until) return;
    for (const day of this.daysOf(span)) this.raw(field, partitionTableName(day), span, add);
  }

  /** Failures in `table` with time in `span`, by value. */
  private raw(field: CountedField, table: string, span: Span, add: (value: string, count: number) => void): void {
    const { where, params } = whereClause(filterConditions(span, table === RECENT_TABLE ? 'recent' : 'partition'));
    const sql = `SELECT ${VALUE_COLUMNS[field]} AS value, count(*) AS count FROM ${table} ${where} AND type IN ${FAILURE_TYPES_SQL} AND value IS NOT NULL GROUP BY 1`;
    for (const row of this.statements.get(sql).all(params) as Array<{ value: string; count: number }>) add(row.value, row.count);
  }

  /** Days in [firstDay, lastDay) that have a summary, with their bound. */
  private summarizedDays(field: number, firstDay: number, lastDay: number): Map<number, number> {
    const sql = 'SELECT day, bound FROM event_failure_days WHERE day >= @firstDay AND day < @lastDay AND field = @field';
    const rows = this.statements.get(sql).all({ field, firstDay, lastDay }) as Array<{ day: number; bound: number }>;
    return new Map(rows.map((row) => [row.day, row.bound]));
  }

  private hours(field: number, firstHour: number, lastHour: number, add: (value: string, count: number) => void): void {
    const sql = 'SELECT value, sum(count) AS count FROM event_failure_values_hour WHERE field = @field AND hour >= @firstHour AND hour < @lastHour GROUP BY value';
    for (const row of this.statements.get(sql).all({ field, firstHour, lastHour }) as Array<{ value: string; count: number }>) add(row.value, row.count);
  }

  /** Each summarized day's kept values, with the bounds of the days that kept them (`covered`). */
  private summaries(field: number, firstDay: number, lastDay: number, add: (value: string, count: number, covered: number) => void): void {
    const sql = `SELECT v.value AS value, sum(v.count) AS count, sum(d.bound) AS covered
      FROM event_failure_values_day v JOIN event_failure_days d ON d.day = v.day AND d.field = v.field
      WHERE v.field = @field AND v.day >= @firstDay AND v.day < @lastDay GROUP BY v.value`;
    for (const row of this.statements.get(sql).all({ field, firstDay, lastDay }) as Array<{ value: string; count: number; covered: number }>) {
      add(row.value, row.count, row.covered);
    }
  }

  private daysOf(span: Span): number[] {
    const first = dayOf(span.since);
    const last = dayOf(span.until - 1);
    return this.catalog.days().filter((day) => day >= first && day <= last);
  }
}

/** The hour ranges within [firstHour, lastHour) not covered by a summarized day, merged where adjacent. */
export function hourRanges(firstHour: number, lastHour: number, summarized: ReadonlyMap<number, number>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = firstHour;
  const days = [...summarized.keys()].sort((a, b) => a - b);
  for (const day of days) {
    const dayStart = day * HOURS_PER_DAY;
    if (dayStart >= lastHour) break;
    if (dayStart > start) ranges.push([start, dayStart]);
    start = Math.max(start, dayStart + HOURS_PER_DAY);
  }
  if (start < lastHour) ranges.push([start, lastHour]);
  return ranges;
}

/** The `limit` highest counts, each with its margin (`bound` less the bounds of the days that kept it), and whether the list is exact. */
function rank(tallies: ReadonlyMap<string, Tally>, bound: number, limit: number, isAddress: boolean): TopValues {
  const ranked = [...tallies]
    .filter(([, tally]) => tally.count > 0)
    .map(([value, tally]) => ({ value, count: tally.count, margin: bound - tally.covered }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const listed = ranked.slice(0, limit);
  const last = listed.at(-1)?.count ?? 0;
  // A value no summary kept and no hour or event of the range holds counted at most `bound`.
  const unseenBelow = bound === 0 || (listed.length === limit && last >= bound);
  const leftOutBelow = ranked.slice(limit).every((row) => row.count + row.margin <= last);
  const exact = unseenBelow && leftOutBelow && listed.every((row) => row.margin === 0);
  return { values: listed.map((row) => ({ ...row, value: isAddress ? ipText(row.value) : row.value })), exact };
}
