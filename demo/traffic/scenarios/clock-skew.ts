import { bearer, call } from '../http-client';
import { clientLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/**
 * The authorization server's second node lost NTP and runs two minutes ahead:
 * the orders batch job, sent there by the load balancer, gets a token whose
 * `nbf` lies in the future, and the gateway (5 s of tolerance) refuses it as
 * not yet valid. The same job's token from the healthy node works.
 */
const FROM = '127.0.2.4';

export const clockSkew: Scenario = {
  name: 'clock_skew',
  run: async (world) => {
    const client = world.client('orders-batch');
    const attempts: Attempt[] = [];
    for (const [label, auth] of [['skewed_node', world.skewedAuth], ['healthy_node', world.auth]] as const) {
      const login = await clientLogin(auth, client, FROM);
      if (!login.accessToken) {
        attempts.push({ label: `${label}_login`, status: login.status });
        continue;
      }
      const reply = await call(`${world.gatewayUrl}/api/orders`, { from: FROM, ca: world.ca, headers: bearer(login.accessToken), signal: world.signal });
      attempts.push({ label, status: reply.status });
    }
    return attempts;
  },
};
