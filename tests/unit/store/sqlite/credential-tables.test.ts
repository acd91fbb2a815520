import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digest } from '@/lib/auth/secret-tokens';
import { CredentialTables } from '@/lib/store/sqlite/credential-tables';
import { NOW, createTempStore, type TempStore } from '@/tests/helpers/temp-store';

/** The credential tables on a connection of their own, with every row their key lookup reads recorded. */
function watchedTables(file: string) {
  const db = new Database(file);
  const rowsRead: unknown[] = [];
  const watched = {
    prepare: (sql: string) => {
      const statement = db.prepare(sql);
      if (!sql.includes('ifnull')) return statement;
      return { get: (...args: unknown[]) => (rowsRead.push(statement.get(...args)), rowsRead.at(-1)) };
    },
  } as unknown as Database.Database;
  return { tables: new CredentialTables(watched), rowsRead, close: () => db.close() };
}

describe('the credential tables', () => {
  let temp: TempStore;
  let serviceId: number;
  const insertKey = (id: string) => temp.store.insertIngestKey({ id, serviceId, secretHash: digest(id), createdAt: NOW, expiresAt: null });

  beforeEach(() => {
    temp = createTempStore();
    serviceId = temp.store.addService('gateway', NOW).id;
  });
  afterEach(() => temp.remove());

  it('finds a key by its id, and none for an id that does not exist, never the key read in its place', () => {
    insertKey('aaaaaaaaaaaa');
    insertKey('bbbbbbbbbbbb');
    expect(temp.store.findIngestKey('bbbbbbbbbbbb')).toMatchObject({ id: 'bbbbbbbbbbbb', serviceId, serviceName: 'gateway', revokedAt: null });
    expect(temp.store.findIngestKey('ffffffffffff')).toBeUndefined();
    expect(temp.store.findIngestKey('aaaaaaaaaaaa')?.secretHash).toEqual(digest('aaaaaaaaaaaa'));
  });

  it('reads a real key row of the same shape for an unknown id as for a known one, so both cost the same', () => {
    insertKey('aaaaaaaaaaaa');
    insertKey('bbbbbbbbbbbb');
    const { tables, rowsRead, close } = watchedTables(temp.file);
    try {
      expect(tables.findIngestKey('bbbbbbbbbbbb')?.id).toBe('bbbbbbbbbbbb');
      // The first miss chooses the decoy (none was needed yet); every lookup after it runs the statement once.
      expect(tables.findIngestKey('ffffffffffff')).toBeUndefined();
      expect(tables.findIngestKey('eeeeeeeeeeee')).toBeUndefined();
      const decoyRead = rowsRead.at(-1) as { id: string; service_name: string; secret_hash: Buffer };
      expect(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']).toContain(decoyRead.id);
      expect(decoyRead).toMatchObject({ service_name: 'gateway', secret_hash: digest(decoyRead.id) });
      rowsRead.length = 0;
      tables.findIngestKey('dddddddddddd');
      expect(rowsRead).toHaveLength(1);
    } finally {
      close();
    }
  });

  it('finds a key created after unknown ids were looked up on an empty table', () => {
    expect(temp.store.findIngestKey('aaaaaaaaaaaa')).toBeUndefined();
    insertKey('aaaaaaaaaaaa');
    expect(temp.store.findIngestKey('ffffffffffff')).toBeUndefined();
    expect(temp.store.findIngestKey('aaaaaaaaaaaa')?.id).toBe('aaaaaaaaaaaa');
  });
});
