import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** What every component reports about the request in front of it. */
export type RequestInfo = {
  ip: string;
  userAgent: string | undefined;
  scheme: 'https' | 'http';
  traceId: string;
  method: string;
  /** Without the query string. */
  path: string;
};

export function socketAddress(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '0.0.0.0').replace(/^::ffff:/, '');
}

export function requestInfo(request: IncomingMessage, ip = socketAddress(request)): RequestInfo {
  const traceHeader = request.headers['x-request-id'];
  const traceId = typeof traceHeader === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(traceHeader) ? traceHeader : randomUUID();
  return {
    ip,
    userAgent: request.headers['user-agent']?.slice(0, 512),
    scheme: (request.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http',
    traceId,
    method: (request.method ?? 'GET').slice(0, 16),
    path: (request.url ?? '/').replace(/[?#].*$/s, '').slice(0, 2048),
  };
}

/** The fields of an event that come from the request. */
export function requestEvidence(info: RequestInfo) {
  return {
    source: { ip: info.ip, user_agent: info.userAgent },
    target: { method: info.method, path: info.path },
    scheme: info.scheme,
    trace_id: info.traceId,
  };
}
