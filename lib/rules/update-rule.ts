import { z } from 'zod';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { RuleId, type Rule } from '../detection/rule';
import { ruleById } from '../detection/rule-catalog';
import type { CommonParams } from '../detection/rule-params';

/** The rule a path names, or ERR_RULE_UNKNOWN. */
export function ruleNamed(id: string): Rule {
  const parsed = RuleId.safeParse(id);
  if (!parsed.success) throw new AuthwatchError('ERR_RULE_UNKNOWN', 'no such rule');
  return ruleById(parsed.data);
}

/** Validates proposed parameters with the rule's own schema (strict: an unknown parameter is an error). */
export function proposedParams(rule: Rule, params: unknown): CommonParams {
  const parsed = rule.params.safeParse(params);
  if (!parsed.success) throw new AuthwatchError('ERR_INVALID_INPUT', z.prettifyError(parsed.error));
  return parsed.data;
}

/**
 * `PUT /api/v1/rules/{id}` (MANAGER and above; the caller checks the role):
 * saves the rule's parameters, validated by its schema, recorded with who
 * saved them. The engine uses them from its next step.
 */
export function updateRule({ ctx, input }: { ctx: Context; input: { id: string; actor: string; params: unknown } }): CommonParams {
  const rule = ruleNamed(input.id);
  const params = proposedParams(rule, input.params);
  ctx.store.saveRuleSettings(rule.id, params, input.actor, ctx.now);
  return params;
}
