import { z } from 'zod';
import { EVENT_TYPES } from '../../events/catalog';
import { commonParams } from '../rule-params';
import { counted, describeKey } from '../summary-text';
import { SINGLE_EVENT_SHAPE } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';

export const PlaintextHttpParams = z.strictObject({
  ...commonParams('low'),
  group_by: z.enum(['service', 'service_and_ip']).default('service'),
});
export type PlaintextHttpParams = z.infer<typeof PlaintextHttpParams>;

const GROUPINGS = { service: [['service']], service_and_ip: [['service', 'ip']] } as const;

export const plaintextHttp = defineWindowedRule<PlaintextHttpParams>({
  id: 'plaintext_http',
  title: 'Plaintext HTTP',
  description: 'A service reported traffic over plain HTTP: credentials and tokens cross the network readable.',
  attack: { id: 'T1040', name: 'Network Sniffing', kind: 'technique' },
  params: PlaintextHttpParams,
  groupings: GROUPINGS,
  evidence: { types: EVENT_TYPES },
  shape: () => SINGLE_EVENT_SHAPE,
  accepts: (event) => event.scheme === 'http',
  firesAlone: () => true,
  summarize: ({ key, count }) => `${describeKey(key)}: ${counted(count, 'event')} over plain HTTP`,
});
