import type { Policy } from '../policy/authorize';

/**
 * The gateway's public routes: where each goes and what it requires. The
 * `/api/reports` route is the classic misconfiguration of a gateway that only
 * checks the token is valid; the payments service behind it still checks
 * scopes and roles, and denies.
 */
export type Upstream = 'orders' | 'payments' | 'customers';
export type Route = Policy & { method: string; pattern: RegExp; upstream: Upstream; rewrite: (path: string) => string };

const strip = (path: string) => path.replace(/^\/api/, '');
const MEMBERS = ['USER', 'MANAGER', 'ADMIN'] as const;
const STAFF = ['MANAGER', 'ADMIN'] as const;

export const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/api\/orders$/, upstream: 'orders', rewrite: strip, scopes: ['orders:read'], roles: MEMBERS },
  { method: 'POST', pattern: /^\/api\/orders$/, upstream: 'orders', rewrite: strip, scopes: ['orders:write'], roles: MEMBERS },
  { method: 'GET', pattern: /^\/api\/payments$/, upstream: 'payments', rewrite: strip, scopes: ['payments:read'], roles: STAFF },
  { method: 'POST', pattern: /^\/api\/payments\/refunds$/, upstream: 'payments', rewrite: () => '/refunds', scopes: ['payments:write'], roles: ['ADMIN'] },
  { method: 'GET', pattern: /^\/api\/customers$/, upstream: 'customers', rewrite: strip, scopes: ['customers:read'], roles: STAFF },
  { method: 'DELETE', pattern: /^\/api\/customers\/\d{1,9}$/, upstream: 'customers', rewrite: strip, scopes: ['customers:write'], roles: ['ADMIN'] },
  { method: 'GET', pattern: /^\/api\/admin\/users$/, upstream: 'customers', rewrite: strip, scopes: ['admin'], roles: ['ADMIN'] },
  { method: 'GET', pattern: /^\/api\/reports\/[a-z-]{1,32}$/, upstream: 'payments', rewrite: strip, scopes: [], roles: [] },
];

export function findRoute(method: string, path: string): Route | undefined {
  return ROUTES.find((route) => route.method === method && route.pattern.test(path));
}
