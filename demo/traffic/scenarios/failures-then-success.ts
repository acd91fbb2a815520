import { passwordLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/** Six wrong guesses, then the right password: the account is probably compromised. */
export const failuresThenSuccess: Scenario = {
  name: 'failures_then_success',
  run: async (world) => {
    const attempts: Attempt[] = [];
    const client = world.client('web-app');
    for (const guess of ['grace', 'grace1', 'Grace2026', 'grace!', 'gr4ce', 'Grace123']) {
      const reply = await passwordLogin(world.auth, client, '127.0.66.3', 'grace', guess);
      attempts.push({ label: 'wrong_password', status: reply.status });
    }
    const reply = await passwordLogin(world.auth, client, '127.0.66.3', 'grace', world.user('grace').password);
    attempts.push({ label: 'right_password', status: reply.status });
    return attempts;
  },
};
