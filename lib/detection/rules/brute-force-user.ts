import { z } from 'zod';
import { commonParams, formatDuration, windowParams } from '../rule-params';
import { counted, shown } from '../summary-text';
import { countingShape } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';

export const BruteForceUserParams = z.strictObject({
  ...commonParams('medium'),
  ...windowParams({ windowSeconds: 600, threshold: 5 }),
  group_by: z.enum(['username']).default('username'),
});
export type BruteForceUserParams = z.infer<typeof BruteForceUserParams>;

const GROUPINGS = { username: [['username']] } as const;

export const bruteForceUser = defineWindowedRule<BruteForceUserParams>({
  id: 'brute_force_user',
  title: 'Brute force against one account',
  description: 'Many failed sign-ins for one username in a short time, from any number of IP addresses.',
  attack: { id: 'T1110.001', name: 'Brute Force: Password Guessing', kind: 'technique' },
  params: BruteForceUserParams,
  groupings: GROUPINGS,
  evidence: { types: ['login.failure'] },
  shape: countingShape,
  summarize: ({ key, count }, params) =>
    `${counted(count, 'failed sign-in')} for ${shown(key.username)} (at least ${params.threshold} within ${formatDuration(params.window_seconds)})`,
});
