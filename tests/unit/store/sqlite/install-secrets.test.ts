import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '@/lib/store/sqlite/sqlite-store';
import { createTempStore, type TempStore } from '@/tests/helpers/temp-store';

describe('install secrets', () => {
  const temps: TempStore[] = [];
  afterEach(() => temps.splice(0).forEach((temp) => temp.remove()));
  const temp = () => {
    const created = createTempStore();
    temps.push(created);
    return created;
  };

  it('makes a random 32-byte secret on first start and keeps it in the database', () => {
    const first = temp();
    const secret = first.store.installSecret('event_id_digest');
    expect(secret).toHaveLength(32);
    const raw = new Database(first.file, { readonly: true });
    try {
      expect(raw.prepare("SELECT secret FROM install_secrets WHERE name = 'event_id_digest'").pluck().get()).toEqual(secret);
    } finally {
      raw.close();
    }
  });

  it('returns the same secret after a restart, and another installation gets another', () => {
    const first = temp();
    const secret = Buffer.from(first.store.installSecret('event_id_digest'));
    first.store.close();
    const reopened = createSqliteStore({ file: first.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 });
    try {
      expect(reopened.installSecret('event_id_digest')).toEqual(secret);
    } finally {
      reopened.close();
    }
    expect(temp().store.installSecret('event_id_digest')).not.toEqual(secret);
  });
});
