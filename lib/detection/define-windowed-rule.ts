import { keyFor, type Grouping } from './alert-key';
import type { DetectionEvent } from './detection-event';
import type { KeyWindow } from './key-window';
import type { EvidenceFilter, FindingDetail, Rule } from './rule';
import type { CommonParams } from './rule-params';
import { evaluateWindowedRule, type WindowMatch, type WindowShape, type WindowedRuleSpec } from './windowed-rule';

/**
 * A windowed rule described as data: it counts the events its evidence
 * filter names (types, and reasons when given), grouped by its `group_by`
 * parameter, so the explorer shows exactly what the rule counted.
 */
export type WindowedRuleDefinition<Params extends CommonParams> = Omit<Rule<Params>, 'evaluate'> & {
  shape(params: Params): WindowShape;
  /** A further condition beyond the evidence filter (a scheme, a lifetime, a field that must be present). */
  accepts?(event: DetectionEvent, params: Params): boolean;
  /** What distinct counting counts, or a fact kept for the summary. */
  countedValue?(event: DetectionEvent): string | null;
  /** Whether this event raises its alert on its own, without a threshold. */
  firesAlone?(event: DetectionEvent): boolean;
  detail?(window: KeyWindow, params: Params): FindingDetail;
};

export function matchesEvidence(event: DetectionEvent, evidence: EvidenceFilter): boolean {
  if (!evidence.types.includes(event.type)) return false;
  return evidence.reasons === undefined || (event.reason !== null && evidence.reasons.includes(event.reason));
}

/** The match function of a rule described as data. */
export function evidenceMatch<Params extends CommonParams>(
  definition: Pick<WindowedRuleDefinition<Params>, 'evidence' | 'groupings' | 'accepts' | 'countedValue' | 'firesAlone'>,
): (event: DetectionEvent, params: Params) => WindowMatch | null {
  return (event, params) => {
    if (!matchesEvidence(event, definition.evidence)) return null;
    if (definition.accepts && !definition.accepts(event, params)) return null;
    const grouping: Grouping = definition.groupings[params.group_by as Params['group_by']];
    const key = keyFor(event, grouping);
    if (!key) return null;
    return { key, value: definition.countedValue?.(event) ?? undefined, immediate: definition.firesAlone?.(event) ?? false };
  };
}

/** A Rule whose evaluation is the generic windowed one. */
export function defineWindowedRule<Params extends CommonParams>(definition: WindowedRuleDefinition<Params>): Rule<Params> {
  const { shape, accepts: _accepts, countedValue: _countedValue, firesAlone: _firesAlone, detail, ...rule } = definition;
  const spec: WindowedRuleSpec<Params> = {
    rule: rule.id,
    groupBy: (params) => params.group_by,
    shape,
    match: evidenceMatch(definition),
    detail,
  };
  return { ...rule, evaluate: (state, events, params, now) => evaluateWindowedRule(spec, state, events, params, now) };
}
