import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDatabaseForServer } from '@/lib/store/sqlite/server-lock';

let directory: string;
beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-lock-'));
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

/** Tries to take the lock from another process, as a second server would; returns its exit code. */
function lockFromAnotherProcess(file: string): number | null {
  const script = `
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const lock = new Database(${JSON.stringify(`${file}.lock`)}, { timeout: 0 });
    lock.pragma('locking_mode = EXCLUSIVE');
    try { lock.exec('BEGIN EXCLUSIVE'); } catch { process.exit(3); }
  `;
  return spawnSync(process.execPath, ['-e', script]).status;
}

describe('lockDatabaseForServer', () => {
  it('holds the database for this process until released, refusing a second claim with a clear error', () => {
    const file = path.join(directory, 'authwatch.db');
    const release = lockDatabaseForServer(file);
    expect(lockFromAnotherProcess(file)).toBe(3);
    expect(() => lockDatabaseForServer(file)).toThrow(`another authwatch server is already running on the database ${file}`);
    release();
    expect(lockFromAnotherProcess(file)).toBe(0);
    lockDatabaseForServer(file)();
  });
});
