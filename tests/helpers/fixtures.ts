import { randomUUID } from 'node:crypto';
import { generateIngestKey, hashIngestSecret } from '@/lib/auth/ingest-key-format';
import { createIngestKey, revokeIngestKey } from '@/lib/auth/manage-ingest-keys';
import { addService } from '@/lib/services/manage-services';
import { createSqliteStore } from '@/lib/store/sqlite/sqlite-store';
import type { Store } from '@/lib/store/store';

/** Opens the database file briefly, does the work, and closes it again so the server owns the lock. */
export function withStore<T>(dbFile: string, work: (store: Store) => T): T {
  const store = createSqliteStore({ file: dbFile, synchronous: 'FULL', busyTimeoutMs: 5_000, cacheMegabytes: 8 });
  try {
    return work(store);
  } finally {
    store.close();
  }
}

export function createServiceWithKey(dbFile: string, service: string, options: { expires?: string } = {}): { key: string; keyId: string } {
  return withStore(dbFile, (store) => {
    const ctx = { store, now: Date.now() };
    if (!store.findServiceByName(service)) addService({ ctx, input: { name: service } });
    const created = createIngestKey({ ctx, input: { service, expires: options.expires } });
    return { key: created.key, keyId: created.id };
  });
}

/** A key for `service` that expired a minute ago, inserted directly so no test has to wait. */
export function createExpiredKey(dbFile: string, service: string): string {
  return withStore(dbFile, (store) => {
    const found = store.findServiceByName(service) ?? addService({ ctx: { store, now: Date.now() }, input: { name: service } });
    const generated = generateIngestKey();
    store.insertIngestKey({
      id: generated.id,
      serviceId: found.id,
      secretHash: hashIngestSecret(generated),
      createdAt: Date.now() - 3_600_000,
      expiresAt: Date.now() - 60_000,
    });
    return generated.key;
  });
}

export function revokeKey(dbFile: string, keyId: string): void {
  withStore(dbFile, (store) => revokeIngestKey({ ctx: { store, now: Date.now() }, input: { id: keyId } }));
}

export type TestEvent = Record<string, unknown> & { id: string };

/** A valid v1 login failure happening now, with a unique id. */
export function loginFailure(overrides: Record<string, unknown> = {}): TestEvent {
  return {
    id: randomUUID(),
    time: new Date().toISOString(),
    type: 'login.failure',
    reason: 'bad_credentials',
    source: { ip: '198.51.100.7', user_agent: 'integration-test/1.0' },
    actor: { username: 'alice', subject: 'user-1' },
    scheme: 'https',
    ...overrides,
  };
}

/** The ingest answer: a result, or the one error shape. */
export type IngestAnswer = {
  accepted?: number;
  duplicates?: number;
  rejected?: { index: number; error: { code: string; message: string } }[];
  error?: { code: string; message: string };
};

export async function postEvents(
  url: string,
  key: string | undefined,
  body: unknown,
  options: { contentType?: string; raw?: boolean } = {},
): Promise<{ status: number; headers: Headers; body: IngestAnswer; text: string }> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers,
    body: options.raw ? (body as string) : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: IngestAnswer = {};
  try {
    parsed = JSON.parse(text) as IngestAnswer;
  } catch {
    // Left empty: the test asserts on status and text.
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Parses Prometheus text into `name{labels}` → value. */
export async function scrapeMetrics(url: string, token?: string): Promise<{ text: string; samples: Map<string, number> }> {
  const response = await fetch(`${url}/api/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return { text, samples };
}
