import { AuthwatchError } from '../errors';
import { applyFinding, resolveIfQuiet, type Alert } from './alert-lifecycle';
import { toDetectionEvent, type DetectionEvent } from './detection-event';
import type { AlertChange, DetectionStep, DetectionStore, StoredAlert } from './detection-store';
import { RULES, ruleById } from './rule-catalog';
import type { Finding, Rule, RuleId } from './rule';
import type { CommonParams } from './rule-params';
import { RuleStateCache, type PendingRuleState } from './rule-state-cache';
import type { StoredEvent } from '../store/store';

/** Who detection's own changes are recorded as in an alert's history. */
export const DETECTION_ACTOR = 'detection';

/** The parameters each rule runs with: what a MANAGER saved, parsed by the rule's own schema, or its defaults. */
export function effectiveParams(saved: Partial<Record<RuleId, unknown>>): Record<RuleId, CommonParams> {
  return Object.fromEntries(
    RULES.map((rule) => {
      const parsed = rule.params.safeParse(saved[rule.id] ?? {});
      return [rule.id, parsed.success ? parsed.data : rule.params.parse({})];
    }),
  ) as Record<RuleId, CommonParams>;
}

export type DetectionReport = { evaluated: number; position: number; opened: StoredAlert[]; resolved: StoredAlert[] };

/**
 * One engine step: the stored events after the engine's position (at most
 * `limit`, in seq order) go through every enabled rule; each finding updates
 * its key's alert or opens one; alerts whose key has been quiet long enough
 * resolve. Rule states, alerts and the new position are written in one
 * transaction, so each stored event is evaluated exactly once, also across a
 * crash: a step that does not commit is done again from the same position
 * and state.
 */
export function runDetection({
  store,
  eventsAfter,
  now,
  limit,
  targets = [],
  cache,
}: {
  store: DetectionStore;
  eventsAfter: (seq: number, limit: number) => StoredEvent[];
  now: number;
  limit: number;
  /** Where notifications go (deliver-notifications.ts): a delivery is queued per target in the same transaction. */
  targets?: readonly string[];
  /** The states of the last step, kept by the one engine that writes them; without it they are read from the store each step. */
  cache?: RuleStateCache;
}): DetectionReport {
  const position = store.position();
  const stored = eventsAfter(position, limit);
  const events = stored.map(toDetectionEvent).filter((event): event is DetectionEvent => event !== undefined);
  const params = effectiveParams(store.ruleSettings());
  const memory = cache ?? new RuleStateCache();
  const findings: Finding[] = [];
  const pending: PendingRuleState[] = [];
  let entries: Array<{ alert: Alert & { id?: number }; change?: AlertChange }> = [];
  try {
    for (const rule of RULES) {
      if (!params[rule.id].enabled) continue;
      const view = memory.view(store, rule.id);
      const result = (rule as Rule<CommonParams>).evaluate(view.state, events, params[rule.id], now);
      // Serialised here, before the write transaction opens, so ingest's writer never waits on it.
      const changes = memory.changes(store, view, result.state, now);
      if (changes) pending.push(changes);
      for (const finding of result.findings) findings.push(finding);
    }
    const nextPosition = stored.at(-1)?.sequence ?? position;
    const written = store.commit(({ latest, quietSince }) => {
      // Entries by stored id, or by rule and key for an alert this step opens; the latest form per key for later findings.
      const byEntry = new Map<string, { alert: Alert & { id?: number }; change?: AlertChange }>();
      const latestByKey = new Map<string, Alert & { id?: number }>();
      const put = (alert: Alert & { id?: number }, action?: AlertChange['action']) => {
        const keyOfAlert = `${alert.rule}\u0000${alert.keyId}`;
        const entry = alert.id !== undefined ? `id:${alert.id}` : `new:${keyOfAlert}`;
        const earlier = byEntry.get(entry)?.change;
        byEntry.set(entry, { alert, change: action ? { actor: DETECTION_ACTOR, action } : earlier });
        latestByKey.set(keyOfAlert, alert);
      };
      // Only the alerts whose quiet period has passed are read, not every open one.
      for (const rule of RULES) {
        for (const alert of quietSince(rule.id, now - params[rule.id].quiet_period_seconds * 1000)) {
          const checked = resolveIfQuiet(alert, params[alert.rule], now);
          if (checked !== alert) put(checked, 'resolved');
        }
      }
      for (const finding of findings) {
        const rule = ruleById(finding.rule) as Rule<CommonParams>;
        const previous = latestByKey.get(`${finding.rule}\u0000${finding.keyId}`) ?? latest(finding.rule, finding.keyId);
        const applied = applyFinding(previous, finding, rule, params[finding.rule], now);
        if (applied.resolved) put(applied.resolved, 'resolved');
        // Updates carry no history entry of their own: an attack updates its alert every step.
        put(applied.alert, applied.opened ? 'opened' : undefined);
      }
      entries = [...byEntry.values()];
      const step: DetectionStep = { alerts: entries, states: pending.map((changes) => changes.write), position: nextPosition, targets };
      return step;
    });
    memory.committed(pending);
    const withAction = (action: AlertChange['action']) => written.filter((_, index) => entries[index].change?.action === action);
    return { evaluated: events.length, position: nextPosition, opened: withAction('opened'), resolved: withAction('resolved') };
  } catch (error) {
    // A commit refused for the lock wrote nothing, and the memory holds what was committed: keep it.
    if (!(error instanceof AuthwatchError && error.code === 'ERR_STORE_BUSY')) memory.forget();
    throw error;
  }
}
