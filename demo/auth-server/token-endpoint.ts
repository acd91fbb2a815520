import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestEvidence, requestInfo } from '../http/request-info';
import { readBody, sendJson } from '../http/respond';
import type { AuthContext } from './auth-context';
import { presentedClient } from './client-authentication';
import type { Grant } from './directory';
import { clientCredentialsGrant, passwordGrant, refreshTokenGrant, type GrantRequest } from './grants';

const GRANTS: Record<Grant, (request: GrantRequest) => Promise<void>> = {
  password: passwordGrant,
  client_credentials: clientCredentialsGrant,
  refresh_token: refreshTokenGrant,
};

/** POST /oauth2/token: authenticates the client, then runs the grant it asked for. */
export async function handleTokenRequest(ctx: AuthContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const info = requestInfo(request);
  const form = new URLSearchParams(await readBody(request).catch(() => ''));
  const presented = presentedClient(request, form);
  if (!presented) return sendJson(response, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="demo"' });
  const client = ctx.directory.clients.get(presented.id);
  if (!client || !ctx.directory.verifyClientSecret(client, presented.secret)) {
    const reason = client ? 'bad_credentials' : 'unknown_user';
    ctx.reporter.report({ ...requestEvidence(info), type: 'login.failure', reason, actor: { client_id: presented.id.slice(0, 256) } });
    return sendJson(response, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="demo"' });
  }
  const grantType = form.get('grant_type') as Grant | null;
  if (grantType === null || !Object.hasOwn(GRANTS, grantType)) return sendJson(response, 400, { error: 'unsupported_grant_type' });
  if (!client.grants.includes(grantType)) return sendJson(response, 400, { error: 'unauthorized_client' });
  await GRANTS[grantType]({ ctx, client, form, info, response });
}
