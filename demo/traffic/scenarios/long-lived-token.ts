import { bearer, call } from '../http-client';
import { clientLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/** The misconfigured legacy batch client gets a 30-day access token and uses it. */
export const longLivedToken: Scenario = {
  name: 'long_lived_token',
  run: async (world) => {
    const from = '127.0.2.3';
    const login = await clientLogin(world.auth, world.client('legacy-batch'), from);
    const attempts: Attempt[] = [{ label: 'token_30_days', status: login.status }];
    if (login.accessToken) {
      const reply = await call(`${world.gatewayUrl}/api/orders`, { from, ca: world.ca, headers: bearer(login.accessToken), signal: world.signal });
      attempts.push({ label: 'use', status: reply.status });
    }
    return attempts;
  },
};
