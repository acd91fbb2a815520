import { bearer, call } from '../http-client';
import { clientLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/**
 * A scraper with a partner's service token enumerates the API's paths from
 * one address as fast as it can — the gateway's per-IP limit refuses it
 * (429) before it even looks up a route — until it has been refused
 * ENUMERATION_REFUSALS times; then it spreads the same token over four
 * addresses to dodge that limit, and the per-client limit answers 429.
 */
const FLOOD_FROM = '127.0.66.7';
const SPREAD_FROM = ['127.0.66.8', '127.0.66.9', '127.0.66.10', '127.0.66.11'];
/** More than api_abuse's default threshold (100 in 5 min), whatever the machine's speed. */
const ENUMERATION_REFUSALS = 120;
const ENUMERATION_LIMIT = 3_000;
const SPREAD_REQUESTS_EACH = 25;
const CONCURRENCY = 8;
const WORDS = ['users', 'accounts', 'export', 'backup', 'internal', 'debug', 'config', 'keys', 'tokens', 'invoices', 'cards', 'ssn'];

export const apiAbuse: Scenario = {
  name: 'api_abuse',
  run: async (world) => {
    const login = await clientLogin(world.auth, world.client('partner-sync'), FLOOD_FROM);
    if (!login.accessToken) return [{ label: 'login', status: login.status }];
    const headers = bearer(login.accessToken);
    const attempts: Attempt[] = [];
    const refusals = () => attempts.filter((attempt) => attempt.label === 'flood_one_ip' && attempt.status === 429).length;
    const hammer = async (from: string, label: string, path: (n: number) => string, done: (sent: number) => boolean) => {
      let sent = 0;
      const worker = async () => {
        while (!done(sent) && !world.signal.aborted) {
          const reply = await call(`${world.gatewayUrl}${path(sent++)}`, { from, ca: world.ca, headers, signal: world.signal });
          attempts.push({ label, status: reply.status });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    };
    await hammer(FLOOD_FROM, 'flood_one_ip', (n) => `/api/v1/${WORDS[n % WORDS.length]}/${n}`, (sent) => refusals() >= ENUMERATION_REFUSALS || sent >= ENUMERATION_LIMIT);
    await Promise.all(SPREAD_FROM.map((from) => hammer(from, 'spread_one_client', () => '/api/customers', (sent) => sent >= SPREAD_REQUESTS_EACH)));
    return attempts;
  },
};
