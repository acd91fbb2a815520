import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { requestEvidence, requestInfo, socketAddress } from '../http/request-info';
import { safely, sendJson } from '../http/respond';
import { tokenEvidence } from '../jwt/token-evidence';
import type { TokenVerifier } from '../jwt/verify-token';
import { authorize, bearerChallenge, required, type Policy } from '../policy/authorize';
import type { Identity } from '../pki/certificates';
import type { ComponentReporter } from '../report/component-reporter';
import { checkClientCertificate } from './mtls-check';

/**
 * An internal service: reachable only over mTLS with the gateway's certificate,
 * it validates the relayed token again and checks scopes and roles itself, so
 * a gateway mistake or a caller that bypasses the gateway gets nowhere.
 */
export type Endpoint = Policy & { method: string; pattern: RegExp; answer: (path: string) => unknown };
export type ServiceSettings = { name: string; identity: Identity; ca: string; verify: TokenVerifier; reporter: ComponentReporter; endpoints: readonly Endpoint[] };
export type RunningService = { name: string; url: string; stop(): Promise<void> };

const TRUSTED_CALLER = 'gateway';

export async function startResourceServer(settings: ServiceSettings): Promise<RunningService> {
  const { reporter } = settings;
  const listener = safely(async (request, response) => {
    const mtls = checkClientCertificate(request.socket as TLSSocket, TRUSTED_CALLER);
    const forwardedFor = request.headers['x-forwarded-for'];
    // The client's address is taken from X-Forwarded-For only when the gateway itself is calling.
    const ip = mtls.ok && typeof forwardedFor === 'string' && forwardedFor.length <= 64 ? forwardedFor.split(',')[0].trim() : socketAddress(request);
    const info = requestInfo(request, ip);
    const tls = { client_subject: mtls.subject, client_fingerprint: mtls.fingerprint };
    if (!mtls.ok) {
      reporter.report({ ...requestEvidence(info), tls, type: 'mtls.rejected', reason: mtls.reason });
      return sendJson(response, 403, { error: 'client_certificate_required' });
    }
    const endpoint = settings.endpoints.find((candidate) => candidate.method === info.method && candidate.pattern.test(info.path));
    if (!endpoint) return sendJson(response, 404, { error: 'not_found' });
    const evidence = requestEvidence(info);
    const base = { ...evidence, tls, target: { ...evidence.target, service: settings.name, required: required(endpoint) } };
    const check = await settings.verify(request.headers.authorization);
    if (!check.ok) {
      reporter.report({ ...base, ...tokenEvidence(check.header, check.claims), type: 'token.rejected', reason: check.reason });
      return sendJson(response, 401, { error: 'invalid_token' }, { 'www-authenticate': bearerChallenge('invalid_token') });
    }
    const withToken = { ...base, ...tokenEvidence(check.header, check.claims) };
    const denial = authorize(check.claims, endpoint);
    if (denial) {
      reporter.report({ ...withToken, type: 'access.denied', reason: denial });
      return sendJson(response, 403, { error: denial }, { 'www-authenticate': bearerChallenge('insufficient_scope') });
    }
    reporter.report({ ...withToken, type: 'access.granted' });
    sendJson(response, 200, endpoint.answer(info.path));
  });
  const server = https.createServer(
    { cert: settings.identity.cert, key: settings.identity.key, ca: settings.ca, requestCert: true, rejectUnauthorized: false },
    listener,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name: settings.name,
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await listener.settled();
    },
  };
}
