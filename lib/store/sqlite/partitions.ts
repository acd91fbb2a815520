import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { SQL_DIRECTORY } from './database';

export const DAY_MS = 86_400_000;

/**
 * The indexes on ip, username and subject lead with `(seq >> 14)`, the block of
 * 16,384 arrivals a row belongs to (partition.sql says why); a query by one of
 * them names the blocks to look in with this very expression, which SQLite
 * matches against the index's.
 */
const BLOCK_BITS = 14;
export const BLOCK_OF_ROW = `(seq >> ${BLOCK_BITS})`;
const ROWS_PER_BLOCK = 2 ** BLOCK_BITS;

/** Where ingest commits append, before the indexer moves rows into their day partition. */
export const RECENT_TABLE = 'events_recent';

export function dayOf(time: number): number {
  return Math.floor(time / DAY_MS);
}

/** `events_p20261128` for the UTC day that holds `day`; only digits ever reach the SQL text. */
export function partitionTableName(day: number): string {
  if (!Number.isInteger(day)) throw new Error(`invalid partition day ${day}`);
  return `events_p${new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

let template: string | undefined;
function partitionDdl(table: string): string {
  template ??= fs.readFileSync(path.join(SQL_DIRECTORY, 'partition.sql'), 'utf8');
  return template.replaceAll('{{table}}', table);
}

export type PartitionStatements = {
  table: string;
  /** Copies the recent rows with seq in [first, last] whose time falls on this day. */
  moveFromRecent: Database.Statement;
  findDuplicate: Database.Statement;
  seqRange: Database.Statement;
};

const COLUMNS = 'seq, id, id_key, time, received_at, service_id, type, reason, ip, username, subject, client_id, jti, redactions, document';

/**
 * The registry of daily event tables, with statements prepared once per
 * partition. A partition dropped by another process (retention from the CLI)
 * is noticed by `forget`, which the caller invokes on "no such table".
 */
export class Partitions {
  private readonly statements = new Map<number, PartitionStatements>();
  private known: Set<number> | undefined;
  private readonly register: Database.Statement;
  private readonly listDays: Database.Statement;
  private readonly unregister: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.register = db.prepare('INSERT OR IGNORE INTO event_partitions (day, table_name) VALUES (@day, @table)');
    this.listDays = db.prepare('SELECT day FROM event_partitions ORDER BY day').pluck();
    this.unregister = db.prepare('DELETE FROM event_partitions WHERE day = ?');
  }

  /** The partition's statements, creating its table first; call inside the write transaction. */
  forWrite(day: number): PartitionStatements {
    const cached = this.statements.get(day);
    if (cached) return cached;
    const table = partitionTableName(day);
    this.db.exec(partitionDdl(table));
    this.register.run({ day, table });
    this.knownDays().add(day);
    const prepared: PartitionStatements = {
      table,
      moveFromRecent: this.db.prepare(
        `INSERT INTO ${table} (${COLUMNS}) SELECT ${COLUMNS} FROM ${RECENT_TABLE}
         WHERE seq BETWEEN @first AND @last AND time >= @start AND time < @end`,
      ),
      // INDEXED BY: a new partition has no ANALYZE statistics, and without them the planner
      // picks the (service_id, time) index, which makes every duplicate check scan the whole
      // day of the service's events (insert cost grew linearly with the partition's size).
      findDuplicate: this.db
        .prepare(
          `SELECT 1 FROM ${table} INDEXED BY ${table}_by_id_key WHERE id_key = @idKey AND service_id = @serviceId AND id = @id LIMIT 1`,
        )
        .pluck(),
      // Two subqueries: SQLite reads min() or max() from the end of the B-tree only when it is alone.
      seqRange: this.db.prepare(`SELECT (SELECT min(seq) FROM ${table}), (SELECT max(seq) FROM ${table})`).raw(),
    };
    this.statements.set(day, prepared);
    return prepared;
  }

  /** The partition's statements if it exists; a day without one holds no event to find. */
  forRead(day: number): PartitionStatements | undefined {
    return this.knownDays().has(day) ? this.forWrite(day) : undefined;
  }

  /** The blocks of arrivals (see BLOCK_OF_ROW) the partition's rows may fall in, oldest first. */
  blocks(day: number): number[] {
    const partition = this.forRead(day);
    const [first, last] = (partition?.seqRange.get() as [number | null, number | null] | undefined) ?? [null, null];
    if (first === null || last === null) return [];
    const blocks: number[] = [];
    for (let block = Math.floor(first / ROWS_PER_BLOCK); block <= Math.floor(last / ROWS_PER_BLOCK); block++) blocks.push(block);
    return blocks;
  }

  /** The highest seq any partition holds: where the recent table's sequence must continue from. */
  highestSeq(): number {
    let highest = 0;
    for (const day of this.days()) {
      const seq = this.db.prepare(`SELECT max(seq) FROM ${partitionTableName(day)}`).pluck().get() as number | null;
      highest = Math.max(highest, seq ?? 0);
    }
    return highest;
  }

  /** Days that have a partition, oldest first. */
  days(): number[] {
    return this.listDays.all() as number[];
  }

  /** Brings every partition's indexes up to the current template. */
  upgradeAll(): void {
    for (const day of this.days()) this.db.exec(partitionDdl(partitionTableName(day)));
  }

  drop(day: number): void {
    this.db.exec(`DROP TABLE IF EXISTS ${partitionTableName(day)}`);
    this.unregister.run(day);
    this.statements.delete(day);
    this.known?.delete(day);
  }

  forget(): void {
    this.statements.clear();
    this.known = undefined;
  }

  private knownDays(): Set<number> {
    this.known ??= new Set(this.days());
    return this.known;
  }
}
