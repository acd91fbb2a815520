import { bearer, call } from '../http-client';
import { passwordLogin, revoke } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/** alice logs out; a tab she left open keeps using the revoked access token. */
export const revokedToken: Scenario = {
  name: 'revoked_token',
  run: async (world) => {
    const from = '127.0.1.11';
    const client = world.client('web-app');
    const login = await passwordLogin(world.auth, client, from, 'alice', world.user('alice').password);
    if (!login.accessToken) return [{ label: 'login', status: login.status }];
    const headers = bearer(login.accessToken);
    const before = await call(`${world.gatewayUrl}/api/orders`, { from, ca: world.ca, headers, signal: world.signal });
    const logout = await revoke(world.auth, client, from, login.accessToken);
    // The gateway polls the revocation list every second.
    await world.pause(2_500);
    const after = await call(`${world.gatewayUrl}/api/orders`, { from, ca: world.ca, headers, signal: world.signal });
    return [
      { label: 'before_logout', status: before.status },
      { label: 'logout', status: logout.status },
      { label: 'after_logout', status: after.status },
    ] satisfies Attempt[];
  },
};
