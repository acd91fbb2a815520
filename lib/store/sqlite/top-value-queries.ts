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
    const edges: Span[] = firstHour < lastHour ? [{ since: query.since, until: firstHour * HOUR_MS }, { since: lastHour * HOUR_MS, until: query.until }] : [query];
    for (const edge of edges.filter((candidate) => candidate.since < candidate.until)) {
      for (const day of this.daysOf(edge)) this.raw(query.field, partitionTableName(day), edge, add);
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
