import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticateIngest } from '@/lib/auth/authenticate-ingest';
import { createIngestKey, revokeIngestKey } from '@/lib/auth/manage-ingest-keys';
import { AuthwatchError, type ErrorCode } from '@/lib/errors';
import { HOUR, NOW, createTempStore, type TempStore } from '@/tests/helpers/temp-store';

describe('authenticateIngest', () => {
  let temp: TempStore;
  let key: string;
  const authenticate = (authorization: string | null, now = NOW) =>
    authenticateIngest({ ctx: { store: temp.store, now }, input: { authorization } });
  const codeOf = (authorization: string | null, now = NOW): ErrorCode | undefined => {
    try {
      authenticate(authorization, now);
      return undefined;
    } catch (error) {
      if (error instanceof AuthwatchError) return error.code;
      throw error;
    }
  };

  beforeEach(() => {
    temp = createTempStore();
    temp.store.addService('gateway', NOW);
    key = createIngestKey({ ctx: { store: temp.store, now: NOW }, input: { service: 'gateway' } }).key;
  });
  afterEach(() => temp.remove());

  it.each([`Bearer ${'KEY'}`, `bearer ${'KEY'}`, `  Bearer   ${'KEY'}  `])('accepts %j and names the bound service', (template) => {
    const credential = authenticate(template.replace('KEY', key));
    expect(credential).toEqual({ keyId: key.slice(3, 15), serviceId: temp.store.findServiceByName('gateway')!.id, serviceName: 'gateway' });
  });

  it.each([
    ['two headers, as Node and fetch join them', 'Bearer KEY, Bearer KEY'],
    ['two credentials in one header', 'Bearer KEY,Bearer other'],
    ['a header and an empty one', 'Bearer KEY, '],
  ])('answers ERR_AUTH_AMBIGUOUS to %s, even when one credential is valid', (_what, template) => {
    expect(codeOf(template.replaceAll('KEY', key))).toBe('ERR_AUTH_AMBIGUOUS');
  });

  it.each([
    ['no header', null],
    ['an empty header', ''],
    ['a blank header', '   '],
  ])('answers ERR_AUTH_MISSING to %s', (_what, header) => {
    expect(codeOf(header)).toBe('ERR_AUTH_MISSING');
  });

  it.each([
    ['another scheme', () => `Basic ${key}`],
    ['no scheme', () => key],
    ['a malformed key', () => 'Bearer aw_not-a-key'],
    ['two credentials', () => `Bearer ${key} ${key}`],
    ['an unknown id', () => `Bearer aw_ffffffffffff_${key.slice(16)}`],
    ['a wrong secret', () => `Bearer ${key.slice(0, 16)}${'A'.repeat(43)}`],
  ])('answers ERR_AUTH_INVALID to %s', (_what, header) => {
    expect(codeOf(header())).toBe('ERR_AUTH_INVALID');
  });

  it('answers ERR_CREDENTIAL_REVOKED to a revoked key, but ERR_AUTH_INVALID to a wrong secret for it', () => {
    revokeIngestKey({ ctx: { store: temp.store, now: NOW }, input: { id: key.slice(3, 15) } });
    expect(codeOf(`Bearer ${key}`)).toBe('ERR_CREDENTIAL_REVOKED');
    expect(codeOf(`Bearer ${key.slice(0, 16)}${'A'.repeat(43)}`)).toBe('ERR_AUTH_INVALID');
  });

  it('answers ERR_CREDENTIAL_EXPIRED from the moment a key expires', () => {
    const expiring = createIngestKey({ ctx: { store: temp.store, now: NOW }, input: { service: 'gateway', expires: '12h' } }).key;
    expect(codeOf(`Bearer ${expiring}`, NOW + 12 * HOUR - 1)).toBeUndefined();
    expect(codeOf(`Bearer ${expiring}`, NOW + 12 * HOUR)).toBe('ERR_CREDENTIAL_EXPIRED');
  });

  it('never echoes the credential in an error message', () => {
    const wrong = `Bearer ${key.slice(0, 16)}${'A'.repeat(43)}`;
    expect(() => authenticate(wrong)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('AAAA') }));
  });

  it('stores only a hash: the secret appears nowhere in the database files', () => {
    temp.store.checkWritable(NOW);
    const secret = key.slice(16);
    const files = fs.readdirSync(temp.directory).map((name) => fs.readFileSync(path.join(temp.directory, name)));
    expect(files.length).toBeGreaterThan(0);
    for (const bytes of files) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(key))).toBe(false);
    }
    expect(temp.store.findIngestKey(key.slice(3, 15))?.secretHash).toHaveLength(32);
  });
});
