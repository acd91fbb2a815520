import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthwatchError } from '@/lib/errors';
import { migrate, openDatabase } from '@/lib/store/sqlite/database';
import { EventTable } from '@/lib/store/sqlite/event-table';
import { RecentEvents } from '@/lib/store/sqlite/recent-events';
import { Partitions } from '@/lib/store/sqlite/partitions';
import { TextIndex } from '@/lib/store/sqlite/text-index';
import { translateSqliteError, withSqliteErrors } from '@/lib/store/sqlite/sqlite-errors';
import { NOW, createTempStore, eventRecord, type TempStore } from '@/tests/helpers/temp-store';

const STORED = { stored: true, seq: expect.any(Number) };

const sqliteError = (code: string) => Object.assign(new Error(`simulated ${code}`), { code });

function caught(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the work to throw');
}

describe('translateSqliteError', () => {
  it.each([
    ['SQLITE_BUSY', 'ERR_STORE_BUSY', 1],
    ['SQLITE_BUSY_SNAPSHOT', 'ERR_STORE_BUSY', 1],
    ['SQLITE_LOCKED', 'ERR_STORE_BUSY', 1],
    ['SQLITE_FULL', 'ERR_STORE_FULL', 60],
    ['SQLITE_IOERR_WRITE', 'ERR_STORE_UNAVAILABLE', 5],
    ['SQLITE_READONLY', 'ERR_STORE_UNAVAILABLE', 5],
    ['SQLITE_CANTOPEN', 'ERR_STORE_UNAVAILABLE', 5],
    ['SQLITE_CORRUPT', 'ERR_STORE_UNAVAILABLE', 5],
    ['SQLITE_NOTADB', 'ERR_STORE_UNAVAILABLE', 5],
  ])('maps %s to %s with Retry-After %i', (sqliteCode, code, retryAfterSeconds) => {
    const original = sqliteError(sqliteCode);
    const translated = translateSqliteError(original);
    expect(translated).toBeInstanceOf(AuthwatchError);
    expect(translated).toMatchObject({ code, retryAfterSeconds, cause: original });
  });

  it.each([
    ['a constraint violation', sqliteError('SQLITE_CONSTRAINT_UNIQUE')],
    ['a plain error', new Error('boom')],
    ['a string', 'boom'],
    ['null', null],
  ])('passes %s through unchanged', (_what, error) => {
    expect(translateSqliteError(error)).toBe(error);
  });
});

describe('SQLite failures reaching the store', () => {
  let temp: TempStore;
  let serviceId: number;

  beforeEach(() => {
    temp = createTempStore({ busyTimeoutMs: 0 });
    serviceId = temp.store.addService('gateway', NOW).id;
  });
  afterEach(() => temp.remove());

  it('answers ERR_STORE_BUSY while another connection holds the write lock, and writes once it is released', () => {
    const other = new Database(temp.file, { timeout: 0 });
    other.exec('BEGIN IMMEDIATE');
    try {
      const error = caught(() => temp.store.insertEvents([eventRecord({ id: 'a', time: NOW, serviceId })]));
      expect(error).toMatchObject({ code: 'ERR_STORE_BUSY', retryAfterSeconds: 1 });
      expect(caught(() => temp.store.checkWritable(NOW))).toMatchObject({ code: 'ERR_STORE_BUSY' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(temp.store.insertEvents([eventRecord({ id: 'a', time: NOW, serviceId })])).toEqual([STORED]);
  });

  it('answers ERR_STORE_FULL when the database cannot grow, and commits nothing of the batch', () => {
    const db = openDatabase({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 });
    migrate(db);
    const events = new EventTable(db, new Partitions(db), new RecentEvents(db), 'FULL', new TextIndex(db, 'FULL'));
    events.insert([eventRecord({ id: 'warm-up', time: NOW, serviceId })]);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const batch = Array.from({ length: 50 }, (_, i) => eventRecord({ id: `big-${i}`, time: NOW, serviceId, document: 'x'.repeat(4096) }));
    try {
      const error = caught(() => withSqliteErrors(() => events.insert(batch)));
      expect(error).toBeInstanceOf(AuthwatchError);
      expect(error).toMatchObject({ code: 'ERR_STORE_FULL', retryAfterSeconds: 60 });
      expect((error as AuthwatchError).cause).toMatchObject({ code: 'SQLITE_FULL' });
      // The failed batch left no idempotency key behind: with room again, its events are new.
      db.pragma('max_page_count = 1000000');
      expect(events.insert(batch.slice(0, 2))).toEqual([STORED, STORED]);
    } finally {
      db.close();
    }
    expect(temp.reader.countEvents({})).toBe(3);
  });
});
