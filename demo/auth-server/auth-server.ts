import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Identity } from '../pki/certificates';
import type { ComponentReporter } from '../report/component-reporter';
import { safely, sendJson, type SafeListener } from '../http/respond';
import type { AuthContext } from './auth-context';
import { createDirectory, type Directory } from './directory';
import { createLockout } from './lockout';
import { createRefreshTokens } from './refresh-tokens';
import { handleRevocation } from './revocation-endpoint';
import { createRevocationList } from './revocation-list';
import { createSigningKeys } from './signing-keys';
import { handleTokenRequest } from './token-endpoint';

/**
 * The authorization server: client-credentials, password and refresh-token
 * grants; ES256 access tokens; JWKS and OpenID discovery, so a Spring Boot
 * resource server could point `issuer-uri` at it; key rotation; more nodes
 * sharing its keys and users (one with a clock that runs ahead).
 */
export type AuthServerSettings = { identity: Identity; reporter: ComponentReporter; rotationMs: number; lockMs: number };
export type AuthServer = {
  url: string;
  issuer: string;
  jwksUrl: string;
  directory: Directory;
  /** Starts another node of this server (behind the same issuer) whose clock is off by `clockSkewMs`; resolves to its URL. */
  addNode(identity: Identity, clockSkewMs: number): Promise<string>;
  stop(): Promise<void>;
};

const SHORTEST_DRAIN_MS = 6 * 60_000;

export async function startAuthServer(settings: AuthServerSettings): Promise<AuthServer> {
  const directory = createDirectory();
  // A retired key stays published for longer than the short tokens it signed live.
  const keys = await createSigningKeys(settings.rotationMs, SHORTEST_DRAIN_MS);
  const ctx: AuthContext = {
    issuer: '',
    clock: Date.now,
    directory,
    keys,
    refreshTokens: createRefreshTokens(),
    revoked: createRevocationList(),
    reporter: settings.reporter,
    lockout: createLockout({
      threshold: 10,
      windowMs: 10 * 60_000,
      lockMs: settings.lockMs,
      onUnlocked: (username) =>
        settings.reporter.report({ type: 'account.unlocked', actor: { username, subject: directory.users.get(username)?.subject } }),
    }),
  };
  const nodes: Array<{ server: https.Server; listener: SafeListener }> = [];
  const listen = async (node: AuthContext, identity: Identity): Promise<string> => {
    const listener = safely((request, response) => route(node, request, response));
    const server = https.createServer({ cert: identity.cert, key: identity.key }, listener);
    nodes.push({ server, listener });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const url = await listen(ctx, settings.identity);
  ctx.issuer = url;
  return {
    url,
    issuer: url,
    jwksUrl: `${url}/oauth2/jwks`,
    directory,
    // Same keys, users and issuer, its own listener and clock.
    addNode: (identity, clockSkewMs) => listen({ ...ctx, clock: () => Date.now() + clockSkewMs }, identity),
    stop: async () => {
      keys.stop();
      ctx.lockout.stop();
      for (const { server } of nodes) server.closeAllConnections();
      await Promise.all(nodes.map(({ server }) => new Promise((resolve) => server.close(resolve))));
      await Promise.all(nodes.map(({ listener }) => listener.settled()));
    },
  };
}

async function route(ctx: AuthContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = `${request.method} ${(request.url ?? '/').replace(/\?.*$/s, '')}`;
  switch (path) {
    case 'POST /oauth2/token':
      return handleTokenRequest(ctx, request, response);
    case 'POST /oauth2/revoke':
      return handleRevocation(ctx, request, response);
    case 'GET /oauth2/jwks':
      return sendJson(response, 200, ctx.keys.jwks(), { 'cache-control': 'max-age=60' });
    case 'GET /oauth2/revocations':
      return sendJson(response, 200, { revoked: ctx.revoked.entries() });
    case 'GET /.well-known/openid-configuration':
    case 'GET /.well-known/oauth-authorization-server':
      return sendJson(response, 200, discovery(ctx.issuer), { 'cache-control': 'max-age=300' });
    default:
      return sendJson(response, 404, { error: 'not_found' });
  }
}

function discovery(issuer: string) {
  return {
    issuer,
    token_endpoint: `${issuer}/oauth2/token`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    jwks_uri: `${issuer}/oauth2/jwks`,
    grant_types_supported: ['client_credentials', 'password', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: ['orders:read', 'orders:write', 'payments:read', 'payments:write', 'customers:read', 'customers:write', 'admin'],
    id_token_signing_alg_values_supported: ['ES256'],
    subject_types_supported: ['public'],
    response_types_supported: ['token'],
  };
}
