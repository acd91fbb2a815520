import ipaddr from 'ipaddr.js';

/**
 * What authwatch believes about a request's origin: the client's address, the
 * scheme it was served over, and the origin a same-origin request carries.
 *
 * Next.js hands route handlers no socket, and keeps an X-Forwarded-For a client
 * sent, so server.js writes the TCP peer into PEER_HEADER (overwriting any value
 * a client sent). X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host are
 * believed only with AUTHWATCH_TRUST_PROXY, which says one reverse proxy stands
 * in front and overwrites them; otherwise anyone could claim any address or HTTPS.
 */
export const PEER_HEADER = 'x-authwatch-peer';

/** Set by proxy.ts (overwriting any a client sent): the path and query asked for, to return to after signing in. */
export const REQUESTED_URL_HEADER = 'x-authwatch-url';

export type HeaderSource = { get(name: string): string | null };
export type TrustSettings = { AUTHWATCH_TRUST_PROXY: boolean; AUTHWATCH_PUBLIC_URL?: string };

export type RequestMeta = {
  /** Canonical form (an IPv4-mapped IPv6 address as IPv4); null when unknown. */
  ip: string | null;
  scheme: 'https' | 'http';
  /** The origin a same-origin browser request from this site sends. */
  origin: string | null;
  userAgent: string | null;
};

export function canonicalIp(text: string | null | undefined): string | null {
  const trimmed = text?.trim();
  if (!trimmed || !ipaddr.isValid(trimmed)) return null;
  return ipaddr.process(trimmed).toString();
}

/** The last X-Forwarded-For entry: the address the trusted proxy itself saw (earlier ones are the client's claims). */
function lastForwardedFor(headers: HeaderSource): string | null {
  const entries = headers.get('x-forwarded-for')?.split(',') ?? [];
  return entries.length > 0 ? entries[entries.length - 1] : null;
}

const firstValue = (value: string | null) => value?.split(',')[0].trim().toLowerCase() || null;

export function requestMeta(headers: HeaderSource, settings: TrustSettings): RequestMeta {
  const trusted = settings.AUTHWATCH_TRUST_PROXY;
  const ip = canonicalIp(trusted ? (lastForwardedFor(headers) ?? headers.get(PEER_HEADER)) : headers.get(PEER_HEADER));
  const scheme = trusted && firstValue(headers.get('x-forwarded-proto')) === 'https' ? 'https' : 'http';
  const host = (trusted ? firstValue(headers.get('x-forwarded-host')) : null) ?? firstValue(headers.get('host'));
  const origin = settings.AUTHWATCH_PUBLIC_URL ?? (host ? `${scheme}://${host}` : null);
  const userAgent = headers.get('user-agent')?.slice(0, 512) ?? null;
  return { ip, scheme, origin, userAgent };
}

/** The address a throttle counts against: an IPv6 client usually holds a whole /64, so it counts as one. */
export function throttleAddress(ip: string | null): string {
  if (ip === null) return 'unknown';
  const parsed = ipaddr.parse(ip);
  if (parsed.kind() === 'ipv4') return ip;
  const bytes = parsed.toByteArray().slice(0, 8).concat(new Array(8).fill(0));
  return `${ipaddr.fromByteArray(bytes).toString()}/64`;
}

/** Where to go after signing in: only a path on this site (`//evil.example` or `/\\evil.example` would leave it). */
export function safeReturnPath(candidate: string | null | undefined): string {
  return candidate && /^\/(?![/\\])[^\s\\]*$/.test(candidate) ? candidate : '/';
}
