import type Database from 'better-sqlite3';
import { resizeToBudget } from '../resize-to-budget';
import { withoutSync } from './database';
import { partitionTableName, textTableName } from './partition-names';

/**
 * Rows a day gathers above its watermark before the builder indexes them while
 * ingest is busy (when ingest is quiet it indexes whatever waits): a search
 * scans these rows, so this bounds what it scans per day.
 */
export const TEXT_BATCH_ROWS = 1024;

const ROWS = { first: 64, min: 16, max: 8192 };
const PAGES = { first: 16, min: 4, max: 2048 };

/**
 * Contentless (the partition holds the documents), trigram tokens for substring
 * search, no positions (`detail=none`: a search ANDs a word's trigrams and
 * checks candidates with LIKE), no sizes. Documents go in lower-cased by
 * SQLite's lower(), ASCII only, the folding LIKE applies, so the tokenizer
 * folds nothing itself (case_sensitive 1: a third cheaper than its Unicode
 * folding). Merges are the builder's, in bounded steps: FTS5's automatic ones
 * would run inside an insert, and a crisis merge of a level could take long.
 */
function textTableDdl(text: string): string {
  return `CREATE VIRTUAL TABLE ${text} USING fts5(document, content='', tokenize='trigram case_sensitive 1', detail=none, columnsize=0);
    INSERT INTO ${text} (${text}, rank) VALUES ('automerge', 0);
    INSERT INTO ${text} (${text}, rank) VALUES ('crisismerge', 64);`;
}

type DayStatements = { pending: Database.Statement; lastOfChunk: Database.Statement; insert?: Database.Statement; merge?: Database.Statement };

/**
 * The writer's side of the free-text index: one FTS5 table per day partition,
 * built behind the indexer in short transactions, and a watermark per day (the
 * highest seq the table holds; every row of the day at or below it is in it).
 * Searches use the table up to the watermark and scan the rows above it
 * (event-queries.ts). Rows only ever reach a partition above its watermark:
 * the indexer moves them in seq order and every row still in the recent table
 * has a higher seq than any row already moved.
 */
export class TextIndex {
  private readonly readWatermark: Database.Statement;
  private readonly writeWatermark: Database.Statement;
  private readonly deleteWatermark: Database.Statement;
  private readonly tableExists: Database.Statement;
  private readonly listDays: Database.Statement;
  private readonly totalChanges: Database.Statement;
  private readonly statements = new Map<number, DayStatements>();
  /** Days that may have rows to index; undefined until the first pass has looked at every day. */
  private dirty: Set<number> | undefined;
  /** Days given rows since their last merge step that found nothing to merge. */
  private readonly mergeDue = new Set<number>();
  private rowsPerChunk = ROWS.first;
  private pagesPerChunk = PAGES.first;

  constructor(
    private readonly db: Database.Database,
    private readonly synchronous: string,
  ) {
    this.readWatermark = db.prepare('SELECT seq FROM event_text_watermarks WHERE day = ?').pluck();
    this.writeWatermark = db.prepare('INSERT INTO event_text_watermarks (day, seq) VALUES (@day, @seq) ON CONFLICT (day) DO UPDATE SET seq = excluded.seq');
    this.deleteWatermark = db.prepare('DELETE FROM event_text_watermarks WHERE day = ?');
    this.tableExists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
    this.listDays = db.prepare('SELECT day FROM event_partitions ORDER BY day').pluck();
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
  }

  /** The indexer moved rows into these days' partitions. */
  touched(days: readonly number[]): void {
    for (const day of days) this.dirty?.add(day);
  }

  /**
   * One step, in a transaction of its own sized to take about `budgetMs`: a
   * bounded merge of a day's segments, or the next rows of the newest day that
   * has rows to index (at least TEXT_BATCH_ROWS of them unless `quiet`).
   * Returns whether work remains that it would do now.
   */
  indexNext(options: { budgetMs: number; quiet: boolean }): boolean {
    // Derived from rows already durable: a step lost to a power cut is done again from the watermark.
    return withoutSync(this.db, this.synchronous, () => this.step(options));
  }

  private step({ budgetMs, quiet }: { budgetMs: number; quiet: boolean }): boolean {
    for (const day of this.mergeDue) {
      const started = performance.now();
      const before = this.totalChanges.get() as number;
      // Never into a table retention retired (perhaps from the CLI): its pages are being deleted.
      const merged = this.db
        .transaction(() => {
          if (this.readWatermark.get(day) === undefined) return false;
          this.mergeStatement(day).run(this.pagesPerChunk);
          return true;
        })
        .immediate();
      // The merge command itself counts one change: more means it wrote pages.
      if (merged && (this.totalChanges.get() as number) - before > 1) {
        this.pagesPerChunk = resizeToBudget(this.pagesPerChunk, budgetMs, performance.now() - started, PAGES);
        return true;
      }
      this.mergeDue.delete(day);
    }
    const day = this.nextDay(quiet);
    if (day === undefined) return false;
    const started = performance.now();
    this.db.transaction(() => this.insertChunk(day)).immediate();
    this.rowsPerChunk = resizeToBudget(this.rowsPerChunk, budgetMs, performance.now() - started, ROWS);
    this.mergeDue.add(day);
    return true;
  }

