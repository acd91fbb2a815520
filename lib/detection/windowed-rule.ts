import type { AlertKey } from './alert-key';
import type { DetectionEvent } from './detection-event';
import {
  busiestWindowAround,
  capEntries,
  coverSpan,
  holdsEvent,
  incidentAround,
  insertEntry,
  reportNearIncidents,
  toEntry,
  toEvidence,
  type KeyWindow,
  type WindowEntry,
} from './key-window';
import { KeyedWindowsDraft, keyedWindowsFrom, type KeyedWindowsState } from './keyed-windows';
import type { Finding, FindingDetail, RuleId } from './rule';

/** How a matching event counts: under which key, with which value, and whether it fires on its own. */
export type WindowMatch = { key: AlertKey; value?: string; immediate?: boolean };

/** The window a rule counts over, and what it counts: events, or distinct values. */
export type WindowShape = { windowMs: number; threshold: number; distinct: boolean; entriesPerKey: number };

export type WindowedRuleSpec<Params> = {
  rule: RuleId;
  groupBy(params: Params): string;
  shape(params: Params): WindowShape;
  match(event: DetectionEvent, params: Params): WindowMatch | null;
  /** Facts for the summary, read from the key's window after the evaluation. */
  detail?(window: KeyWindow, params: Params): FindingDetail;
};

/** The entries an evaluation reported, by key id. */
export type ReportedByKey = Map<string, { window: KeyWindow; entries: WindowEntry[] }>;

/** One finding per key that reported entries, its events in seq order. */
export function findingsFrom(
  rule: RuleId,
  reportedByKey: ReportedByKey,
  detail: (keyId: string, window: KeyWindow) => FindingDetail,
): Finding[] {
  return [...reportedByKey].map(([keyId, { window, entries }]) => ({
    rule,
    keyId,
    key: window.key,
    events: entries.sort((a, b) => a.seq - b.seq).map(toEvidence),
    detail: detail(keyId, window),
  }));
}

/**
 * Places one event in its key's window and returns the entries it newly
 * reports: the event itself when it continues an incident or fires on its
 * own, or every unreported entry near the window it completes.
 */
function observe(window: KeyWindow, entry: WindowEntry, immediate: boolean, shape: WindowShape): WindowEntry[] {
  const index = insertEntry(window, entry);
  const continued = incidentAround(window, entry.time, shape.windowMs);
  if (continued || immediate) {
    coverSpan(window, entry.time, entry.time, shape.windowMs);
  } else {
    const busiest = busiestWindowAround(window.entries, index, shape.windowMs, shape.distinct);
    if (busiest.measure < shape.threshold) return [];
    coverSpan(window, window.entries[busiest.from].time, window.entries[busiest.to].time, shape.windowMs);
  }
  return reportNearIncidents(window, shape.windowMs);
}

/** The generic evaluation of a windowed rule (see Rule.evaluate). */
export function evaluateWindowedRule<Params>(
  spec: WindowedRuleSpec<Params>,
  raw: unknown,
  events: readonly DetectionEvent[],
  params: Params,
  now: number,
): { state: KeyedWindowsState; findings: Finding[] } {
  const shape = spec.shape(params);
  const draft = new KeyedWindowsDraft(keyedWindowsFrom(raw, spec.groupBy(params)));
  const reportedByKey: ReportedByKey = new Map();
  for (const event of events) {
    if (!draft.admit(event.seq)) continue;
    const match = spec.match(event, params);
    if (!match) continue;
    const window = draft.touch(match.key, event.seq, now);
    if (holdsEvent(window, event)) continue;
    const reported = observe(window, toEntry(event, match.value), match.immediate === true, shape);
    capEntries(window, shape.entriesPerKey);
    if (reported.length === 0) continue;
    const found = reportedByKey.get(window.keyId) ?? { window, entries: [] };
    found.entries.push(...reported);
    reportedByKey.set(window.keyId, found);
  }
  const findings = findingsFrom(spec.rule, reportedByKey, (_keyId, window) => spec.detail?.(window, params) ?? {});
  return { state: draft.finish(now, shape.windowMs), findings };
}

/** The shape of a rule that counts events: it keeps per key as many as its threshold needs. */
export function countingShape(params: { window_seconds: number; threshold: number }): WindowShape {
  return { windowMs: params.window_seconds * 1000, threshold: params.threshold, distinct: false, entriesPerKey: params.threshold };
}

/** Distinct counting keeps four times its threshold, so a summary can say "across 40 accounts". */
export function distinctShape(params: { window_seconds: number; threshold: number }): WindowShape {
  return { windowMs: params.window_seconds * 1000, threshold: params.threshold, distinct: true, entriesPerKey: params.threshold * 4 };
}

/**
 * Rules where every matching event fires keep a few recent events per key for
 * ten minutes, only to recognise duplicates.
 */
export const SINGLE_EVENT_SHAPE: WindowShape = { windowMs: 600_000, threshold: 1, distinct: false, entriesPerKey: 16 };
