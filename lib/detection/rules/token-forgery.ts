import { z } from 'zod';
import { commonParams } from '../rule-params';
import { counted, describeKey } from '../summary-text';
import { SINGLE_EVENT_SHAPE } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';

export const TokenForgeryParams = z.strictObject({
  ...commonParams('high'),
  group_by: z.enum(['service', 'ip', 'service_and_ip']).default('service'),
});
export type TokenForgeryParams = z.infer<typeof TokenForgeryParams>;

const GROUPINGS = { service: [['service']], ip: [['ip']], service_and_ip: [['service', 'ip']] } as const;

export const tokenForgery = defineWindowedRule<TokenForgeryParams>({
  id: 'token_forgery',
  title: 'Forged or tampered tokens',
  description: 'A service rejected a token whose signature does not verify, or that is signed with an algorithm it does not allow (alg none, HS256 with a public key).',
  attack: { id: 'T1606', name: 'Forge Web Credentials', kind: 'technique' },
  params: TokenForgeryParams,
  groupings: GROUPINGS,
  evidence: { types: ['token.rejected'], reasons: ['bad_signature', 'alg_not_allowed'] },
  shape: () => SINGLE_EVENT_SHAPE,
  firesAlone: () => true,
  summarize: ({ key, count }) => `${describeKey(key)}: ${counted(count, 'forged or tampered token')} (bad signature or disallowed algorithm)`,
});
