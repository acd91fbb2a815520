import { textIndexQuery, type Conditions, type Params } from './event-conditions';
import type { PartitionCatalog } from './partition-catalog';
import { partitionTableName, textTableName } from './partition-names';
import type { StatementCache } from './statement-cache';
import { TEXT_BATCH_ROWS } from './text-index';

/**
 * Above this many candidates from the index, a page of the day is read as
 * before (an index walk in time order with LIKE, which stops at the page):
 * a word that common fills a page within a few rows, while checking every
 * candidate would read them all.
 */
const CANDIDATE_CAP = 3000;
/** Above this many rows not yet text-indexed (the builder is behind), the same. */
const UNCOVERED_CAP = 4 * TEXT_BATCH_ROWS;

/** What one read needs to use the text index: its query, and each day's watermark in the read's snapshot. */
export type TextPlan = { match: string; watermarks: Map<number, number> };

/**
 * Reads through the day partitions' text indexes (text-index.ts): the rows at
 * or below a day's watermark among the index's candidates, the rows above it
 * by their seq (at most about TEXT_BATCH_ROWS once the builder keeps up), each
 * with every condition of the read, the LIKE of each word included. So the
 * answer is the scan's, whatever the trigrams matched.
 */
export class TextSearch {
  constructor(
    private readonly statements: StatementCache,
    private readonly catalog: PartitionCatalog,
  ) {}

  /** Undefined when no word of the filter has 3 characters: those are matched by the scan alone. */
  plan(text: string | undefined): TextPlan | undefined {
    const match = textIndexQuery(text);
    return match === undefined ? undefined : { match, watermarks: this.catalog.textWatermarks() };
  }

  /** Whether the day has a text index that a page is best read through. */
  servesPage(plan: TextPlan, day: number): boolean {
    const watermark = plan.watermarks.get(day);
    if (watermark === undefined) return false;
    const text = textTableName(day);
    const uncovered = this.statements
      .get(`SELECT count(*) FROM (SELECT 1 FROM ${partitionTableName(day)} WHERE seq > @watermark LIMIT @cap)`)
      .pluck()
      .get({ watermark, cap: UNCOVERED_CAP + 1 }) as number;
    if (uncovered > UNCOVERED_CAP) return false;
    const candidates = this.statements
      .get(`SELECT count(*) FROM (SELECT rowid FROM ${text} WHERE ${text} MATCH @match LIMIT @cap)`)
      .pluck()
      .get({ match: plan.match, cap: CANDIDATE_CAP + 1 }) as number;
    return candidates <= CANDIDATE_CAP;
  }

  /** Whether the day has a text index at all: a count reads every candidate, never more than the scan would. */
  serves(plan: TextPlan, day: number): boolean {
    return plan.watermarks.has(day);
  }

  /** The newest `limit` (time, seq) of the day matching `parts`. */
  keys(plan: TextPlan, day: number, parts: Conditions[], limit: number): Array<{ time: number; seq: number }> {
    const { sql, params } = this.source(plan, day, parts, 'time, seq');
    return this.statements.get(`SELECT time, seq FROM (${sql}) ORDER BY time DESC, seq DESC LIMIT @limit`).pluck(false).all({ ...params, limit }) as Array<{ time: number; seq: number }>;
  }

  count(plan: TextPlan, day: number, parts: Conditions[]): number {
    const { sql, params } = this.source(plan, day, parts, '1');
    return this.statements.get(`SELECT count(*) FROM (${sql})`).pluck().get(params) as number;
  }

  /**
   * NOT INDEXED: the partition is reached by seq only (the candidates one by
   * one, the rows above the watermark as one range), never by a walk of its
   * time index over the whole day.
   */
  private source(plan: TextPlan, day: number, parts: Conditions[], columns: string): { sql: string; params: Params } {
    const table = partitionTableName(day);
    const text = textTableName(day);
    const rest = parts.flatMap((part) => part.clauses).map((clause) => ` AND ${clause}`).join('');
    const params: Params = Object.assign({ textMatch: plan.match, textWatermark: plan.watermarks.get(day)! }, ...parts.map((part) => part.params));
    const sql =
      `SELECT ${columns} FROM ${table} NOT INDEXED WHERE seq IN (SELECT rowid FROM ${text} WHERE ${text} MATCH @textMatch)${rest} ` +
      `UNION ALL SELECT ${columns} FROM ${table} NOT INDEXED WHERE seq > @textWatermark${rest}`;
    return { sql, params };
  }
}
