import { passwordLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/** One address guesses one account's password until the account locks (10 failures), then keeps trying. */
const GUESSES = ['123456', 'password', 'qwerty', 'letmein', 'Summer2026!', 'frank1', 'welcome1', 'changeme', 'admin123', 'Passw0rd', 'iloveyou', 'monkey'];

export const bruteForce: Scenario = {
  name: 'brute_force',
  run: async (world) => {
    const attempts: Attempt[] = [];
    for (const guess of GUESSES) {
      const reply = await passwordLogin(world.auth, world.client('web-app'), '127.0.66.1', 'frank', guess);
      attempts.push({ label: 'wrong_password', status: reply.status });
    }
    return attempts;
  },
};
