import { z } from 'zod';
import type { DetectionEvent } from '../detection-event';
import { keyFor } from '../alert-key';
import { coverSpan, holdsEvent, incidentAround, insertEntry, reportNearIncidents, toEntry, capEntries, type KeyWindow } from '../key-window';
import { KeyedWindowsDraft, keyedWindowsFrom } from '../keyed-windows';
import type { Finding, FindingDetail, Rule } from '../rule';
import { commonParams, formatDuration, windowParams } from '../rule-params';
import { counted, shown } from '../summary-text';
import { findingsFrom, type ReportedByKey } from '../windowed-rule';

export const CompromiseSuspectedParams = z.strictObject({
  ...commonParams('critical'),
  ...windowParams({ windowSeconds: 600, threshold: 5 }),
  group_by: z.enum(['username']).default('username'),
});
export type CompromiseSuspectedParams = z.infer<typeof CompromiseSuspectedParams>;

const GROUPINGS = { username: [['username']] } as const;
const FAILURE = 'failure';
const SUCCESS = 'success';

/** Failures kept per username: four times the threshold, so a summary can say "12 failures". */
const entriesPerKey = (params: CompromiseSuspectedParams) => params.threshold * 4;

/**
 * The failures within the window that ends at a success (event time, closed).
 * Returns how many, and the earliest, when they reach the threshold.
 */
function failuresBefore(window: KeyWindow, successTime: number, params: CompromiseSuspectedParams): { count: number; from: number } | null {
  const since = successTime - params.window_seconds * 1000;
  const failures = window.entries.filter((entry) => entry.value === FAILURE && entry.time >= since && entry.time <= successTime);
  return failures.length >= params.threshold ? { count: failures.length, from: failures[0].time } : null;
}

/** Places the event and returns how many failures completed a sequence (0 when none did). */
function observe(window: KeyWindow, event: DetectionEvent, kind: string, params: CompromiseSuspectedParams): number {
  const windowMs = params.window_seconds * 1000;
  insertEntry(window, toEntry(event, kind));
  if (incidentAround(window, event.time, windowMs)) {
    coverSpan(window, event.time, event.time, windowMs);
    return 0;
  }
  // A success looks back at failures; a late failure looks forward at the successes it may complete.
  const successes = kind === SUCCESS ? [event.time] : window.entries.filter((entry) => entry.value === SUCCESS).map((entry) => entry.time);
  for (const successTime of successes) {
    if (successTime < event.time || successTime > event.time + windowMs) continue;
    const failures = failuresBefore(window, successTime, params);
    if (!failures) continue;
    coverSpan(window, failures.from, successTime, windowMs);
    return failures.count;
  }
  return 0;
}

function evaluate(raw: unknown, events: readonly DetectionEvent[], params: CompromiseSuspectedParams, now: number) {
  const draft = new KeyedWindowsDraft(keyedWindowsFrom(raw, params.group_by));
  const reportedByKey: ReportedByKey = new Map();
  const failuresByKey = new Map<string, number>();
  for (const event of events) {
    if (!draft.admit(event.seq)) continue;
    const kind = event.type === 'login.failure' ? FAILURE : event.type === 'login.success' ? SUCCESS : null;
    const key = kind && keyFor(event, GROUPINGS[params.group_by]);
    if (!kind || !key) continue;
    const window = draft.touch(key, event.seq, now);
    if (holdsEvent(window, event)) continue;
    const failures = observe(window, event, kind, params);
    if (failures > 0) failuresByKey.set(window.keyId, Math.max(failures, failuresByKey.get(window.keyId) ?? 0));
    const reported = reportNearIncidents(window, params.window_seconds * 1000);
    capEntries(window, entriesPerKey(params));
    if (reported.length === 0) continue;
    const found = reportedByKey.get(window.keyId) ?? { window, entries: [] };
    found.entries.push(...reported);
    reportedByKey.set(window.keyId, found);
  }
  const findings: Finding[] = findingsFrom('compromise_suspected', reportedByKey, (keyId): FindingDetail => {
    const failures = failuresByKey.get(keyId);
    return failures === undefined ? {} : { failures, failures_capped: failures >= entriesPerKey(params) - 1 };
  });
  return { state: draft.finish(now, params.window_seconds * 1000), findings };
}

export const compromiseSuspected: Rule<CompromiseSuspectedParams> = {
  id: 'compromise_suspected',
  title: 'Sign-in after repeated failures',
  description: 'A username fails to sign in several times, then signs in: the guessing may have worked, and the account may be in other hands.',
  attack: { id: 'T1078', name: 'Valid Accounts', kind: 'technique' },
  params: CompromiseSuspectedParams,
  groupings: GROUPINGS,
  evidence: { types: ['login.failure', 'login.success'] },
  evaluate,
  summarize: ({ key, count, detail }, params) => {
    const failures = detail.failures === undefined ? `at least ${params.threshold}` : `${detail.failures_capped ? 'at least ' : ''}${detail.failures}`;
    return `${shown(key.username)} saw ${failures} failed sign-ins then a success within ${formatDuration(params.window_seconds)} (${counted(count, 'event')})`;
  },
};
