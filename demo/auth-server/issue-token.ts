import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Claims } from '../jwt/token-evidence';
import type { DemoClient, Role } from './directory';
import type { SigningKeys } from './signing-keys';

/**
 * An RFC 9068 JWT access token, signed with the current key; `iat` and `nbf`
 * come from the issuing node's clock (`nowMs`), as Spring Authorization Server
 * sets them, so a node whose clock runs ahead issues tokens not valid yet.
 */
export type IssuedToken = { accessToken: string; header: { alg: string; kid: string; typ: string }; claims: Claims; expiresIn: number };
export type TokenSubject = { subject: string; username?: string; roles?: Role[]; scopes: string[] };

export async function issueAccessToken(keys: SigningKeys, issuer: string, client: DemoClient, who: TokenSubject, nowMs: number): Promise<IssuedToken> {
  const { kid, privateKey } = keys.current();
  const now = Math.floor(nowMs / 1000);
  const claims: Claims = {
    iss: issuer,
    sub: who.subject,
    aud: client.audience,
    iat: now,
    nbf: now,
    exp: now + client.lifetimeSeconds,
    jti: randomUUID(),
    client_id: client.id,
    scope: who.scopes.join(' '),
    ...(who.username === undefined ? {} : { preferred_username: who.username, roles: who.roles }),
  };
  const header = { alg: 'ES256', kid, typ: 'at+jwt' };
  const accessToken = await new SignJWT(claims).setProtectedHeader(header).sign(privateKey);
  return { accessToken, header, claims, expiresIn: client.lifetimeSeconds };
}
