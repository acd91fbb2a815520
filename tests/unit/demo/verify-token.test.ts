import { createHmac } from 'node:crypto';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JwksCache } from '@/demo/jwt/jwks-cache';
import { createTokenVerifier, type TokenVerifier } from '@/demo/jwt/verify-token';

/**
 * The gateway's and services' token validation, against a real key set held
 * in memory: each way a token can be wrong maps to its PRODUCT.md reason.
 */
const ISSUER = 'https://127.0.0.1:9443';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let verify: TokenVerifier;
let sign: (claims: JWTPayload, header?: { alg?: string; kid?: string }) => Promise<string>;
let claims: () => JWTPayload;
let publicJwks: string;

beforeAll(async () => {
  const issuerKey = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(issuerKey.publicKey)), kid: 'k1', alg: 'ES256' };
  publicJwks = JSON.stringify({ keys: [jwk] });
  const jwks: JwksCache = { keys: async () => createLocalJWKSet({ keys: [jwk] }), knows: async (kid) => kid === undefined || kid === 'k1' };
  verify = createTokenVerifier({ jwks, issuer: ISSUER, audience: 'demo-api' });
  claims = () => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: ISSUER, aud: 'demo-api', sub: 'user-dave', jti: 'j-1', iat: now, exp: now + 300, scope: 'orders:read' };
  };
  sign = (payload, header = {}) => new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header }).sign(issuerKey.privateKey);
});

const reasonOf = async (authorization: string | undefined) => {
  const check = await verify(authorization);
  return check.ok ? 'ok' : check.reason;
};

describe('createTokenVerifier', () => {
  it('accepts a token signed by the issuer, for the audience, within its lifetime', async () => {
    expect(await reasonOf(`Bearer ${await sign(claims())}`)).toBe('ok');
  });

  it('tells a missing token from a malformed one', async () => {
    expect(await reasonOf(undefined)).toBe('missing');
    expect(await reasonOf('Basic dXNlcjpwYXNz')).toBe('malformed');
    expect(await reasonOf('Bearer not-a.jwt')).toBe('malformed');
  });

  it('refuses alg none and HS256 keyed with the public key before looking up any key', async () => {
    expect(await reasonOf(`Bearer ${b64({ alg: 'none' })}.${b64(claims())}.`)).toBe('alg_not_allowed');
    const input = `${b64({ alg: 'HS256', kid: 'k1' })}.${b64(claims())}`;
    expect(await reasonOf(`Bearer ${input}.${createHmac('sha256', publicJwks).update(input).digest('base64url')}`)).toBe('alg_not_allowed');
  });

  it('finds a tampered payload and a foreign key', async () => {
    const [header, , signature] = (await sign(claims())).split('.');
    expect(await reasonOf(`Bearer ${header}.${b64({ ...claims(), scope: 'admin' })}.${signature}`)).toBe('bad_signature');
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = (kid: string) => new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
    expect(await reasonOf(`Bearer ${await foreign('k1')}`)).toBe('bad_signature');
    expect(await reasonOf(`Bearer ${await foreign('k9')}`)).toBe('unknown_kid');
  });

  it('maps time, issuer, audience and missing claims to their reasons', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await reasonOf(`Bearer ${await sign({ ...claims(), exp: now - 60 })}`)).toBe('expired');
    expect(await reasonOf(`Bearer ${await sign({ ...claims(), nbf: now + 600 })}`)).toBe('not_yet_valid');
    expect(await reasonOf(`Bearer ${await sign({ ...claims(), iss: 'https://elsewhere' })}`)).toBe('wrong_issuer');
    expect(await reasonOf(`Bearer ${await sign({ ...claims(), aud: 'reporting-api' })}`)).toBe('wrong_audience');
    const { jti: _jti, ...withoutJti } = claims();
    expect(await reasonOf(`Bearer ${await sign(withoutJti)}`)).toBe('malformed');
  });

  it('refuses a token from another authorization server as wrong_issuer before looking up its unknown key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const staging = await new SignJWT({ ...claims(), iss: 'https://staging.example' }).setProtectedHeader({ alg: 'ES256', kid: 'staging-1' }).sign(privateKey);
    expect(await reasonOf(`Bearer ${staging}`)).toBe('wrong_issuer');
  });

  it('tolerates five seconds of clock skew on exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await reasonOf(`Bearer ${await sign({ ...claims(), exp: now - 2 })}`)).toBe('ok');
  });
});
