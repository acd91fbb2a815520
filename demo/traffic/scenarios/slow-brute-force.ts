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
const FIRST = ['anna', 'ben', 'chloe', 'dan', 'ella', 'finn', 'gina', 'hugo', 'iris', 'jack', 'kate'];
const LAST = ['smith', 'jones', 'brown', 'taylor', 'wilson', 'evans', 'thomas', 'roberts', 'walker', 'wright'];
const LEAKED_ACCOUNTS = FIRST.flatMap((first) => LAST.map((last) => `${first}.${last}`));
const PAUSE_MS = 100;

export const slowBruteForce: Scenario = {
  name: 'slow_brute_force',
  run: async (world) => {
    const attempts: Attempt[] = [];
    for (const [index, username] of LEAKED_ACCOUNTS.entries()) {
      const reply = await passwordLogin(world.auth, world.client('web-app'), FROM, username, `${username.split('.')[0]}${1990 + (index % 30)}`);
      attempts.push({ label: 'leaked_pair', status: reply.status });
      await world.pause(PAUSE_MS);
    }
    return attempts;
  },
};
