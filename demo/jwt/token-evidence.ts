import type { JWTPayload, ProtectedHeaderParameters } from 'jose';

/**
 * The token and actor fields of an event, read from a token's header and
 * claims: claims only, never the token itself. A rejected token's claims come
 * from the attacker, so every value is type-checked and cut to the event
 * format's bounds before it is reported.
 */
const cut = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : undefined);
const time = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 253_402_300_799 ? value : undefined;
const strings = (value: unknown, max = 64) =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').slice(0, max).map((item) => item.slice(0, 256)) : undefined;

export type Claims = Partial<JWTPayload> & Record<string, unknown>;

export function tokenEvidence(header: Partial<ProtectedHeaderParameters> | undefined, claims: Claims | undefined) {
  const audience = Array.isArray(claims?.aud) ? strings(claims.aud, 16)?.map((item) => item.slice(0, 512)) : cut(claims?.aud, 512);
  return {
    token: {
      jti: cut(claims?.jti, 256),
      kid: cut(header?.kid, 256),
      alg: cut(header?.alg, 32),
      issuer: cut(claims?.iss, 512),
      audience,
      issued_at: time(claims?.iat),
      expires_at: time(claims?.exp),
    },
    actor: actorOf(claims),
  };
}

export function actorOf(claims: Claims | undefined) {
  const scope = cut(claims?.scope, 4096);
  return {
    subject: cut(claims?.sub, 256),
    username: cut(claims?.preferred_username, 256),
    client_id: cut(claims?.client_id, 256),
    roles: strings(claims?.roles),
    scopes: scope === undefined ? undefined : scope.split(' ').filter(Boolean).slice(0, 64).map((item) => item.slice(0, 256)),
  };
}

export function scopesOf(claims: Claims): string[] {
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
}

export function rolesOf(claims: Claims): string[] {
  return Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [];
}
