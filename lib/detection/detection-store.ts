import type { Alert } from './alert-lifecycle';
import type { RuleId } from './rule';
import type { StoredWindow } from './stored-window';

/** An alert as stored: detection's Alert with the id the store gave it. */
export type StoredAlert = Alert & { id: number };

/** A change to an alert recorded in its history: by detection, or by a person (their email). */
export type AlertChange = { actor: string; action: 'opened' | 'updated' | 'acknowledged' | 'resolved' | 'reopened' | 'annotated'; note?: string };

/**
 * What a step changes of one rule's state: its document (version, grouping,
 * position, facts of its own; absent when unchanged), the windows of the keys
 * it touched (rows inserted or replaced by row id), and the rows of keys it
 * forgot. Serialised before the write transaction opens.
 */
export type RuleStateWrite = { rule: RuleId; document?: string; written: StoredWindow[]; removed: number[] };

/**
 * What one engine step writes, in one transaction: the alerts it opened or
 * changed (with the history entry of each), the rule state that changed, and
 * its new position. A step that fails writes nothing, and the next one
 * evaluates the same events again from the same state.
 */
export type DetectionStep = {
  /** `change` is recorded in the alert's history; an update without one (a count growing) is not. */
  alerts: Array<{ alert: Alert & { id?: number }; change?: AlertChange }>;
  states: RuleStateWrite[];
  position: number;
  /** Notification targets to queue a delivery for, for each alert opened (firing) or resolved. */
  targets: readonly string[];
};

/** What a step may read of alerts inside its transaction. */
export type AlertAccess = {
  /** The key's latest alert, whatever its status. */
  latest(rule: RuleId, keyId: string): StoredAlert | undefined;
  /** The rule's open or acknowledged alerts quiet since `before` or earlier (latest event and opening, engine clock). */
  quietSince(rule: RuleId, before: number): StoredAlert[];
};

/**
 * Detection's storage, engine-neutral. The engine runs in one place only (the
 * detection thread), so its reads and its step never race another engine;
 * people's changes to an alert's status go through `changeAlert`, and the
 * engine reads an alert's latest form inside its own transaction.
 */
export interface DetectionStore {
  position(): number;
  /** Each rule's state document (its windows apart), as stored JSON. */
  ruleDocuments(): Partial<Record<RuleId, string>>;
  /** Every stored window's standing and row, without its body: read once when the engine starts. */
  windowStandings(): Array<Omit<StoredWindow, 'body'> & { rule: RuleId }>;
  /** One stored window's body, read when an event first touches its key. */
  windowBody(rowId: number): string | undefined;
  /** Parameters a MANAGER saved, as stored JSON; rules parse them (and fall back to defaults). */
  ruleSettings(): Partial<Record<RuleId, unknown>>;
  /** Runs `step` in one write transaction: it may read alerts through `access`, and returns what to write. */
  commit(step: (access: AlertAccess) => DetectionStep): StoredAlert[];
}
