import type Database from 'better-sqlite3';
import type { EventQuery, StoredEvent } from '../store';
import { BLOCK_OF_ROW, Partitions, RECENT_TABLE, dayOf, partitionTableName } from './partitions';

/** A table to read, and the blocks of arrivals to read in when an index leads with them. */
type Source = { table: string; blocks?: number[] };

type EventRow = {
  seq: number;
  id: string;
  time: number;
  received_at: number;
  service_id: number;
  type: number;
  reason: number | null;
  ip: string | null;
  username: string | null;
  subject: string | null;
  client_id: string | null;
  jti: string | null;
  redactions: number;
  document: string;
};

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    sequence: row.seq,
    id: row.id,
    time: row.time,
    receivedAt: row.received_at,
    serviceId: row.service_id,
    type: row.type,
    reason: row.reason,
    ip: row.ip,
    username: row.username,
    subject: row.subject,
    clientId: row.client_id,
    jti: row.jti,
    redactions: row.redactions,
    document: row.document,
  };
}

const FILTER_COLUMNS = [
  ['serviceId', 'service_id'],
  ['type', 'type'],
  ['ip', 'ip'],
  ['username', 'username'],
  ['subject', 'subject'],
] as const;

/** The filters whose partition indexes lead with the block of arrivals (partition.sql). */
const BLOCK_INDEXED = ['ip', 'username', 'subject'] as const;

const newestFirst = (a: EventRow, b: EventRow) => b.time - a.time || b.seq - a.seq;

/**
 * Reads events wherever they are: in the day partitions, through their indexes,
 * and in the recent table the indexer has not emptied yet, which is scanned (it
 * holds seconds of events when the indexer keeps up). Both are read on the one
 * connection that also moves rows, so no event is seen twice or missed.
 */
export class EventQueries {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly partitions: Partitions,
  ) {}

  /** Newest first, ties by arrival. */
  list(query: EventQuery): StoredEvent[] {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 10_000);
    const order = 'ORDER BY time DESC, seq DESC LIMIT @limit';
    // The newest `limit` recent rows: an older recent row can never make the answer.
    const recentByDay = new Map<number, EventRow[]>();
    for (const row of this.select<EventRow>(RECENT_TABLE, query, 'SELECT *', order, limit)) {
      const day = dayOf(row.time);
      const rows = recentByDay.get(day) ?? [];
      rows.push(row);
      recentByDay.set(day, rows);
    }
    const partitioned = new Set(this.partitionDays(query));
    const days = new Set([...partitioned, ...recentByDay.keys()]);
    const results: StoredEvent[] = [];
    for (const day of [...days].sort((a, b) => b - a)) {
      const wanted = limit - results.length;
      const partitionRows = partitioned.has(day) ? this.select<EventRow>(this.partition(day, query), query, 'SELECT *', order, wanted) : [];
      const rows = [...partitionRows, ...(recentByDay.get(day) ?? [])].sort(newestFirst).slice(0, wanted);
      results.push(...rows.map(toStoredEvent));
      if (results.length >= limit) break;
    }
    return results;
  }

  count(query: Omit<EventQuery, 'limit'>): number {
    let total = this.select<number>(RECENT_TABLE, query, 'SELECT count(*)', '', undefined, true)[0];
    for (const day of this.partitionDays(query)) {
      total += this.select<number>(this.partition(day, query), query, 'SELECT count(*)', '', undefined, true)[0];
    }
    return total;
  }

  private partitionDays(query: { since?: number; until?: number }): number[] {
    const first = query.since === undefined ? -Infinity : dayOf(query.since);
    const last = query.until === undefined ? Infinity : dayOf(query.until);
    return this.partitions.days().filter((day) => day >= first && day <= last);
  }

  /**
   * A partition to read, and for a query by ip, username or subject the blocks
   * of arrivals to look in with that column's index. INDEXED BY: without it the
   * planner may walk the time index of a whole day to spare itself a sort.
   */
  private partition(day: number, query: EventQuery): Source {
    const table = partitionTableName(day);
    const column = BLOCK_INDEXED.find((field) => query[field] !== undefined);
    if (!column) return { table };
    return { table: `${table} INDEXED BY ${table}_by_block_${column}`, blocks: this.partitions.blocks(day) };
  }

  private select<T>(source: Source | string, query: EventQuery, select: string, tail: string, limit?: number, pluck = false): T[] {
    const { table, blocks } = typeof source === 'string' ? { table: source, blocks: undefined } : source;
    const conditions: string[] = [];
    const params: Record<string, string | number> = {};
    if (blocks) {
      conditions.push(`${BLOCK_OF_ROW} IN (SELECT value FROM json_each(@blocks))`);
      params.blocks = JSON.stringify(blocks);
    }
    if (query.since !== undefined) {
      conditions.push('time >= @since');
      params.since = query.since;
    }
    if (query.until !== undefined) {
      conditions.push('time < @until');
      params.until = query.until;
    }
    for (const [field, column] of FILTER_COLUMNS) {
      const value = query[field];
      if (value === undefined) continue;
      conditions.push(`${column} = @${field}`);
      params[field] = value;
    }
    if (limit !== undefined) params.limit = limit;
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const statement = this.prepare(`${select} FROM ${table} ${where} ${tail}`);
    return statement.pluck(pluck).all(params) as T[];
  }

  /** Statements are cached by their text: the filters vary, the shapes repeat. */
  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size > 500) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
