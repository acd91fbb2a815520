import { createIngestKey, revokeIngestKey } from '@/lib/auth/manage-ingest-keys';
import { generateIngestKey, hashIngestSecret } from '@/lib/auth/ingest-key-format';
import { addService } from '@/lib/services/manage-services';
import { openSqliteReader, type SqliteReader } from '@/lib/store/sqlite/sqlite-reader';
import { createSqliteStore } from '@/lib/store/sqlite/sqlite-store';
import type { Store, StoredEvent } from '@/lib/store/store';

/**
 * Works on the database file directly through the lib verbs, the way the CLI
 * does: open, do the work, close, so no connection lingers while the server runs.
 */
export function withStore<T>(dbFile: string, work: (store: Store) => T): T {
  const store = createSqliteStore({ file: dbFile, synchronous: 'FULL', busyTimeoutMs: 5_000, cacheMegabytes: 8 });
  try {
    return work(store);
  } finally {
    store.close();
  }
}

/** Reads the database file on a read-only connection of the test's own, opened and closed around `work`. */
export function withReader<T>(dbFile: string, work: (reader: SqliteReader) => T): T {
  const reader = openSqliteReader({ file: dbFile, synchronous: 'FULL', busyTimeoutMs: 5_000, cacheMegabytes: 8 });
  try {
    return work(reader);
  } finally {
    reader.close();
  }
}

/** Every event stored for `serviceId` (up to 10,000), newest first, wherever the store keeps it. */
export function storedEvents(dbFile: string, serviceId: number): StoredEvent[] {
  return withReader(dbFile, (reader) => reader.listEvents({ serviceIds: [serviceId], limit: 10_000 }).events);
}

export type Provisioned = { service: string; serviceId: number; keyId: string; key: string };

/** Registers `service` (if new) and creates an ingest key for it. */
export function provisionService(dbFile: string, service: string): Provisioned {
  return withStore(dbFile, (store) => {
    const ctx = { store, now: Date.now() };
    const existing = store.findServiceByName(service) ?? addService({ ctx, input: { name: service } });
    const created = createIngestKey({ ctx, input: { service } });
    return { service, serviceId: existing.id, keyId: created.id, key: created.key };
  });
}

export function revokeKey(dbFile: string, keyId: string): void {
  withStore(dbFile, (store) => revokeIngestKey({ ctx: { store, now: Date.now() }, input: { id: keyId } }));
}

/** Inserts a key for a registered service that expired a minute ago. */
export function insertExpiredKey(dbFile: string, service: string): { keyId: string; key: string } {
  return withStore(dbFile, (store) => {
    const found = store.findServiceByName(service);
    if (!found) throw new Error(`service ${service} is not registered`);
    const generated = generateIngestKey();
    const now = Date.now();
    store.insertIngestKey({
      id: generated.id,
      serviceId: found.id,
      secretHash: hashIngestSecret(generated),
      createdAt: now - 3_600_000,
      expiresAt: now - 60_000,
    });
    return { keyId: generated.id, key: generated.key };
  });
}
