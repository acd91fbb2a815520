import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPE_CODES, REASON_CODES, REASONS_BY_TYPE } from '@/lib/events/catalog';

describe('the event catalog', () => {
  const db = new Database(':memory:');
  db.exec(fs.readFileSync(path.join(__dirname, '../../../lib/store/sqlite/migrations/001_initial.sql'), 'utf8'));

  it('gives every type the same code in code and in the database', () => {
    const rows = db.prepare('SELECT name, code FROM event_types').all() as { name: string; code: number }[];
    expect(Object.fromEntries(rows.map((row) => [row.name, row.code]))).toEqual(EVENT_TYPE_CODES);
  });

  it('gives every reason the same code in code and in the database', () => {
    const rows = db.prepare('SELECT name, code FROM event_reasons').all() as { name: string; code: number }[];
    expect(Object.fromEntries(rows.map((row) => [row.name, row.code]))).toEqual(REASON_CODES);
  });

  it('has a code for every reason of every failure type', () => {
    const reasons = new Set(Object.values(REASONS_BY_TYPE).flat());
    expect(new Set(Object.keys(REASON_CODES))).toEqual(reasons);
  });
});
