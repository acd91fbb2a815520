import { z } from 'zod';
import { commonParams, formatDuration, windowParams } from '../rule-params';
import { counted, shown } from '../summary-text';
import { countingShape } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';

export const BruteForceIpParams = z.strictObject({
  ...commonParams('high'),
  ...windowParams({ windowSeconds: 300, threshold: 10 }),
  group_by: z.enum(['ip']).default('ip'),
});
export type BruteForceIpParams = z.infer<typeof BruteForceIpParams>;

const GROUPINGS = { ip: [['ip']] } as const;

export const bruteForceIp = defineWindowedRule<BruteForceIpParams>({
  id: 'brute_force_ip',
  title: 'Brute force from one IP',
  description: 'Many failed sign-ins from one IP address in a short time: password guessing against one account or several.',
  attack: { id: 'T1110.001', name: 'Brute Force: Password Guessing', kind: 'technique' },
  params: BruteForceIpParams,
  groupings: GROUPINGS,
  evidence: { types: ['login.failure'] },
  shape: countingShape,
  summarize: ({ key, count }, params) =>
    `${shown(key.ip)} failed ${counted(count, 'sign-in')} (at least ${params.threshold} within ${formatDuration(params.window_seconds)})`,
});
