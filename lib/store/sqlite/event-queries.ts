import type Database from 'better-sqlite3';
import { dayOf } from '../../time';
import type { EventCursor, EventFilter, EventPage, EventQuery, StoredEvent } from '../store';
import { chooseDriver, cursorConditions, filterConditions, valueClause, whereClause, type Conditions, type Params } from './event-conditions';
import { BLOCK_OF_ROW, RECENT_TABLE, partitionTableName } from './partition-names';
import type { PartitionCatalog } from './partition-catalog';
import { StatementCache } from './statement-cache';
import { TextSearch, type TextPlan } from './text-search';
import { toStoredEvent, type EventRowShape } from './stored-event';

type Key = { time: number; seq: number };
const MAX_LIMIT = 10_000;
const newestFirst = (a: Key, b: Key) => b.time - a.time || b.seq - a.seq;

/**
 * Reads events wherever they are: in the day partitions, through their
 * indexes, and in the recent table the indexer has not emptied yet (scanned:
 * it holds seconds of events when the indexer keeps up). Callers run each verb
 * in one read transaction, so an event the writer moves meanwhile is neither
 * seen twice nor missed. Nothing here writes.
 */
export class EventQueries {

  private readonly statements: StatementCache;
  private readonly text: TextSearch;

  constructor(
    db: Database.Database,
    private readonly catalog: PartitionCatalog,
  ) {
    this.statements = new StatementCache(db);
    this.text = new TextSearch(this.statements, catalog);
  }

