import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '@/lib/store/sqlite/sqlite-store';
import type { DatabaseOptions } from '@/lib/store/sqlite/database';
import type { EventRecord, Store } from '@/lib/store/store';

/** A real store on a fresh temporary file, with the real migrations; `remove` closes it and deletes the directory. */
export type TempStore = { store: Store; file: string; directory: string; remove: () => void };

export function createTempStore(options: Partial<Omit<DatabaseOptions, 'file'>> = {}): TempStore {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-unit-'));
  const file = path.join(directory, 'authwatch.db');
  const store = createSqliteStore({ file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8, ...options });
  return {
    store,
    file,
    directory,
    remove: () => {
      store.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
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
  };
}
