import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/store/sqlite/database';
import { EventQueries } from '@/lib/store/sqlite/event-queries';
import { PartitionCatalog } from '@/lib/store/sqlite/partition-catalog';
import { createSqliteStore } from '@/lib/store/sqlite/sqlite-store';
import { TEXT_BATCH_ROWS } from '@/lib/store/sqlite/text-index';
import type { EventRecord } from '@/lib/store/store';
import { DAY, NOW, createTempStore, eventRecord, openRawDatabase, queryPlan, recordingPrepares, type TempStore } from '@/tests/helpers/temp-store';

const TODAY_TEXT = 'events_p20261128_text';

/** LIKE's semantics, spelled out: every word a substring of the stored JSON, ASCII letters in either case. */
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
const likeMatches = (document: string, text: string) =>
  text
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .every((word) => asciiLower(document).includes(asciiLower(word)));

const DOCUMENTS = [
  { user: 'Alice.Smith', ip: '10.0.0.1', note: 'first login' },
  { user: 'bob', ip: '10.0.0.12', note: 'smith alice' },
  { user: 'carol', note: '50%_off' },
  { user: 'dave', note: '50x_off and 50%xoff' },
  { user: 'erin', note: 'Straße ÄÖÜ 🙂 naïve' },
  { user: 'frank', note: 'straße äöü' },
  { user: 'grace', note: 'say "hi" to C:\\temp' },
  { user: 'zq', note: 'qz' },
];

const SEARCHES = [
  'lice', // inside a value
  'ALICE', // mixed case
  'alice.smith 10.0.0.1', // two words, AND-ed
  'Smith","ip', // across the JSON punctuation between two values
  '50%_off', // LIKE's wildcards, literal
  '%_o', // wildcards alone, three characters
  '_', // one character: the scan alone
  'zq', // two characters
  'zq qz erin', // short words beside a long one
  'Straße', // unicode, as stored
  'STRASSE', // no folding of ß: nothing
  'ÄÖÜ', // non-ASCII letters keep their case, as in LIKE
  'äöü',
  '🙂 naïve',
  '\\"hi\\"', // the escaped quotes of the stored JSON
  'C:\\\\temp',
  'no-such-word',
  '"user"', // in every document
];
/** Searches whose LIKE is SQLite's own (it stops at a NUL): compared with the scan only. */
const RAW_SEARCHES = ['off"}\u0000zzz', 'Smith\u0000zzz', 'alice \u0001bob'];

