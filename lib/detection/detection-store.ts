import type { Alert } from './alert-lifecycle';
import type { RuleId, RuleState } from './rule';

/** An alert as stored: detection's Alert with the id the store gave it. */
export type StoredAlert = Alert & { id: number };

/** A change to an alert recorded in its history: by detection, or by a person (their email). */
export type AlertChange = { actor: string; action: 'opened' | 'updated' | 'acknowledged' | 'resolved' | 'reopened' | 'annotated'; note?: string };

/**
 * What one engine step writes, in one transaction: the alerts it opened or
 * changed (with the history entry of each), the rule states that changed, and
 * its new position. A step that fails writes nothing, and the next one
 * evaluates the same events again from the same state.
 */
export type DetectionStep = {
  /** `change` is recorded in the alert's history; an update without one (a count growing) is not. */
  alerts: Array<{ alert: Alert & { id?: number }; change?: AlertChange }>;
  /** Each changed rule state as JSON, serialised before the transaction opens: the write lock is held for the writes only. */
  states: Partial<Record<RuleId, string>>;
  position: number;
  /** Notification targets to queue a delivery for, for each alert opened (firing) or resolved. */
  targets: readonly string[];
};

/**
 * Detection's storage, engine-neutral. The engine runs in one place only (the
 * detection thread), so its reads and its step never race another engine;
 * people's changes to an alert's status go through `changeAlert`, and the
 * engine reads an alert's latest form inside its own transaction.
 */
export interface DetectionStore {
  position(): number;
  states(): Partial<Record<RuleId, RuleState>>;
  /** Parameters a MANAGER saved, as stored JSON; rules parse them (and fall back to defaults). */
  ruleSettings(): Partial<Record<RuleId, unknown>>;
  /** Runs `step` in one write transaction: it may read alerts through `latest` and `unresolved`, and returns what to write. */
  commit(step: (access: { latest(rule: RuleId, keyId: string): StoredAlert | undefined; unresolved(): StoredAlert[] }) => DetectionStep): StoredAlert[];
}
