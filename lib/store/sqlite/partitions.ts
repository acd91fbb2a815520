import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { DAY_MS } from '../../time';
import { SQL_DIRECTORY } from './database';
import { EVENT_COLUMNS, RECENT_TABLE, partitionTableName } from './partition-names';

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

  /** The statements of an existing partition, for the duplicate check; a day without one holds no event. */
  existing(day: number): PartitionStatements | undefined {
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
  }

  forget(): void {
    this.statements.clear();
    this.known = undefined;
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
        .prepare(`SELECT 1 FROM ${table} INDEXED BY ${table}_by_id_key WHERE id_key = @idKey AND service_id = @serviceId AND id = @id LIMIT 1`)
        .pluck(),
    };
    this.statements.set(day, prepared);
    return prepared;
  }

  private knownDays(): Set<number> {
    this.known ??= new Set(this.days());
    return this.known;
  }
}
