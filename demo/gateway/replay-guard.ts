/**
 * Binds a person's access token to the first client IP that presents it, a
 * stand-in for sender-constrained tokens (DPoP, RFC 9449): the same `jti` from
 * another address is a replayed, probably stolen, token. Client-credentials
 * tokens are not bound, since a service's instances legitimately share one.
 */
export type ReplayGuard = { firstSeenFrom(jti: string, ip: string, expiresAt: number): boolean };

const MAX_ENTRIES = 100_000;

export function createReplayGuard(): ReplayGuard {
  const seen = new Map<string, { ip: string; exp: number }>();
  return {
    firstSeenFrom: (jti, ip, expiresAt) => {
      const entry = seen.get(jti);
      if (entry) return entry.ip === ip;
      if (seen.size >= MAX_ENTRIES) {
        const now = Date.now() / 1000;
        for (const [id, { exp }] of seen) if (exp < now) seen.delete(id);
        if (seen.size >= MAX_ENTRIES) seen.delete(seen.keys().next().value as string);
      }
      seen.set(jti, { ip, exp: expiresAt });
      return true;
    },
  };
}
