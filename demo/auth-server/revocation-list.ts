/** Revoked access-token ids until their tokens expire; bounded, expired entries pruned on insert. */
export type RevocationList = { add(jti: string, expiresAt: number): void; has(jti: string): boolean; entries(): { jti: string; exp: number }[] };

const MAX_ENTRIES = 100_000;

export function createRevocationList(): RevocationList {
  const revoked = new Map<string, number>();
  return {
    add: (jti, expiresAt) => {
      const now = Date.now() / 1000;
      for (const [id, exp] of revoked) if (exp < now) revoked.delete(id);
      if (revoked.size >= MAX_ENTRIES) revoked.delete(revoked.keys().next().value as string);
      revoked.set(jti, expiresAt);
    },
    has: (jti) => revoked.has(jti),
    entries: () => [...revoked].map(([jti, exp]) => ({ jti, exp })),
  };
}
