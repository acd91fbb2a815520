import type Database from 'better-sqlite3';
import { blockOf, partitionTableName } from './partition-names';

/**
 * The readers' view of the day partitions. It asks the database which days
 * exist on every read (a few rows), inside the read's own snapshot, so a
 * connection that only reads sees partitions the writer creates at any time
 * later and never one retention has dropped; it prepares statements but never
 * writes or runs DDL.
 */
export class PartitionCatalog {
  private readonly listDays: Database.Statement;
  private readonly listTextWatermarks: Database.Statement;
  private readonly seqRanges = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.listDays = db.prepare('SELECT day FROM event_partitions ORDER BY day').pluck();
    this.listTextWatermarks = db.prepare('SELECT day, seq FROM event_text_watermarks').raw();
  }

  /**
   * Per day with a usable text table (text-index.ts), the highest seq it
   * holds; asked inside the read's snapshot like the days, so a text table the
   * writer makes later is used at once and one retention retires is not.
   */
  textWatermarks(): Map<number, number> {
    return new Map(this.listTextWatermarks.all() as Array<[number, number]>);
  }

  /** Days with a partition, oldest first; call inside the read transaction. */
  days(): number[] {
    return this.listDays.all() as number[];
  }

  /** The smallest and largest seq the partition holds, or undefined when it is empty. */
  seqRange(day: number): { first: number; last: number } | undefined {
    const table = partitionTableName(day);
    let statement = this.seqRanges.get(table);
    if (!statement) {
      // Two subqueries: SQLite reads min() or max() from the end of the B-tree only when it is alone.
      statement = this.db.prepare(`SELECT (SELECT min(seq) FROM ${table}), (SELECT max(seq) FROM ${table})`).raw();
      this.seqRanges.set(table, statement);
    }
    const [first, last] = statement.get() as [number | null, number | null];
    return first === null || last === null ? undefined : { first, last };
  }

  /** The blocks of arrivals (see BLOCK_OF_ROW) the partition's rows fall in, newest first. */
  blocks(day: number): number[] {
    const range = this.seqRange(day);
    if (!range) return [];
    const blocks: number[] = [];
    for (let block = blockOf(range.last); block >= blockOf(range.first); block--) blocks.push(block);
    return blocks;
  }
}
