import { passwordLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/**
 * A credential-stuffing bot works through a leaked list from one address, one
 * guess per account so that no account locks. Real ones pace themselves over
 * hours to stay under per-minute limits; slow_brute_force counts what one
 * address fails over 24 h (100 by default), so the demo runs the list in
 * seconds instead of hours, and the short-window rules see it too.
 */
const FROM = '127.0.66.13';
/** Two connections at a time; the authorization server's scrypt sets the pace. */
const CONCURRENCY = 2;
const ACCOUNTS = 105;
const FIRST = ['anna', 'ben', 'chloe', 'dan', 'ella', 'finn', 'gina', 'hugo', 'iris', 'jack', 'kate'];
const LAST = ['smith', 'jones', 'brown', 'taylor', 'wilson', 'evans', 'thomas', 'roberts', 'walker', 'wright'];
const LEAKED_ACCOUNTS = FIRST.flatMap((first) => LAST.map((last) => `${first}.${last}`)).slice(0, ACCOUNTS);

export const slowBruteForce: Scenario = {
  name: 'slow_brute_force',
  run: async (world) => {
    const attempts: Attempt[] = [];
    const pairs = LEAKED_ACCOUNTS.map((username, index) => [username, `${username.split('.')[0]}${1990 + (index % 30)}`] as const);
    const worker = async () => {
      for (let pair = pairs.shift(); pair && !world.signal.aborted; pair = pairs.shift()) {
        const reply = await passwordLogin(world.auth, world.client('web-app'), FROM, pair[0], pair[1]);
        attempts.push({ label: 'leaked_pair', status: reply.status });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return attempts;
  },
};
