import { decodeJwt, decodeProtectedHeader, jwtVerify, type ProtectedHeaderParameters } from 'jose';
import type { REASONS_BY_TYPE } from '../../lib/events/catalog';
import type { JwksCache } from './jwks-cache';
import type { Claims } from './token-evidence';

/**
 * Bearer-token validation as the gateway and every internal service do it:
 * an algorithm allow-list and the trusted issuer checked before any key is
 * looked up (so `alg: none` and HS256-with-the-public-key never reach a
 * verifier, and a token from another authorization server is refused as such,
 * as multi-issuer resolvers do), the signature against the authorization
 * server's JWKS, then `exp`/`nbf`, `iss` and `aud`. Each failure maps to one
 * PRODUCT.md reason.
 */
export type TokenRejection = (typeof REASONS_BY_TYPE)['token.rejected'][number];
export type TokenCheck =
  | { ok: true; token: string; header: ProtectedHeaderParameters; claims: Claims }
  | { ok: false; reason: TokenRejection; header?: ProtectedHeaderParameters; claims?: Claims };

export type VerifierSettings = {
  jwks: JwksCache;
  issuer: string;
  audience: string;
  algorithms?: string[];
  clockToleranceSeconds?: number;
};

export type TokenVerifier = (authorization: string | undefined) => Promise<TokenCheck>;

export function createTokenVerifier(settings: VerifierSettings): TokenVerifier {
  const algorithms = settings.algorithms ?? ['ES256'];
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return { ok: false, reason: 'missing' };
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization.trim());
    if (!match) return { ok: false, reason: 'malformed' };
    const token = match[1];
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const claims = readClaims(token);
    if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) return { ok: false, reason: 'alg_not_allowed', header, claims };
    if (typeof claims?.iss === 'string' && claims.iss !== settings.issuer) return { ok: false, reason: 'wrong_issuer', header, claims };
    if (!(await settings.jwks.knows(header.kid))) return { ok: false, reason: 'unknown_kid', header, claims };
    try {
      const verified = await jwtVerify(token, await settings.jwks.keys(), {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms,
        clockTolerance: settings.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      });
      return { ok: true, token, header, claims: verified.payload as Claims };
    } catch (error) {
      return { ok: false, reason: reasonFor(error), header, claims };
    }
  };
}

function readClaims(token: string): Claims | undefined {
  try {
    return decodeJwt(token) as Claims;
  } catch {
    return undefined;
  }
}

/** jose's error codes (stable, unlike messages) to PRODUCT.md's reasons. */
function reasonFor(error: unknown): TokenRejection {
  const { code, claim, reason } = (error ?? {}) as { code?: string; claim?: string; reason?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad_signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'unknown_kid';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'alg_not_allowed';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'malformed';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing') return 'malformed';
      if (claim === 'iss') return 'wrong_issuer';
      if (claim === 'aud') return 'wrong_audience';
      if (claim === 'nbf' || claim === 'iat') return 'not_yet_valid';
      return 'other';
    default:
      return 'other';
  }
}
