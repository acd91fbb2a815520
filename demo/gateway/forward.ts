import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { RequestInfo } from '../http/request-info';
import { sendJson } from '../http/respond';
import type { Identity } from '../pki/certificates';

/**
 * Forwards an allowed request to an internal service over mTLS, presenting
 * the gateway's client certificate and trusting only the demo CA. The bearer
 * token is relayed so the service validates it again; the client's address
 * travels in X-Forwarded-For, which services trust from the gateway only.
 */
export type Forwarder = (request: IncomingMessage, response: ServerResponse, upstreamUrl: string, info: RequestInfo) => void;

export function createForwarder(clientIdentity: Identity, ca: string): Forwarder {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, cert: clientIdentity.cert, key: clientIdentity.key, ca });
  return (request, response, upstreamUrl, info) => {
    const headers: Record<string, string> = {
      'x-forwarded-for': info.ip,
      'x-forwarded-proto': info.scheme,
      'x-request-id': info.traceId,
    };
    for (const name of ['authorization', 'content-type', 'user-agent']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const upstream = https.request(upstreamUrl, { method: request.method, headers, agent, timeout: 10_000 }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
      answer.pipe(response);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('upstream timed out')));
    upstream.on('error', () => sendJson(response, 502, { error: 'bad_gateway' }));
    request.pipe(upstream);
  };
}
