import type { IncomingMessage } from 'node:http';

/** RFC 6749 §2.3.1: HTTP Basic (each part form-encoded) or `client_id`/`client_secret` in the body. */
export function presentedClient(request: IncomingMessage, form: URLSearchParams): { id: string; secret: string } | undefined {
  const basic = /^Basic\s+([A-Za-z0-9+/]+=*)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    try {
      return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    } catch {
      return undefined;
    }
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id && secret ? { id, secret } : undefined;
}

export function basicAuthorization(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}
