/**
 * The security headers of every response. server.js sets the static ones (and
 * HSTS) on everything it serves, the ingest fast path included; proxy.ts sets
 * them for Next.js too, and adds the Content-Security-Policy: a per-request
 * nonce for pages, nothing at all for JSON.
 */
export const STATIC_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
} as const;

/** Sent only over HTTPS (a browser ignores it over HTTP anyway); no includeSubDomains: sibling hosts are not ours to pin. */
export const HSTS = 'max-age=31536000';

/** API responses are data, never a document: nothing may load, run or frame. */
export const API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Pages. Scripts run only with this response's nonce (Next.js puts it on its
 * own scripts) or when loaded by one ('strict-dynamic'). Stylesheets and
 * <style> elements need our origin or the nonce. `style` attributes are
 * allowed: React server-renders them (chart libraries use them for sizing), they
 * cannot run script, and with img-src, font-src and connect-src held to our
 * origin a style has nowhere to send data. Development adds 'unsafe-eval',
 * which React's dev build needs.
 */
export function pageContentSecurityPolicy(nonce: string, options: { https: boolean; development: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (options.https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}
