import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from './lib/config';
import { REQUESTED_URL_HEADER, requestMeta } from './lib/http/request-meta';
import { API_CSP, HSTS, STATIC_SECURITY_HEADERS, pageContentSecurityPolicy } from './lib/http/security-headers';

/**
 * Security headers on every response Next.js sends: for pages a Content
 * Security Policy with a fresh nonce (Next.js reads it from the request's CSP
 * header and puts it on its own scripts), for JSON a policy that allows
 * nothing. No authentication here: each page and route handler checks access
 * itself (lib/auth/access.ts), so no matcher mistake can open one.
 */
export function proxy(request: NextRequest): NextResponse {
  const meta = requestMeta(request.headers, getConfig());
  const https = meta.scheme === 'https';
  const api = request.nextUrl.pathname.startsWith('/api/');
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = api ? API_CSP : pageContentSecurityPolicy(nonce, { https, development: process.env.NODE_ENV === 'development' });

  const forwarded = new Headers(request.headers);
  forwarded.set('content-security-policy', csp);
  forwarded.set('x-nonce', nonce);
  forwarded.set(REQUESTED_URL_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set('content-security-policy', csp);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  if (https) response.headers.set('strict-transport-security', HSTS);
  return response;
}

export const config = {
  // Build output is immutable and carries no document; server.js gives it the static headers.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
