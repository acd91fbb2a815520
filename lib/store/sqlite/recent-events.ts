import type Database from 'better-sqlite3';
import type { EventRecord } from '../store';
import { dayOf } from '../../time';
import { RECENT_TABLE } from './partition-names';

/** Idempotency holds for (service, id) within the UTC day of the event's time. */
export function dedupeKey(day: number, serviceId: number, id: string): string {
  return `${day}\u0000${serviceId}\u0000${id}`;
}

/** A slice of the oldest recent rows: their seq range, the days their times fall on, and each row's (seq, day, id_key). */
export type RecentSlice = { first: number; last: number; days: number[]; rows: number; ids: Array<[seq: number, day: number, idKey: number]> };

/**
 * The append-only table ingest commits write to (migration 002), and the
 * idempotency keys of the rows it holds. The keys live in memory because the
 * table has no index to find them by; they are loaded from the table when the
 * connection first needs them and changed only after a commit succeeds, so a
 * rolled-back insert leaves no key behind. So one connection, in one process,
 * writes events to a database: the server's writer thread.
 */
export class RecentEvents {
  /** Dedupe key → seq, in insertion order, which is seq order; loaded when the connection first writes events. */
  private loaded: Map<string, number> | undefined;
  private readonly insertRow: Database.Statement;
  private readonly selectSlice: Database.Statement;
  private readonly deleteThrough: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertRow = db.prepare(
      `INSERT INTO ${RECENT_TABLE} (id, id_key, time, received_at, service_id, type, reason, ip, ip_key, username, subject, client_id, jti, redactions, document)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectSlice = db.prepare(`SELECT seq, time, id_key FROM ${RECENT_TABLE} ORDER BY seq LIMIT ?`).raw();
    this.deleteThrough = db.prepare(`DELETE FROM ${RECENT_TABLE} WHERE seq <= ?`);
  }

  private get keys(): Map<string, number> {
    if (!this.loaded) {
      this.loaded = new Map();
      const rows = this.db.prepare(`SELECT seq, time, service_id, id FROM ${RECENT_TABLE} ORDER BY seq`).raw().iterate();
      for (const [seq, time, serviceId, id] of rows as Iterable<[number, number, number, string]>) {
        this.loaded.set(dedupeKey(dayOf(time), serviceId, id), seq);
      }
    }
    return this.loaded;
  }

  holds(key: string): boolean {
    return this.keys.has(key);
  }

  /** Appends one row; call inside the write transaction. Returns its seq. */
  append(record: EventRecord, idKey: number): number {
    // Positional parameters: binding by name cost about a third of this insert's time.
    const { id, time, receivedAt, serviceId, type, reason, ip, ipKey, username, subject, clientId, jti, redactions, document } = record;
    const row = [id, idKey, time, receivedAt, serviceId, type, reason, ip, ipKey, username, subject, clientId, jti, redactions, document];
    return Number(this.insertRow.run(row).lastInsertRowid);
  }

  /** Records the keys of rows whose transaction has committed. */
  remember(committed: ReadonlyArray<{ key: string; seq: number }>): void {
    for (const { key, seq } of committed) this.keys.set(key, seq);
  }

  /** The oldest rows, at most `limit`. */
  oldest(limit: number): RecentSlice | undefined {
    const rows = this.selectSlice.all(limit) as Array<[number, number, number]>;
    if (rows.length === 0) return undefined;
    const ids = rows.map(([seq, time, idKey]): [number, number, number] => [seq, dayOf(time), idKey]);
    const days = [...new Set(ids.map(([, day]) => day))].sort((a, b) => a - b);
    return { first: rows[0][0], last: rows[rows.length - 1][0], days, rows: rows.length, ids };
  }

  /** Deletes every row up to `last`; call inside the transaction that copied them. */
  deleteThroughSeq(last: number): void {
    this.deleteThrough.run(last);
  }

  /** Drops the keys of rows up to `last` once their move has committed. */
  forgetThrough(last: number): void {
    for (const [key, seq] of this.keys) {
      if (seq > last) break;
      this.keys.delete(key);
    }
  }

  get size(): number {
    return this.keys.size;
  }
}
