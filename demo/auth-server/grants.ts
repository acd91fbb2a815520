import type { ServerResponse } from 'node:http';
import { requestEvidence, type RequestInfo } from '../http/request-info';
import { sendJson } from '../http/respond';
import { tokenEvidence } from '../jwt/token-evidence';
import type { AuthContext } from './auth-context';
import { SCOPES_BY_ROLE, type DemoClient, type DemoUser } from './directory';
import { issueAccessToken, type IssuedToken } from './issue-token';

/** The three grants: each decides, reports what it decided, and answers as RFC 6749 says. */
export type GrantRequest = { ctx: AuthContext; client: DemoClient; form: URLSearchParams; info: RequestInfo; response: ServerResponse };

type LoginFailure = 'unknown_user' | 'account_disabled' | 'account_locked' | 'bad_credentials';

function grantedScopes(allowed: readonly string[], requested: string | null): string[] {
  const wanted = requested ? requested.split(' ').filter(Boolean) : allowed;
  return wanted.filter((scope) => allowed.includes(scope));
}

function answer(response: ServerResponse, issued: IssuedToken, refreshToken?: string): void {
  sendJson(response, 200, {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
    scope: issued.claims.scope,
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
  });
}

export async function passwordGrant({ ctx, client, form, info, response }: GrantRequest): Promise<void> {
  const username = (form.get('username') ?? '').slice(0, 256);
  const user = ctx.directory.users.get(username);
  const passwordMatches = await ctx.directory.verifyPassword(user, form.get('password') ?? '');
  const fail = (reason: LoginFailure) => {
    ctx.reporter.report({ ...requestEvidence(info), type: 'login.failure', reason, actor: { username, client_id: client.id } });
    if (user && reason === 'bad_credentials' && ctx.lockout.recordFailure(user.username)) {
      ctx.reporter.report({ ...requestEvidence(info), type: 'account.locked', actor: { username, subject: user.subject } });
    }
    sendJson(response, 400, { error: 'invalid_grant', error_description: 'invalid user credentials' });
  };
  if (!user) return fail('unknown_user');
  if (user.disabled) return fail('account_disabled');
  if (ctx.lockout.isLocked(user.username)) return fail('account_locked');
  if (!passwordMatches) return fail('bad_credentials');
  ctx.lockout.recordSuccess(user.username);
  const issued = await issueUserToken(ctx, client, user, form.get('scope'));
  const actor = { subject: user.subject, username, client_id: client.id, roles: user.roles };
  ctx.reporter.report({ ...requestEvidence(info), type: 'login.success', actor });
  ctx.reporter.report({ ...requestEvidence(info), ...tokenEvidence(issued.header, issued.claims), type: 'token.issued' });
  const refreshToken = client.grants.includes('refresh_token') ? ctx.refreshTokens.create({ clientId: client.id, username }) : undefined;
  answer(response, issued, refreshToken);
}

export async function clientCredentialsGrant({ ctx, client, form, info, response }: GrantRequest): Promise<void> {
  const issued = await issueAccessToken(ctx.keys, ctx.issuer, client, {
    subject: `client-${client.id}`,
    scopes: grantedScopes(client.scopes, form.get('scope')),
  }, ctx.clock());
  ctx.reporter.report({ ...requestEvidence(info), ...tokenEvidence(issued.header, issued.claims), type: 'token.issued' });
  answer(response, issued);
}

export async function refreshTokenGrant({ ctx, client, form, info, response }: GrantRequest): Promise<void> {
  const grant = ctx.refreshTokens.take(form.get('refresh_token') ?? '');
  const user = grant && grant.clientId === client.id ? ctx.directory.users.get(grant.username) : undefined;
  if (!user || user.disabled || ctx.lockout.isLocked(user.username)) {
    ctx.reporter.report({
      ...requestEvidence(info),
      type: 'token.rejected',
      reason: 'other',
      actor: { client_id: client.id, username: grant?.username },
      attributes: { token_type_hint: 'refresh_token' },
    });
    return sendJson(response, 400, { error: 'invalid_grant', error_description: 'invalid refresh token' });
  }
  const issued = await issueUserToken(ctx, client, user, form.get('scope'));
  ctx.reporter.report({ ...requestEvidence(info), ...tokenEvidence(issued.header, issued.claims), type: 'token.refreshed' });
  answer(response, issued, ctx.refreshTokens.create({ clientId: client.id, username: user.username }));
}

function issueUserToken(ctx: AuthContext, client: DemoClient, user: DemoUser, requested: string | null): Promise<IssuedToken> {
  const roleScopes = [...new Set(user.roles.flatMap((role) => SCOPES_BY_ROLE[role]))];
  return issueAccessToken(ctx.keys, ctx.issuer, client, {
    subject: user.subject,
    username: user.username,
    roles: user.roles,
    scopes: grantedScopes(client.scopes, requested).filter((scope) => roleScopes.includes(scope)),
  }, ctx.clock());
}
