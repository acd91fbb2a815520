import { z } from 'zod';
import { commonParams } from '../rule-params';
import { counted, describeKey } from '../summary-text';
import { SINGLE_EVENT_SHAPE } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';

export const ServiceImpersonationParams = z.strictObject({
  ...commonParams('critical'),
  group_by: z.enum(['service', 'service_and_ip']).default('service'),
});
export type ServiceImpersonationParams = z.infer<typeof ServiceImpersonationParams>;

const GROUPINGS = { service: [['service']], service_and_ip: [['service', 'ip']] } as const;

export const serviceImpersonation = defineWindowedRule<ServiceImpersonationParams>({
  id: 'service_impersonation',
  title: 'Service impersonation over mTLS',
  description: 'A service rejected a client certificate that names another identity than the caller claims, or that an untrusted CA issued.',
  attack: { id: 'T1557', name: 'Adversary-in-the-Middle', kind: 'technique' },
  params: ServiceImpersonationParams,
  groupings: GROUPINGS,
  evidence: { types: ['mtls.rejected'], reasons: ['identity_mismatch', 'untrusted_ca'] },
  shape: () => SINGLE_EVENT_SHAPE,
  firesAlone: () => true,
  summarize: ({ key, count }) =>
    `${describeKey(key)}: ${counted(count, 'mTLS client')} rejected for a mismatched identity or an untrusted CA`,
});
