import type Database from 'better-sqlite3';
import { AuthwatchError } from '../../errors';
import type { IngestKeyRecord, Service } from '../store';

type IngestKeyRow = {
  id: string;
  service_id: number;
  service_name: string;
  secret_hash: Buffer;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
};

function toIngestKey(row: IngestKeyRow): IngestKeyRecord {
  return {
    id: row.id,
    serviceId: row.service_id,
    serviceName: row.service_name,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

const SELECT_KEY = `SELECT k.id, k.service_id, s.name AS service_name, k.secret_hash, k.created_at, k.expires_at, k.revoked_at
  FROM ingest_keys k JOIN services s ON s.id = k.service_id`;

/** Services and their ingest keys. Keys are stored as hashes only; the secret never reaches this layer. */
export class CredentialTables {
  private readonly statements;
  /** Any existing key id: what a lookup of an unknown id reads instead. */
  private decoy = '';

  constructor(db: Database.Database) {
    this.statements = {
      insertService: db.prepare('INSERT INTO services (name, created_at) VALUES (@name, @createdAt)'),
      serviceByName: db.prepare('SELECT id, name, created_at AS createdAt FROM services WHERE name = ?'),
      services: db.prepare('SELECT id, name, created_at AS createdAt FROM services ORDER BY name'),
      insertKey: db.prepare(
        `INSERT INTO ingest_keys (id, service_id, secret_hash, created_at, expires_at)
         VALUES (@id, @serviceId, @secretHash, @createdAt, @expiresAt)`,
      ),
      // The key, or else the decoy: the same seeks and one row of the same shape either way (findIngestKey).
      keyOrDecoy: db.prepare(`${SELECT_KEY} WHERE k.id = ifnull((SELECT id FROM ingest_keys WHERE id = @id), @decoy)`),
      anyKeyId: db.prepare('SELECT id FROM ingest_keys LIMIT 1').pluck(),
      keys: db.prepare(`${SELECT_KEY} ORDER BY s.name, k.created_at`),
      revokeKey: db.prepare('UPDATE ingest_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL'),
    };
  }

  addService(name: string, now: number): Service {
    try {
      const { lastInsertRowid } = this.statements.insertService.run({ name, createdAt: now });
      return { id: Number(lastInsertRowid), name, createdAt: now };
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new AuthwatchError('ERR_SERVICE_EXISTS', `service ${name} is already registered`);
      }
      throw error;
    }
  }

  findServiceByName(name: string): Service | undefined {
    return this.statements.serviceByName.get(name) as Service | undefined;
  }

  listServices(): Service[] {
    return this.statements.services.all() as Service[];
  }

  insertIngestKey(key: Omit<IngestKeyRecord, 'serviceName' | 'revokedAt'>): void {
    this.statements.insertKey.run(key);
  }

  /**
   * A key id that does not exist costs what one that exists costs, so timing
   * cannot tell which ids exist: a miss reads another key's row (the decoy)
   * through the same statement, maps it alike, and only then is told apart.
   */
  findIngestKey(id: string): IngestKeyRecord | undefined {
    let row = this.statements.keyOrDecoy.get({ id, decoy: this.decoy }) as IngestKeyRow | undefined;
    if (!row) {
      // No decoy yet (no key existed when one was last chosen): choose one, once.
      this.decoy = (this.statements.anyKeyId.get() as string | undefined) ?? '';
      row = this.statements.keyOrDecoy.get({ id, decoy: this.decoy }) as IngestKeyRow | undefined;
    }
    const record = row && toIngestKey(row);
    return record?.id === id ? record : undefined;
  }

  listIngestKeys(): IngestKeyRecord[] {
    return (this.statements.keys.all() as IngestKeyRow[]).map(toIngestKey);
  }

  revokeIngestKey(id: string, now: number): boolean {
    return this.statements.revokeKey.run({ id, now }).changes > 0;
  }
}
