import { describe, expect, it } from 'vitest';
import { SCRYPT_PARAMETERS, hashPassword, needsRehash, verifyPassword } from '@/lib/auth/password-hash';

describe('password hashing', () => {
  it('stores scrypt with its parameters, a random salt, and never the password', async () => {
    const password = 'correct horse battery staple';
    const first = await hashPassword(password);
    const second = await hashPassword(password);
    expect(first).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain(password);
    expect(SCRYPT_PARAMETERS).toMatchObject({ logN: 15, r: 8, p: 3 });
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapl')).toBe(false);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
  });

  it('treats canonically equal Unicode spellings as one password (NFKC)', async () => {
    const composed = 'caf\u00e9 au lait, s\u2019il vous pla\u00eet';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true);
  });

  it.each(['', 'plaintext', '$scrypt$ln=15,r=8,p=3$short$short', '$scrypt$ln=40,r=8,p=3$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'])(
    'refuses every password against the unreadable hash %j',
    async (stored) => {
      expect(await verifyPassword(stored, 'anything at all')).toBe(false);
    },
  );

  it('asks for a rehash when a hash was made with other parameters', async () => {
    expect(needsRehash(await hashPassword('correct horse battery staple'))).toBe(false);
    const weaker = '$scrypt$ln=14,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(needsRehash(weaker)).toBe(true);
  });
});
