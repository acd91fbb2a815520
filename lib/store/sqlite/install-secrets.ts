import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { InstallSecretName } from '../store';

const SECRET_BYTES = 32;

/**
 * Per-installation random keys, made on first start and kept in the database,
 * so they survive restarts and are never hard-coded, defaulted or configured.
 */
export class InstallSecrets {
  private readonly select;
  private readonly insert;

  constructor(private readonly db: Database.Database) {
    this.select = db.prepare('SELECT secret FROM install_secrets WHERE name = ?').pluck();
    this.insert = db.prepare('INSERT OR IGNORE INTO install_secrets (name, secret, created_at) VALUES (@name, @secret, @createdAt)');
  }

  /** The secret of that name, made now if this installation has none yet (reading first: no write lock once it exists). */
  get(name: InstallSecretName): Buffer {
    const existing = this.select.get(name) as Buffer | undefined;
    if (existing) return existing;
    // OR IGNORE and a second read: a process that made it meanwhile wins, and both use its secret.
    this.db.transaction(() => this.insert.run({ name, secret: randomBytes(SECRET_BYTES), createdAt: Date.now() })).immediate();
    return this.select.get(name) as Buffer;
  }
}