describe('the free-text index', () => {
  let temp: TempStore;
  let gateway: number;
  let raw: Database.Database;
  const put = (records: Array<Partial<EventRecord> & { id: string; time: number }>) =>
    temp.store.insertEvents(records.map((record) => eventRecord({ serviceId: gateway, ...record })));
  const indexAll = () => {
    while (temp.store.indexRecentEvents(1000) > 0);
  };
  const buildText = () => {
    let steps = 0;
    while (temp.store.indexText({ budgetMs: 50, quiet: true })) steps += 1;
    return steps;
  };
  const ids = (text: string, since = NOW - DAY, until = NOW + DAY) =>
    temp.reader.listEvents({ text, since, until, limit: 1000 }).events.map((event) => event.id);
  const watermark = (day = '20261128') =>
    raw.prepare('SELECT seq FROM event_text_watermarks WHERE day = ?').pluck().get(Date.parse(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`) / DAY) as
      | number
      | undefined;
  const tableExists = (name: string) => raw.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").pluck().get(name) === 1;
  const putDocuments = (prefix: string, time = NOW) =>
    put(DOCUMENTS.map((document, index) => ({ id: `${prefix}${index}`, time: time + index, document: JSON.stringify({ id: `${prefix}${index}`, ...document }) })));

  beforeEach(() => {
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW).id;
    raw = openRawDatabase(temp.file);
  });
  afterEach(() => {
    raw.close();
    temp.remove();
  });

  it('finds through the index exactly what the scan finds, LIKE semantics included', () => {
    putDocuments('e');
    indexAll();
    const scanned = [...SEARCHES, ...RAW_SEARCHES].map((text) => ids(text));
    expect(buildText()).toBeGreaterThan(0);
    expect(tableExists(TODAY_TEXT)).toBe(true);
    const stored = DOCUMENTS.map((document, index) => ({ id: `e${index}`, json: JSON.stringify({ id: `e${index}`, ...document }) }));
    SEARCHES.forEach((text, index) => {
      const expected = stored.filter(({ json }) => likeMatches(json, text)).map(({ id }) => id).reverse();
      expect({ text, found: ids(text) }).toEqual({ text, found: expected });
      expect({ text, found: scanned[index] }).toEqual({ text, found: expected });
      expect(temp.reader.countEvents({ text, since: NOW - DAY, until: NOW + DAY })).toBe(expected.length);
    });
    // LIKE reads its pattern up to a NUL: whatever it finds, a search with the index finds too.
    RAW_SEARCHES.forEach((text, index) => {
      expect({ text, found: ids(text) }).toEqual({ text, found: scanned[SEARCHES.length + index] });
    });
    // '%off"}': the documents that end so.
    expect(scanned[SEARCHES.length]).toEqual(['e3', 'e2']);
    // Not vacuous: these match something, and the wildcards only themselves.
    expect(ids('ALICE')).toEqual(['e1', 'e0']);
    expect(ids('50%_off')).toEqual(['e2']);
    expect(ids('äöü')).toEqual(['e5']);
  });

  it('reads the indexed part through the text table and the partition by seq, never a walk of the day', () => {
    putDocuments('e');
    indexAll();
    buildText();
    const { connection, statements } = recordingPrepares(raw);
    const queries = new EventQueries(connection, new PartitionCatalog(connection));
    expect(queries.list({ text: 'alice', since: NOW - DAY, until: NOW + DAY, limit: 10 }).events.map((event) => event.id)).toEqual(['e1', 'e0']);
    const [read] = statements.filter((sql) => sql.includes(`${TODAY_TEXT} MATCH`) && sql.includes('ORDER BY time DESC'));
    const plan = queryPlan(raw, read);
    expect(plan).toMatch(new RegExp(`SCAN ${TODAY_TEXT} VIRTUAL TABLE INDEX`));
    expect(plan).toMatch(/SEARCH events_p20261128 USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(plan).toMatch(/SEARCH events_p20261128 USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    expect(plan).not.toMatch(/SCAN events_p20261128\b(?!_text)/);
  });

  it('reads a page of a word with more candidates than the cap as before, newest first, and counts it through the index', () => {
    put(Array.from({ length: 3100 }, (_, index) => ({ id: `c${index}`, time: NOW + index, document: JSON.stringify({ id: `c${index}`, note: 'common' }) })));
    indexAll();
    buildText();
    const { connection, statements } = recordingPrepares(raw);
    const queries = new EventQueries(connection, new PartitionCatalog(connection));
    const page = queries.list({ text: 'COMMON', since: NOW - DAY, until: NOW + DAY, limit: 3 }).events.map((event) => event.id);
    expect(page).toEqual(['c3099', 'c3098', 'c3097']);
    expect(statements.some((sql) => sql.includes('INDEXED BY events_p20261128_by_time') && sql.includes('LIKE'))).toBe(true);
    expect(statements.some((sql) => sql.includes(`${TODAY_TEXT} MATCH @textMatch`) && sql.includes('ORDER BY time DESC'))).toBe(false);
    expect(queries.count({ text: 'common', since: NOW - DAY, until: NOW + DAY })).toBe(3100);
    expect(statements.some((sql) => sql.startsWith('SELECT count(*)') && sql.includes(`${TODAY_TEXT} MATCH @textMatch`))).toBe(true);
  });

  it('finds rows above the watermark, rows still in the recent table, and a late event for an indexed day', () => {
    putDocuments('e');
    indexAll();
    buildText();
    const indexedThrough = watermark();
    expect(indexedThrough).toBeGreaterThan(0);
    // Moved into the partition but not text-indexed: fewer than a batch, ingest not quiet.
    put([{ id: 'above', time: NOW + 100, document: JSON.stringify({ id: 'above', user: 'alice-above' }) }]);
    indexAll();
    expect(temp.store.indexText({ budgetMs: 50, quiet: false })).toBe(false);
    expect(watermark()).toBe(indexedThrough);
    // Still in the recent table.
    put([{ id: 'recent', time: NOW + 200, document: JSON.stringify({ id: 'recent', user: 'alice-recent' }) }]);
    expect(ids('alice')).toEqual(['recent', 'above', 'e1', 'e0']);
    // A day already indexed whole gets a late event.
    putDocuments('y', NOW - DAY);
    indexAll();
    buildText();
    const yesterday = watermark('20261127')!;
    put([{ id: 'late', time: NOW - DAY + 500, document: JSON.stringify({ id: 'late', user: 'alice-late' }) }]);
    indexAll();
    expect(ids('alice-late', NOW - 2 * DAY)).toEqual(['late']);
    buildText();
    expect(watermark('20261127')).toBeGreaterThan(yesterday);
    expect(ids('alice', NOW - 2 * DAY)).toEqual(['recent', 'above', 'e1', 'e0', 'late', 'y1', 'y0']);
  });

  it('indexes what waits in small numbers only once ingest is quiet, a full batch at once', () => {
    put(Array.from({ length: TEXT_BATCH_ROWS - 1 }, (_, index) => ({ id: `a${index}`, time: NOW + index })));
    indexAll();
    expect(temp.store.indexText({ budgetMs: 50, quiet: false })).toBe(false);
    expect(watermark()).toBeUndefined();
    put([{ id: 'last', time: NOW + 5000 }]);
    indexAll();
    expect(temp.store.indexText({ budgetMs: 50, quiet: false })).toBe(true);
    expect(watermark()).toBeGreaterThan(0);
  });

  it('builds in bounded steps and resumes from the watermark after a restart', () => {
    put(Array.from({ length: 2000 }, (_, index) => ({ id: `a${index}`, time: NOW + index })));
    indexAll();
    const seqs = raw.prepare('SELECT seq FROM events_p20261128 ORDER BY seq').pluck().all() as number[];
    // A step over budget halves the next one (never below 16 rows); the first takes 64.
    expect(temp.store.indexText({ budgetMs: 0.0001, quiet: true })).toBe(true);
    expect(watermark()).toBe(seqs[63]);
    // Restarted: the next step starts after the watermark, not from the start of the day.
    temp.store.close();
    temp.store = createSqliteStore({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 });
    expect(temp.store.indexText({ budgetMs: 0.0001, quiet: true })).toBe(true);
    expect(watermark()).toBe(seqs[127]);
    let steps = 0;
    while (temp.store.indexText({ budgetMs: 0.0001, quiet: true })) steps += 1;
    expect(steps).toBeGreaterThan(10);
    expect(watermark()).toBe(seqs.at(-1));
    expect(ids('"a1999"')).toEqual(['a1999']);
    expect(ids('a19')).toHaveLength(111);
  });

  it('drops the text table with its day, retiring the index first and emptying it in chunks', () => {
    put(Array.from({ length: 300 }, (_, index) => ({ id: `old${index}`, time: NOW - DAY + index, document: JSON.stringify({ id: `old${index}`, pad: 'x'.repeat(2000) }) })));
    putDocuments('e');
    indexAll();
    buildText();
    expect(tableExists('events_p20261127_text')).toBe(true);
    const cutoff = NOW - DAY / 2;
    const chunks: number[] = [];
    for (let deleted = temp.store.deleteEventsBefore(cutoff, 64); deleted > 0; deleted = temp.store.deleteEventsBefore(cutoff, 64)) {
      chunks.push(deleted);
      if (chunks.length === 1) {
        expect(watermark('20261127')).toBeUndefined();
        expect(temp.store.indexText({ budgetMs: 50, quiet: true })).toBe(false);
      }
    }
    expect(chunks.length).toBeGreaterThan(300 / 64 + 1);
    expect(tableExists('events_p20261127')).toBe(false);
    expect(tableExists('events_p20261127_text')).toBe(false);
    expect(tableExists('events_p20261127_text_data')).toBe(false);
    expect(watermark('20261127')).toBeUndefined();
    expect(ids('alice', NOW - 2 * DAY)).toEqual(['e1', 'e0']);
    // The builder does not bring a retired day back.
    expect(buildText()).toBe(0);
  });

  it('leaves alone a day that retention from another process retired, with a merge of it pending', () => {
    put(Array.from({ length: 300 }, (_, index) => ({ id: `old${index}`, time: NOW - DAY + index, document: JSON.stringify({ id: `old${index}`, pad: 'x'.repeat(500) }) })));
    indexAll();
    buildText();
    put([{ id: 'late', time: NOW - DAY + 1000 }]);
    indexAll();
    expect(temp.store.indexText({ budgetMs: 50, quiet: true })).toBe(true);
    const cli = createSqliteStore({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 });
    try {
      while (tableExists('events_p20261127_text_data') && (raw.prepare('SELECT count(*) FROM events_p20261127_text_data').pluck().get() as number) > 0) {
        cli.deleteEventsBefore(NOW, 64);
      }
    } finally {
      cli.close();
    }
    expect(watermark('20261127')).toBeUndefined();
    expect(() => buildText()).not.toThrow();
    expect(watermark('20261127')).toBeUndefined();
  });

  it('is used by a reader connection opened before the text table existed', () => {
    putDocuments('e');
    indexAll();
    const reader = openDatabase({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8, readOnly: true });
    try {
      const { connection, statements } = recordingPrepares(reader);
      const queries = new EventQueries(connection, new PartitionCatalog(connection));
      const read = () => connection.transaction(() => queries.list({ text: 'alice', since: NOW - DAY, until: NOW + DAY, limit: 10 }).events.map((event) => event.id))();
      expect(read()).toEqual(['e1', 'e0']);
      expect(statements.some((sql) => sql.includes(`${TODAY_TEXT} MATCH`))).toBe(false);
      buildText();
      expect(read()).toEqual(['e1', 'e0']);
      expect(statements.some((sql) => sql.includes(`${TODAY_TEXT} MATCH`))).toBe(true);
    } finally {
      reader.close();
    }
  });
});
