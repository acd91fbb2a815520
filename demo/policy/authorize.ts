import type { Role } from '../auth-server/directory';
import { rolesOf, scopesOf, type Claims } from '../jwt/token-evidence';

/**
 * Role and scope checks, the same at the gateway and in every service. Roles
 * apply to tokens issued to a person (they carry `preferred_username`) and are
 * checked first; a service's client-credentials token is authorised by its
 * scopes alone, as Spring's `hasAuthority('SCOPE_…')` does. Scopes are all required.
 */
export type Policy = { scopes: readonly string[]; roles: readonly Role[] };
export type Denial = 'insufficient_scope' | 'missing_role';

export function authorize(claims: Claims, policy: Policy): Denial | undefined {
  const isPerson = typeof claims.preferred_username === 'string';
  if (isPerson && policy.roles.length > 0 && !rolesOf(claims).some((role) => policy.roles.includes(role as Role))) return 'missing_role';
  const scopes = scopesOf(claims);
  if (!policy.scopes.every((scope) => scopes.includes(scope))) return 'insufficient_scope';
  return undefined;
}

export function required(policy: Policy): string[] {
  return [...policy.scopes, ...policy.roles];
}

/** `WWW-Authenticate` for a rejected bearer token or a denied request (RFC 6750 §3). */
export function bearerChallenge(error?: 'invalid_token' | 'insufficient_scope', detail?: string): string {
  if (!error) return 'Bearer realm="demo"';
  const description = detail ? `, error_description="${detail.replace(/[^A-Za-z0-9 _:.-]/g, '')}"` : '';
  return `Bearer realm="demo", error="${error}"${description}`;
}
