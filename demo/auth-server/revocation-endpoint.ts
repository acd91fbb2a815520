import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { requestEvidence, requestInfo } from '../http/request-info';
import { readBody, sendJson } from '../http/respond';
import { tokenEvidence, type Claims } from '../jwt/token-evidence';
import type { AuthContext } from './auth-context';
import { presentedClient } from './client-authentication';

/**
 * POST /oauth2/revoke (RFC 7009). A refresh token is forgotten; an access token
 * this server signed goes on the revocation list the gateway polls until it
 * expires. The answer is 200 whatever the token was, as the RFC asks.
 */
export async function handleRevocation(ctx: AuthContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const info = requestInfo(request);
  const form = new URLSearchParams(await readBody(request).catch(() => ''));
  const presented = presentedClient(request, form);
  const client = presented && ctx.directory.clients.get(presented.id);
  if (!presented || !client || !ctx.directory.verifyClientSecret(client, presented.secret)) {
    return sendJson(response, 401, { error: 'invalid_client' });
  }
  const token = form.get('token') ?? '';
  const refresh = ctx.refreshTokens.revoke(token);
  if (refresh) {
    ctx.reporter.report({
      ...requestEvidence(info),
      type: 'token.revoked',
      actor: { username: refresh.username, client_id: refresh.clientId },
      attributes: { token_type_hint: 'refresh_token' },
    });
    return sendJson(response, 200, {});
  }
  const claims = await ownAccessToken(ctx, token);
  if (claims?.client_id === client.id && typeof claims.jti === 'string' && typeof claims.exp === 'number') {
    ctx.revoked.add(claims.jti, claims.exp);
    ctx.reporter.report({ ...requestEvidence(info), ...tokenEvidence(undefined, claims), type: 'token.revoked' });
  }
  sendJson(response, 200, {});
}

async function ownAccessToken(ctx: AuthContext, token: string): Promise<Claims | undefined> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: ctx.keys.publicKeys() }), { issuer: ctx.issuer, algorithms: ['ES256'] });
    return payload as Claims;
  } catch {
    return undefined;
  }
}
