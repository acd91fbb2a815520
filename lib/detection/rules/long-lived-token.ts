import { z } from 'zod';
import type { DetectionEvent } from '../detection-event';
import { commonParams, formatDuration, MAX_WINDOW_SECONDS } from '../rule-params';
import { counted, describeKey } from '../summary-text';
import { SINGLE_EVENT_SHAPE } from '../windowed-rule';
import { defineWindowedRule } from '../define-windowed-rule';

export const LongLivedTokenParams = z.strictObject({
  ...commonParams('low'),
  max_lifetime_seconds: z.number().int().min(60).max(MAX_WINDOW_SECONDS).default(3_600),
  group_by: z.enum(['service', 'service_and_client_id']).default('service'),
});
export type LongLivedTokenParams = z.infer<typeof LongLivedTokenParams>;

const GROUPINGS = { service: [['service']], service_and_client_id: [['service', 'client_id'], ['service']] } as const;

/** A token's lifetime in whole seconds, or null when the event lacks either claim. */
function lifetimeSeconds({ tokenIssuedAt, tokenExpiresAt }: DetectionEvent): number | null {
  return tokenIssuedAt === null || tokenExpiresAt === null ? null : Math.floor((tokenExpiresAt - tokenIssuedAt) / 1000);
}

export const longLivedToken = defineWindowedRule<LongLivedTokenParams>({
  id: 'long_lived_token',
  title: 'Long-lived tokens',
  description: 'The authorization server issued access tokens that live longer than the limit: a leaked token stays useful for long.',
  attack: null,
  params: LongLivedTokenParams,
  groupings: GROUPINGS,
  evidence: { types: ['token.issued'] },
  shape: () => SINGLE_EVENT_SHAPE,
  accepts: (event, params) => (lifetimeSeconds(event) ?? 0) > params.max_lifetime_seconds,
  countedValue: (event) => String(lifetimeSeconds(event)),
  firesAlone: () => true,
  detail: (window) => ({
    longest_lifetime_seconds: Math.max(0, ...window.entries.filter((entry) => entry.reported).map((entry) => Number(entry.value))),
  }),
  summarize: ({ key, count, detail }, params) =>
    `${describeKey(key)} issued ${counted(count, 'token')} living longer than ${formatDuration(params.max_lifetime_seconds)}` +
    ` (longest ${formatDuration(Number(detail.longest_lifetime_seconds ?? 0))})`,
});
