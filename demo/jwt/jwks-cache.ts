import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { fetchJson } from '../http/fetch-json';

/**
 * The authorization server's signing keys as a resource server sees them:
 * fetched from its JWKS endpoint, again once the copy is `MAX_AGE_MS` old (so
 * a key published ahead of a rotation is known before it signs), and again
 * when a token names a `kid` the copy lacks, but then at most once per
 * cooldown, so a flood of made-up `kid`s cannot make it hammer the server.
 */
const MAX_AGE_MS = 30_000;
const COOLDOWN_MS = 5_000;

export type JwksCache = { keys(): Promise<JWTVerifyGetKey>; knows(kid: string | undefined): Promise<boolean> };

export function createJwksCache(jwksUrl: string, ca: string): JwksCache {
  let kids = new Set<string>();
  let keySet: JWTVerifyGetKey | undefined;
  let fetchedAt = 0;
  let pending: Promise<void> | undefined;

  const refresh = () => {
    pending ??= fetchJson(jwksUrl, ca)
      .then((body) => {
        const jwks = body as JSONWebKeySet;
        keySet = createLocalJWKSet(jwks);
        kids = new Set(jwks.keys.map((key) => key.kid).filter((kid): kid is string => typeof kid === 'string'));
        fetchedAt = Date.now();
      })
      .finally(() => (pending = undefined));
    return pending;
  };

  return {
    keys: async () => {
      if (!keySet) await refresh();
      return keySet as JWTVerifyGetKey;
    },
    knows: async (kid) => {
      const age = Date.now() - fetchedAt;
      if (!keySet || age > MAX_AGE_MS || (kid !== undefined && !kids.has(kid) && age > COOLDOWN_MS)) await refresh().catch(() => undefined);
      return kid === undefined || kids.has(kid);
    },
  };
}
