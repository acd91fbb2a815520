import { passwordLogin } from '../oauth-client';
import type { Attempt, Scenario } from '../world';

/** One common password tried once against many accounts, real and guessed, from one address. */
const USERNAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'heidi', 'admin', 'root', 'test', 'oracle', 'jenkins', 'support'];

export const passwordSpraying: Scenario = {
  name: 'password_spraying',
  run: async (world) => {
    const attempts: Attempt[] = [];
    for (const username of USERNAMES) {
      const reply = await passwordLogin(world.auth, world.client('web-app'), '127.0.66.2', username, 'Winter2026!');
      attempts.push({ label: username, status: reply.status });
    }
    return attempts;
  },
};
