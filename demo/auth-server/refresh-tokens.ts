import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque refresh tokens, kept only as SHA-256 digests and rotated on every
 * use (OAuth 2.0 security BCP). Bounded: the oldest are forgotten first.
 */
export type RefreshGrant = { clientId: string; username: string; expiresAt: number };
export type RefreshTokens = { create(grant: Omit<RefreshGrant, 'expiresAt'>): string; take(token: string): RefreshGrant | undefined; revoke(token: string): RefreshGrant | undefined };

const LIFETIME_MS = 8 * 3_600_000;
const MAX_TOKENS = 10_000;
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export function createRefreshTokens(): RefreshTokens {
  const grants = new Map<string, RefreshGrant>();
  const take = (token: string) => {
    const key = digest(token);
    const grant = grants.get(key);
    grants.delete(key);
    return grant && grant.expiresAt > Date.now() ? grant : undefined;
  };
  return {
    create: (grant) => {
      const token = randomBytes(32).toString('base64url');
      grants.set(digest(token), { ...grant, expiresAt: Date.now() + LIFETIME_MS });
      if (grants.size > MAX_TOKENS) grants.delete(grants.keys().next().value as string);
      return token;
    },
    take,
    revoke: take,
  };
}
