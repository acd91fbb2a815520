import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authenticateIngest } from '@/lib/auth/authenticate-ingest';
import { generateIngestKey, secretMatches } from '@/lib/auth/ingest-key-format';
import { createIngestKey } from '@/lib/auth/manage-ingest-keys';
import { NOW, createTempStore, type TempStore } from '@/tests/helpers/temp-store';

vi.mock('@/lib/auth/ingest-key-format', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/auth/ingest-key-format')>();
  return { ...original, secretMatches: vi.fn(original.secretMatches) };
});

/** A key id that exists must not answer faster or slower than one that does not: both are checked against a hash. */
describe('authenticateIngest with a key id that does not exist', () => {
  let temp: TempStore;
  let known: string;
  beforeEach(() => {
    temp = createTempStore();
    temp.store.addService('gateway', NOW);
    known = createIngestKey({ ctx: { store: temp.store, now: NOW }, input: { service: 'gateway' } }).key;
    vi.mocked(secretMatches).mockClear();
  });
  afterEach(() => temp.remove());

  const attempt = (key: string) => {
    try {
      authenticateIngest({ ctx: { store: temp.store, now: NOW }, input: { authorization: `Bearer ${key}` } });
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return undefined;
  };

  it('verifies the secret against a dummy hash, as it verifies a known id against its own', () => {
    expect(attempt(generateIngestKey().key)).toBe('ERR_AUTH_INVALID');
    expect(vi.mocked(secretMatches)).toHaveBeenCalledTimes(1);
    const wrongSecret = `${known.slice(0, 16)}${generateIngestKey().key.slice(16)}`;
    expect(attempt(wrongSecret)).toBe('ERR_AUTH_INVALID');
    expect(vi.mocked(secretMatches)).toHaveBeenCalledTimes(2);
  });
});
