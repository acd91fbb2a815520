import { z } from 'zod';
import { commonParams, formatDuration, windowParams } from '../rule-params';
import { counted, describeKey } from '../summary-text';
import { countingShape } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';

export const ApiAbuseParams = z.strictObject({
  ...commonParams('medium'),
  ...windowParams({ windowSeconds: 300, threshold: 100 }),
  group_by: z.enum(['client_id_or_ip', 'client_id', 'ip']).default('client_id_or_ip'),
});
export type ApiAbuseParams = z.infer<typeof ApiAbuseParams>;

/** A client is known by its client_id; an anonymous caller by its IP. */
const GROUPINGS = { client_id_or_ip: [['client_id'], ['ip']], client_id: [['client_id']], ip: [['ip']] } as const;

export const apiAbuse = defineWindowedRule<ApiAbuseParams>({
  id: 'api_abuse',
  title: 'API abuse',
  description: 'One client or IP address keeps hitting rate limits: scraping, enumeration or a runaway client.',
  attack: { id: 'T1499.003', name: 'Endpoint Denial of Service: Application Exhaustion Flood', kind: 'technique' },
  params: ApiAbuseParams,
  groupings: GROUPINGS,
  evidence: { types: ['rate_limit.exceeded'] },
  shape: countingShape,
  summarize: ({ key, count }, params) =>
    `${describeKey(key)} hit rate limits ${counted(count, 'time')} (at least ${params.threshold} within ${formatDuration(params.window_seconds)})`,
});
