import { bearer, call } from '../http-client';
import { clientLogin, passwordLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/**
 * bob, an ordinary USER, walks the staff and admin routes, including the
 * reports route the gateway forgot to protect (the payments service denies
 * it); then the orders batch job's service token tries routes outside its scopes.
 */
const FROM = '127.0.66.6';
const PERSON_PROBES: [method: string, path: string][] = [
  ['GET', '/api/payments'],
  ['POST', '/api/payments/refunds'],
  ['GET', '/api/customers'],
  ['DELETE', '/api/customers/1'],
  ['DELETE', '/api/customers/2'],
  ['DELETE', '/api/customers/3'],
  ['GET', '/api/admin/users'],
  ['GET', '/api/admin/users'],
  ['GET', '/api/reports/daily'],
  ['GET', '/api/reports/payroll'],
  ['GET', '/api/reports/salaries'],
  ['POST', '/api/payments/refunds'],
];
const SERVICE_PROBES: [method: string, path: string][] = [
  ['GET', '/api/customers'],
  ['GET', '/api/admin/users'],
];

export const privilegeProbing: Scenario = {
  name: 'privilege_probing',
  run: async (world) => {
    const attempts: Attempt[] = [];
    const probe = async (probes: [string, string][], token: string | undefined, who: string) => {
      for (const [method, path] of probes) {
        const reply = await call(`${world.gatewayUrl}${path}`, { from: FROM, method, ca: world.ca, headers: bearer(token ?? ''), signal: world.signal });
        attempts.push({ label: `${who} ${method} ${path}`, status: reply.status });
      }
    };
    const person = await passwordLogin(world.auth, world.client('web-app'), FROM, 'bob', world.user('bob').password);
    await probe(PERSON_PROBES, person.accessToken, 'user');
    // Not partner-sync: the API-abuse flood drains that client's rate limit.
    const service = await clientLogin(world.auth, world.client('orders-batch'), FROM);
    await probe(SERVICE_PROBES, service.accessToken, 'service');
    return attempts;
  },
};
