import { z } from 'zod';
import type { EventType, Reason } from '../events/catalog';
import type { AlertKey, Grouping } from './alert-key';
import type { DetectionEvent } from './detection-event';
import type { KeyedWindowsState } from './keyed-windows';
import type { CommonParams } from './rule-params';

export const RuleId = z.enum([
  'brute_force_ip',
  'brute_force_user',
  'slow_brute_force',
  'password_spraying',
  'compromise_suspected',
  'token_forgery',
  'invalid_token_spike',
  'token_replay',
  'privilege_probing',
  'api_abuse',
  'service_impersonation',
  'long_lived_token',
  'plaintext_http',
]);
export type RuleId = z.infer<typeof RuleId>;

/** A stored event named in an alert's evidence: `seq` is unique in the store, `id` only per service. */
export type EvidenceEvent = { seq: number; id: string; time: number; service: string };

/** Facts a rule adds for its summary (distinct accounts, key rotation, longest lifetime); numbers merge by maximum. */
export type FindingDetail = Record<string, string | number | boolean>;

/**
 * What one evaluation found for one key: the events it newly attributes to
 * that key's alert (each event at most once, ever), and facts for the summary.
 */
export type Finding = { rule: RuleId; keyId: string; key: AlertKey; events: EvidenceEvent[]; detail: FindingDetail };

/**
 * A rule's memory between evaluations: keyed windows (the engine stores one
 * row per key, and the rest as a small document, with its position and alerts
 * in one transaction) plus plain-JSON facts of the rule's own, bounded, and
 * never mutated by `evaluate`, so an engine whose transaction fails keeps the
 * state it had.
 */
export type RuleState = KeyedWindowsState;

export type RuleResult = { state: RuleState; findings: Finding[] };

/** MITRE ATT&CK technique or tactic an alert is reported under. */
export type AttackReference = { id: string; name: string; kind: 'technique' | 'tactic' };

/** What the explorer should show as an alert's evidence, besides its key and span. */
export type EvidenceFilter = { types: readonly EventType[]; reasons?: readonly Reason[] };

/** What a summary is written from: the alert as it stands. */
export type AlertFacts = { key: AlertKey; count: number; detail: FindingDetail };

export interface Rule<Params extends CommonParams = CommonParams> {
  readonly id: RuleId;
  readonly title: string;
  readonly description: string;
  /** Null for posture rules that name no attack technique. */
  readonly attack: AttackReference | null;
  readonly params: z.ZodType<Params, unknown>;
  /** The key fields each `group_by` choice groups alerts by. */
  readonly groupings: Readonly<Record<Params['group_by'], Grouping>>;
  readonly evidence: EvidenceFilter;
  /**
   * Evaluates a batch of events against the state the previous call returned
   * (undefined at first). Each batch's seqs must lie above the previous
   * batch's (the engine reads the store in seq order); events at or below the
   * highest seq already evaluated are passed over, so a repeated batch counts
   * once. `now` is the engine clock, used only to forget keys gone quiet.
   */
  evaluate(state: RuleState | undefined, events: readonly DetectionEvent[], params: Params, now: number): RuleResult;
  /** One line for people, Alertmanager and webhooks; attacker-controlled values appear escaped, as plain text. */
  summarize(facts: AlertFacts, params: Params): string;
}
