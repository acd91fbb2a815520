import { z } from 'zod';
import { evidenceMatch } from '../define-windowed-rule';
import type { DetectionEvent } from '../detection-event';
import type { KeyWindow } from '../key-window';
import type { EvidenceFilter, FindingDetail, Rule } from '../rule';
import { commonParams, formatDuration, MAX_WINDOW_SECONDS, windowParams } from '../rule-params';
import { counted, shown } from '../summary-text';
import { countingShape, evaluateWindowedRule, type WindowedRuleSpec } from '../windowed-rule';
import { emptyKidSightings, newKidBefore, recordKidSightings, type KidSightings } from './key-rotation';
import type { KeyedWindowsState } from '../keyed-windows';

export const InvalidTokenSpikeParams = z.strictObject({
  ...commonParams('medium'),
  ...windowParams({ windowSeconds: 300, threshold: 50 }),
  rotation_lookback_seconds: z.number().int().min(60).max(MAX_WINDOW_SECONDS).default(3_600),
  group_by: z.enum(['service']).default('service'),
});
export type InvalidTokenSpikeParams = z.infer<typeof InvalidTokenSpikeParams>;

const GROUPINGS = { service: [['service']] } as const;
const ROTATION_REASONS = new Set(['unknown_kid', 'expired']);

/** The keyed windows, and the kid sightings beside them (small: the engine stores them with the rule's position). */
type InvalidTokenSpikeState = KeyedWindowsState & { kidSightings: KidSightings };

const EVIDENCE: EvidenceFilter = { types: ['token.rejected'] };

const spec: WindowedRuleSpec<InvalidTokenSpikeParams> = {
  rule: 'invalid_token_spike',
  groupBy: (params) => params.group_by,
  shape: countingShape,
  match: evidenceMatch({ evidence: EVIDENCE, groupings: GROUPINGS, countedValue: (event) => event.reason }),
};

/** "Likely key rotation": most rejections in the latest window are unknown_kid or expired, right after a new kid appeared. */
function rotationDetail(window: KeyWindow, sightings: KidSightings, params: InvalidTokenSpikeParams): FindingDetail {
  const latest = Math.max(...window.entries.map((entry) => entry.time));
  const recent = window.entries.filter((entry) => entry.time >= latest - params.window_seconds * 1000);
  const rotationLike = recent.filter((entry) => entry.value !== undefined && ROTATION_REASONS.has(entry.value)).length;
  const newKid = newKidBefore(sightings, latest, params.rotation_lookback_seconds * 1000);
  if (rotationLike * 2 <= recent.length || !newKid) return { likely_key_rotation: false };
  // How long before the spike began (its earliest rejection in the window) the new kid appeared.
  const began = Math.min(...recent.map((entry) => entry.time));
  return { likely_key_rotation: true, new_kid: newKid.kid, new_kid_age_seconds: Math.max(0, Math.round((began - newKid.firstSeen) / 1000)) };
}

function evaluate(raw: unknown, events: readonly DetectionEvent[], params: InvalidTokenSpikeParams, now: number) {
  const before = raw as Partial<InvalidTokenSpikeState> | undefined;
  const kidSightings = recordKidSightings(before?.kidSightings ?? emptyKidSightings(), events, before?.lastSeq ?? 0);
  const detail = (window: KeyWindow) => rotationDetail(window, kidSightings, params);
  const result = evaluateWindowedRule({ ...spec, detail }, before, events, params, now);
  const state: InvalidTokenSpikeState = { ...result.state, kidSightings };
  return { state, findings: result.findings };
}

export const invalidTokenSpike: Rule<InvalidTokenSpikeParams> = {
  id: 'invalid_token_spike',
  title: 'Spike of invalid tokens',
  description:
    'One service rejects many tokens in a short time: forged or stolen tokens being tried, or a key rotation the service has not caught up with ("likely key rotation" when most are unknown_kid or expired right after a new kid appeared).',
  attack: { id: 'T1550.001', name: 'Use Alternate Authentication Material: Application Access Token', kind: 'technique' },
  params: InvalidTokenSpikeParams,
  groupings: GROUPINGS,
  evidence: EVIDENCE,
  evaluate,
  summarize: ({ key, count, detail }, params) => {
    const spike = `${shown(key.service)} rejected ${counted(count, 'token')} (at least ${params.threshold} within ${formatDuration(params.window_seconds)})`;
    if (detail.likely_key_rotation !== true) return spike;
    const age = formatDuration(Math.max(60, Math.round(Number(detail.new_kid_age_seconds) / 60) * 60));
    return `${spike}: likely key rotation, kid ${shown(String(detail.new_kid))} first seen ${age} before`;
  },
};
