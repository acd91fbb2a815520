import { basicAuthorization } from '../auth-server/client-authentication';
import type { DemoClient } from '../auth-server/directory';
import { call, type Reply } from './http-client';

/** Token requests as an OAuth client makes them (client_secret_basic, form-encoded). */
export type TokenReply = Reply & { accessToken?: string; refreshToken?: string; expiresIn?: number };

export type OAuthEndpoints = { authUrl: string; ca: string; signal?: AbortSignal };

async function tokenRequest(endpoints: OAuthEndpoints, client: DemoClient, from: string, form: Record<string, string>): Promise<TokenReply> {
  const reply = await call(`${endpoints.authUrl}/oauth2/token`, {
    from,
    method: 'POST',
    ca: endpoints.ca,
    signal: endpoints.signal,
    headers: { authorization: basicAuthorization(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  if (reply.status !== 200) return reply;
  const body = JSON.parse(reply.body) as { access_token: string; refresh_token?: string; expires_in: number };
  return { ...reply, accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in };
}

export const passwordLogin = (endpoints: OAuthEndpoints, client: DemoClient, from: string, username: string, password: string) =>
  tokenRequest(endpoints, client, from, { grant_type: 'password', username, password });

export const clientLogin = (endpoints: OAuthEndpoints, client: DemoClient, from: string) =>
  tokenRequest(endpoints, client, from, { grant_type: 'client_credentials' });

export const refresh = (endpoints: OAuthEndpoints, client: DemoClient, from: string, refreshToken: string) =>
  tokenRequest(endpoints, client, from, { grant_type: 'refresh_token', refresh_token: refreshToken });

export function revoke(endpoints: OAuthEndpoints, client: DemoClient, from: string, token: string): Promise<Reply> {
  return call(`${endpoints.authUrl}/oauth2/revoke`, {
    from,
    method: 'POST',
    ca: endpoints.ca,
    signal: endpoints.signal,
    headers: { authorization: basicAuthorization(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
}
