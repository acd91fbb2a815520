import type { Actor } from '../audit/record-change';
import type { Context } from '../context';
import type { DoorEvent } from '../door/record-door-events';
import { AuthwatchError } from '../errors';
import type { HeaderSource, RequestMeta } from '../http/request-meta';
import { readSessionCookie } from '../http/session-cookie';
import type { ApiTokenRecord, UserRecord } from '../store/accounts';
import { lookUpSession } from '../users/sessions';
import { ACCESS, type Access, type Route } from './access';
import { authenticateApiToken } from './authenticate-api-token';
import { hasRole, type Role } from './roles';

/** Who is asking: a signed-in person or an API token. */
export type Principal =
  | { kind: 'user'; role: Role; user: UserRecord; sessionHash: Buffer }
  | { kind: 'token'; role: Role; token: ApiTokenRecord };

export function actorOf(principal: Principal, meta: RequestMeta): Actor {
  return principal.kind === 'user'
    ? { kind: 'user', id: principal.user.id, label: principal.user.email, ip: meta.ip }
    : { kind: 'token', id: principal.token.id, label: `token:${principal.token.name}`, ip: meta.ip };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a state-changing request a browser could send on its own (one that
 * relies on the cookie, or signs in) must come from our own pages: a same-origin
 * Origin, or, without one, Sec-Fetch-Site: same-origin. `Origin: null`, another
 * origin, or neither header is refused. Bearer-token requests need no check:
 * browsers never attach a bearer token by themselves.
 */
export function checkSameOrigin(method: string, headers: HeaderSource, meta: RequestMeta): void {
  if (SAFE_METHODS.has(method)) return;
  const origin = headers.get('origin');
  const fetchSite = headers.get('sec-fetch-site');
  const sameOrigin =
    origin !== null ? origin === meta.origin && (fetchSite === null || fetchSite === 'same-origin') : fetchSite === 'same-origin';
  if (!sameOrigin) throw new AuthwatchError('ERR_CROSS_ORIGIN', 'this request must come from authwatch’s own pages (same origin)');
}

export type AuthorizeInput = {
  method: string;
  path: string;
  headers: HeaderSource;
  meta: RequestMeta;
  record: (events: DoorEvent[]) => void;
};

/**
 * Checks a request against its route's entry in the access table: 401 without
 * a (valid) credential, 403 for a cross-origin state change or a role too low.
 * Returns the principal, or null on a route open to anyone.
 */
export function authorizeRequest({ ctx, route, input }: { ctx: Context; route: Route; input: AuthorizeInput }): Principal | null {
  const access: Access = ACCESS[route];
  if (access.who === 'anyone') {
    checkSameOrigin(input.method, input.headers, input.meta);
    return null;
  }
  if (access.who !== 'member') throw new Error(`${route} authenticates its own credential`);

  const principal = authenticate(ctx, access.tokens, input);
  if (!hasRole(principal.role, access.role)) {
    input.record([
      {
        type: 'access.denied',
        reason: 'missing_role',
        meta: input.meta,
        target: { method: input.method, path: input.path },
        actor: principal.kind === 'user' ? { username: principal.user.email, roles: [principal.role] } : { client_id: `token:${principal.token.id}`, roles: [principal.role] },
      },
    ]);
    throw new AuthwatchError('ERR_FORBIDDEN', `this needs the ${access.role} role`);
  }
  return principal;
}

function authenticate(ctx: Context, tokensAccepted: boolean, input: AuthorizeInput): Principal {
  const authorization = input.headers.get('authorization');
  if (authorization !== null) {
    if (!tokensAccepted) throw new AuthwatchError('ERR_AUTH_INVALID', 'this endpoint takes a browser session, not a bearer token');
    const token = authenticateApiToken({ ctx, input: { ...input, authorization } });
    return { kind: 'token', role: token.role, token };
  }
  const session = lookUpSession(ctx, readSessionCookie(input.headers, input.meta.scheme));
  if (session.status === 'none') throw new AuthwatchError('ERR_AUTH_MISSING', 'sign in, or send Authorization: Bearer <API token>');
  if (session.status === 'ended') throw new AuthwatchError('ERR_SESSION_EXPIRED', 'the session has ended; sign in again');
  checkSameOrigin(input.method, input.headers, input.meta);
  return { kind: 'user', role: session.user.role, user: session.user, sessionHash: session.tokenHash };
}
