import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteReader, type SqliteReader } from '@/lib/store/sqlite/sqlite-reader';
import { createSqliteStore, type SqliteStore } from '@/lib/store/sqlite/sqlite-store';
import type { DatabaseOptions } from '@/lib/store/sqlite/database';
import { ipKey } from '@/lib/net/ip-address';
import type { EventRecord } from '@/lib/store/store';

/**
 * A real store on a fresh temporary file, with the real migrations, and a
 * reader on a read-only connection of its own, as the server's reader threads
 * have; `remove` closes both and deletes the directory.
 */
export type TempStore = { store: SqliteStore; reader: SqliteReader; file: string; directory: string; remove: () => void };

export function createTempStore(options: Partial<Omit<DatabaseOptions, 'file'>> = {}): TempStore {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-unit-'));
  const file = path.join(directory, 'authwatch.db');
  const store = createSqliteStore({ file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8, ...options });
  const reader = openSqliteReader({ file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8, ...options });
  return {
    store,
    reader,
    file,
    directory,
    remove: () => {
      reader.close();
      store.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A plain connection to a test database, with the SQL function the store's statements use. */
export function openRawDatabase(file: string): Database.Database {
  const raw = new Database(file);
  raw.function('authwatch_ip_key', { deterministic: true }, (ip: unknown) => (typeof ip === 'string' ? ipKey(ip) : null));
  return raw;
}

/** Fixed clock for every test: 2026-11-28T12:00:00Z. */
export const NOW = Date.parse('2026-11-28T12:00:00Z');
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** A stored-ready event record with defaults; only what a test cares about is spelled out. */
export function eventRecord(overrides: Partial<EventRecord> & { id: string; time: number; serviceId: number }): EventRecord {
  return {
    receivedAt: overrides.time,
    type: 1,
    reason: null,
    ip: null,
    username: null,
    subject: null,
    clientId: null,
    jti: null,
    redactions: 0,
    document: JSON.stringify({ id: overrides.id }),
    ...overrides,
    ipKey: overrides.ipKey ?? ipKey(overrides.ip),
  };
}

/** A connection that records the text of every statement prepared through it, for query-plan checks. */
export function recordingPrepares(raw: Database.Database): { connection: Database.Database; statements: string[] } {
  const statements: string[] = [];
  const connection = new Proxy(raw, {
    get: (target, property) => {
      if (property === 'prepare') return (sql: string) => (statements.push(sql), target.prepare(sql));
      const member: unknown = Reflect.get(target, property);
      return typeof member === 'function' ? member.bind(target) : member;
    },
  });
  return { connection, statements };
}

/** SQLite's query plan for `sql`, every named parameter bound to 0. */
export function queryPlan(raw: Database.Database, sql: string): string {
  const params = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map(([, name]) => [name, 0]));
  return (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail).join('\n');
}
