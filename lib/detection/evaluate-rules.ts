import type { DetectionEvent } from './detection-event';
import { RULES } from './rule-catalog';
import type { Finding, RuleId, RuleState } from './rule';
import type { CommonParams } from './rule-params';

export type RuleStates = Partial<Record<RuleId, RuleState>>;

/**
 * One engine step over a batch of events in ascending seq order: every
 * enabled rule, with its parameters as its own schema parsed them (or its
 * defaults when missing). A disabled rule keeps its state as it was.
 */
export function evaluateRules(
  states: RuleStates,
  events: readonly DetectionEvent[],
  paramsByRule: Partial<Record<RuleId, CommonParams>>,
  now: number,
): { states: RuleStates; findings: Finding[] } {
  const next: RuleStates = { ...states };
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const params = paramsByRule[rule.id] ?? rule.params.parse({});
    if (!params.enabled) continue;
    const result = rule.evaluate(states[rule.id], events, params, now);
    next[rule.id] = result.state;
    // One at a time: a flood of distinct keys can find more than a call takes arguments.
    for (const finding of result.findings) findings.push(finding);
  }
  return { states: next, findings };
}