  /** Stops searches and the builder from using the day's text table (inside the caller's transaction). */
  retire(day: number): void {
    this.deleteWatermark.run(day);
    this.mergeDue.delete(day);
  }

  /**
   * Deletes up to `limit` pages of a retired day's text table, so that
   * dropping it later frees little at once (dropped whole, a day's index held
   * the write lock for tens of milliseconds); returns how many went. FTS5 has
   * no way to empty a contentless table by parts, so this deletes rows of its
   * data table directly, which SQLite's defensive mode forbids for this one
   * statement's sake: the table is retired, so no search or builder reads it
   * again, and a read begun before sees its own snapshot.
   */
  shrink(day: number, limit: number): number {
    const text = textTableName(day);
    if (!this.tableExists.get(text)) return 0;
    this.db.unsafeMode(true);
    try {
      return this.db.prepare(`DELETE FROM ${text}_data WHERE id IN (SELECT id FROM ${text}_data LIMIT ?)`).run(limit).changes;
    } finally {
      this.db.unsafeMode(false);
    }
  }

  /** Drops the day's text table and watermark (inside the caller's transaction). */
  drop(day: number): void {
    this.db.exec(`DROP TABLE IF EXISTS ${textTableName(day)}`);
    this.deleteWatermark.run(day);
    this.forgetDay(day);
  }

  /** Another process dropped tables we had statements for. */
  forget(): void {
    this.statements.clear();
    this.mergeDue.clear();
    this.dirty = undefined;
  }

  private forgetDay(day: number): void {
    this.statements.delete(day);
    this.mergeDue.delete(day);
    this.dirty?.delete(day);
  }

  /** The newest day with rows to index now; days found complete leave the dirty set. */
  private nextDay(quiet: boolean): number | undefined {
    this.dirty ??= new Set(this.listDays.all() as number[]);
    for (const day of [...this.dirty].sort((a, b) => b - a)) {
      const watermark = this.readWatermark.get(day) as number | undefined;
      // A table without a watermark is being dropped by retention.
      const retired = watermark === undefined && this.tableExists.get(textTableName(day)) !== undefined;
      const waiting = retired ? 0 : (this.day(day).pending.get({ after: watermark ?? 0, limit: TEXT_BATCH_ROWS }) as number);
      if (waiting === 0) this.dirty.delete(day);
      else if (quiet || waiting >= TEXT_BATCH_ROWS) return day;
    }
    return undefined;
  }

  private insertChunk(day: number): void {
    const statements = this.day(day);
    let watermark = this.readWatermark.get(day) as number | undefined;
    if (watermark === undefined) {
      if (this.tableExists.get(textTableName(day))) return; // retired since nextDay looked
      this.db.exec(textTableDdl(textTableName(day)));
      watermark = 0;
    }
    const through = statements.lastOfChunk.get({ after: watermark, limit: this.rowsPerChunk }) as number | null;
    if (through === null) return;
    statements.insert ??= this.db.prepare(
      `INSERT INTO ${textTableName(day)} (rowid, document) SELECT seq, lower(document) FROM ${partitionTableName(day)} WHERE seq > @after AND seq <= @through`,
    );
    statements.insert.run({ after: watermark, through });
    this.writeWatermark.run({ day, seq: through });
  }

  /** Prepared once the text table exists: a merge is only due after an insert made it. */
  private mergeStatement(day: number): Database.Statement {
    const text = textTableName(day);
    const statements = this.day(day);
    statements.merge ??= this.db.prepare(`INSERT INTO ${text} (${text}, rank) VALUES ('merge', ?)`);
    return statements.merge;
  }

  private day(day: number): DayStatements {
    let statements = this.statements.get(day);
    if (!statements) {
      const table = partitionTableName(day);
      statements = {
        pending: this.db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE seq > @after LIMIT @limit)`).pluck(),
        lastOfChunk: this.db.prepare(`SELECT max(seq) FROM (SELECT seq FROM ${table} WHERE seq > @after ORDER BY seq LIMIT @limit)`).pluck(),
      };
      this.statements.set(day, statements);
    }
    return statements;
  }
}