  /**
   * Newest first by (time, seq), after `cursor`. Partitions are read a day at
   * a time, newest day first, in two steps: the keys of the candidates from an
   * index walk, then the whole rows of the page only.
   */
  list(query: EventQuery): EventPage {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), MAX_LIMIT);
    const wanted = limit + 1; // one more than the page tells whether another page follows
    const recent = this.recentRows(query, wanted);
    const recentByDay = new Map<number, EventRowShape[]>();
    for (const row of recent) recentByDay.set(dayOf(row.time), [...(recentByDay.get(dayOf(row.time)) ?? []), row]);
    const partitioned = new Set(this.partitionDays(query, query.cursor));
    const text = this.text.plan(query.text);
    const days = new Set([...partitioned, ...recentByDay.keys()]);
    const page: StoredEvent[] = [];
    for (const day of [...days].sort((a, b) => b - a)) {
      const missing = wanted - page.length;
      const fromRecent = recentByDay.get(day) ?? [];
      const keys = partitioned.has(day) ? this.partitionKeys(day, query, missing, text) : [];
      const rows = [...this.partitionRows(day, keys), ...fromRecent].sort(newestFirst).slice(0, missing);
      page.push(...rows.map(toStoredEvent));
      if (page.length >= wanted) break;
    }
    const events = page.slice(0, limit);
    const last = events.at(-1);
    return { events, nextCursor: page.length > limit && last ? { time: last.time, seq: last.sequence } : null };
  }

  count(filter: EventFilter): number {
    let total = this.select<number>(RECENT_TABLE, whereClause(filterConditions(filter, 'recent')), 'count(*)', '', true)[0];
    const text = this.text.plan(filter.text);
    for (const day of this.partitionDays(filter)) {
      const conditions = filterConditions(filter, 'partition');
      if (text && this.text.serves(text, day)) total += this.text.count(text, day, [conditions]);
      else total += this.select<number>(partitionTableName(day), whereClause(conditions), 'count(*)', '', true)[0];
    }
    return total;
  }

  get(seq: number): StoredEvent | undefined {
    const recent = this.select<EventRowShape>(RECENT_TABLE, { where: 'WHERE seq = @seq', params: { seq } }, '*', '')[0];
    if (recent) return toStoredEvent(recent);
    for (const day of this.catalog.days()) {
      const range = this.catalog.seqRange(day);
      if (!range || seq < range.first || seq > range.last) continue;
      const row = this.select<EventRowShape>(partitionTableName(day), { where: 'WHERE seq = @seq', params: { seq } }, '*', '')[0];
      if (row) return toStoredEvent(row);
    }
    return undefined;
  }

  /** Events with seq above `afterSeq`, in seq order: each partition's primary key is seq, so each read is one seek. */
  after(afterSeq: number, limit: number): StoredEvent[] {
    const bounded = Math.min(Math.max(limit, 1), MAX_LIMIT);
    const range = { where: 'WHERE seq > @afterSeq', params: { afterSeq } };
    const rows = this.select<EventRowShape>(RECENT_TABLE, range, '*', 'ORDER BY seq LIMIT @limit', false, bounded);
    for (const day of this.catalog.days()) {
      const seqs = this.catalog.seqRange(day);
      if (!seqs || seqs.last <= afterSeq) continue;
      rows.push(...this.select<EventRowShape>(partitionTableName(day), range, '*', 'ORDER BY seq LIMIT @limit', false, bounded));
    }
    return rows.sort((a, b) => a.seq - b.seq).slice(0, bounded).map(toStoredEvent);
  }

  private recentRows(query: EventQuery, wanted: number): EventRowShape[] {
    const where = whereClause(filterConditions(query, 'recent'), cursorConditions(query.cursor));
    return this.select<EventRowShape>(RECENT_TABLE, where, '*', 'ORDER BY time DESC, seq DESC LIMIT @limit', false, wanted);
  }

  /** Days with a partition that the time range (and the cursor) can reach. */
  private partitionDays(filter: EventFilter, cursor?: EventCursor): number[] {
    const first = filter.since === undefined ? -Infinity : dayOf(filter.since);
    const lastByRange = filter.until === undefined ? Infinity : dayOf(filter.until - 1);
    const last = Math.min(lastByRange, cursor ? dayOf(cursor.time) : Infinity);
    return this.catalog.days().filter((day) => day >= first && day <= last);
  }

  /**
   * The newest `wanted` keys of one partition: one index walk per value of the
   * driving filter, merged. Where the driver's index leads with the block of
   * arrivals, the walk names every block of the day in one IN list: SQLite
   * then reads each block's part of the index in time order and stops each
   * after LIMIT rows, instead of one statement per block. Overlapping CIDR
   * blocks can find a row twice; it counts once. A free-text filter is read
   * through the day's text index when it has one that serves (text-search.ts).
   */
  private partitionKeys(day: number, query: EventQuery, wanted: number, text?: TextPlan): Key[] {
    if (text && this.text.servesPage(text, day)) {
      return this.text.keys(text, day, [filterConditions(query, 'partition'), cursorConditions(query.cursor)], wanted);
    }
    const table = partitionTableName(day);
    const driver = chooseDriver(query);
    const tail = 'ORDER BY time DESC, seq DESC LIMIT @limit';
    const shared = [filterConditions(query, 'partition', driver), cursorConditions(query.cursor)];
    if (!driver) return this.select<Key>(`${table} INDEXED BY ${table}_by_time`, whereClause(...shared), 'time, seq', tail, false, wanted);
    const blockCondition: Conditions = driver.blockLed
      ? { clauses: [`${BLOCK_OF_ROW} IN (SELECT value FROM json_each(@blocks))`], params: { blocks: JSON.stringify(this.catalog.blocks(day)) } }
      : { clauses: [], params: {} };
    const source = `${table} INDEXED BY ${table}_${driver.index}`;
    const found = new Map<number, Key>();
    for (const value of query[driver.field] ?? []) {
      const params: Params = {};
      const valueCondition: Conditions = { clauses: [valueClause(driver, value, 'driver', 'partition', params)], params };
      for (const key of this.select<Key>(source, whereClause(blockCondition, valueCondition, ...shared), 'time, seq', tail, false, wanted)) {
        found.set(key.seq, key);
      }
    }
    return [...found.values()].sort(newestFirst).slice(0, wanted);
  }

  private partitionRows(day: number, keys: readonly Key[]): EventRowShape[] {
    if (keys.length === 0) return [];
    const where = { where: 'WHERE seq IN (SELECT value FROM json_each(@seqs))', params: { seqs: JSON.stringify(keys.map((key) => key.seq)) } };
    return this.select<EventRowShape>(partitionTableName(day), where, '*', '');
  }

  private select<T>(source: string, { where, params }: { where: string; params: Params }, columns: string, tail: string, pluck = false, limit?: number): T[] {
    const statement = this.statements.get(`SELECT ${columns} FROM ${source} ${where} ${tail}`);
    return statement.pluck(pluck).all(limit === undefined ? params : { ...params, limit }) as T[];
  }
}
