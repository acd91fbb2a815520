import { z } from 'zod';
import { commonParams, formatDuration, windowParams } from '../rule-params';
import { counted, describeKey } from '../summary-text';
import { countingShape } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';

export const PrivilegeProbingParams = z.strictObject({
  ...commonParams('medium'),
  ...windowParams({ windowSeconds: 600, threshold: 10 }),
  group_by: z.enum(['subject', 'client_id']).default('subject'),
});
export type PrivilegeProbingParams = z.infer<typeof PrivilegeProbingParams>;

const GROUPINGS = { subject: [['subject']], client_id: [['client_id']] } as const;

export const privilegeProbing = defineWindowedRule<PrivilegeProbingParams>({
  id: 'privilege_probing',
  title: 'Privilege probing',
  description: 'One subject is denied access again and again: calling endpoints its roles and scopes do not allow, looking for one that does.',
  attack: { id: 'TA0004', name: 'Privilege Escalation', kind: 'tactic' },
  params: PrivilegeProbingParams,
  groupings: GROUPINGS,
  evidence: { types: ['access.denied'] },
  shape: countingShape,
  summarize: ({ key, count }, params) =>
    `${describeKey(key)} was denied access ${counted(count, 'time')} (at least ${params.threshold} within ${formatDuration(params.window_seconds)})`,
});
