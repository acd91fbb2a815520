import { describe, expect, it } from 'vitest';
import { generateIngestKey, hashIngestSecret, parseIngestKey, secretMatches } from '@/lib/auth/ingest-key-format';

describe('the ingest key format', () => {
  it('generates aw_<12 hex>_<43 base64url> keys that parse back to their parts', () => {
    const generated = generateIngestKey();
    expect(generated.key).toMatch(/^aw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseIngestKey(generated.key)).toEqual({ id: generated.id, secret: generated.secret });
  });

  it('generates a different id and secret every time', () => {
    const keys = Array.from({ length: 50 }, () => generateIngestKey());
    expect(new Set(keys.map((key) => key.id)).size).toBe(50);
    expect(new Set(keys.map((key) => key.secret)).size).toBe(50);
  });

  it.each([
    ['an empty string', ''],
    ['another prefix', `ak_0123456789ab_${'a'.repeat(43)}`],
    ['an uppercase id', `aw_0123456789AB_${'a'.repeat(43)}`],
    ['a short id', `aw_0123456789a_${'a'.repeat(43)}`],
    ['a short secret', `aw_0123456789ab_${'a'.repeat(42)}`],
    ['a long secret', `aw_0123456789ab_${'a'.repeat(44)}`],
    ['padding in the secret', `aw_0123456789ab_${'a'.repeat(42)}=`],
    ['surrounding space', ` aw_0123456789ab_${'a'.repeat(43)}`],
  ])('refuses %s', (_what, key) => {
    expect(parseIngestKey(key)).toBeUndefined();
  });

  it('hashes id and secret with SHA-256 and matches only the right secret', () => {
    const generated = generateIngestKey();
    const stored = hashIngestSecret(generated);
    expect(stored).toHaveLength(32);
    expect(stored.toString('hex')).not.toContain(Buffer.from(generated.secret).toString('hex'));
    expect(secretMatches(generated, stored)).toBe(true);
    expect(secretMatches({ id: generated.id, secret: generateIngestKey().secret }, stored)).toBe(false);
    expect(secretMatches({ id: generateIngestKey().id, secret: generated.secret }, stored)).toBe(false);
  });

  it('does not match a stored hash of another length', () => {
    const generated = generateIngestKey();
    expect(secretMatches(generated, hashIngestSecret(generated).subarray(0, 16))).toBe(false);
  });
});
