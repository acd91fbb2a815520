import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Makes sure one server at a time uses a database: two would each keep their
 * own idempotency view and store the same event twice. The lock is SQLite's
 * own file lock (fcntl) on a side file, `<database>.lock`, taken as an
 * exclusive transaction held until the process ends: the kernel releases it
 * when the process dies, even by SIGKILL, so no stale lock outlives a crash.
 * The database itself stays unlocked, so the CLI (accounts, keys, retention)
 * keeps working beside the server. Returns the function that releases it.
 */
export function lockDatabaseForServer(file: string): () => void {
  if (file === ':memory:') return () => {};
  const database = path.resolve(file);
  const lockFile = `${database}.lock`;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const lock = new Database(lockFile, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (!code.startsWith('SQLITE_BUSY')) throw error;
    throw new Error(
      `another authwatch server is already running on the database ${database} (it holds ${lockFile}): stop it, or give this server its own AUTHWATCH_DB`,
      { cause: error },
    );
  }
  return () => {
    lock.exec('ROLLBACK');
    lock.close();
  };
}
