import 'server-only';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { ACCESS, type Route } from '../auth/access';
import { hasRole } from '../auth/roles';
import { getConfig } from '../config';
import { requestContext } from '../request-context';
import type { UserRecord } from '../store/accounts';
import { lookUpSession, type SessionLookup } from '../users/sessions';
import { REQUESTED_URL_HEADER, requestMeta, safeReturnPath } from './request-meta';
import { readSessionCookie } from './session-cookie';

export type PageRoute = Extract<Route, `PAGE ${string}`>;

/** The signed-in person viewing this request, looked up once per render however many components ask. */
export const viewerSession = cache(async (): Promise<SessionLookup> => {
  const requestHeaders = await headers();
  const meta = requestMeta(requestHeaders, getConfig());
  return lookUpSession(requestContext(), readSessionCookie(requestHeaders, meta.scheme));
});

/**
 * The check at the top of every page but /login and /setup: an anonymous
 * visitor goes to /login (and comes back after), a role below the page's entry
 * in the access table gets 403.
 */
export async function requirePage(route: PageRoute): Promise<UserRecord> {
  const access = ACCESS[route];
  if (access.who !== 'member') throw new Error(`${route} is not a member page`);
  const user = await requireSignedIn();
  if (!hasRole(user.role, access.role)) forbidden();
  return user;
}

/** The signed-in person, or a redirect to /login (saying so when their session has ended). */
export async function requireSignedIn(): Promise<UserRecord> {
  const session = await viewerSession();
  if (session.status === 'active') return session.user;
  const back = safeReturnPath((await headers()).get(REQUESTED_URL_HEADER));
  const query = new URLSearchParams({ ...(back !== '/' ? { next: back } : {}), ...(session.status === 'ended' ? { expired: '1' } : {}) });
  redirect(`/login${query.size > 0 ? `?${query}` : ''}`);
}
