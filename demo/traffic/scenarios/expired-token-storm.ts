import { bearer, call } from '../http-client';
import { passwordLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/**
 * Five kiosks sign in (their client issues 8-second tokens), stall past expiry
 * and the gateway's 5-second clock tolerance, then keep calling with their
 * stale tokens: a storm of expired tokens at one service.
 */
const KIOSKS = ['alice', 'bob', 'carol', 'dave', 'erin'].map((username, index) => ({ username, from: `127.0.3.${index + 1}` }));
const CALLS_PER_KIOSK = 12;

export const expiredTokenStorm: Scenario = {
  name: 'expired_token_storm',
  run: async (world) => {
    const kiosk = world.client('kiosk');
    const logins = await Promise.all(
      KIOSKS.map(async ({ username, from }) => ({ from, reply: await passwordLogin(world.auth, kiosk, from, username, world.user(username).password) })),
    );
    await world.pause((kiosk.lifetimeSeconds + 5 + 2) * 1000);
    const attempts: Attempt[] = logins.filter(({ reply }) => !reply.accessToken).map(({ reply }) => ({ label: 'login', status: reply.status }));
    await Promise.all(
      logins.map(async ({ from, reply }) => {
        if (!reply.accessToken) return;
        for (let n = 0; n < CALLS_PER_KIOSK; n++) {
          const answer = await call(`${world.gatewayUrl}/api/orders`, { from, ca: world.ca, headers: bearer(reply.accessToken), signal: world.signal });
          attempts.push({ label: 'expired_token', status: answer.status });
        }
      }),
    );
    return attempts;
  },
};
