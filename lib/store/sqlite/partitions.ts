import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { DAY_MS } from '../../time';
import { SQL_DIRECTORY } from './database';
import { type DayIdFilter, IdFilters } from './id-filters';
import { BLOCK_OF_ROW, EVENT_COLUMNS, RECENT_TABLE, partitionTableName } from './partition-names';

let template: string | undefined;
function partitionDdl(table: string): string {
  template ??= fs.readFileSync(path.join(SQL_DIRECTORY, 'partition.sql'), 'utf8');
  return template.replaceAll('{{table}}', table);
}

export type PartitionStatements = {
  table: string;
  /** Copies the recent rows with seq in [first, last] whose time falls on this day. */
  moveFromRecent: Database.Statement;
  /** A stored event with this (service, id) in one block of arrivals. */
  findDuplicate: Database.Statement;
  /** Every row's (seq, id_key), read off the idempotency index to build the day's filter. */
  listIdKeys: Database.Statement;
};

/**
 * The writer's registry of daily event tables: it creates them, with
 * statements prepared once per partition, and drops them. Readers never use
 * it (partition-catalog.ts is theirs), so no read runs DDL. A partition
 * dropped by another process (retention from the CLI) is noticed by `forget`,
 * which the caller invokes on "no such table".
 */
export class Partitions {
  private readonly statements = new Map<number, PartitionStatements>();
  private known: Set<number> | undefined;
  private readonly idFilters = new IdFilters();
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
    return this.prepare(day, table);
  }

  /**
   * Whether the day's partition holds an event with this (service, id). The
   * idempotency index leads with the block of arrivals, so indexing writes to
   * the newest block's part of it instead of all over a B-tree as large as the
   * day; the day's filter (id-filters.ts) names the few blocks to look in.
   */
  holdsRepeat(day: number, idKey: number, serviceId: number, id: string): boolean {
    const statements = this.existing(day);
    if (!statements) return false;
    const filter = this.idFilters.of(day, (empty) => fillIdFilter(empty, statements.listIdKeys));
    return filter.blocksThatMayHold(idKey).some((block) => statements.findDuplicate.get({ block, idKey, serviceId, id }) !== undefined);
  }

  /** Tells the kept filters of rows just moved into their partitions; call inside the moving transaction. */
  noteMoved(rows: Iterable<readonly [seq: number, day: number, idKey: number]>): void {
    this.idFilters.addMoved(rows);
  }

  /** The statements of an existing partition; a day without one holds no event. */
  private existing(day: number): PartitionStatements | undefined {
    return this.statements.get(day) ?? (this.knownDays().has(day) ? this.prepare(day, partitionTableName(day)) : undefined);
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
    this.idFilters.forget(day);
  }

  forget(): void {
    this.statements.clear();
    this.known = undefined;
    this.idFilters.forget();
  }

  private prepare(day: number, table: string): PartitionStatements {
    const prepared: PartitionStatements = {
      table,
      moveFromRecent: this.db.prepare(
        `INSERT INTO ${table} (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM ${RECENT_TABLE}
         WHERE seq BETWEEN @first AND @last AND time >= ${day * DAY_MS} AND time < ${(day + 1) * DAY_MS}`,
      ),
      // INDEXED BY: a new partition has no ANALYZE statistics, and without them the planner
      // picks the (service_id, time) index, which makes every duplicate check scan the whole
      // day of the service's events (insert cost grew linearly with the partition's size).
      findDuplicate: this.db
        .prepare(
          `SELECT 1 FROM ${table} INDEXED BY ${table}_by_block_id_key
           WHERE ${BLOCK_OF_ROW} = @block AND id_key = @idKey AND service_id = @serviceId AND id = @id LIMIT 1`,
        )
        .pluck(),
      listIdKeys: this.db.prepare(`SELECT seq, id_key FROM ${table} INDEXED BY ${table}_by_block_id_key`).raw(),
    };
    this.statements.set(day, prepared);
    return prepared;
  }

  private knownDays(): Set<number> {
    this.known ??= new Set(this.days());
    return this.known;
  }
}

function fillIdFilter(filter: DayIdFilter, listIdKeys: Database.Statement): void {
  for (const [seq, idKey] of listIdKeys.iterate() as Iterable<[number, number]>) filter.add(seq, idKey);
}
