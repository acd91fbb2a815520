import type { Role } from '../auth-server/directory';
import { bearer, call } from './http-client';
import { clientLogin } from './oauth-client';
import { UserSession } from './user-session';
import type { World } from './world';

/**
 * The everyday load: people using the API through the gateway within their
 * roles, and two services calling it with client-credentials tokens. About
 * one call a second; now and then a person refreshes early or logs out.
 */
type Call = [method: string, path: string];

const PEOPLE: [username: string, from: string][] = [
  ['alice', '127.0.1.1'],
  ['bob', '127.0.1.2'],
  ['carol', '127.0.1.3'],
  ['dave', '127.0.1.4'],
  ['erin', '127.0.1.5'],
];
const MEMBER_CALLS: Call[] = [
  ['GET', '/api/orders'],
  ['POST', '/api/orders'],
];
const STAFF_CALLS: Call[] = [...MEMBER_CALLS, ['GET', '/api/payments'], ['GET', '/api/customers'], ['GET', '/api/reports/daily']];
const CALLS_BY_ROLE: Record<Role, Call[]> = {
  USER: MEMBER_CALLS,
  MANAGER: STAFF_CALLS,
  ADMIN: [...STAFF_CALLS, ['POST', '/api/payments/refunds'], ['GET', '/api/admin/users'], ['DELETE', '/api/customers/17']],
};
const SERVICES: { clientId: string; from: string; calls: Call[] }[] = [
  { clientId: 'orders-batch', from: '127.0.2.1', calls: [['GET', '/api/orders'], ['GET', '/api/payments']] },
  { clientId: 'partner-sync', from: '127.0.2.2', calls: [['GET', '/api/customers'], ['GET', '/api/orders']] },
];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

export async function runNormalTraffic(world: World, intervalMs = 800): Promise<void> {
  const sessions = PEOPLE.map(([username, from]) => new UserSession(world, username, from));
  const serviceTokens = new Map<string, { token: string; expiresAt: number }>();

  const serviceToken = async (clientId: string, from: string) => {
    const held = serviceTokens.get(clientId);
    if (held && Date.now() < held.expiresAt - 30_000) return held.token;
    const reply = await clientLogin(world.auth, world.client(clientId), from);
    if (!reply.accessToken) return undefined;
    serviceTokens.set(clientId, { token: reply.accessToken, expiresAt: Date.now() + (reply.expiresIn ?? 0) * 1000 });
    return reply.accessToken;
  };

  for (let tick = 1; !world.signal.aborted; tick++) {
    await world.pause(intervalMs * (0.5 + Math.random())).catch(() => undefined);
    if (world.signal.aborted) return;
    try {
      if (tick % 3 === 0) {
        const service = pick(SERVICES);
        const token = await serviceToken(service.clientId, service.from);
        const [method, path] = pick(service.calls);
        if (token) await call(`${world.gatewayUrl}${path}`, { from: service.from, method, ca: world.ca, headers: bearer(token), signal: world.signal });
        continue;
      }
      // Ticks 5, 17, 29… refresh early and 10, 40, 70… log out; none of them is a service tick.
      const session = tick % 12 === 5 ? (sessions.find((candidate) => candidate.signedIn) ?? pick(sessions)) : pick(sessions);
      if (tick % 30 === 10) await session.logout();
      else if (tick % 12 === 5) await session.refresh();
      const token = await session.token();
      const [method, path] = pick(CALLS_BY_ROLE[world.user(session.username).roles[0]]);
      if (token) await call(`${world.gatewayUrl}${path}`, { from: session.from, method, ca: world.ca, headers: bearer(token), signal: world.signal });
    } catch (error) {
      if (!world.signal.aborted) process.stderr.write(`${JSON.stringify({ msg: 'normal traffic failed', error: String(error) })}\n`);
    }
  }
}
