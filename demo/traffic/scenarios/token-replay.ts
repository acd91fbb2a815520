import { bearer, call } from '../http-client';
import { passwordLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/** erin's token, used from her laptop, leaks and is replayed from another address. */
export const tokenReplay: Scenario = {
  name: 'token_replay',
  run: async (world) => {
    const login = await passwordLogin(world.auth, world.client('web-app'), '127.0.1.15', 'erin', world.user('erin').password);
    if (!login.accessToken) return [{ label: 'login', status: login.status }];
    const headers = bearer(login.accessToken);
    const own = await call(`${world.gatewayUrl}/api/orders`, { from: '127.0.1.15', ca: world.ca, headers, signal: world.signal });
    const stolen = await call(`${world.gatewayUrl}/api/payments`, { from: '127.0.66.5', ca: world.ca, headers, signal: world.signal });
    return [
      { label: 'owner', status: own.status },
      { label: 'replayed_elsewhere', status: stolen.status },
    ] satisfies Attempt[];
  },
};
