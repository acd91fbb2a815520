import { bearer, call } from '../http-client';
import { clientLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/**
 * A partner's developer points a script at production with a token from the
 * staging authorization server: a real token, signed by a real key, from an
 * issuer the gateway does not trust, refused as `wrong_issuer` before the
 * gateway looks for its key.
 */
const FROM = '127.0.2.5';

export const stagingToken: Scenario = {
  name: 'staging_token',
  run: async (world) => {
    const login = await clientLogin(world.staging.auth, world.staging.client('partner-sync'), FROM);
    if (!login.accessToken) return [{ label: 'staging_login', status: login.status }];
    const reply = await call(`${world.gatewayUrl}/api/customers`, { from: FROM, ca: world.ca, headers: bearer(login.accessToken), signal: world.signal });
    return [{ label: 'staging_token', status: reply.status }] satisfies Attempt[];
  },
};
