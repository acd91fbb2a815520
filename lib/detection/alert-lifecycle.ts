import { z } from 'zod';
import type { AlertKey } from './alert-key';
import { explorerFilterFor, type ExplorerFilter } from './explorer-filter';
import type { EvidenceEvent, Finding, FindingDetail, Rule, RuleId } from './rule';
import type { CommonParams, Severity } from './rule-params';

export const AlertStatus = z.enum(['open', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatus>;

/**
 * An alert as detection keeps it: everything `GET /api/v1/alerts/{id}` shows
 * but its id, notes and history, which the engine's store adds. Times are
 * epoch milliseconds: `firstSeen`/`lastSeen` are event times, the others the
 * engine clock.
 */
export type Alert = {
  rule: RuleId;
  keyId: string;
  key: AlertKey;
  severity: Severity;
  status: AlertStatus;
  /** The service of the first event; `services` lists every service seen, up to MAX_SERVICES. */
  service: string;
  services: string[];
  count: number;
  firstSeen: number;
  lastSeen: number;
  summary: string;
  detail: FindingDetail;
  /** The first EVIDENCE_HEAD events and the latest EVIDENCE_TAIL. */
  evidence: EvidenceEvent[];
  explorer: ExplorerFilter;
  openedAt: number;
  updatedAt: number;
  resolvedAt: number | null;
};

export const EVIDENCE_HEAD = 25;
export const EVIDENCE_TAIL = 25;
export const MAX_SERVICES = 16;

/** How the attack began, and what it is doing now. */
function boundedEvidence(evidence: readonly EvidenceEvent[], added: readonly EvidenceEvent[]): EvidenceEvent[] {
  const all = [...evidence, ...added.slice(0, EVIDENCE_HEAD), ...added.slice(Math.max(EVIDENCE_HEAD, added.length - EVIDENCE_TAIL))];
  if (all.length <= EVIDENCE_HEAD + EVIDENCE_TAIL) return all;
  return [...all.slice(0, EVIDENCE_HEAD), ...all.slice(-EVIDENCE_TAIL)];
}

/** The earliest and latest event time; a loop, as a flood's finding can hold more events than a call takes arguments. */
function timeSpan(events: readonly EvidenceEvent[], from = Infinity, to = -Infinity): { firstSeen: number; lastSeen: number } {
  for (const event of events) {
    if (event.time < from) from = event.time;
    if (event.time > to) to = event.time;
  }
  return { firstSeen: from, lastSeen: to };
}

function mergedDetail(before: FindingDetail, after: FindingDetail): FindingDetail {
  const merged = { ...before };
  for (const [name, value] of Object.entries(after)) {
    const previous = merged[name];
    merged[name] = typeof value === 'number' && typeof previous === 'number' ? Math.max(previous, value) : value;
  }
  return merged;
}

function withServices(services: readonly string[], events: readonly EvidenceEvent[]): string[] {
  const all = new Set(services);
  for (const event of events) if (all.size < MAX_SERVICES) all.add(event.service);
  return [...all];
}

/** Where an alert's quiet period starts: its latest event, or its (re)opening if later. The store indexes it. */
export function quietFrom(alert: Pick<Alert, 'lastSeen' | 'openedAt'>): number {
  return Math.max(alert.lastSeen, alert.openedAt);
}

/** The engine clock at which an unresolved alert resolves by itself, unless a new event comes first. */
export function quietUntil(alert: Alert, params: CommonParams): number {
  return quietFrom(alert) + params.quiet_period_seconds * 1000;
}

/**
 * Resolves an open or acknowledged alert whose key has been quiet for the
 * rule's quiet period: no matching event happened (by its own time) since
 * `lastSeen + quiet`, and it has been open at least that long, so a backfilled
 * attack is seen before it resolves. Returns the same object when nothing changes.
 */
export function resolveIfQuiet(alert: Alert, params: CommonParams, now: number): Alert {
  if (alert.status === 'resolved' || now < quietUntil(alert, params)) return alert;
  return { ...alert, status: 'resolved', resolvedAt: now, updatedAt: now };
}

function openAlert<Params extends CommonParams>(finding: Finding, rule: Rule<Params>, params: Params, now: number): Alert {
  const { firstSeen, lastSeen } = timeSpan(finding.events);
  const count = finding.events.length;
  return {
    rule: rule.id,
    keyId: finding.keyId,
    key: finding.key,
    severity: params.severity,
    status: 'open',
    service: finding.events[0].service,
    services: withServices([], finding.events),
    count,
    firstSeen,
    lastSeen,
    summary: rule.summarize({ key: finding.key, count, detail: finding.detail }, params),
    detail: finding.detail,
    evidence: boundedEvidence([], finding.events),
    explorer: explorerFilterFor(finding.key, rule.evidence, firstSeen, lastSeen),
    openedAt: now,
    updatedAt: now,
    resolvedAt: null,
  };
}

function updateAlert<Params extends CommonParams>(alert: Alert, finding: Finding, rule: Rule<Params>, params: Params, now: number): Alert {
  const { firstSeen, lastSeen } = timeSpan(finding.events, alert.firstSeen, alert.lastSeen);
  const count = alert.count + finding.events.length;
  const detail = mergedDetail(alert.detail, finding.detail);
  return {
    ...alert,
    severity: params.severity,
    services: withServices(alert.services, finding.events),
    count,
    firstSeen,
    lastSeen,
    summary: rule.summarize({ key: alert.key, count, detail }, params),
    detail,
    evidence: boundedEvidence(alert.evidence, finding.events),
    explorer: explorerFilterFor(alert.key, rule.evidence, firstSeen, lastSeen),
    updatedAt: now,
  };
}

export type AppliedFinding = {
  /** The alert to store: `opened` says whether it is a new one or `current` updated. */
  alert: Alert;
  opened: boolean;
  /** `current`, resolved by its quiet period before this finding came: store it too. */
  resolved?: Alert;
};

/**
 * Applies a finding to its key's latest alert (`current`, undefined when the
 * key never had one). One open alert per rule and key: an open or
 * acknowledged alert is updated (count, last seen, evidence, summary); a
 * resolved one, or one whose quiet period has passed, stays resolved and the
 * recurrence opens a new alert.
 */
export function applyFinding<Params extends CommonParams>(
  current: Alert | undefined,
  finding: Finding,
  rule: Rule<Params>,
  params: Params,
  now: number,
): AppliedFinding {
  if (!current) return { alert: openAlert(finding, rule, params, now), opened: true };
  const checked = resolveIfQuiet(current, params, now);
  if (checked.status !== 'resolved') return { alert: updateAlert(checked, finding, rule, params, now), opened: false };
  const opened = { alert: openAlert(finding, rule, params, now), opened: true };
  return checked === current ? opened : { ...opened, resolved: checked };
}

/**
 * A person's change of status (acknowledge, resolve, reopen). Reopening
 * restarts the quiet period from now, so a reopened alert is not resolved
 * again at once by the quiet period that resolved it.
 */
export function changeAlertStatus(alert: Alert, status: AlertStatus, now: number): Alert {
  if (alert.status === status) return alert;
  if (status === 'resolved') return { ...alert, status, resolvedAt: now, updatedAt: now };
  const reopened = alert.status === 'resolved' ? { openedAt: now, resolvedAt: null } : {};
  return { ...alert, ...reopened, status, updatedAt: now };
}
