import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointWal, closeDatabase, migrate, openDatabase, SQL_DIRECTORY, type DatabaseOptions } from '@/lib/store/sqlite/database';
import { openSqliteReader } from '@/lib/store/sqlite/sqlite-reader';
import { createSqliteStore } from '@/lib/store/sqlite/sqlite-store';
import { TYPESCRIPT_MIGRATIONS } from '@/lib/store/sqlite/typescript-migrations';
import { NOW, eventRecord, openRawDatabase } from '@/tests/helpers/temp-store';

const migrationFiles = [
  ...fs.readdirSync(path.join(SQL_DIRECTORY, 'migrations')).filter((name) => name.endsWith('.sql')),
  ...TYPESCRIPT_MIGRATIONS.map((migration) => migration.name),
].sort();
const latestVersion = Number(migrationFiles.at(-1)!.slice(0, 3));

describe('the SQLite database', () => {
  let directory: string;
  let options: DatabaseOptions;

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-db-'));
    options = { file: path.join(directory, 'nested', 'authwatch.db'), synchronous: 'FULL', busyTimeoutMs: 250, cacheMegabytes: 8 };
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('applies every migration to a fresh file, creating its directory, and sets user_version', () => {
    const db = openDatabase(options);
    expect(migrate(db)).toEqual(migrationFiles);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['services', 'ingest_keys', 'event_partitions', 'event_rollups_minute', 'health']));
    closeDatabase(db);
  });

  it('applies nothing on reopen and keeps the data', () => {
    const first = openDatabase(options);
    migrate(first);
    first.prepare("INSERT INTO services (name, created_at) VALUES ('gateway', 1)").run();
    closeDatabase(first);

    const second = openDatabase(options);
    expect(migrate(second)).toEqual([]);
    expect(second.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(second.prepare('SELECT name FROM services').pluck().all()).toEqual(['gateway']);
    closeDatabase(second);
  });

  it('opens a store twice on the same file', () => {
    createSqliteStore(options).close();
    const reopened = createSqliteStore(options);
    expect(reopened.listServices()).toEqual([]);
    reopened.close();
  });

  it('sets WAL, synchronous FULL (2) and the busy timeout by default', () => {
    const db = openDatabase(options);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(250);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('cache_size', { simple: true })).toBe(-8 * 1024);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    closeDatabase(db);
  });

  it("leaves checkpoints to another connection when asked (the server's writer: checkpointer.ts)", () => {
    const db = openDatabase({ ...options, autocheckpoint: false });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(65_536);
    closeDatabase(db);
  });

  it.each([
    ['NORMAL', 1],
    ['EXTRA', 3],
  ] as const)('honours synchronous %s (%i)', (synchronous, value) => {
    const db = openDatabase({ ...options, synchronous });
    expect(db.pragma('synchronous', { simple: true })).toBe(value);
    closeDatabase(db);
  });

  it("checkpoints from a connection of its own, as the checkpointer thread does: afterwards the main file alone holds the writer's commits", () => {
    const servicesInMainFile = () => {
      const copy = path.join(directory, 'main-file-only.db');
      fs.copyFileSync(options.file, copy);
      const db = new Database(copy);
      try {
        const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'services'").get() !== undefined;
        return hasTable ? db.prepare('SELECT name FROM services').pluck().all() : [];
      } finally {
        db.close();
        fs.rmSync(copy);
        fs.rmSync(`${copy}-wal`, { force: true });
        fs.rmSync(`${copy}-shm`, { force: true });
      }
    };
    const store = createSqliteStore({ ...options, autocheckpoint: false });
    const checkpointer = openDatabase(options);
    try {
      store.addService('gateway', 1);
      expect(servicesInMainFile()).toEqual([]);
      checkpointWal(checkpointer);
      expect(servicesInMainFile()).toEqual(['gateway']);
    } finally {
      store.close();
      closeDatabase(checkpointer);
    }
  });

  it('leaves the file in WAL mode for other connections', () => {
    createSqliteStore(options).close();
    const db = openDatabase({ ...options, busyTimeoutMs: 0 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    closeDatabase(db);
  });

  it('closes a closed database without throwing', () => {
    const db = openDatabase(options);
    closeDatabase(db);
    expect(() => closeDatabase(db)).not.toThrow();
    expect(db.open).toBe(false);
  });

  it('migrations 003, 007 and 011 give partitions made before them their address keys and count their failures', () => {
    const store = createSqliteStore(options);
    const serviceId = store.addService('gateway', NOW).id;
    store.insertEvents([
      eventRecord({ id: 'a', time: NOW, serviceId, type: 2, ip: '203.0.113.7', username: 'alice' }),
      eventRecord({ id: 'b', time: NOW + 1, serviceId, type: 1, ip: '::ffff:203.0.113.7', username: 'alice' }),
    ]);
    while (store.indexRecentEvents(100) > 0);
    store.close();
    // Back to the schema before 003 (no ip_key, no hourly or daily tables), then 003, 007 and 011 themselves, as migrate applies them.
    const old = openRawDatabase(options.file);
    old.exec(`DROP INDEX events_p20261128_by_block_ip_key; ALTER TABLE events_p20261128 DROP COLUMN ip_key;
      ALTER TABLE events_recent DROP COLUMN ip_key; DROP TABLE event_rollups_hour; DROP TABLE event_rollups_day;
      DROP TABLE event_failure_values_hour; DROP TABLE event_failure_values_day; DROP TABLE event_failure_days;`);
    for (const version of [3, 7, 11]) {
      const migration = TYPESCRIPT_MIGRATIONS.find((candidate) => candidate.version === version)!;
      old.transaction(() => migration.apply(old)).immediate();
    }
    old.close();

    createSqliteStore(options).close();
    const reader = openSqliteReader(options);
    try {
      expect(reader.listEvents({ ips: ['203.0.113.0/24'] }).events.map((event) => event.id)).toEqual(['b', 'a']);
      // Only the failure (a) is counted; b, a success from the same address, is not.
      const range = { since: NOW - 3_600_000, until: NOW + 7_200_000, limit: 5, failuresOnly: true } as const;
      expect(reader.topValues({ field: 'ip', ...range })).toEqual({ values: [{ value: '203.0.113.7', count: 1, margin: 0 }], exact: true });
      expect(reader.topValues({ field: 'username', ...range })).toEqual({ values: [{ value: 'alice', count: 1, margin: 0 }], exact: true });
      // The whole day, from 007's summary of it.
      const day = { since: NOW - 12 * 3_600_000, until: NOW + 12 * 3_600_000, limit: 5, failuresOnly: true } as const;
      expect(reader.topValues({ field: 'ip', ...day })).toEqual({ values: [{ value: '203.0.113.7', count: 1, margin: 0 }], exact: true });
      expect(reader.bucketCounts({ ...day, bucket: 'day' }).map((row) => row.count)).toEqual([1, 1]);
      expect(reader.bucketCounts({ since: NOW - 3_600_000, until: NOW + 7_200_000, bucket: 'hour' }).map((row) => row.count)).toEqual([1, 1]);
    } finally {
      reader.close();
    }
  });
});
