import { z } from 'zod';
import { commonParams, formatDuration, windowParams } from '../rule-params';
import { counted, shown } from '../summary-text';
import { countingShape } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';

export const SlowBruteForceParams = z.strictObject({
  ...commonParams('medium'),
  ...windowParams({ windowSeconds: 86_400, threshold: 100 }),
  group_by: z.enum(['ip']).default('ip'),
});
export type SlowBruteForceParams = z.infer<typeof SlowBruteForceParams>;

const GROUPINGS = { ip: [['ip']] } as const;

export const slowBruteForce = defineWindowedRule<SlowBruteForceParams>({
  id: 'slow_brute_force',
  title: 'Slow brute force from one IP',
  description: 'Failed sign-ins from one IP address that add up over a day: guessing kept under short-window limits.',
  attack: { id: 'T1110.001', name: 'Brute Force: Password Guessing', kind: 'technique' },
  params: SlowBruteForceParams,
  groupings: GROUPINGS,
  evidence: { types: ['login.failure'] },
  shape: countingShape,
  summarize: ({ key, count }, params) =>
    `${shown(key.ip)} failed ${counted(count, 'sign-in')} slowly (at least ${params.threshold} within ${formatDuration(params.window_seconds)})`,
});
