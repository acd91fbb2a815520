import { createHmac } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { bearer, call } from '../http-client';
import { clientLogin, passwordLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/**
 * An insider with an ordinary account (dave) forges tokens claiming ADMIN:
 * `alg: none`, HS256 keyed with the public key, a tampered payload under the
 * real signature, tokens signed with the attacker's own key, garbage, no token,
 * and a real token minted for another API. The gateway refuses each.
 */
const FROM = '127.0.66.4';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const forgedTokens: Scenario = {
  name: 'forged_tokens',
  run: async (world) => {
    const login = await passwordLogin(world.auth, world.client('web-app'), FROM, 'dave', world.user('dave').password);
    if (!login.accessToken) return [{ label: 'login', status: login.status }];
    const real = login.accessToken;
    const header = decodeProtectedHeader(real);
    const escalated = { ...decodeJwt(real), roles: ['ADMIN'], scope: 'admin orders:read' };
    const [realHeader, , realSignature] = real.split('.');
    const hs256Input = `${b64({ alg: 'HS256', typ: 'JWT', kid: header.kid })}.${b64(escalated)}`;
    const hs256Key = (await call(`${world.auth.authUrl}/oauth2/jwks`, { from: FROM, ca: world.ca })).body;
    const { privateKey } = await generateKeyPair('ES256');
    const ownKey = (kid: string) => new SignJWT(escalated).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' }).sign(privateKey);
    const otherApi = await clientLogin(world.auth, world.client('reporting'), FROM);

    const forged: [label: string, authorization: string | undefined][] = [
      ['alg_none', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(escalated)}.`],
      ['hs256_with_public_key', `Bearer ${hs256Input}.${createHmac('sha256', hs256Key).update(hs256Input).digest('base64url')}`],
      ['tampered_payload', `Bearer ${realHeader}.${b64(escalated)}.${realSignature}`],
      ['attacker_key_unknown_kid', `Bearer ${await ownKey('rotated-key-2024')}`],
      ['attacker_key_real_kid', `Bearer ${await ownKey(String(header.kid))}`],
      ['garbage', 'Bearer not-a.jwt'],
      ['no_token', undefined],
      ['other_audience', otherApi.accessToken ? `Bearer ${otherApi.accessToken}` : 'Bearer missing'],
    ];
    const attempts: Attempt[] = [];
    for (const [label, authorization] of forged) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const reply = await call(`${world.gatewayUrl}/api/admin/users`, { from: FROM, ca: world.ca, headers, signal: world.signal });
      attempts.push({ label, status: reply.status });
    }
    const control = await call(`${world.gatewayUrl}/api/orders`, { from: FROM, ca: world.ca, headers: bearer(real), signal: world.signal });
    attempts.push({ label: 'real_token_own_rights', status: control.status });
    return attempts;
  },
};
