import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { requestEvidence, requestInfo } from '../http/request-info';
import { safely, sendJson } from '../http/respond';
import type { TokenVerifier } from '../jwt/verify-token';
import { tokenEvidence } from '../jwt/token-evidence';
import { authorize, bearerChallenge, required } from '../policy/authorize';
import type { Identity } from '../pki/certificates';
import type { ComponentReporter } from '../report/component-reporter';
import { createForwarder } from './forward';
import { createRateLimiter } from './rate-limiter';
import { createReplayGuard } from './replay-guard';
import type { RevocationFeed } from './revocation-feed';
import { findRoute, type Route, type Upstream } from './routes';

/**
 * The API gateway, the only public entry to the API: HTTPS with a certificate
 * from the demo CA, and (the misconfiguration it reports) a plaintext HTTP
 * listener serving the same routes. Each request: per-IP rate limit, token
 * validation, revocation and replay checks, per-user or per-client rate
 * limit, roles and scopes, then forwarding over mTLS. Every decision is reported.
 */
export type GatewaySettings = {
  identity: Identity;
  clientIdentity: Identity;
  ca: string;
  verify: TokenVerifier;
  revocations: RevocationFeed;
  upstreams: Record<Upstream, string>;
  reporter: ComponentReporter;
};
export type Gateway = { url: string; plaintextUrl: string; stop(): Promise<void> };

export async function startGateway(settings: GatewaySettings): Promise<Gateway> {
  const perIp = createRateLimiter(10, 30);
  const perClient = createRateLimiter(5, 20);
  const perUser = createRateLimiter(5, 20);
  const replay = createReplayGuard();
  const forward = createForwarder(settings.clientIdentity, settings.ca);
  const { reporter } = settings;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const info = requestInfo(request);
    const route = findRoute(info.method, info.path);
    const base = (route?: Route) => {
      const evidence = requestEvidence(info);
      return { ...evidence, target: { ...evidence.target, service: route?.upstream, required: route ? required(route) : undefined } };
    };
    if (!perIp.take(info.ip)) {
      reporter.report({ ...base(route), type: 'rate_limit.exceeded', reason: 'per_ip' });
      return sendJson(response, 429, { error: 'rate_limited' }, { 'retry-after': String(perIp.retryAfterSeconds()) });
    }
    if (!route) return sendJson(response, 404, { error: 'not_found' });
    const check = await settings.verify(request.headers.authorization);
    const reject = (reason: string, claims = check.claims) => {
      reporter.report({ ...base(route), ...tokenEvidence(check.header, claims), type: 'token.rejected', reason });
      const challenge = reason === 'missing' ? bearerChallenge() : bearerChallenge('invalid_token', reason.replace(/_/g, ' '));
      sendJson(response, 401, { error: reason === 'missing' ? 'unauthorized' : 'invalid_token' }, { 'www-authenticate': challenge });
    };
    if (!check.ok) return reject(check.reason);
    const { claims } = check;
    const jti = String(claims.jti);
    if (settings.revocations.isRevoked(jti)) return reject('revoked');
    if (typeof claims.preferred_username === 'string' && !replay.firstSeenFrom(jti, info.ip, Number(claims.exp))) return reject('replayed');
    const evidence = { ...base(route), ...tokenEvidence(check.header, claims) };
    // A person's token is limited per person; a service's client-credentials token per client.
    const person = typeof claims.preferred_username === 'string';
    const limiter = person ? perUser : perClient;
    if (!limiter.take(String(person ? claims.sub : claims.client_id))) {
      reporter.report({ ...evidence, type: 'rate_limit.exceeded', reason: person ? 'per_user' : 'per_client' });
      return sendJson(response, 429, { error: 'rate_limited' }, { 'retry-after': String(limiter.retryAfterSeconds()) });
    }
    const denial = authorize(claims, route);
    if (denial) {
      reporter.report({ ...evidence, type: 'access.denied', reason: denial });
      return sendJson(response, 403, { error: denial }, { 'www-authenticate': bearerChallenge('insufficient_scope', denial.replace(/_/g, ' ')) });
    }
    reporter.report({ ...evidence, type: 'access.granted' });
    forward(request, response, `${settings.upstreams[route.upstream]}${route.rewrite(info.path)}`, info);
  };

  const listener = safely(handle);
  const secure = https.createServer({ cert: settings.identity.cert, key: settings.identity.key }, listener);
  const plaintext = http.createServer(listener);
  const listen = (server: http.Server) =>
    new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const [securePort, plaintextPort] = [await listen(secure), await listen(plaintext)];
  return {
    url: `https://127.0.0.1:${securePort}`,
    plaintextUrl: `http://127.0.0.1:${plaintextPort}`,
    stop: async () => {
      settings.revocations.stop();
      for (const server of [secure, plaintext]) server.closeAllConnections();
      await Promise.all([secure, plaintext].map((server) => new Promise((resolve) => server.close(resolve))));
      await listener.settled();
    },
  };
}
