import { isSessionToken } from '../auth/secret-tokens';
import type { HeaderSource } from './request-meta';

/**
 * The session cookie: HttpOnly, SameSite=Lax, Path=/. Over HTTPS it is
 * `__Host-authwatch_session` with Secure: the prefix makes browsers refuse one
 * set by another host or over plain HTTP, so no sibling site can plant a session.
 * Only the name matching the request's scheme is read.
 */
const NAMES = { https: '__Host-authwatch_session', http: 'authwatch_session' } as const;
type Scheme = keyof typeof NAMES;

export function readSessionCookie(headers: HeaderSource, scheme: Scheme): string | undefined {
  const name = NAMES[scheme];
  for (const pair of (headers.get('cookie') ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== name) continue;
    const value = pair.slice(separator + 1).trim();
    if (isSessionToken(value)) return value;
  }
  return undefined;
}

function cookie(scheme: Scheme, value: string, maxAgeSeconds: number): string {
  const attributes = [`${NAMES[scheme]}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (scheme === 'https') attributes.push('Secure');
  return attributes.join('; ');
}

export const sessionCookie = (scheme: Scheme, token: string, maxAgeSeconds: number) => cookie(scheme, token, maxAgeSeconds);
export const clearedSessionCookie = (scheme: Scheme) => cookie(scheme, '', 0);
