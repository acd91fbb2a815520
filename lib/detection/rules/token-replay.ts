import { z } from 'zod';
import type { DetectionEvent } from '../detection-event';
import { commonParams, formatDuration, windowParams } from '../rule-params';
import { counted, describeKey, shown } from '../summary-text';
import { distinctShape } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';
import { distinctValues } from './rule-details';

export const TokenReplayParams = z.strictObject({
  ...commonParams('high'),
  ...windowParams({ windowSeconds: 600, threshold: 2 }),
  group_by: z.enum(['jti', 'service_and_jti']).default('jti'),
});
export type TokenReplayParams = z.infer<typeof TokenReplayParams>;

/** A `replayed` rejection without a jti still raises an alert, for the service that saw it. */
const GROUPINGS = { jti: [['jti'], ['service']], service_and_jti: [['service', 'jti'], ['service']] } as const;

const isReplayed = (event: DetectionEvent) => event.type === 'token.rejected' && event.reason === 'replayed';

export const tokenReplay = defineWindowedRule<TokenReplayParams>({
  id: 'token_replay',
  title: 'Token replay',
  description: 'One token (jti) presented from several IP addresses in a short time, or rejected as replayed: a leaked token in a second pair of hands.',
  attack: { id: 'T1550.001', name: 'Use Alternate Authentication Material: Application Access Token', kind: 'technique' },
  params: TokenReplayParams,
  groupings: GROUPINGS,
  // Where a caller presents a token, not where one is issued, refreshed or revoked.
  evidence: { types: ['access.granted', 'access.denied', 'token.rejected'] },
  shape: distinctShape,
  accepts: (event) => isReplayed(event) || (event.jti !== null && event.ip !== null),
  countedValue: (event) => event.ip,
  firesAlone: isReplayed,
  detail: (window) => ({ ips: distinctValues(window) }),
  summarize: ({ key, count, detail }, params) => {
    const ips = Number(detail.ips ?? 0);
    const where = ips >= 2 ? `from ${counted(ips, 'IP')} within ${formatDuration(params.window_seconds)}` : 'and rejected as replayed';
    const token = key.jti === undefined ? `tokens at ${shown(key.service)}` : `token ${describeKey(key)}`;
    return `${token} presented ${counted(count, 'time')} ${where}`;
  },
});
