import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '@/lib/store/sqlite/sqlite-store';
import { NOW, createTempStore, eventRecord, type TempStore } from '@/tests/helpers/temp-store';

let temp: TempStore;
beforeEach(() => {
  temp = createTempStore();
});
afterEach(() => temp.remove());

describe('a database file deleted under the store', () => {
  it('fails every later write with ERR_STORE_UNAVAILABLE instead of acknowledging it, and the readiness check too', () => {
    const serviceId = temp.store.addService('gateway', NOW).id;
    expect(temp.store.insertEvents([eventRecord({ id: 'before', time: NOW, serviceId })])).toHaveLength(1);
    fs.rmSync(temp.file);
    expect(() => temp.store.insertEvents([eventRecord({ id: 'after', time: NOW, serviceId })])).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE', retryAfterSeconds: 60 }),
    );
    expect(() => temp.store.checkWritable(NOW)).toThrow(expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE' }));
  });

  it('notices a file replaced by a rename as lost too, and stays lost', () => {
    const serviceId = temp.store.addService('gateway', NOW).id;
    const copy = path.join(temp.directory, 'copy.db');
    fs.copyFileSync(temp.file, copy);
    fs.renameSync(copy, temp.file);
    expect(() => temp.store.insertEvents([eventRecord({ id: 'after', time: NOW, serviceId })])).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE' }),
    );
    expect(() => temp.store.checkWritable(NOW)).toThrow(expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE' }));
  });
});

describe('a file that is not an SQLite database', () => {
  it('stops the store from opening with an error naming the file and the problem', () => {
    const file = path.join(temp.directory, 'not-a-database.db');
    fs.writeFileSync(file, 'this is a text file, not a database\n'.repeat(200));
    expect(() => createSqliteStore({ file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 })).toThrow(
      `the database file ${file} is not an SQLite database`,
    );
  });

  it('names a corrupt database as corrupt', () => {
    const file = path.join(temp.directory, 'corrupt.db');
    fs.copyFileSync(temp.file, file);
    const bytes = fs.readFileSync(file);
    // Keep the header (the file is still SQLite), overwrite the schema page's cells.
    bytes.fill(0xff, 100, 4096);
    fs.writeFileSync(file, bytes);
    expect(() => createSqliteStore({ file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 })).toThrow(
      new RegExp(`^the database file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (is corrupt|is not an SQLite database)`),
    );
  });
});
