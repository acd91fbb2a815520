import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { fetchJson } from '../http/fetch-json';

/**
 * The authorization server's signing keys as a resource server sees them:
 * fetched from its JWKS endpoint, fetched again when a token names a `kid` it
 * does not know (a rotation), but at most once per cooldown, so a flood of
 * tokens with made-up `kid`s cannot make it hammer the authorization server.
 */
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
      if (kid === undefined) return true;
      if (!keySet || (!kids.has(kid) && Date.now() - fetchedAt > COOLDOWN_MS)) await refresh().catch(() => undefined);
      return kids.has(kid);
    },
  };
}
