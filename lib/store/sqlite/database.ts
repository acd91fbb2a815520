import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ipKey } from '../../net/ip-address';
import { codePath } from '../../code-path';
import { translateSqliteError } from './sqlite-errors';
import { TYPESCRIPT_MIGRATIONS } from './typescript-migrations';

/** Where the numbered migrations and the partition template live: beside the code, wherever authwatch is started from. */
export const SQL_DIRECTORY = codePath('lib', 'store', 'sqlite');

export type DatabaseOptions = {
  file: string;
  synchronous: 'FULL' | 'NORMAL' | 'EXTRA';
  busyTimeoutMs: number;
  cacheMegabytes: number;
  /** A connection that only reads: SQLite refuses any write or DDL on it (`query_only`). */
  readOnly?: boolean;
  /** False for the writer's connection when the checkpointer thread checkpoints for it (checkpointer.ts): it then checkpoints only as a backstop. */
  autocheckpoint?: boolean;
};

/** What an operator is told when the file cannot serve as authwatch's database, by SQLite result code. */
const FILE_PROBLEMS: Array<[prefix: string, problem: string]> = [
  ['SQLITE_NOTADB', 'is not an SQLite database'],
  ['SQLITE_CORRUPT', 'is corrupt'],
  ['SQLITE_CANTOPEN', 'cannot be opened (does its directory exist, and may authwatch write there?)'],
  ['SQLITE_READONLY', 'is read-only'],
  ['SQLITE_PERM', 'may not be opened (permissions)'],
  ['SQLITE_IOERR', 'cannot be read or written (I/O error)'],
];

/**
 * Runs `open` (opening or migrating the database at start-up), turning a file
 * SQLite cannot use into an error that names the file and the problem;
 * other failures become the store's error codes.
 */
export function withDatabaseFile<T>(file: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    const found = FILE_PROBLEMS.find(([prefix]) => code.startsWith(prefix));
    if (!found) throw translateSqliteError(error);
    const detail = error instanceof Error ? error.message : code;
    throw new Error(`the database file ${path.resolve(file)} ${found[1]}: ${detail} (${code})`, { cause: error });
  }
}

/** The WAL size, in pages, past which the server's writer checkpoints itself (see openWithPragmas). */
const WRITER_BACKSTOP_PAGES = 4 * 16_384;

/** Opens the database with every pragma authwatch relies on, in one place. */
export function openDatabase(options: DatabaseOptions): Database.Database {
  return withDatabaseFile(options.file, () => openWithPragmas(options));
}

function openWithPragmas(options: DatabaseOptions): Database.Database {
  if (options.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  const db = new Database(options.file, { timeout: options.busyTimeoutMs });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
  db.pragma(`cache_size = -${options.cacheMegabytes * 1024}`);
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('journal_size_limit = 67108864');
  // SQLite's default: checkpoint inside the commit that takes the WAL past 1,000 pages, for
  // the CLI and tests. The server's writer leaves checkpoints to the checkpointer thread
  // (checkpointer.ts, checkpointWal) but for a backstop at 256 MiB, should that thread
  // stall. journal_size_limit keeps the file small.
  db.pragma(`wal_autocheckpoint = ${options.autocheckpoint === false ? WRITER_BACKSTOP_PAGES : 1000}`);
  // The canonical key of a source address, for migration 003 to fill rows stored before it;
  // since then the preparer thread makes the key and rows arrive with it.
  db.function('authwatch_ip_key', { deterministic: true }, (ip: unknown) => (typeof ip === 'string' ? ipKey(ip) : null));
  if (options.readOnly) db.pragma('query_only = ON');
  return db;
}

/** The WAL size, in pages (64 MiB), past which a checkpoint makes the WAL start over. */
export const WAL_RESTART_PAGES = 16_384;

/**
 * Copies committed changes from the write-ahead log into the main file without
 * waiting for readers or the writer, so that no commit has to do it (and no
 * request queued behind that commit waits for the copy and its fsync). While
 * the writer never pauses, such a copy never reaches the end of the WAL, and
 * the WAL starts over only after a checkpoint that did: past WAL_RESTART_PAGES,
 * the checkpoint waits for the writer's transaction (busy timeout), holds off
 * the next one while it copies the little that is left, and the WAL starts
 * over (without this it grew to 1.8 GB in a sustained run).
 */
export function checkpointWal(db: Database.Database): void {
  const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
  if (log >= WAL_RESTART_PAGES) db.pragma('wal_checkpoint(RESTART)');
}

/** A numbered step: a `.sql` file, or TypeScript where SQL alone cannot say it (typescript-migrations.ts). */
type Migration = { version: number; name: string; apply: (db: Database.Database) => void };

function readMigrations(): Migration[] {
  const directory = path.join(SQL_DIRECTORY, 'migrations');
  const files = fs
    .readdirSync(directory)
    .filter((name) => /^\d{3}_[a-z0-9_]+\.sql$/.test(name))
    .map((name): Migration => {
      const sql = fs.readFileSync(path.join(directory, name), 'utf8');
      return { version: Number(name.slice(0, 3)), name, apply: (db) => db.exec(sql) };
    });
  const all = [...files, ...TYPESCRIPT_MIGRATIONS];
  const versions = all.map((migration) => migration.version);
  if (new Set(versions).size !== versions.length) throw new Error('two migrations share a number');
  return all.sort((a, b) => a.version - b.version);
}

/**
 * Applies every numbered migration above `user_version`, each in its own
 * transaction that also bumps `user_version`, so a crash leaves no half schema.
 * Returns the names applied.
 */
export function migrate(db: Database.Database): string[] {
  const applied: string[] = [];
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of readMigrations()) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.apply(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    applied.push(migration.name);
  }
  return applied;
}

/**
 * Runs `work` with synchronous=NORMAL: its commits are atomic but not synced on
 * their own, the next synced commit (or checkpoint) syncs them. For writes that
 * move or derive data already durable elsewhere (the indexer, the text index).
 */
export function withoutSync<T>(db: Database.Database, synchronous: string, work: () => T): T {
  const relax = synchronous !== 'NORMAL';
  if (relax) db.pragma('synchronous = NORMAL');
  try {
    return work();
  } finally {
    if (relax) db.pragma(`synchronous = ${synchronous}`);
  }
}

export function closeDatabase(db: Database.Database): void {
  if (!db.open) return;
  try {
    // optimize may run ANALYZE, a write: only the writing side does it.
    if (!db.pragma('query_only', { simple: true })) db.pragma('optimize');
  } finally {
    db.close();
  }
}
