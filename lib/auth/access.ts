import { hasRole, type Role } from './roles';

/**
 * Who may use each route and page: the one table every check reads. Route
 * handlers call `authorizeRequest(request, 'GET /api/v1/users')` and pages
 * `requirePage('PAGE /admin/users')`; both look the entry up here, so a route
 * cannot be checked against a rule written anywhere else.
 *
 * - `anyone`: no credential (sign-in, setup links, health).
 * - `ingest-key`: only an ingest key (POST /api/v1/events; checked by the ingest
 *   handler itself, which reads nothing of sessions or API tokens).
 * - `metrics-scraper`: the optional AUTHWATCH_METRICS_TOKEN.
 * - `member`: a signed-in person (session cookie) or, where `tokens` is true,
 *   an API token, holding at least `role`.
 */
export type Access =
  | { who: 'anyone' }
  | { who: 'ingest-key' }
  | { who: 'metrics-scraper' }
  | { who: 'member'; role: Role; tokens: boolean };

const ANYONE = { who: 'anyone' } as const;
/** /api/v1/* accepts API tokens as Bearer credentials, besides sessions. */
const api = (role: Role) => ({ who: 'member', role, tokens: true }) as const;
/** Pages and the session endpoint: a browser session only. */
const session = (role: Role) => ({ who: 'member', role, tokens: false }) as const;

export const ACCESS = {
  'GET /api/health': ANYONE,
  'GET /api/ready': ANYONE,
  'GET /api/metrics': { who: 'metrics-scraper' },
  'POST /api/v1/events': { who: 'ingest-key' },

  'POST /api/session': ANYONE,
  'DELETE /api/session': session('USER'),
  'POST /api/setup': ANYONE,
  'POST /api/setup/preview': ANYONE,

  'GET /api/v1/me': api('USER'),
  'GET /api/v1/services': api('USER'),
  'POST /api/v1/services': api('ADMIN'),
  'GET /api/v1/keys': api('ADMIN'),
  'POST /api/v1/keys': api('ADMIN'),
  'DELETE /api/v1/keys/[id]': api('ADMIN'),
  'POST /api/v1/keys/[id]/rotate': api('ADMIN'),
  'GET /api/v1/users': api('ADMIN'),
  'POST /api/v1/users': api('ADMIN'),
  'PATCH /api/v1/users/[id]': api('ADMIN'),
  'POST /api/v1/users/[id]/setup-link': api('ADMIN'),
  'GET /api/v1/tokens': api('ADMIN'),
  'POST /api/v1/tokens': api('ADMIN'),
  'DELETE /api/v1/tokens/[id]': api('ADMIN'),
  'GET /api/v1/audit': api('ADMIN'),

  // PRODUCT.md's read/write API, for the issues that build it.
  'GET /api/v1/events': api('USER'),
  'GET /api/v1/alerts': api('USER'),
  'GET /api/v1/alerts/[id]': api('USER'),
  'PATCH /api/v1/alerts/[id]': api('MANAGER'),
  'GET /api/v1/rules': api('USER'),
  'PUT /api/v1/rules/[id]': api('MANAGER'),
  'POST /api/v1/rules/[id]/backtest': api('MANAGER'),
  'GET /api/v1/stats/overview': api('USER'),
  'GET /api/v1/events/export': api('USER'),

  'PAGE /login': ANYONE,
  'PAGE /setup': ANYONE,
  'PAGE /': session('USER'),
  'PAGE /events': session('USER'),
  'PAGE /events/[id]': session('USER'),
  'PAGE /alerts': session('USER'),
  'PAGE /alerts/[id]': session('USER'),
  'PAGE /rules': session('USER'),
  'PAGE /services': session('USER'),
  'PAGE /admin/users': session('ADMIN'),
  'PAGE /admin/keys': session('ADMIN'),
  'PAGE /admin/tokens': session('ADMIN'),
  'PAGE /admin/audit': session('ADMIN'),
} as const satisfies Record<string, Access>;

export type Route = keyof typeof ACCESS;
export type MemberRoute = { [R in Route]: (typeof ACCESS)[R] extends { who: 'member' } ? R : never }[Route];

/** The role a route needs of a member; undefined for routes that take no member at all. */
export function requiredRole(route: Route): Role | undefined {
  const access: Access = ACCESS[route];
  return access.who === 'member' ? access.role : undefined;
}

/** Whether someone holding `role` may use `route` (for navigation and what a page shows; the route checks again). */
export function roleMayUse(role: Role, route: MemberRoute): boolean {
  return hasRole(role, requiredRole(route) as Role);
}
