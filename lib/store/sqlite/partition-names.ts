import { DAY_MS } from '../../time';

/** Where ingest commits append, before the indexer moves rows into their day partition. */
export const RECENT_TABLE = 'events_recent';

/**
 * The indexes on ip_key, username, subject, client_id and jti lead with
 * `(seq >> 14)`, the block of 16,384 arrivals a row belongs to (partition.sql
 * says why); a query by one of them names the block to look in with this very
 * expression, which SQLite matches against the index's.
 */
export const BLOCK_BITS = 14;
export const BLOCK_OF_ROW = `(seq >> ${BLOCK_BITS})`;
/** BLOCK_OF_ROW in JavaScript, whose `>>` would cut a seq past 2^31. */
export const blockOf = (seq: number): number => Math.floor(seq / 2 ** BLOCK_BITS);

/** `events_p20261128` for the UTC day that holds `day`; only digits ever reach the SQL text. */
export function partitionTableName(day: number): string {
  if (!Number.isInteger(day)) throw new Error(`invalid partition day ${day}`);
  return `events_p${new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The day's free-text index (text-index.ts): an FTS5 table of the partition's documents, rowid = seq. */
export function textTableName(day: number): string {
  return `${partitionTableName(day)}_text`;
}

/** The columns every event table shares (the recent table and each partition). */
export const EVENT_COLUMNS = 'seq, id, id_key, time, received_at, service_id, type, reason, ip, ip_key, username, subject, client_id, jti, redactions, document';
