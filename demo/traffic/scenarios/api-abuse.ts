import { bearer, call } from '../http-client';
import { clientLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/**
 * A scraper with a partner's service token floods the API from one address
 * (the per-IP limit answers 429), then spreads the same token over four
 * addresses to dodge it (the per-client limit answers 429).
 */
const FLOOD_FROM = '127.0.66.7';
const SPREAD_FROM = ['127.0.66.8', '127.0.66.9', '127.0.66.10', '127.0.66.11'];
const FLOOD_REQUESTS = 220;
const SPREAD_REQUESTS_EACH = 25;
const CONCURRENCY = 8;

export const apiAbuse: Scenario = {
  name: 'api_abuse',
  run: async (world) => {
    const login = await clientLogin(world.auth, world.client('partner-sync'), FLOOD_FROM);
    if (!login.accessToken) return [{ label: 'login', status: login.status }];
    const headers = bearer(login.accessToken);
    const attempts: Attempt[] = [];
    const hammer = async (from: string, requests: number, label: string) => {
      let left = requests;
      const worker = async () => {
        while (left-- > 0 && !world.signal.aborted) {
          const reply = await call(`${world.gatewayUrl}/api/customers`, { from, ca: world.ca, headers, signal: world.signal });
          attempts.push({ label, status: reply.status });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    };
    await hammer(FLOOD_FROM, FLOOD_REQUESTS, 'flood_one_ip');
    await Promise.all(SPREAD_FROM.map((from) => hammer(from, SPREAD_REQUESTS_EACH, 'spread_one_client')));
    return attempts;
  },
};
