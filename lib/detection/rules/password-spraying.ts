import { z } from 'zod';
import { commonParams, formatDuration, windowParams } from '../rule-params';
import { counted, shown } from '../summary-text';
import { distinctShape } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';
import { distinctValues } from './rule-details';

export const PasswordSprayingParams = z.strictObject({
  ...commonParams('high'),
  ...windowParams({ windowSeconds: 600, threshold: 10 }),
  group_by: z.enum(['ip']).default('ip'),
});
export type PasswordSprayingParams = z.infer<typeof PasswordSprayingParams>;

const GROUPINGS = { ip: [['ip']] } as const;

export const passwordSpraying = defineWindowedRule<PasswordSprayingParams>({
  id: 'password_spraying',
  title: 'Password spraying',
  description: 'One IP address fails to sign in as many different users in a short time: a few common passwords tried across accounts.',
  attack: { id: 'T1110.003', name: 'Brute Force: Password Spraying', kind: 'technique' },
  params: PasswordSprayingParams,
  groupings: GROUPINGS,
  evidence: { types: ['login.failure'] },
  shape: distinctShape,
  countedValue: (event) => event.username,
  detail: (window, params) => {
    const accounts = distinctValues(window);
    return { accounts, accounts_capped: accounts >= distinctShape(params).entriesPerKey };
  },
  summarize: ({ key, count, detail }, params) =>
    `${shown(key.ip)} is spraying passwords across ${detail.accounts_capped ? 'at least ' : ''}${counted(Number(detail.accounts ?? 0), 'account')} ` +
    `(${counted(count, 'failed sign-in')}; at least ${params.threshold} accounts within ${formatDuration(params.window_seconds)})`,
});
