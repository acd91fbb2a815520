import { bearer, call } from '../http-client';
import { passwordLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/** carol's reporting script was set up with http://: her bearer token crosses the network in clear, and the gateway answers. */
export const plaintextHttp: Scenario = {
  name: 'plaintext_http',
  run: async (world) => {
    const from = '127.0.1.13';
    const login = await passwordLogin(world.auth, world.client('web-app'), from, 'carol', world.user('carol').password);
    if (!login.accessToken) return [{ label: 'login', status: login.status }];
    const reply = await call(`${world.plaintextUrl}/api/customers`, { from, headers: bearer(login.accessToken), signal: world.signal });
    return [{ label: 'http_call', status: reply.status }] satisfies Attempt[];
  },
};
